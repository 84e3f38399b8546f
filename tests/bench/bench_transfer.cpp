// SPDX-License-Identifier: GPL-3.0-or-later
// Copy bandwidth: engine H2D/D2H (Tensor transfers) against raw cudaMemcpy,
// from pageable and from pinned host memory. Needs a real GPU: exits 77
// (skipped) without one. Also reports the emulated device for comparison.
// Usage: bench_transfer [MiB, default 256]

#include "engine/operations.h"
#include "engine/runtime.h"

#ifdef MEMSCOPE_HAVE_CUDA
#include <cuda_runtime.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace memscope::engine;
using Clock = std::chrono::steady_clock;

namespace {

template<typename F> double best(int repeats, F &&f)
{
    double b = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        f();
        b = std::min(b, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return b;
}

void report(const char *what, std::size_t bytes, double seconds)
{
    std::printf("%-34s %8.2f ms  %7.2f GB/s\n", what, seconds * 1e3, static_cast<double>(bytes) / 1e9 / seconds);
}

Tensor wrapHost(Runtime &runtime, Address mem, std::size_t bytes)
{
    const auto n = static_cast<std::int64_t>(bytes / 4);
    return wrap(runtime, Device::cpu(), mem, bytes, Layout::contiguous(DType::Float32, {n}), Owner::Other, nullptr,
                false);
}

// Engine copies between host memory from `hostBackend` (pageable or pinned)
// and a preallocated tensor on `device`; then to(), which also allocates.
void engineTransfers(Runtime &runtime, const Device &device, DeviceBackend &hostBackend, std::size_t bytes,
                     const char *label)
{
    const Address mem = hostBackend.allocate(bytes);
    std::memset(reinterpret_cast<void *>(mem), 1, bytes);
    Tensor host = wrapHost(runtime, mem, bytes);
    Tensor dev = to(runtime, host, device);
    char name[96];
    std::snprintf(name, sizeof name, "engine copy_ H2D %s", label);
    report(name, bytes, best(5, [&] { copyInto(dev, host); }));
    std::snprintf(name, sizeof name, "engine copy_ D2H %s", label);
    report(name, bytes, best(5, [&] { copyInto(host, dev); }));
    std::snprintf(name, sizeof name, "engine to() H2D %s", label);
    report(name, bytes, best(3, [&] { (void)to(runtime, host, device, true); }));
    hostBackend.release(mem);
}

} // namespace

int main(int argc, char **argv)
{
    const std::size_t mib = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 256;
    const std::size_t bytes = mib << 20;

    {
        RuntimeOptions emulated;
        emulated.useCuda = false;
        emulated.emulatedCapacity = bytes * 4;
        Runtime runtime(emulated);
        std::printf("%zu MiB per copy\n", mib);
        engineTransfers(runtime, runtime.resolve("cuda:0"), *runtime.backend(Device::cpu()), bytes,
                        "(emulated device)");
    }

    Runtime runtime;
    if (!runtime.hasRealCuda()) {
        std::printf("SKIP: no usable GPU (%s)\n", runtime.cudaStatus().c_str());
        return 77;
    }
#ifdef MEMSCOPE_HAVE_CUDA
    const Device gpu = runtime.resolve("cuda:0");
    std::printf("GPU: %s\n", runtime.backend(gpu)->description().c_str());
    void *d = nullptr;
    cudaMalloc(&d, bytes);
    std::vector<char> pageable(bytes, 1);
    void *pinned = nullptr;
    cudaMallocHost(&pinned, bytes);
    std::memset(pinned, 1, bytes);
    report("raw cudaMemcpy H2D pageable", bytes,
           best(5, [&] { cudaMemcpy(d, pageable.data(), bytes, cudaMemcpyHostToDevice); }));
    report("raw cudaMemcpy D2H pageable", bytes,
           best(5, [&] { cudaMemcpy(pageable.data(), d, bytes, cudaMemcpyDeviceToHost); }));
    report("raw cudaMemcpy H2D pinned", bytes, best(5, [&] { cudaMemcpy(d, pinned, bytes, cudaMemcpyHostToDevice); }));
    report("raw cudaMemcpy D2H pinned", bytes, best(5, [&] { cudaMemcpy(pinned, d, bytes, cudaMemcpyDeviceToHost); }));
    cudaFreeHost(pinned);
    cudaFree(d);
    engineTransfers(runtime, gpu, *runtime.backend(Device::cpu()), bytes, "pageable");
    engineTransfers(runtime, gpu, *runtime.pinnedHost(), bytes, "pinned");
#endif
    return 0;
}
