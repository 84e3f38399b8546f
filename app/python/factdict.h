// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/snapshot.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace memscope::python {

/// A MemoryFact as a plain dict (what memscope.inspect returns).
pybind11::dict factToDict(const engine::MemoryFact &fact);
/// A Snapshot as plain dicts and lists (what memscope.snapshot returns).
pybind11::dict snapshotToDict(const engine::Snapshot &snapshot);

} // namespace memscope::python
