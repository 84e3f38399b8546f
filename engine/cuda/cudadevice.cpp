// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/cuda/cudagather.h"
#include "engine/cuda/cudaruntime.h"
#include "engine/error.h"

#include <cuda_runtime.h>

#include <atomic>
#include <cstring>
#include <map>
#include <mutex>

namespace memscope::engine::cuda {

namespace {

std::string describe(cudaError_t err)
{
    return "error " + std::to_string(static_cast<int>(err)) + ": " + cudaGetErrorString(err);
}

void check(cudaError_t err, const std::string &what)
{
    if (err == cudaSuccess)
        return;
    cudaGetLastError(); // clear the sticky-free error state so later calls can succeed
    throw Error(err == cudaErrorMemoryAllocation ? ErrorCode::OutOfMemory : ErrorCode::DeviceError,
                what + " failed (" + describe(err) + ")");
}

void *ptr(Address a)
{
    return reinterpret_cast<void *>(a);
}

class CudaDevice final : public DeviceBackend
{
public:
    explicit CudaDevice(int index)
        : m_index(index)
    {
        cudaDeviceProp prop {};
        check(cudaGetDeviceProperties(&prop, index), "cudaGetDeviceProperties(cuda:" + std::to_string(index) + ")");
        m_name = prop.name;
    }

    Device device() const override { return Device::cuda(m_index, false); }
    std::string description() const override { return m_name; }
    bool hostAccessible() const override { return false; }

    Address allocate(std::size_t bytes) override
    {
        select();
        void *p = nullptr;
        check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc of " + std::to_string(bytes) + " bytes on " + where());
        m_inUse += bytes;
        std::lock_guard lock(m_sizesMutex);
        m_sizes[reinterpret_cast<Address>(p)] = bytes;
        return reinterpret_cast<Address>(p);
    }

    void release(Address address) noexcept override
    {
        if (!address)
            return;
        {
            std::lock_guard lock(m_sizesMutex);
            auto it = m_sizes.find(address);
            if (it != m_sizes.end()) {
                m_inUse -= it->second;
                m_sizes.erase(it);
            }
        }
        cudaSetDevice(m_index);
        cudaFree(ptr(address));
    }

    std::size_t bytesInUse() const override { return m_inUse.load(); }

    void copyToHost(void *dst, Address src, std::size_t bytes) override
    {
        select();
        check(cudaMemcpy(dst, ptr(src), bytes, cudaMemcpyDeviceToHost), "device-to-host copy from " + where());
    }
    void copyFromHost(Address dst, const void *src, std::size_t bytes) override
    {
        select();
        check(cudaMemcpy(ptr(dst), src, bytes, cudaMemcpyHostToDevice), "host-to-device copy to " + where());
    }
    void copyWithin(Address dst, Address src, std::size_t bytes) override
    {
        select();
        check(cudaMemcpy(ptr(dst), ptr(src), bytes, cudaMemcpyDeviceToDevice), "device-to-device copy on " + where());
    }

    bool gather(Address dst, Address src, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                std::size_t itemSize) override
    {
        if (shape.size() > static_cast<std::size_t>(kMaxGatherDims))
            return false;
        select();
        std::int64_t count = 1;
        for (auto n : shape)
            count *= n;
        const int err = launchGather(ptr(dst), ptr(src), static_cast<int>(shape.size()), shape.data(), strides.data(),
                                     itemSize, count);
        check(static_cast<cudaError_t>(err), "strided gather kernel on " + where());
        return true;
    }

private:
    std::string where() const { return "cuda:" + std::to_string(m_index); }
    void select() { check(cudaSetDevice(m_index), "cudaSetDevice(" + std::to_string(m_index) + ")"); }

    int m_index;
    std::string m_name;
    std::atomic<std::size_t> m_inUse {0};
    std::mutex m_sizesMutex;
    std::map<Address, std::size_t> m_sizes;
};

class PinnedHost final : public DeviceBackend
{
public:
    Device device() const override { return Device::cpu(); }
    std::string description() const override { return "pinned host memory (cudaMallocHost)"; }
    bool hostAccessible() const override { return true; }

    Address allocate(std::size_t bytes) override
    {
        void *p = nullptr;
        check(cudaMallocHost(&p, bytes ? bytes : 1), "cudaMallocHost of " + std::to_string(bytes) + " bytes");
        std::lock_guard lock(m_mutex);
        m_sizes[reinterpret_cast<Address>(p)] = bytes;
        m_inUse += bytes;
        return reinterpret_cast<Address>(p);
    }
    void release(Address address) noexcept override
    {
        if (!address)
            return;
        {
            std::lock_guard lock(m_mutex);
            auto it = m_sizes.find(address);
            if (it != m_sizes.end()) {
                m_inUse -= it->second;
                m_sizes.erase(it);
            }
        }
        cudaFreeHost(ptr(address));
    }
    std::size_t bytesInUse() const override
    {
        std::lock_guard lock(m_mutex);
        return m_inUse;
    }
    void copyToHost(void *dst, Address src, std::size_t bytes) override { std::memcpy(dst, ptr(src), bytes); }
    void copyFromHost(Address dst, const void *src, std::size_t bytes) override { std::memcpy(ptr(dst), src, bytes); }
    void copyWithin(Address dst, Address src, std::size_t bytes) override { std::memmove(ptr(dst), ptr(src), bytes); }

private:
    mutable std::mutex m_mutex;
    std::map<Address, std::size_t> m_sizes;
    std::size_t m_inUse = 0;
};

} // namespace

Probe probe()
{
    Probe p;
    cudaRuntimeGetVersion(&p.runtimeVersion);
    if (cudaDriverGetVersion(&p.driverVersion) != cudaSuccess)
        p.driverVersion = 0;
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        // 35 (insufficient driver), 34 (stub library), 100 (no device): all "no GPU".
        cudaGetLastError();
        p.status = "no usable GPU (" + describe(err) + ")";
        return p;
    }
    p.deviceCount = count;
    p.status = std::to_string(count) + " device(s)";
    return p;
}

std::shared_ptr<DeviceBackend> makeDevice(int index)
{
    return std::make_shared<CudaDevice>(index);
}

std::shared_ptr<DeviceBackend> makePinnedHost()
{
    return std::make_shared<PinnedHost>();
}

} // namespace memscope::engine::cuda
