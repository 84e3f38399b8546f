// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/tensor.h"

#include "engine/error.h"
#include "engine/gather.h"
#include "engine/hostwrite.h"
#include "engine/runtime.h"

#include <cstring>

namespace memscope::engine {

namespace {

void refuseReadOnly(const ElementTarget &target, WriteMode mode)
{
    if (target.readOnly && mode != WriteMode::Force)
        throw Error(ErrorCode::ReadOnly,
                    target.name + " is read-only (" + target.owner + "); the write was refused" + target.forceHint);
}

ElementWrite encode(const ElementTarget &target, std::int64_t offset, std::string_view text, WriteMode mode)
{
    refuseReadOnly(target, mode);
    ElementWrite w;
    w.offset = offset;
    w.value = parseScalar(target.layout.dtype, text); // throws, naming the text and the dtype
    w.size = itemSize(target.layout.dtype);
    storeScalar(target.layout.dtype, w.value, w.bytes.data());
    return w;
}

std::string ownerOf(const Buffer &b)
{
    return std::string(ownerName(b.owner())) + " buffer " + std::to_string(b.id());
}

} // namespace

ElementWrite prepareElementWrite(const ElementTarget &target, std::span<const std::int64_t> index,
                                 std::string_view text, WriteMode mode)
{
    return encode(target, target.layout.elementOffset(index), text, mode);
}

ElementWrite prepareElementWrite(const ElementTarget &target, std::int64_t flatIndex, std::string_view text,
                                 WriteMode mode)
{
    const std::int64_t n = target.layout.numel();
    if (flatIndex < 0 || flatIndex >= n)
        throw Error(ErrorCode::OutOfRange,
                    "element " + std::to_string(flatIndex) + " is outside " + target.name + " (" + std::to_string(n) +
                        " elements)");
    return encode(target, target.layout.flatOffset(flatIndex), text, mode);
}

std::int64_t checkedByteSize(DType dtype, std::span<const std::int64_t> shape)
{
    // As NumPy: the non-zero dimensions must fit even when another one is 0.
    std::int64_t bytes = static_cast<std::int64_t>(itemSize(dtype));
    bool overflow = false;
    bool empty = false;
    for (std::int64_t n : shape) {
        if (n < 0)
            throw Error(ErrorCode::InvalidArgument, "shape " + shapeText(shape) + " has a negative dimension");
        if (n == 0)
            empty = true;
        else
            overflow = overflow || __builtin_mul_overflow(bytes, n, &bytes);
    }
    if (overflow)
        throw Error(ErrorCode::InvalidArgument,
                    "shape " + shapeText(shape) + " of " + std::string(numpyName(dtype)) +
                        " has more elements or bytes than fit in 64 bits");
    return empty ? 0 : bytes;
}

Tensor::Tensor(std::shared_ptr<Buffer> buffer, Layout layout, bool readOnly)
    : m_buffer(std::move(buffer))
    , m_layout(std::move(layout))
    , m_readOnly(readOnly)
{
    if (m_layout.shape.size() != m_layout.strides.size())
        throw Error(ErrorCode::InvalidArgument,
                    "shape " + shapeText(m_layout.shape) + " and strides " + shapeText(m_layout.strides) +
                        " differ in length");
    checkedByteSize(m_layout.dtype, m_layout.shape); // views too: broadcast_to((2**40, 2**40)) would wrap numel()
    const ByteRange b = m_layout.byteBounds();
    if (!b.empty() && (b.lo < 0 || b.hi > static_cast<std::int64_t>(m_buffer->size())))
        throw Error(ErrorCode::OutOfRange,
                    "view " + m_layout.describe() + " reaches bytes [" + std::to_string(b.lo) + ", " +
                        std::to_string(b.hi) + ") outside buffer " + std::to_string(m_buffer->id()) + " of " +
                        std::to_string(m_buffer->size()) + " bytes");
}

Tensor Tensor::empty(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape)
{
    const auto bytes = static_cast<std::size_t>(checkedByteSize(dtype, shape));
    Layout l = Layout::contiguous(dtype, std::move(shape));
    return Tensor(Buffer::allocate(runtime, device, bytes), std::move(l));
}

Tensor Tensor::zeros(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape)
{
    Tensor t = empty(runtime, device, dtype, std::move(shape));
    const std::vector<std::byte> zero(static_cast<std::size_t>(t.nbytes()));
    t.m_buffer->write(0, zero.data(), zero.size());
    return t;
}

Tensor Tensor::fromValues(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape,
                          std::span<const Scalar> values)
{
    Tensor t = empty(runtime, device, dtype, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.numel())
        throw Error(ErrorCode::InvalidArgument,
                    std::to_string(values.size()) + " values for shape " + shapeText(t.shape()) + " (" +
                        std::to_string(t.numel()) + " elements)");
    const std::size_t item = itemSize(dtype);
    std::vector<std::byte> bytes(values.size() * item);
    for (std::size_t i = 0; i < values.size(); ++i)
        storeScalar(dtype, values[i], bytes.data() + i * item);
    t.m_buffer->write(0, bytes.data(), bytes.size());
    return t;
}

std::int64_t Tensor::checkedOffset(std::span<const std::int64_t> index) const
{
    return m_layout.elementOffset(index);
}

Scalar Tensor::get(std::span<const std::int64_t> index) const
{
    std::byte tmp[16];
    m_buffer->read(static_cast<std::size_t>(checkedOffset(index)), tmp, itemSize(dtype()));
    return loadScalar(dtype(), tmp);
}

Scalar Tensor::getFlat(std::int64_t flat) const
{
    const auto idx = m_layout.unravel(flat);
    return get(idx);
}

ElementTarget Tensor::elementTarget(std::span<const std::int64_t> index) const
{
    return {m_layout, m_readOnly, "element " + shapeText(index), ownerOf(*m_buffer), {}};
}

void Tensor::writeElement(std::int64_t offset, const std::byte *bytes, std::size_t size, WriteMode mode)
{
    if (mode == WriteMode::Force && m_buffer->hostAccessible() && m_buffer->owner() != Owner::Engine) {
        // Forced into foreign host memory: it may be mapped read-only underneath.
        const HostWriteResult r = writeHostMemory(m_buffer->base() + static_cast<Address>(offset), bytes, size);
        if (r != HostWriteResult::Written)
            throw Error(ErrorCode::ReadOnly,
                        "the memory of " + ownerOf(*m_buffer) + " is " + std::string(hostWriteResultName(r)) +
                            "; the write was refused");
        return;
    }
    m_buffer->write(static_cast<std::size_t>(offset), bytes, size);
}

void Tensor::set(std::span<const std::int64_t> index, const Scalar &value, WriteMode mode)
{
    const std::int64_t offset = checkedOffset(index);
    refuseReadOnly(elementTarget(index), mode);
    std::byte tmp[16];
    storeScalar(dtype(), value, tmp);
    writeElement(offset, tmp, itemSize(dtype()), mode);
}

void Tensor::setFromText(std::span<const std::int64_t> index, std::string_view text, WriteMode mode)
{
    const ElementWrite w = prepareElementWrite(elementTarget(index), index, text, mode);
    writeElement(w.offset, w.bytes.data(), w.size, mode);
}

std::vector<std::byte> Tensor::contiguousBytes(std::size_t *bytesRead) const
{
    const std::size_t item = itemSize(dtype());
    const auto n = static_cast<std::size_t>(numel());
    std::vector<std::byte> out(n * item);
    if (bytesRead)
        *bytesRead = 0;
    if (n == 0)
        return out;
    const ByteRange bounds = m_layout.byteBounds();
    if (m_layout.isCContiguous()) {
        m_buffer->read(static_cast<std::size_t>(m_layout.offset), out.data(), out.size());
        if (bytesRead)
            *bytesRead = out.size();
        return out;
    }
    // Strided: read the extent once (one transfer for device memory), gather on the host.
    const std::byte *src = nullptr;
    std::vector<std::byte> staging;
    if (m_buffer->hostAccessible()) {
        src = m_buffer->hostData() + bounds.lo;
    } else {
        staging.resize(static_cast<std::size_t>(bounds.size()));
        m_buffer->read(static_cast<std::size_t>(bounds.lo), staging.data(), staging.size());
        src = staging.data();
        if (bytesRead)
            *bytesRead = staging.size();
    }
    gatherStrided(src + (m_layout.offset - bounds.lo), shape(), strides(), item, out.data());
    return out;
}

std::vector<Scalar> Tensor::values() const
{
    const auto bytes = contiguousBytes();
    const std::size_t item = itemSize(dtype());
    std::vector<Scalar> out(static_cast<std::size_t>(numel()));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = loadScalar(dtype(), bytes.data() + i * item);
    return out;
}

Tensor Tensor::slice(int dim, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                     std::int64_t step) const
{
    return Tensor(m_buffer, engine::slice(m_layout, dim, start, stop, step), m_readOnly);
}

Tensor Tensor::select(int dim, std::int64_t index) const
{
    return Tensor(m_buffer, engine::select(m_layout, dim, index), m_readOnly);
}

Tensor Tensor::permute(std::span<const int> perm) const
{
    return Tensor(m_buffer, engine::permute(m_layout, perm), m_readOnly);
}

Tensor Tensor::transpose() const
{
    return Tensor(m_buffer, engine::transpose(m_layout), m_readOnly);
}

Tensor Tensor::reshape(std::span<const std::int64_t> shape) const
{
    return Tensor(m_buffer, engine::reshape(m_layout, shape), m_readOnly);
}

Tensor Tensor::view(DType dtype) const
{
    return Tensor(m_buffer, engine::reinterpret(m_layout, dtype), m_readOnly);
}

Tensor Tensor::broadcastTo(std::span<const std::int64_t> shape) const
{
    Layout l = engine::broadcastTo(m_layout, shape);
    checkedByteSize(l.dtype, l.shape); // before anything counts its elements
    const bool overlapping = l.hasInternalOverlap();
    return Tensor(m_buffer, std::move(l), m_readOnly || overlapping);
}

} // namespace memscope::engine
