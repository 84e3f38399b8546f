// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/pyscalar.h"

#include "engine/error.h"

#include <complex>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {
double asFloat(py::handle value)
{
    PyObject *f = PyNumber_Float(value.ptr());
    if (!f)
        throw py::error_already_set();
    return py::reinterpret_steal<py::object>(f).cast<double>();
}
} // namespace

Scalar toScalar(py::handle value, DType dtype)
{
    if (py::isinstance<py::bool_>(value))
        return value.cast<bool>();
    if (py::isinstance<py::int_>(value)) {
        const auto text = py::str(value).cast<std::string>();
        const DTypeKind kind = kindOf(dtype);
        if (kind == DTypeKind::Signed || kind == DTypeKind::Unsigned) {
            try {
                return parseScalar(dtype, text); // range-checked
            } catch (const Error &e) {
                throw py::value_error(std::string("Python integer ") + text + " does not fit " +
                                      std::string(numpyName(dtype)) + ": " + e.what());
            }
        }
        if (kind == DTypeKind::Bool)
            return text != "0";
        return asFloat(value);
    }
    if (py::isinstance<py::float_>(value))
        return value.cast<double>();
    if (PyComplex_Check(value.ptr()))
        return value.cast<std::complex<double>>();
    // NumPy scalars and 0-d tensors: anything with __float__/__int__/__complex__.
    if (py::hasattr(value, "__complex__") && kindOf(dtype) == DTypeKind::Complex)
        return value.cast<std::complex<double>>();
    if (py::hasattr(value, "__float__"))
        return asFloat(value);
    throw py::type_error("cannot store a " + py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>() +
                         " in a " + std::string(numpyName(dtype)) + " tensor");
}

py::object fromScalar(const Scalar &value)
{
    return std::visit([](auto x) -> py::object { return py::cast(x); }, value);
}

} // namespace memscope::python
