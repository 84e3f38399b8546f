// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <cstdint>
#include <memory>
#include <string_view>

namespace memscope::engine {

class Runtime;

/// Who allocated a buffer.
enum class Owner { Engine, NumPy, Torch, TensorFlow, Jax, CuPy, Other };
std::string_view ownerName(Owner owner);

/// One allocation: an address space, a base address and a byte size. Engine
/// buffers own their memory and free it when the last view goes; foreign
/// buffers describe memory someone else owns (a NumPy array) and keep that
/// owner alive through an opaque handle, so the bytes cannot be freed (and the
/// address reused) while any view of them exists.
class Buffer
{
public:
    static std::shared_ptr<Buffer> allocate(Runtime &runtime, const Device &device, std::size_t bytes);
    static std::shared_ptr<Buffer> foreign(Runtime &runtime, const Device &device, Address base, std::size_t bytes,
                                           Owner owner, std::shared_ptr<const void> keepAlive);
    ~Buffer();
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    std::uint64_t id() const { return m_id; }
    Device device() const { return m_backend->device(); }
    Address base() const { return m_base; }
    std::size_t size() const { return m_size; }
    Owner owner() const { return m_owner; }
    DeviceBackend &backend() const { return *m_backend; }
    bool hostAccessible() const { return m_backend->hostAccessible(); }

    /// Host pointer to the first byte; throws Error(Unsupported) for device memory.
    std::byte *hostData() const;

    /// Bounds-checked transfers of bytes [offset, offset + n) to and from host memory.
    void read(std::size_t offset, void *dst, std::size_t n) const;
    void write(std::size_t offset, const void *src, std::size_t n);

private:
    Buffer(std::uint64_t id, std::shared_ptr<DeviceBackend> backend, Address base, std::size_t size, Owner owner,
           std::shared_ptr<const void> keepAlive);
    void checkRange(std::size_t offset, std::size_t n) const;

    std::uint64_t m_id;
    std::shared_ptr<DeviceBackend> m_backend;
    Address m_base;
    std::size_t m_size;
    Owner m_owner;
    std::shared_ptr<const void> m_keepAlive;
};

} // namespace memscope::engine
