// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/cuda/cudagather.h"

#include <cuda_runtime.h>

namespace memscope::engine::cuda {

namespace {

struct GatherParams
{
    int ndim;
    long long shape[kMaxGatherDims];
    long long strides[kMaxGatherDims];
};

// One thread per element: unravel the C-order index, then copy the element's
// bytes. Byte-wise copying keeps one kernel for every dtype.
__global__ void gatherKernel(unsigned char *dst, const unsigned char *src, GatherParams p, size_t itemSize,
                             long long count)
{
    for (long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; i < count;
         i += static_cast<long long>(gridDim.x) * blockDim.x) {
        long long rem = i;
        long long offset = 0;
        for (int d = p.ndim - 1; d >= 0; --d) {
            const long long idx = rem % p.shape[d];
            rem /= p.shape[d];
            offset += idx * p.strides[d];
        }
        for (size_t b = 0; b < itemSize; ++b)
            dst[i * itemSize + b] = src[offset + static_cast<long long>(b)];
    }
}

} // namespace

int launchGather(void *dst, const void *src, int ndim, const std::int64_t *shape, const std::int64_t *strides,
                 std::size_t itemSize, std::int64_t count)
{
    if (ndim > kMaxGatherDims)
        return static_cast<int>(cudaErrorInvalidValue);
    if (count == 0)
        return 0;
    GatherParams p {};
    p.ndim = ndim;
    for (int d = 0; d < ndim; ++d) {
        p.shape[d] = shape[d];
        p.strides[d] = strides[d];
    }
    const int threads = 256;
    const long long wanted = (count + threads - 1) / threads;
    const int blocks = static_cast<int>(wanted < 65535 ? wanted : 65535);
    gatherKernel<<<blocks, threads>>>(static_cast<unsigned char *>(dst), static_cast<const unsigned char *>(src), p,
                                      itemSize, count);
    cudaError_t err = cudaGetLastError();
    if (err == cudaSuccess)
        err = cudaDeviceSynchronize();
    return static_cast<int>(err);
}

} // namespace memscope::engine::cuda
