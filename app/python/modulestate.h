// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/event.h"
#include "engine/runtime.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <memory>

namespace memscope::python {

/// Limits for reading values out of observed objects.
struct AdapterOptions
{
    /// Objects up to this size have their values copied into the snapshot.
    std::size_t valueLimit = std::size_t {1} << 20;
    /// Contiguous host objects up to this size are hashed (copies recognised by content).
    std::size_t hashLimit = std::size_t {256} << 20;
};

/// What the `memscope` module works with: the engine runtime (the app's, when
/// embedded; its own, when imported as an extension), the event log of
/// MemScope tensor operations, and adapter limits. Held by the module as the
/// capsule `memscope._state`, never as a global.
struct ModuleState
{
    engine::Runtime *runtime = nullptr;
    std::unique_ptr<engine::Runtime> ownedRuntime;
    engine::EventLog events;
    AdapterOptions adapter;
};

/// The state of the imported `memscope` module; throws RuntimeError when unset.
ModuleState &moduleState();
/// Installs `state` (not owned) into the module object `module`.
void installModuleState(pybind11::module_ module, ModuleState *state);

} // namespace memscope::python
