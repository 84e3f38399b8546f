// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/memoryfact.h"
#include "engine/tensor.h"

#include <pybind11/complex.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace memscope::python {

/// Reads data pointer, shape, strides, dtype and device from a DLPack
/// capsule ("dltensor") without consuming it.
void fillFromDlpack(engine::MemoryFact &fact, pybind11::handle capsule);

/// A "dltensor" capsule that shares `tensor`'s memory (kDLCPU or kDLCUDA) and
/// keeps its buffer alive until the consumer's deleter runs. Throws
/// BufferError for emulated devices (not reachable by any other library),
/// dtypes DLPack cannot express and strides that are not whole elements.
pybind11::capsule toDlpack(const engine::Tensor &tensor);

} // namespace memscope::python
