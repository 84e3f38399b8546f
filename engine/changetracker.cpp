// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/changetracker.h"

#include <algorithm>
#include <cstring>
#include <thread>

#include "engine/pagehash.h"

namespace memscope::engine {

namespace {

// Blocks compared with memcmp before looking for the exact bytes: unchanged
// memory (the common case) runs at memcmp speed.
constexpr std::size_t kCompareBlock = 4096;
// Below this a second thread costs more than it saves.
constexpr std::size_t kParallelThreshold = std::size_t {8} << 20;

void addRange(std::vector<ByteRange> &ranges, std::int64_t lo, std::int64_t hi)
{
    if (!ranges.empty() && ranges.back().hi >= lo)
        ranges.back().hi = std::max(ranges.back().hi, hi);
    else
        ranges.push_back({lo, hi});
}

// Compares blocks [firstBlock, lastBlock) of `old` and `now` (n bytes in all),
// appends the exact changed byte ranges, and updates `old`.
void compareBlocks(std::byte *old, const std::byte *now, std::size_t n, std::size_t firstBlock, std::size_t lastBlock,
                   std::vector<ByteRange> &ranges)
{
    for (std::size_t b = firstBlock; b < lastBlock; ++b) {
        const std::size_t lo = b * kCompareBlock;
        const std::size_t len = std::min(kCompareBlock, n - lo);
        std::byte *o = old + lo;
        const std::byte *w = now + lo;
        if (std::memcmp(o, w, len) == 0)
            continue;
        for (std::size_t i = 0; i < len; ++i) {
            if (o[i] == w[i])
                continue;
            std::size_t j = i + 1;
            while (j < len && o[j] != w[j])
                ++j;
            addRange(ranges, static_cast<std::int64_t>(lo + i), static_cast<std::int64_t>(lo + j));
            i = j;
        }
        std::memcpy(o, w, len); // the shadow follows the live bytes
    }
}

} // namespace

std::int64_t ChangeSet::changedBytes() const
{
    std::int64_t total = 0;
    for (const ByteRange &r : ranges)
        total += r.size();
    return total;
}

ChangeTracker::ChangeTracker(ChangeOptions options)
    : m_options(options)
{
    if (m_options.pageSize == 0)
        m_options.pageSize = 4096;
}

std::size_t ChangeTracker::footprint(const Entry &e) const
{
    return e.shadow.capacity() + e.hashes.capacity() * sizeof(std::uint64_t);
}

ChangeTracker::Mode ChangeTracker::mode(std::uint64_t key) const
{
    auto it = m_entries.find(key);
    return it == m_entries.end() ? Mode::Shadow : it->second.mode;
}

void ChangeTracker::forget(std::uint64_t key)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    m_memoryUsed -= footprint(it->second);
    m_entries.erase(it);
}

void ChangeTracker::remember(Entry &e, std::span<const std::byte> bytes)
{
    e.size = bytes.size();
    if (e.mode == Mode::Shadow) {
        e.shadow.assign(bytes.begin(), bytes.end());
        return;
    }
    const std::size_t page = m_options.pageSize;
    e.hashes.resize((bytes.size() + page - 1) / page);
    hashPages(bytes.data(), bytes.size(), page, e.hashes.data());
}

ChangeSet ChangeTracker::diffShadow(Entry &e, std::span<const std::byte> bytes) const
{
    // Large buffers are compared in two halves on two threads: comparing is
    // bound by memory bandwidth, which one core alone does not saturate.
    const std::size_t n = bytes.size();
    const std::size_t blocks = (n + kCompareBlock - 1) / kCompareBlock;
    ChangeSet cs;
    if (n < kParallelThreshold) {
        compareBlocks(e.shadow.data(), bytes.data(), n, 0, blocks, cs.ranges);
        return cs;
    }
    const std::size_t mid = blocks / 2;
    std::vector<ByteRange> upper;
    std::thread helper([&] { compareBlocks(e.shadow.data(), bytes.data(), n, mid, blocks, upper); });
    compareBlocks(e.shadow.data(), bytes.data(), n, 0, mid, cs.ranges);
    helper.join();
    for (const ByteRange &r : upper)
        addRange(cs.ranges, r.lo, r.hi);
    return cs;
}

ChangeSet ChangeTracker::diffHashes(Entry &e, std::span<const std::byte> bytes) const
{
    ChangeSet cs;
    cs.exact = false;
    const std::size_t page = m_options.pageSize;
    // Hash a batch of pages at a time, then compare: keeps the hash loop tight.
    constexpr std::size_t kBatch = 1024;
    std::uint64_t fresh[kBatch];
    for (std::size_t first = 0; first < e.hashes.size(); first += kBatch) {
        const std::size_t count = std::min(kBatch, e.hashes.size() - first);
        const std::size_t lo = first * page;
        hashPages(bytes.data() + lo, std::min(count * page, bytes.size() - lo), page, fresh);
        for (std::size_t i = 0; i < count; ++i) {
            if (fresh[i] == e.hashes[first + i])
                continue;
            e.hashes[first + i] = fresh[i];
            const std::size_t pageLo = (first + i) * page;
            addRange(cs.ranges, static_cast<std::int64_t>(pageLo),
                     static_cast<std::int64_t>(std::min(pageLo + page, bytes.size())));
        }
    }
    return cs;
}

ChangeSet ChangeTracker::observe(std::uint64_t key, std::span<const std::byte> bytes)
{
    auto [it, inserted] = m_entries.try_emplace(key);
    Entry &e = it->second;
    if (!inserted && e.size != bytes.size()) {
        // A buffer that changed size is a new buffer for this purpose.
        m_memoryUsed -= footprint(e);
        e = Entry {};
        inserted = true;
    }
    if (inserted) {
        e.mode = m_memoryUsed + bytes.size() <= m_options.shadowBudget ? Mode::Shadow : Mode::Hashed;
        remember(e, bytes);
        m_memoryUsed += footprint(e);
        ChangeSet cs;
        cs.firstSeen = true;
        cs.exact = e.mode == Mode::Shadow;
        return cs;
    }
    return e.mode == Mode::Shadow ? diffShadow(e, bytes) : diffHashes(e, bytes);
}

std::vector<std::int64_t> changedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit)
{
    std::vector<std::int64_t> out;
    if (ranges.empty())
        return out;
    const std::int64_t n = layout.numel();
    const std::int64_t item = layout.itemSize();
    const ByteRange bounds = layout.byteBounds();
    // Skip entirely when no range touches the view's bounds.
    const auto first = std::lower_bound(ranges.begin(), ranges.end(), bounds.lo,
                                        [](const ByteRange &r, std::int64_t v) { return r.hi <= v; });
    if (first == ranges.end() || first->lo >= bounds.hi)
        return out;
    std::vector<std::int64_t> idx(layout.shape.size(), 0);
    std::int64_t off = layout.offset;
    for (std::int64_t flat = 0; flat < n && static_cast<std::int64_t>(out.size()) < limit; ++flat) {
        // First range ending after this element's start.
        auto r = std::upper_bound(ranges.begin(), ranges.end(), off,
                                  [](std::int64_t v, const ByteRange &range) { return v < range.hi; });
        if (r != ranges.end() && r->lo < off + item)
            out.push_back(flat);
        for (std::size_t d = idx.size(); d-- > 0;) {
            off += layout.strides[d];
            if (++idx[d] < layout.shape[d])
                break;
            off -= layout.strides[d] * layout.shape[d];
            idx[d] = 0;
        }
    }
    return out;
}

} // namespace memscope::engine
