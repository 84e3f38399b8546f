// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <map>
#include <memory>
#include <mutex>

namespace memscope::engine {

/// A stand-in for a cuda device on machines without a GPU: a separate arena of
/// host memory that behaves like device memory. Its addresses are device
/// addresses in their own range (they are not host pointers, so host code that
/// dereferences one faults instead of silently working), every access is an
/// explicit, bounds-checked transfer, and capacity is finite so out-of-memory
/// is real. Always reported as emulated.
class EmulatedDevice final : public DeviceBackend
{
public:
    /// Device addresses start here: far from any host mapping on x86-64 Linux,
    /// and recognisable in a hex dump.
    static constexpr Address kBaseAddress = 0x00e0'0000'0000'0000ULL;
    static constexpr std::size_t kAlignment = 256; // what cudaMalloc guarantees

    EmulatedDevice(int index, std::size_t capacityBytes);
    ~EmulatedDevice() override;

    Device device() const override { return Device::cuda(m_index, true); }
    std::string description() const override;
    bool hostAccessible() const override { return false; }

    Address allocate(std::size_t bytes) override;
    void release(Address address) noexcept override;
    std::size_t bytesInUse() const override;
    std::size_t capacity() const { return m_capacity; }

    void copyToHost(void *dst, Address src, std::size_t bytes) override;
    void copyFromHost(Address dst, const void *src, std::size_t bytes) override;
    void copyWithin(Address dst, Address src, std::size_t bytes) override;

private:
    std::byte *translate(Address address, std::size_t bytes, const char *what) const;

    int m_index;
    std::size_t m_capacity;
    std::byte *m_arena = nullptr; // reserved lazily-committed mapping
    mutable std::mutex m_mutex;
    std::map<std::size_t, std::size_t> m_used; // offset -> size (rounded)
    std::map<std::size_t, std::size_t> m_free; // offset -> size, coalesced
    std::size_t m_inUse = 0;
};

} // namespace memscope::engine
