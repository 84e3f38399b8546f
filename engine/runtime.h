// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

struct RuntimeOptions
{
    /// Use real GPUs when the CUDA backend is compiled in and a device exists.
    bool useCuda = true;
    /// Emulated cuda devices created when no real one is used.
    int emulatedDevices = 1;
    /// Capacity of each emulated device (reserved, committed only when written).
    std::size_t emulatedCapacity = std::size_t {1} << 30;
};

/// The devices MemScope can place memory on: the host, and either the real
/// cuda devices or emulated ones, never a mix. One per process in the app,
/// but not a singleton: tests create their own.
class Runtime
{
public:
    explicit Runtime(RuntimeOptions options = {});
    ~Runtime();
    Runtime(const Runtime &) = delete;
    Runtime &operator=(const Runtime &) = delete;

    std::vector<Device> devices() const;
    bool hasRealCuda() const { return m_realCuda; }
    bool cudaCompiledIn() const;
    /// Why there is or is not a GPU, for the About box and error messages.
    const std::string &cudaStatus() const { return m_cudaStatus; }

    /// Parses "cpu", "cuda", "cuda:N" (as torch spells them) into one of this
    /// runtime's devices; throws Error(InvalidArgument) naming the text when
    /// there is no such device.
    Device resolve(std::string_view spec) const;

    std::shared_ptr<DeviceBackend> backend(const Device &device) const;
    /// Page-locked host memory when CUDA is real, ordinary host memory otherwise.
    std::shared_ptr<DeviceBackend> pinnedHost() const;

    /// Fresh id for a buffer ("buf 7" in the UI); ids are never reused.
    std::uint64_t nextBufferId() { return ++m_lastBufferId; }

private:
    std::shared_ptr<DeviceBackend> m_host;
    std::shared_ptr<DeviceBackend> m_pinned;
    std::vector<std::shared_ptr<DeviceBackend>> m_cuda;
    bool m_realCuda = false;
    std::string m_cudaStatus;
    std::atomic<std::uint64_t> m_lastBufferId {0};
};

} // namespace memscope::engine
