// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/modulestate.h"

namespace py = pybind11;

namespace memscope::python {

ModuleState &moduleState()
{
    py::object module = py::module_::import("memscope");
    if (!py::hasattr(module, "_state"))
        throw std::runtime_error("the memscope module has no engine state (not initialised)");
    auto *state = module.attr("_state").cast<py::capsule>().get_pointer<ModuleState>();
    if (!state)
        throw std::runtime_error("the memscope module's engine state is empty");
    return *state;
}

void installModuleState(py::module_ module, ModuleState *state)
{
    module.attr("_state") = py::capsule(state, "memscope.ModuleState");
}

} // namespace memscope::python
