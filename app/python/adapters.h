// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/python/modulestate.h"
#include "engine/memoryfact.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <vector>

namespace memscope::python {

// Adapters read memory facts from live objects: NumPy arrays, torch tensors,
// TensorFlow EagerTensors, CuPy and JAX arrays, MemScope tensors. They never
// import a framework: an object is recognised only through modules already in
// sys.modules. Call with the GIL held and the object alive.

/// The facts of `obj`, or nullopt when it is no array MemScope knows. Objects
/// it knows but cannot describe (a structured NumPy array, a sparse tensor)
/// give a fact whose `unsupported` says why.
std::optional<engine::MemoryFact> inspectObject(pybind11::handle obj, const AdapterOptions &options);

/// Facts for every array-like object bound in `ns` (names starting with "_"
/// are skipped), one fact per object with all its names. `keepAlive` receives
/// the objects so their memory stays valid while the facts are shown.
std::vector<engine::MemoryFact> scanNamespace(pybind11::dict ns, const AdapterOptions &options,
                                              std::vector<pybind11::object> *keepAlive = nullptr);

} // namespace memscope::python
