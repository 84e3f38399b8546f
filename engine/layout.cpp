// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/layout.h"

#include "engine/error.h"
#include "engine/overlap.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace memscope::engine {

namespace {

int normalizeDim(const Layout &l, int dim, const char *op)
{
    const int n = l.ndim();
    const int d = dim < 0 ? dim + n : dim;
    if (d < 0 || d >= n)
        throw Error(ErrorCode::InvalidArgument,
                    std::string(op) + ": dimension " + std::to_string(dim) + " is out of range for a " +
                        std::to_string(n) + "-d view");
    return d;
}

struct Dim
{
    std::int64_t size;
    std::int64_t stride;
};

// Dimensions that contribute bytes, by ascending |stride| (size-1 and
// zero-stride dims add no bytes).
std::vector<Dim> contributingDims(const Layout &l)
{
    std::vector<Dim> dims;
    for (int i = 0; i < l.ndim(); ++i) {
        const auto s = static_cast<std::size_t>(i);
        if (l.shape[s] > 1 && l.strides[s] != 0)
            dims.push_back({l.shape[s], std::abs(l.strides[s])});
    }
    std::sort(dims.begin(), dims.end(), [](const Dim &a, const Dim &b) { return a.stride < b.stride; });
    return dims;
}

} // namespace

Layout Layout::contiguous(DType dtype, std::vector<std::int64_t> shape, std::int64_t offset)
{
    Layout l;
    l.dtype = dtype;
    l.offset = offset;
    for (auto n : shape)
        if (n < 0)
            throw Error(ErrorCode::InvalidArgument, "negative dimension in shape " + shapeText(shape));
    l.strides.assign(shape.size(), 0);
    std::int64_t stride = l.itemSize();
    for (std::size_t i = shape.size(); i-- > 0;) {
        l.strides[i] = stride;
        stride *= std::max<std::int64_t>(shape[i], 1);
    }
    l.shape = std::move(shape);
    return l;
}

std::int64_t Layout::numel() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t {1}, std::multiplies<>());
}

ByteRange Layout::byteBounds() const
{
    if (numel() == 0)
        return {offset, offset};
    std::int64_t lo = offset;
    std::int64_t hi = offset;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::int64_t span = (shape[i] - 1) * strides[i];
        (span < 0 ? lo : hi) += span;
    }
    return {lo, hi + itemSize()};
}

bool Layout::isCContiguous() const
{
    std::int64_t expected = itemSize();
    for (std::size_t i = shape.size(); i-- > 0;) {
        if (shape[i] == 0)
            return true;
        if (shape[i] != 1 && strides[i] != expected)
            return false;
        expected *= shape[i];
    }
    return true;
}

bool Layout::isGapless() const
{
    return PlacedView::of(0, *this).isGapless();
}

bool Layout::hasInternalOverlap() const
{
    if (numel() <= 1)
        return false;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] > 1 && strides[i] == 0)
            return true;
    // Sufficient test for non-overlap: each stride clears the whole extent of
    // the smaller dims. Layouts failing it (rare, hand-made) are reported as
    // overlapping, which is the conservative answer for writes.
    std::int64_t extent = itemSize();
    for (const Dim &d : contributingDims(*this)) {
        if (d.stride < extent)
            return true;
        extent = d.stride * (d.size - 1) + extent;
    }
    return false;
}

std::int64_t Layout::elementOffset(std::span<const std::int64_t> index) const
{
    if (index.size() != shape.size())
        throw Error(ErrorCode::InvalidArgument,
                    "index has " + std::to_string(index.size()) + " entries for a " + std::to_string(shape.size()) +
                        "-d view of shape " + shapeText(shape));
    std::int64_t off = offset;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (index[i] < 0 || index[i] >= shape[i])
            throw Error(ErrorCode::OutOfRange,
                        "index " + shapeText(index) + " is out of bounds for shape " + shapeText(shape) +
                            " (dimension " + std::to_string(i) + ")");
        off += index[i] * strides[i];
    }
    return off;
}

std::vector<std::int64_t> Layout::unravel(std::int64_t flat) const
{
    if (flat < 0 || flat >= numel())
        throw Error(ErrorCode::OutOfRange,
                    "flat index " + std::to_string(flat) + " is out of bounds for " + std::to_string(numel()) +
                        " elements");
    std::vector<std::int64_t> idx(shape.size());
    for (std::size_t i = shape.size(); i-- > 0;) {
        idx[i] = flat % shape[i];
        flat /= shape[i];
    }
    return idx;
}

std::int64_t Layout::flatOffset(std::int64_t flat) const
{
    std::int64_t off = offset;
    for (std::size_t i = shape.size(); i-- > 0;) {
        off += (flat % shape[i]) * strides[i];
        flat /= shape[i];
    }
    return off;
}

std::string Layout::describe() const
{
    return std::string(numpyName(dtype)) + " " + shapeText(shape) + " strides " + shapeText(strides) + " offset " +
        std::to_string(offset);
}

std::string shapeText(std::span<const std::int64_t> shape)
{
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1)
        s += ",";
    return s + ")";
}

Layout slice(const Layout &l, int dim, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
             std::int64_t step)
{
    const int d = normalizeDim(l, dim, "slice");
    if (step == 0)
        throw Error(ErrorCode::InvalidArgument, "slice step cannot be zero");
    const auto s = static_cast<std::size_t>(d);
    const std::int64_t n = l.shape[s];
    // CPython's PySlice_AdjustIndices.
    auto adjust = [n, step](std::optional<std::int64_t> v, bool isStart) {
        if (!v)
            return step > 0 ? (isStart ? 0 : n) : (isStart ? n - 1 : -1);
        std::int64_t x = *v;
        if (x < 0) {
            x += n;
            if (x < 0)
                x = step < 0 ? -1 : 0;
        } else if (x >= n) {
            x = step < 0 ? n - 1 : n;
        }
        return x;
    };
    const std::int64_t b = adjust(start, true);
    const std::int64_t e = adjust(stop, false);
    std::int64_t count = 0;
    if (step > 0 && b < e)
        count = (e - b - 1) / step + 1;
    else if (step < 0 && e < b)
        count = (b - e - 1) / (-step) + 1;
    Layout r = l;
    if (count > 0)
        r.offset += b * l.strides[s];
    r.shape[s] = count;
    r.strides[s] = l.strides[s] * step;
    return r;
}

Layout select(const Layout &l, int dim, std::int64_t index)
{
    const int d = normalizeDim(l, dim, "index");
    const auto s = static_cast<std::size_t>(d);
    const std::int64_t n = l.shape[s];
    const std::int64_t i = index < 0 ? index + n : index;
    if (i < 0 || i >= n)
        throw Error(ErrorCode::OutOfRange,
                    "index " + std::to_string(index) + " is out of bounds for dimension " + std::to_string(d) +
                        " with size " + std::to_string(n));
    Layout r = l;
    r.offset += i * l.strides[s];
    r.shape.erase(r.shape.begin() + d);
    r.strides.erase(r.strides.begin() + d);
    return r;
}

Layout permute(const Layout &l, std::span<const int> perm)
{
    if (static_cast<int>(perm.size()) != l.ndim())
        throw Error(ErrorCode::InvalidArgument,
                    "permutation has " + std::to_string(perm.size()) + " entries for a " + std::to_string(l.ndim()) +
                        "-d view");
    std::vector<bool> seen(perm.size(), false);
    Layout r = l;
    for (std::size_t i = 0; i < perm.size(); ++i) {
        const int p = perm[i] < 0 ? perm[i] + l.ndim() : perm[i];
        if (p < 0 || p >= l.ndim() || seen[static_cast<std::size_t>(p)])
            throw Error(ErrorCode::InvalidArgument, "axes are not a permutation of 0.." + std::to_string(l.ndim() - 1));
        seen[static_cast<std::size_t>(p)] = true;
        r.shape[i] = l.shape[static_cast<std::size_t>(p)];
        r.strides[i] = l.strides[static_cast<std::size_t>(p)];
    }
    return r;
}

Layout transpose(const Layout &l)
{
    Layout r = l;
    std::reverse(r.shape.begin(), r.shape.end());
    std::reverse(r.strides.begin(), r.strides.end());
    return r;
}

Layout reshape(const Layout &l, std::span<const std::int64_t> requested)
{
    std::vector<std::int64_t> shape(requested.begin(), requested.end());
    const std::int64_t total = l.numel();
    int inferred = -1;
    std::int64_t known = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == -1) {
            if (inferred >= 0)
                throw Error(ErrorCode::InvalidArgument,
                            "can only infer one dimension in reshape to " + shapeText(shape));
            inferred = static_cast<int>(i);
        } else if (shape[i] < 0) {
            throw Error(ErrorCode::InvalidArgument, "negative dimension in reshape to " + shapeText(shape));
        } else {
            known *= shape[i];
        }
    }
    if (inferred >= 0) {
        if (known == 0 || total % known != 0)
            throw Error(ErrorCode::InvalidArgument,
                        "cannot reshape " + std::to_string(total) + " elements into shape " + shapeText(shape));
        shape[static_cast<std::size_t>(inferred)] = total / known;
        known = total;
    }
    if (known != total)
        throw Error(ErrorCode::InvalidArgument,
                    "cannot reshape " + std::to_string(total) + " elements of shape " + shapeText(l.shape) +
                        " into shape " + shapeText(shape));
    if (total == 0 || l.isCContiguous())
        return Layout::contiguous(l.dtype, shape, l.offset);

    // NumPy's _attempt_nocopy_reshape: match runs of old and new dims with equal
    // products; inside a run the old dims must be C-contiguous with each other.
    std::vector<std::int64_t> od, os;
    for (std::size_t i = 0; i < l.shape.size(); ++i)
        if (l.shape[i] != 1) {
            od.push_back(l.shape[i]);
            os.push_back(l.strides[i]);
        }
    const std::size_t oldnd = od.size();
    const std::size_t newnd = shape.size();
    std::vector<std::int64_t> ns(newnd, 0);
    std::size_t oi = 0, oj = 1, ni = 0, nj = 1;
    while (ni < newnd && oi < oldnd) {
        std::int64_t np = shape[ni];
        std::int64_t op = od[oi];
        while (np != op) {
            if (np < op)
                np *= shape[nj++];
            else
                op *= od[oj++];
        }
        for (std::size_t ok = oi; ok + 1 < oj; ++ok)
            if (os[ok] != od[ok + 1] * os[ok + 1])
                throw Error(ErrorCode::NotPossible,
                            "cannot reshape the " + l.describe() + " view to " + shapeText(shape) + " without copying");
        ns[nj - 1] = os[oj - 1];
        for (std::size_t nk = nj - 1; nk > ni; --nk)
            ns[nk - 1] = ns[nk] * shape[nk];
        ni = nj++;
        oi = oj++;
    }
    // Trailing size-1 dims get the stride they would have in a contiguous array.
    const std::int64_t last = ni >= 1 ? ns[ni - 1] * 1 : l.itemSize();
    for (std::size_t nk = ni; nk < newnd; ++nk)
        ns[nk] = last;
    Layout r = l;
    r.shape = shape;
    r.strides = ns;
    return r;
}

Layout reinterpret(const Layout &l, DType dtype)
{
    const std::int64_t oldSize = l.itemSize();
    const auto newSize = static_cast<std::int64_t>(itemSize(dtype));
    Layout r = l;
    r.dtype = dtype;
    if (oldSize == newSize)
        return r;
    const std::string what = "cannot view " + l.describe() + " as " + std::string(numpyName(dtype));
    if (l.ndim() == 0)
        throw Error(ErrorCode::NotPossible, what + ": a 0-d view needs an equal item size");
    const auto last = static_cast<std::size_t>(l.ndim() - 1);
    if (l.shape[last] != 1 && l.strides[last] != oldSize)
        throw Error(ErrorCode::NotPossible, what + ": the last dimension is not contiguous");
    const std::int64_t bytes = l.shape[last] * oldSize;
    if (bytes % newSize != 0)
        throw Error(ErrorCode::NotPossible,
                    what + ": the last dimension's " + std::to_string(bytes) + " bytes are not a multiple of " +
                        std::to_string(newSize));
    r.shape[last] = bytes / newSize;
    r.strides[last] = newSize;
    return r;
}

Layout broadcastTo(const Layout &l, std::span<const std::int64_t> shape)
{
    if (shape.size() < l.shape.size())
        throw Error(ErrorCode::InvalidArgument,
                    "cannot broadcast shape " + shapeText(l.shape) + " to fewer dimensions " + shapeText(shape));
    Layout r = l;
    r.shape.assign(shape.begin(), shape.end());
    r.strides.assign(shape.size(), 0);
    const std::size_t lead = shape.size() - l.shape.size();
    for (std::size_t i = 0; i < l.shape.size(); ++i) {
        const std::int64_t from = l.shape[i];
        const std::int64_t to = shape[lead + i];
        if (from == to)
            r.strides[lead + i] = l.strides[i];
        else if (from != 1)
            throw Error(ErrorCode::InvalidArgument,
                        "cannot broadcast shape " + shapeText(l.shape) + " to " + shapeText(shape));
    }
    return r;
}

} // namespace memscope::engine
