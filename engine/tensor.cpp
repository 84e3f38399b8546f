// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/tensor.h"

#include "engine/error.h"
#include "engine/gather.h"
#include "engine/runtime.h"

#include <cstring>

namespace memscope::engine {

Tensor::Tensor(std::shared_ptr<Buffer> buffer, Layout layout, bool readOnly)
    : m_buffer(std::move(buffer))
    , m_layout(std::move(layout))
    , m_readOnly(readOnly)
{
    if (m_layout.shape.size() != m_layout.strides.size())
        throw Error(ErrorCode::InvalidArgument,
                    "shape " + shapeText(m_layout.shape) + " and strides " + shapeText(m_layout.strides) +
                        " differ in length");
    const ByteRange b = m_layout.byteBounds();
    if (!b.empty() && (b.lo < 0 || b.hi > static_cast<std::int64_t>(m_buffer->size())))
        throw Error(ErrorCode::OutOfRange,
                    "view " + m_layout.describe() + " reaches bytes [" + std::to_string(b.lo) + ", " +
                        std::to_string(b.hi) + ") outside buffer " + std::to_string(m_buffer->id()) + " of " +
                        std::to_string(m_buffer->size()) + " bytes");
}

Tensor Tensor::empty(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape)
{
    Layout l = Layout::contiguous(dtype, std::move(shape));
    const auto bytes = static_cast<std::size_t>(l.numel() * l.itemSize());
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

void Tensor::set(std::span<const std::int64_t> index, const Scalar &value, WriteMode mode)
{
    const std::int64_t offset = checkedOffset(index);
    if (m_readOnly && mode != WriteMode::Force)
        throw Error(ErrorCode::ReadOnly,
                    "element " + shapeText(index) + " is read-only (" + std::string(ownerName(m_buffer->owner())) +
                        " buffer " + std::to_string(m_buffer->id()) + "); the write was refused");
    std::byte tmp[16];
    storeScalar(dtype(), value, tmp);
    m_buffer->write(static_cast<std::size_t>(offset), tmp, itemSize(dtype()));
}

void Tensor::setFromText(std::span<const std::int64_t> index, std::string_view text, WriteMode mode)
{
    checkedOffset(index); // report a bad index before a bad value
    set(index, parseScalar(dtype(), text), mode);
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
    const bool overlapping = l.hasInternalOverlap();
    return Tensor(m_buffer, std::move(l), m_readOnly || overlapping);
}

} // namespace memscope::engine
