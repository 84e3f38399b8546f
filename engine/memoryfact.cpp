// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/memoryfact.h"

#include "engine/hostmemory.h"

#include <cinttypes>
#include <cstdio>
#include <limits>

namespace memscope::engine {

std::string_view frameworkName(Framework f)
{
    switch (f) {
    case Framework::NumPy:
        return "numpy";
    case Framework::Torch:
        return "torch";
    case Framework::TensorFlow:
        return "tensorflow";
    case Framework::Jax:
        return "jax";
    case Framework::CuPy:
        return "cupy";
    case Framework::MemScope:
        return "memscope";
    case Framework::Other:
        return "other";
    }
    return "other";
}

namespace {

// Below this no allocation lives (Linux's default vm.mmap_min_addr): a data
// pointer here is a null pointer plus an offset.
constexpr Address kLowestMapped = 0x10000;
// Above this no user-space mapping exists (x86-64 with 5-level paging: 2^56).
// Host memory only: device address spaces have their own ranges.
constexpr Address kUserSpaceEnd = Address {1} << 57;

std::string hex(Address a)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, a);
    return buf;
}

} // namespace

std::int64_t MemoryFact::numel() const
{
    std::int64_t n = 1;
    for (std::int64_t s : shape) {
        if (s == 0)
            return 0;
        if (s < 0 || __builtin_mul_overflow(n, s, &n))
            n = std::numeric_limits<std::int64_t>::max();
    }
    return n;
}

std::string MemoryFact::readProblem() const
{
    std::int64_t n = 1;
    bool overflow = false;
    for (std::int64_t s : shape) {
        if (s < 0)
            return unreadableMessage(data, "negative dimension " + std::to_string(s) + " in the shape");
        if (s == 0)
            return {}; // zero-size: nothing is ever read
        overflow = overflow || __builtin_mul_overflow(n, s, &n);
    }
    if (overflow)
        return unreadableMessage(data, "the element count of the shape overflows int64");
    std::int64_t bytes = 0;
    if (__builtin_mul_overflow(n, itemSize(), &bytes))
        return unreadableMessage(data, "numel * itemsize overflows int64");
    if (strides.size() != shape.size())
        return unreadableMessage(data, "the strides do not match the shape");
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        std::int64_t reach = 0;
        if (__builtin_mul_overflow(shape[d] - 1, strides[d], &reach) ||
            __builtin_add_overflow(reach < 0 ? lo : hi, reach, reach < 0 ? &lo : &hi))
            return unreadableMessage(data, "the byte extent of the strides overflows int64");
    }
    if (__builtin_add_overflow(hi, itemSize(), &hi))
        return unreadableMessage(data, "the byte extent of the strides overflows int64");
    if (data < kLowestMapped)
        return unreadableMessage(data,
                                 data == 0 ? "null data pointer with " + std::to_string(n) + " element(s)"
                                           : "near-null data pointer with " + std::to_string(n) + " element(s)");
    const Address first = data + static_cast<Address>(lo);
    const Address end = data + static_cast<Address>(hi);
    if ((lo < 0 && first > data) || end < data || first < kLowestMapped || (device.isCpu() && end > kUserSpaceEnd))
        return unreadableMessage(lo < 0 ? first : data,
                                 "the view's bytes reach outside the user address space (strides " +
                                     std::to_string(lo) + ".." + std::to_string(hi) + " bytes from the data pointer)");
    if (allocation.known) {
        const Address allocEnd = allocation.base + allocation.size;
        if (first < allocation.base || end > allocEnd || allocEnd < allocation.base)
            return unreadableMessage(first < allocation.base ? first : allocEnd,
                                     "the view [" + hex(first) + ", " + hex(end) + ") reaches past its allocation [" +
                                         hex(allocation.base) + ", " + hex(allocEnd) + ") of " +
                                         std::to_string(allocation.size) + " bytes");
    }
    return {};
}

std::string MemoryFact::label() const
{
    if (!names.empty())
        return names.front();
    char buf[64];
    std::snprintf(buf, sizeof buf, " at 0x%llx>", static_cast<unsigned long long>(objectId));
    return "<" + typeName + buf;
}

} // namespace memscope::engine
