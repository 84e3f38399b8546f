// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/dtype.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace memscope::engine {

/// Half-open byte range [lo, hi).
struct ByteRange
{
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    bool empty() const { return hi <= lo; }
    std::int64_t size() const { return hi > lo ? hi - lo : 0; }
    bool operator==(const ByteRange &) const = default;
};

/// How a strided view sees a buffer: dtype, the byte offset of element
/// [0, ..., 0] from the buffer base, shape, and strides in bytes (NumPy's
/// convention; strides may be negative or zero). Pure geometry: no memory.
struct Layout
{
    DType dtype = DType::Float64;
    std::int64_t offset = 0;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> strides;

    /// C-contiguous layout of `shape` starting at `offset`.
    static Layout contiguous(DType dtype, std::vector<std::int64_t> shape, std::int64_t offset = 0);

    int ndim() const { return static_cast<int>(shape.size()); }
    std::int64_t itemSize() const { return static_cast<std::int64_t>(engine::itemSize(dtype)); }
    std::int64_t numel() const;
    /// Bytes the view touches, relative to the buffer base; empty when numel() == 0.
    ByteRange byteBounds() const;
    bool isCContiguous() const;
    /// True when the view's bytes fill its byte bounds with no gap (any dim
    /// order; self-overlapping strides allowed). Such views alias anything
    /// whose bytes fall inside their bounds.
    bool isGapless() const;
    /// True when two elements share bytes (zero or overlapping strides).
    bool hasInternalOverlap() const;

    /// Byte offset (from the buffer base) of the element at `index`; bounds-checked.
    std::int64_t elementOffset(std::span<const std::int64_t> index) const;
    /// C-order multi-index of flat element `flat`.
    std::vector<std::int64_t> unravel(std::int64_t flat) const;
    /// Byte offset of flat element `flat` (C order over the view's shape).
    std::int64_t flatOffset(std::int64_t flat) const;

    std::string describe() const; ///< "float32 (2, 3) strides (12, 4) offset 0"
    bool operator==(const Layout &) const = default;
};

std::string shapeText(std::span<const std::int64_t> shape); ///< "(2, 3)", "(5,)", "()"

// View operations. Each returns a new layout over the same bytes, or throws
// Error with a message naming the argument that was wrong.

/// Python slicing a[start:stop:step] on `dim` (negative indices, clamping and
/// negative steps as in Python). step 0 is an error.
Layout slice(const Layout &l, int dim, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
             std::int64_t step = 1);
/// Integer indexing a[..., i, ...] on `dim`: removes the dimension.
Layout select(const Layout &l, int dim, std::int64_t index);
/// Reorders dimensions; `perm` must be a permutation of 0..ndim-1.
Layout permute(const Layout &l, std::span<const int> perm);
/// Reverses the dimensions (NumPy's .T).
Layout transpose(const Layout &l);
/// NumPy's reshape without copying; one -1 is inferred. Throws
/// Error(NotPossible) when the strides cannot express the new shape.
Layout reshape(const Layout &l, std::span<const std::int64_t> shape);
/// Reinterprets the bytes as another dtype (NumPy's a.view(dtype)): equal item
/// sizes always work; otherwise the last dimension must be contiguous and its
/// byte length divisible by the new item size.
Layout reinterpret(const Layout &l, DType dtype);
/// Broadcasts to `shape` with zero strides (NumPy's broadcast_to).
Layout broadcastTo(const Layout &l, std::span<const std::int64_t> shape);

} // namespace memscope::engine
