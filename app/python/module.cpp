// SPDX-License-Identifier: GPL-3.0-or-later
// `import memscope` from an ordinary Python of the same version: the module
// owns its own engine runtime (real GPUs when present, else an emulated cuda:0).
#include "app/python/bindings.h"
#include "app/python/modulestate.h"

PYBIND11_MODULE(memscope, m)
{
    memscope::python::defineModule(m);
    auto *state = new memscope::python::ModuleState;
    state->ownedRuntime = std::make_unique<memscope::engine::Runtime>();
    state->runtime = state->ownedRuntime.get();
    m.attr("_state") = pybind11::capsule(state, "memscope.ModuleState", [](PyObject *cap) {
        delete static_cast<memscope::python::ModuleState *>(PyCapsule_GetPointer(cap, "memscope.ModuleState"));
    });
}
