// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/dlpack.h"

#include "engine/error.h"

#include <dlpack/dlpack.h>

#include <memory>
#include <vector>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {

// kDLBool arrived in DLPack 0.8; Debian ships the 0.6 header.
constexpr std::uint8_t kDLBoolCode = 6;

DLDataType toDl(DType t)
{
    const auto bits = static_cast<std::uint8_t>(itemSize(t) * 8);
    switch (kindOf(t)) {
    case DTypeKind::Bool:
        return {kDLBoolCode, 8, 1};
    case DTypeKind::Signed:
        return {kDLInt, bits, 1};
    case DTypeKind::Unsigned:
        return {kDLUInt, bits, 1};
    case DTypeKind::Float:
        return {static_cast<std::uint8_t>(t == DType::BFloat16 ? kDLBfloat : kDLFloat), bits, 1};
    case DTypeKind::Complex:
        return {kDLComplex, bits, 1};
    }
    return {kDLFloat, bits, 1};
}

DType fromDl(DLDataType d)
{
    if (d.lanes != 1)
        throw Error(ErrorCode::Unsupported, "vector DLPack dtypes (lanes > 1) are not supported");
    const std::string bits = std::to_string(d.bits);
    if (d.code == kDLBoolCode)
        return DType::Bool;
    switch (d.code) {
    case kDLInt:
        return parseDType("int" + bits);
    case kDLUInt:
        return d.bits == 1 ? DType::Bool : parseDType("uint" + bits);
    case kDLFloat:
        return parseDType("float" + bits);
    case kDLBfloat:
        return DType::BFloat16;
    case kDLComplex:
        return parseDType("complex" + bits);
    default:
        throw Error(ErrorCode::Unsupported, "DLPack dtype code " + std::to_string(d.code) + " is not supported");
    }
}

// Owns what a DLManagedTensor points to; freed by the consumer's deleter call.
struct Export
{
    DLManagedTensor managed {};
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> strides; // elements, as DLPack wants
    std::shared_ptr<Buffer> buffer;
};

void deleteExport(DLManagedTensor *m)
{
    delete static_cast<Export *>(m->manager_ctx);
}

} // namespace

void fillFromDlpack(MemoryFact &f, py::handle capsule)
{
    auto *m = static_cast<DLManagedTensor *>(PyCapsule_GetPointer(capsule.ptr(), "dltensor"));
    if (!m)
        throw py::error_already_set();
    const DLTensor &t = m->dl_tensor;
    f.dtype = fromDl(t.dtype);
    f.shape.assign(t.shape, t.shape + t.ndim);
    const std::int64_t item = f.itemSize();
    if (t.strides) {
        for (int i = 0; i < t.ndim; ++i)
            f.strides.push_back(t.strides[i] * item);
    } else {
        f.strides = Layout::contiguous(f.dtype, f.shape).strides;
    }
    f.data = reinterpret_cast<Address>(t.data) + t.byte_offset;
    if (t.device.device_type == kDLCUDA)
        f.device = Device::cuda(t.device.device_id, false);
    else if (t.device.device_type != kDLCPU && t.device.device_type != kDLCUDAHost)
        throw Error(ErrorCode::Unsupported, "DLPack device type " + std::to_string(t.device.device_type));
}

py::capsule toDlpack(const Tensor &tensor)
{
    const Device d = tensor.device();
    if (d.emulated)
        throw py::buffer_error("memory on " + d.toString() +
                               " is not reachable by other libraries; call .to('cpu') first");
    auto e = std::make_unique<Export>();
    e->shape = tensor.shape();
    const std::int64_t item = tensor.layout().itemSize();
    for (std::int64_t s : tensor.strides()) {
        if (s % item != 0)
            throw py::buffer_error("strides are not whole elements; DLPack cannot describe this view");
        e->strides.push_back(s / item);
    }
    e->buffer = tensor.bufferPtr();
    DLTensor &t = e->managed.dl_tensor;
    t.data = reinterpret_cast<void *>(tensor.data());
    t.byte_offset = 0;
    t.device = {d.isCpu() ? kDLCPU : kDLCUDA, d.isCpu() ? 0 : d.index};
    t.ndim = static_cast<int>(e->shape.size());
    t.dtype = toDl(tensor.dtype());
    t.shape = e->shape.data();
    t.strides = e->strides.data();
    e->managed.manager_ctx = e.get();
    e->managed.deleter = &deleteExport;
    DLManagedTensor *managed = &e.release()->managed;
    // An unconsumed capsule frees the export itself; a consumer renames it
    // "used_dltensor" and calls the deleter when done.
    return py::capsule(managed, "dltensor", [](PyObject *cap) {
        if (PyCapsule_IsValid(cap, "dltensor")) {
            auto *m = static_cast<DLManagedTensor *>(PyCapsule_GetPointer(cap, "dltensor"));
            m->deleter(m);
        }
    });
}

} // namespace memscope::python
