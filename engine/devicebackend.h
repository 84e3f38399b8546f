// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/device.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace memscope::engine {

/// Addresses are plain integers: a device address must never be dereferenced
/// by host code, and a uint64 cannot be by accident.
using Address = std::uint64_t;

/// One device's memory: allocation and the explicit transfers that are the
/// only way host code reaches memory that is not host-accessible.
/// All methods throw Error (DeviceError, OutOfMemory, OutOfRange) on failure.
class DeviceBackend
{
public:
    virtual ~DeviceBackend() = default;

    virtual Device device() const = 0;
    /// Human-readable description ("NVIDIA H100 80GB HBM3", "emulated: host arena of 1 GiB").
    virtual std::string description() const = 0;
    /// True when host code may read and write this memory through a pointer.
    virtual bool hostAccessible() const = 0;

    virtual Address allocate(std::size_t bytes) = 0;
    virtual void release(Address address) noexcept = 0;
    virtual std::size_t bytesInUse() const = 0;

    virtual void copyToHost(void *dst, Address src, std::size_t bytes) = 0; ///< D2H (memcpy on cpu)
    virtual void copyFromHost(Address dst, const void *src, std::size_t bytes) = 0; ///< H2D
    virtual void copyWithin(Address dst, Address src, std::size_t bytes) = 0; ///< D2D, same device

    /// Strided gather of `count` elements on the device itself (no host round
    /// trip): element i of the C-order index space of shape/strides (bytes)
    /// starting at `src` goes to `dst + i * itemSize`. Returns false when the
    /// backend has no such kernel; callers then stage through host memory.
    virtual bool gather(Address /*dst*/, Address /*src*/, std::span<const std::int64_t> /*shape*/,
                        std::span<const std::int64_t> /*strides*/, std::size_t /*itemSize*/)
    {
        return false;
    }
};

} // namespace memscope::engine
