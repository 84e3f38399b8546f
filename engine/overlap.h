// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"
#include "engine/layout.h"

#include <cstdint>
#include <span>
#include <vector>

namespace memscope::engine {

/// A strided view placed at an absolute address (one address space implied).
struct PlacedView
{
    Address data = 0; ///< address of element [0, ..., 0]
    std::int64_t itemSize = 1;
    std::span<const std::int64_t> shape;
    std::span<const std::int64_t> strides; ///< bytes

    static PlacedView of(Address bufferBase, const Layout &layout)
    {
        return {bufferBase + static_cast<Address>(layout.offset), layout.itemSize(), layout.shape, layout.strides};
    }
    std::int64_t numel() const;
    /// [lo, hi) absolute; lo == hi when the view has no elements.
    std::pair<Address, Address> bounds() const;
    /// True when the elements' bytes fill bounds() with no gap, in any dim
    /// order (covered bytes stay one interval while each next stride, by
    /// ascending size, fits inside it).
    bool isGapless() const;
};

enum class Overlap {
    No, ///< no byte is shared
    Yes, ///< at least one byte is shared
    TooHard ///< the exact search ran out of its work budget; bounds overlap
};

/// Exact answer to "do these views share a byte?", like np.shares_memory:
/// a bounded linear Diophantine problem sum(c_i * x_i) = T, solved by
/// depth-first search after merging equal strides and collapsing the
/// contiguous ones. `maxWork` bounds the search steps.
Overlap viewsOverlap(const PlacedView &a, const PlacedView &b, std::int64_t maxWork = std::int64_t {1} << 22);

/// Bytes both views touch, counted element by element (`ev = a[::2]` of 12
/// float64 shares 48 B with `a`, not the 88 B of their overlapping ranges).
/// Cost is proportional to memory, not to logical elements: views that fill
/// their range, or that touch each of their bytes once inside a view that
/// fills its range, are answered from their extents; other pairs count the
/// elements of the finer view, up to a budget. `exact` is false when the
/// budget ran out (the count is then a lower bound).
std::uint64_t sharedBytes(const PlacedView &a, const PlacedView &b, bool *exact = nullptr);

/// Flat (C-order) indices of the elements of `a` that share at least one byte
/// with `b`, at most `limit` of them, in increasing order.
std::vector<std::int64_t> sharedElements(const PlacedView &a, const PlacedView &b, std::int64_t limit);

} // namespace memscope::engine
