// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <atomic>

namespace memscope::engine {

/// Ordinary host memory (64-byte aligned, like NumPy's and torch's allocators
/// on x86-64, so views created by the engine meet TensorFlow's alignment rule).
class HostBackend final : public DeviceBackend
{
public:
    Device device() const override { return Device::cpu(); }
    std::string description() const override { return "host memory"; }
    bool hostAccessible() const override { return true; }

    Address allocate(std::size_t bytes) override;
    void release(Address address) noexcept override;
    std::size_t bytesInUse() const override { return m_inUse.load(); }

    void copyToHost(void *dst, Address src, std::size_t bytes) override;
    void copyFromHost(Address dst, const void *src, std::size_t bytes) override;
    void copyWithin(Address dst, Address src, std::size_t bytes) override;

private:
    std::atomic<std::size_t> m_inUse {0};
};

} // namespace memscope::engine
