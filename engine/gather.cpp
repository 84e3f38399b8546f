// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/gather.h"

#include <cstring>
#include <vector>

namespace memscope::engine {

void gatherStrided(const std::byte *first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                   std::size_t itemSize, std::byte *dst)
{
    std::size_t n = 1;
    for (auto s : shape)
        n *= static_cast<std::size_t>(s);
    if (n == 0)
        return;
    // Innermost dimension contiguous: copy whole rows at once.
    const std::size_t nd = shape.size();
    const bool rows = nd > 0 && strides[nd - 1] == static_cast<std::int64_t>(itemSize);
    const std::size_t run = rows ? static_cast<std::size_t>(shape[nd - 1]) : 1;
    const std::size_t outer = rows ? nd - 1 : nd;
    std::vector<std::int64_t> idx(outer, 0);
    std::int64_t off = 0;
    for (std::size_t done = 0; done < n; done += run) {
        std::memcpy(dst + done * itemSize, first + off, run * itemSize);
        for (std::size_t d = outer; d-- > 0;) { // odometer over the outer dims, offset kept incrementally
            off += strides[d];
            if (++idx[d] < shape[d])
                break;
            off -= strides[d] * shape[d];
            idx[d] = 0;
        }
    }
}

} // namespace memscope::engine
