// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime.h"

#include "engine/emulateddevice.h"
#include "engine/error.h"
#include "engine/hostbackend.h"

#ifdef MEMSCOPE_HAVE_CUDA
#include "engine/cuda/cudaruntime.h"
#endif

#include <charconv>

namespace memscope::engine {

Runtime::Runtime(RuntimeOptions options)
    : m_host(std::make_shared<HostBackend>())
    , m_pinned(m_host)
{
#ifdef MEMSCOPE_HAVE_CUDA
    if (options.useCuda) {
        const cuda::Probe probe = cuda::probe();
        m_cudaStatus = "CUDA runtime " + std::to_string(probe.runtimeVersion / 1000) + "." +
            std::to_string(probe.runtimeVersion % 1000 / 10) + ": " + probe.status;
        if (probe.deviceCount > 0) {
            for (int i = 0; i < probe.deviceCount; ++i)
                m_cuda.push_back(cuda::makeDevice(i));
            m_pinned = cuda::makePinnedHost();
            m_realCuda = true;
        }
    } else {
        m_cudaStatus = "CUDA disabled by option";
    }
#else
    m_cudaStatus = options.useCuda ? "built without CUDA" : "CUDA disabled by option";
#endif
    if (!m_realCuda) {
        for (int i = 0; i < options.emulatedDevices; ++i)
            m_cuda.push_back(std::make_shared<EmulatedDevice>(i, options.emulatedCapacity));
        if (options.emulatedDevices > 0)
            m_cudaStatus += "; cuda devices are emulated";
    }
}

Runtime::~Runtime() = default;

bool Runtime::cudaCompiledIn() const
{
#ifdef MEMSCOPE_HAVE_CUDA
    return true;
#else
    return false;
#endif
}

std::vector<Device> Runtime::devices() const
{
    std::vector<Device> out {Device::cpu()};
    for (const auto &b : m_cuda)
        out.push_back(b->device());
    return out;
}

Device Runtime::resolve(std::string_view spec) const
{
    std::string s(spec);
    if (s == "cpu")
        return Device::cpu();
    int index = 0;
    if (s == "cuda") {
        index = 0;
    } else if (s.starts_with("cuda:")) {
        const char *b = s.data() + 5;
        const char *e = s.data() + s.size();
        auto [ptr, ec] = std::from_chars(b, e, index);
        if (ec != std::errc() || ptr != e || b == e || index < 0)
            throw Error(ErrorCode::InvalidArgument, "'" + s + "' is not a device (write cpu, cuda or cuda:N)");
    } else {
        throw Error(ErrorCode::InvalidArgument, "'" + s + "' is not a device (write cpu, cuda or cuda:N)");
    }
    if (index >= static_cast<int>(m_cuda.size()))
        throw Error(ErrorCode::InvalidArgument,
                    "no device " + s + ": this machine has " + std::to_string(m_cuda.size()) + " cuda device(s) (" +
                        m_cudaStatus + ")");
    return m_cuda[static_cast<std::size_t>(index)]->device();
}

std::shared_ptr<DeviceBackend> Runtime::backend(const Device &device) const
{
    if (device.isCpu())
        return m_host;
    for (const auto &b : m_cuda)
        if (b->device() == device)
            return b;
    throw Error(ErrorCode::InvalidArgument, "no device " + device.toString() + " in this runtime");
}

std::shared_ptr<DeviceBackend> Runtime::pinnedHost() const
{
    return m_pinned;
}

} // namespace memscope::engine
