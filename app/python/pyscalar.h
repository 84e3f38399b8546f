// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/dtype.h"
#include "engine/scalar.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace memscope::python {

/// A Python bool/int/float/complex as an engine value, checked against
/// `dtype`: a Python int that does not fit an integer dtype is an error
/// (OverflowError), as in NumPy 2; floats into integers truncate.
engine::Scalar toScalar(pybind11::handle value, engine::DType dtype);
pybind11::object fromScalar(const engine::Scalar &value);

} // namespace memscope::python
