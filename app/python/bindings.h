// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace memscope::python {

/// Fills the `memscope` module: MemScope tensors and inspect / relation /
/// snapshot. Shared by the embedded module and the ordinary extension module.
void defineModule(pybind11::module_ &m);

/// Parts of defineModule, one file each.
void defineTensor(pybind11::module_ &m);
void defineInspection(pybind11::module_ &m);

/// Python exception types for engine errors (ValueError, IndexError, ...).
void registerErrorTranslation();

} // namespace memscope::python
