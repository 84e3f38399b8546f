// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/relation.h"

#include "engine/hostmemory.h"
#include "engine/layout.h"
#include "engine/scalar.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace memscope::engine {

namespace {

// Values equal after casting each of `n` elements of `a` to `tb` (NumPy's
// astype), NaN equal to NaN: a converted copy of an array with NaNs is still a copy.
bool valuesEqualAfterCast(DType ta, const std::byte *a, DType tb, const std::byte *b, std::size_t n)
{
    const auto ia = itemSize(ta);
    const auto ib = itemSize(tb);
    std::byte cast[16];
    for (std::size_t i = 0; i < n; ++i) {
        storeScalar(tb, loadScalar(ta, a + i * ia), cast);
        const std::byte *other = b + i * ib;
        if (std::memcmp(cast, other, ib) == 0)
            continue;
        const Scalar x = loadScalar(tb, cast);
        const Scalar y = loadScalar(tb, other);
        if (!scalarEquals(x, y)) {
            const auto *dx = std::get_if<double>(&x);
            const auto *dy = std::get_if<double>(&y);
            if (!(dx && dy && std::isnan(*dx) && std::isnan(*dy)))
                return false;
        }
    }
    return true;
}

// Packed C-order bytes [from, from + count) elements of a host fact, through
// the checked reader (contiguous views as one read, others gathered).
bool readPackedElements(const MemoryFact &f, std::int64_t from, std::int64_t count, std::vector<std::byte> &out,
                        std::string &why)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    out.resize(static_cast<std::size_t>(count) * item);
    if (f.layout().isCContiguous())
        return readHost(f.data + static_cast<Address>(from) * item, out, &why);
    return gatherHostElements(f.data, f.shape, f.strides, item, from, count, out.data(), &why);
}

} // namespace

std::optional<bool> recordedValuesEqual(const MemoryFact &a, const MemoryFact &b)
{
    if (a.numel() != b.numel())
        return false;
    if (a.dtype == b.dtype && a.valuesCaptured && b.valuesCaptured)
        return a.values == b.values;
    if (a.dtype == b.dtype && a.valueHashed && b.valueHashed)
        return a.valueHash == b.valueHash;
    if (a.valuesCaptured && b.valuesCaptured)
        return valuesEqualAfterCast(a.dtype, a.values.data(), b.dtype, b.values.data(),
                                    static_cast<std::size_t>(a.numel()));
    return std::nullopt;
}

Relation equalValuesRelation(const MemoryFact &a, const MemoryFact &b)
{
    if (a.device != b.device)
        return Relation::Transfer;
    return a.dtype == b.dtype ? Relation::Copy : Relation::Convert;
}

std::optional<bool> liveValuesEqual(const MemoryFact &a, const MemoryFact &b, std::string &why)
{
    if (!a.device.isCpu() || !b.device.isCpu()) {
        why = "device memory is not read to compare values";
        return std::nullopt;
    }
    const std::int64_t n = a.numel();
    constexpr std::int64_t kChunk = std::int64_t {1} << 20; // elements per read
    std::vector<std::byte> ca, cb;
    for (std::int64_t from = 0; from < n; from += kChunk) {
        const std::int64_t count = std::min(kChunk, n - from);
        if (!readPackedElements(a, from, count, ca, why) || !readPackedElements(b, from, count, cb, why))
            return std::nullopt;
        if (a.dtype == b.dtype) {
            if (ca != cb)
                return false;
            continue;
        }
        if (!valuesEqualAfterCast(a.dtype, ca.data(), b.dtype, cb.data(), static_cast<std::size_t>(count)))
            return false;
    }
    return true;
}

Relation decideRelation(const MemoryFact &a, const MemoryFact &b, std::optional<bool> valuesEqual)
{
    // Bytes known but values not shown (structured, byte-swapped) still alias what shares their bytes.
    if (a.hasKnownBytes() && b.hasKnownBytes() && a.device == b.device &&
        viewsOverlap(a.placed(), b.placed()) != Overlap::No)
        return Relation::Alias;
    if (!a.isSupported() || !b.isSupported())
        return Relation::Unrelated;
    return valuesEqual.value_or(false) ? equalValuesRelation(a, b) : Relation::Unrelated;
}

Relation relateFacts(const MemoryFact &a, const MemoryFact &b)
{
    return decideRelation(a, b, a.isSupported() && b.isSupported() ? recordedValuesEqual(a, b) : std::nullopt);
}

} // namespace memscope::engine
