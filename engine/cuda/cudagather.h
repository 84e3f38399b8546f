// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace memscope::engine::cuda {

inline constexpr int kMaxGatherDims = 16;

/// Launches the strided gather kernel on the current device and waits for it.
/// Returns the cudaError_t as int (0 on success).
int launchGather(void *dst, const void *src, int ndim, const std::int64_t *shape, const std::int64_t *strides,
                 std::size_t itemSize, std::int64_t count);

} // namespace memscope::engine::cuda
