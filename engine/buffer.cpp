// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/buffer.h"

#include "engine/error.h"
#include "engine/runtime.h"

namespace memscope::engine {

std::string_view ownerName(Owner owner)
{
    switch (owner) {
    case Owner::Engine:
        return "memscope";
    case Owner::NumPy:
        return "numpy";
    case Owner::Torch:
        return "torch";
    case Owner::TensorFlow:
        return "tensorflow";
    case Owner::Jax:
        return "jax";
    case Owner::CuPy:
        return "cupy";
    case Owner::Other:
        return "other";
    }
    return "other";
}

Buffer::Buffer(std::uint64_t id, std::shared_ptr<DeviceBackend> backend, Address base, std::size_t size, Owner owner,
               std::shared_ptr<const void> keepAlive)
    : m_id(id)
    , m_backend(std::move(backend))
    , m_base(base)
    , m_size(size)
    , m_owner(owner)
    , m_keepAlive(std::move(keepAlive))
{ }

std::shared_ptr<Buffer> Buffer::allocate(Runtime &runtime, const Device &device, std::size_t bytes)
{
    auto backend = runtime.backend(device);
    const Address base = backend->allocate(bytes);
    return std::shared_ptr<Buffer>(
        new Buffer(runtime.nextBufferId(), std::move(backend), base, bytes, Owner::Engine, {}));
}

std::shared_ptr<Buffer> Buffer::foreign(Runtime &runtime, const Device &device, Address base, std::size_t bytes,
                                        Owner owner, std::shared_ptr<const void> keepAlive)
{
    return std::shared_ptr<Buffer>(
        new Buffer(runtime.nextBufferId(), runtime.backend(device), base, bytes, owner, std::move(keepAlive)));
}

Buffer::~Buffer()
{
    if (m_owner == Owner::Engine)
        m_backend->release(m_base);
}

std::byte *Buffer::hostData() const
{
    if (!hostAccessible())
        throw Error(ErrorCode::Unsupported,
                    "buffer " + std::to_string(m_id) + " lives on " + device().toString() +
                        " and cannot be read directly from the host");
    return reinterpret_cast<std::byte *>(m_base);
}

void Buffer::checkRange(std::size_t offset, std::size_t n) const
{
    if (offset > m_size || n > m_size - offset)
        throw Error(ErrorCode::OutOfRange,
                    "bytes [" + std::to_string(offset) + ", " + std::to_string(offset + n) + ") are outside buffer " +
                        std::to_string(m_id) + " of " + std::to_string(m_size) + " bytes");
}

void Buffer::read(std::size_t offset, void *dst, std::size_t n) const
{
    checkRange(offset, n);
    m_backend->copyToHost(dst, m_base + offset, n);
}

void Buffer::write(std::size_t offset, const void *src, std::size_t n)
{
    checkRange(offset, n);
    m_backend->copyFromHost(m_base + offset, src, n);
}

} // namespace memscope::engine
