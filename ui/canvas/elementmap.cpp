// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/elementmap.h"

#include "engine/layout.h"

#include <algorithm>

using namespace memscope::engine;

namespace memscope::ui {

// Built one dimension at a time over the distinct addresses reached so far: a
// stride-0 dimension adds none, and a dimension with stride s adds at most
// regionBytes / |s| per address. Keeping the smallest flat index per address
// is exact: equal partial addresses are completed by the same later indices.
std::vector<std::pair<std::int64_t, std::int64_t>> elementStarts(const MemoryFact &f, Address regionLo,
                                                                 std::int64_t regionBytes)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    if (regionBytes <= 0 || f.data < regionLo || f.data - regionLo >= static_cast<Address>(regionBytes) ||
        f.numel() <= 0)
        return out;
    std::vector<std::int64_t> at(static_cast<std::size_t>(regionBytes), -1);
    // C-order weight of each dimension (its step in flat index).
    const std::size_t ndim = f.shape.size();
    std::vector<std::int64_t> weight(ndim, 1);
    for (std::size_t d = ndim; d-- > 1;)
        if (__builtin_mul_overflow(weight[d], f.shape[d], &weight[d - 1]))
            return out; // more elements than int64 counts: nothing sensible to show per cell
    at[static_cast<std::size_t>(f.data - regionLo)] = 0;
    std::vector<std::int64_t> next;
    for (std::size_t d = 0; d < ndim; ++d) {
        const std::int64_t n = f.shape[d];
        const std::int64_t stride = f.strides[d];
        if (n <= 1 || stride == 0 || stride >= regionBytes || stride <= -regionBytes)
            continue; // no new addresses in the region; index 0 is the smallest already
        next.assign(at.size(), -1);
        for (std::int64_t o = 0; o < regionBytes; ++o) {
            const std::int64_t base = at[static_cast<std::size_t>(o)];
            if (base < 0)
                continue;
            for (std::int64_t i = 0; i < n; ++i) {
                const std::int64_t o2 = o + i * stride; // |stride| < regionBytes: no overflow before the break
                if (o2 < 0 || o2 >= regionBytes)
                    break; // further i only go further away
                std::int64_t &slot = next[static_cast<std::size_t>(o2)];
                const std::int64_t flat = base + i * weight[d];
                if (slot < 0 || flat < slot)
                    slot = flat;
            }
        }
        at.swap(next);
    }
    for (std::int64_t o = 0; o < regionBytes; ++o)
        if (at[static_cast<std::size_t>(o)] >= 0)
            out.emplace_back(o, at[static_cast<std::size_t>(o)]);
    return out;
}

std::string indexText(const MemoryFact &f, std::int64_t flat)
{
    const Layout l = f.layout();
    std::string s = f.label() + "[";
    bool first = true;
    for (auto i : l.unravel(flat)) {
        s += (first ? "" : ", ") + std::to_string(i);
        first = false;
    }
    return s + "]";
}

std::int64_t elementOffset(const MemoryFact &f, Address regionLo, std::int64_t flat)
{
    const Layout l = f.layout();
    return static_cast<std::int64_t>(f.data - regionLo) + l.flatOffset(flat);
}

} // namespace memscope::ui
