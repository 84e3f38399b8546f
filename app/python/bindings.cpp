// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/bindings.h"

#include "app/python/modulestate.h"
#include "engine/error.h"

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

void registerErrorTranslation()
{
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const Error &e) {
            PyObject *type = PyExc_ValueError;
            switch (e.code()) {
            case ErrorCode::OutOfRange:
                type = PyExc_IndexError;
                break;
            case ErrorCode::Unsupported:
                type = PyExc_TypeError;
                break;
            case ErrorCode::OutOfMemory:
                type = PyExc_MemoryError;
                break;
            case ErrorCode::DeviceError:
                type = PyExc_RuntimeError;
                break;
            default:
                break;
            }
            PyErr_SetString(type, e.what());
        }
    });
}

void defineModule(py::module_ &m)
{
    m.doc() = "MemScope: which arrays and tensors share memory, observed from their addresses.";
    registerErrorTranslation();
    defineTensor(m);
    defineInspection(m);
    m.def(
        "devices",
        [] {
            std::vector<std::string> out;
            for (const Device &d : moduleState().runtime->devices())
                out.push_back(d.toString());
            return out;
        },
        "Memory devices: 'cpu', then 'cuda:N' or 'cuda:N (emulated)'.");
    m.def(
        "cuda_status", [] { return moduleState().runtime->cudaStatus(); }, "Why cuda devices are real or emulated.");
}

} // namespace memscope::python
