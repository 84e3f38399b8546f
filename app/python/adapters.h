// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/python/modulestate.h"
#include "engine/memoryfact.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace memscope::engine {
class HostMap;
}

namespace memscope::python {

// Adapters read memory facts from live objects: NumPy arrays, torch tensors,
// TensorFlow EagerTensors, CuPy and JAX arrays, MemScope tensors. They never
// import a framework: an object is recognised only through modules already in
// sys.modules. Call with the GIL held and the object alive.

/// The facts of `obj`, or nullopt when it is no array MemScope knows. Objects
/// it knows but cannot describe (a structured NumPy array, a sparse tensor)
/// give a fact whose `unsupported` says why.
/// `direct` (optional) lets large host reads that it shows to be private
/// anonymous memory be plain copies (one /proc/self/maps read per scan).
std::optional<engine::MemoryFact> inspectObject(pybind11::handle obj, const AdapterOptions &options,
                                                const engine::HostMap *direct = nullptr);

/// The module object if `name` is already imported, else None. Never imports.
pybind11::object loadedModule(const char *name);
/// The C-level type name of `obj`: never runs Python code, never throws.
std::string safeTypeName(pybind11::handle obj);

/// How far scanNamespace looks inside containers: objects this many levels
/// below a global (`m.enc[0].weight` is 3) are shown but not searched further,
/// and at most this many objects inside containers are visited per scan.
inline constexpr int kContainerDepth = 3;
inline constexpr int kContainerObjects = 2000;

/// Facts for every array-like object bound in `ns` (names starting with "_"
/// are skipped) or reached from such a global through containers, one fact
/// per object with all its names. Containers searched: list, tuple and dict
/// (subclasses too, read through their storage without calling their
/// methods), exact types.SimpleNamespace, and torch.nn.Module (its
/// `_parameters`, `_buffers` and `_modules` dicts only, when torch is already
/// imported). Objects inside are named by Python-like paths: `lin.weight`,
/// `seq[0].bias`, `params[1]`, `sd['weight']`, `d[(1, 2)]`; keys that are not
/// builtin values are named by their type (`d[<Key object>]`): no user
/// __repr__ runs. Each container is searched once (cycles end there), under
/// the first path that reaches it, breadth first. `keepAlive` receives the
/// objects so their memory stays valid while the facts are shown; `notes`
/// receives one line per bound the scan hit (kContainerDepth,
/// kContainerObjects).
std::vector<engine::MemoryFact> scanNamespace(pybind11::dict ns, const AdapterOptions &options,
                                              std::vector<pybind11::object> *keepAlive = nullptr,
                                              std::vector<std::string> *notes = nullptr);

} // namespace memscope::python
