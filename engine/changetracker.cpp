// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/changetracker.h"

#include "engine/hostmemory.h"
#include "engine/pagehash.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <queue>
#include <thread>

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

// Compares one chunk `now` (len bytes, at buffer offset `off`) with the shadow
// bytes `old` of the same offset, appends the exact changed byte ranges, and
// updates the shadow.
void compareChunk(std::byte *old, const std::byte *now, std::size_t len, std::uint64_t off,
                  std::vector<ByteRange> &ranges)
{
    for (std::size_t lo = 0; lo < len; lo += kCompareBlock) {
        const std::size_t blen = std::min(kCompareBlock, len - lo);
        std::byte *o = old + lo;
        const std::byte *w = now + lo;
        if (std::memcmp(o, w, blen) == 0)
            continue;
        for (std::size_t i = 0; i < blen; ++i) {
            if (o[i] == w[i])
                continue;
            std::size_t j = i + 1;
            while (j < blen && o[j] != w[j])
                ++j;
            addRange(ranges, static_cast<std::int64_t>(off + lo + i), static_cast<std::int64_t>(off + lo + j));
            i = j;
        }
        std::memcpy(o, w, blen); // the shadow follows the live bytes
    }
}

// Bytes [off, off + len) from `source`, or an empty span with `why` set.
std::span<const std::byte> fetch(const ChangeTracker::ChunkSource &source, std::uint64_t off, std::byte *staging,
                                 std::size_t len, std::string &why)
{
    const auto bytes = source(off, std::span(staging, len), why);
    if (bytes.size() != len) {
        if (why.empty())
            why = "bytes could not be read";
        return {};
    }
    return bytes;
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

bool ChangeTracker::remember(Entry &e, std::uint64_t size, const ChunkSource &source, std::string &why)
{
    e.size = static_cast<std::size_t>(size);
    if (e.mode == Mode::Shadow) {
        e.shadow.resize(e.size);
        for (std::uint64_t off = 0; off < size; off += kChunkSize) {
            const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, size - off));
            std::byte *slot = e.shadow.data() + off;
            const auto bytes = fetch(source, off, slot, len, why);
            if (bytes.empty() && len > 0)
                return false;
            if (bytes.data() != slot)
                std::memcpy(slot, bytes.data(), len);
        }
        return true;
    }
    const std::size_t page = m_options.pageSize;
    const std::size_t chunk = std::max(page, kChunkSize / page * page);
    e.hashes.resize((e.size + page - 1) / page);
    auto staging = std::make_unique_for_overwrite<std::byte[]>(std::min<std::size_t>(chunk, e.size));
    for (std::uint64_t off = 0; off < size; off += chunk) {
        const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size - off));
        const auto bytes = fetch(source, off, staging.get(), len, why);
        if (bytes.empty() && len > 0)
            return false;
        hashPages(bytes.data(), len, page, e.hashes.data() + off / page);
    }
    return true;
}

bool ChangeTracker::diffShadow(Entry &e, const ChunkSource &source, ChangeSet &cs, std::string &why) const
{
    const std::uint64_t n = e.size;
    const std::uint64_t chunks = (n + kChunkSize - 1) / kChunkSize;
    auto work = [&](std::uint64_t c0, std::uint64_t c1, std::vector<ByteRange> &ranges, std::string &err) {
        auto staging = std::make_unique_for_overwrite<std::byte[]>(std::min<std::size_t>(kChunkSize, e.size));
        for (std::uint64_t c = c0; c < c1; ++c) {
            const std::uint64_t off = c * kChunkSize;
            const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, n - off));
            const auto bytes = fetch(source, off, staging.get(), len, err);
            if (bytes.empty())
                return false;
            compareChunk(e.shadow.data() + off, bytes.data(), len, off, ranges);
        }
        return true;
    };
    // Large buffers are compared in two halves on two threads: comparing is
    // bound by memory bandwidth, which one core alone does not saturate.
    if (n < kParallelThreshold)
        return work(0, chunks, cs.ranges, why);
    const std::uint64_t mid = chunks / 2;
    std::vector<ByteRange> upper;
    std::string upperWhy;
    bool upperOk = false;
    std::thread helper([&] { upperOk = work(mid, chunks, upper, upperWhy); });
    const bool lowerOk = work(0, mid, cs.ranges, why);
    helper.join();
    if (!lowerOk)
        return false;
    if (!upperOk) {
        why = upperWhy;
        return false;
    }
    for (const ByteRange &r : upper)
        addRange(cs.ranges, r.lo, r.hi);
    return true;
}

bool ChangeTracker::diffHashes(Entry &e, const ChunkSource &source, ChangeSet &cs, std::string &why) const
{
    cs.exact = false;
    const std::size_t page = m_options.pageSize;
    const std::size_t chunk = std::max(page, kChunkSize / page * page);
    const std::size_t perChunk = chunk / page;
    std::vector<std::uint64_t> fresh(perChunk);
    auto staging = std::make_unique_for_overwrite<std::byte[]>(std::min<std::size_t>(chunk, e.size));
    for (std::uint64_t off = 0; off < e.size; off += chunk) {
        const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, e.size - off));
        const auto bytes = fetch(source, off, staging.get(), len, why);
        if (bytes.empty())
            return false;
        const std::size_t count = (len + page - 1) / page;
        hashPages(bytes.data(), len, page, fresh.data());
        const std::size_t first = off / page;
        for (std::size_t i = 0; i < count; ++i) {
            if (fresh[i] == e.hashes[first + i])
                continue;
            e.hashes[first + i] = fresh[i];
            const std::size_t pageLo = (first + i) * page;
            addRange(cs.ranges, static_cast<std::int64_t>(pageLo),
                     static_cast<std::int64_t>(std::min(pageLo + page, e.size)));
        }
    }
    return true;
}

ChangeSet ChangeTracker::observe(std::uint64_t key, std::span<const std::byte> bytes)
{
    return observe(key, bytes.size(), [bytes](std::uint64_t off, std::span<std::byte> staging, std::string &) {
        return bytes.subspan(static_cast<std::size_t>(off), staging.size());
    });
}

ChangeSet ChangeTracker::observeHost(std::uint64_t key, Address base, std::uint64_t size, const HostMap *direct)
{
    if (direct && direct->directlyReadable(base, size))
        return observe(key,
                       std::span(reinterpret_cast<const std::byte *>(static_cast<std::uintptr_t>(base)),
                                 static_cast<std::size_t>(size)));
    return observe(key, size, [base](std::uint64_t off, std::span<std::byte> staging, std::string &why) {
        return readHost(base + off, staging, &why) ? std::span<const std::byte>(staging) : std::span<const std::byte>();
    });
}

ChangeSet ChangeTracker::observe(std::uint64_t key, std::uint64_t size, const ChunkSource &source)
{
    auto [it, inserted] = m_entries.try_emplace(key);
    Entry &e = it->second;
    if (!inserted && e.size != size) {
        // A buffer that changed size is a new buffer for this purpose.
        m_memoryUsed -= footprint(e);
        e = Entry {};
        inserted = true;
    }
    ChangeSet cs;
    std::string why;
    if (inserted) {
        e.mode = m_memoryUsed + size <= m_options.shadowBudget ? Mode::Shadow : Mode::Hashed;
        if (!remember(e, size, source, why)) {
            m_entries.erase(it);
            cs.readable = false;
            cs.note = why;
            return cs;
        }
        m_memoryUsed += footprint(e);
        cs.firstSeen = true;
        cs.exact = e.mode == Mode::Shadow;
        return cs;
    }
    const bool ok = e.mode == Mode::Shadow ? diffShadow(e, source, cs, why) : diffHashes(e, source, cs, why);
    if (!ok) {
        // Part of the shadow may have followed the bytes already: start over next time.
        forget(key);
        ChangeSet failed;
        failed.readable = false;
        failed.note = why;
        return failed;
    }
    return cs;
}

namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) // b > 0
{
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<std::int64_t>::max() : r;
}

// Solves which elements of a view hit changed bytes, on the view's byte
// geometry: only dims with a non-zero stride and more than one index are
// searched ("active"), with strides made positive (a negative-stride dim is
// walked backwards) and sorted largest first. A node fixes the indices of the
// first k active dims at byte offset p; its subtree reaches bytes
// [p, p + reach[k] + item). Subtrees that reach no changed byte are pruned,
// subtrees inside one changed range hit whole; the last active dim is solved
// arithmetically. Every hit is a box (an index interval per original dim):
// boxes are disjoint, so the total is the sum of their sizes.
class HitSolver
{
public:
    HitSolver(const Layout &l, std::span<const ByteRange> ranges, std::int64_t limit, std::int64_t maxWork)
        : m_layout(l)
        , m_ranges(ranges)
        , m_limit(limit)
        , m_maxWork(maxWork)
        , m_item(l.itemSize())
        , m_nd(l.shape.size())
    {
        std::int64_t base = l.offset;
        for (std::size_t d = 0; d < m_nd; ++d) {
            if (l.shape[d] <= 1 || l.strides[d] == 0)
                continue; // every index of it hits alike: never enumerated
            const bool flipped = l.strides[d] < 0;
            if (flipped)
                base += (l.shape[d] - 1) * l.strides[d];
            m_active.push_back({d, l.shape[d], flipped ? -l.strides[d] : l.strides[d], flipped});
        }
        std::stable_sort(m_active.begin(), m_active.end(),
                         [](const Dim &a, const Dim &b) { return a.stride > b.stride; });
        m_reach.assign(m_active.size() + 1, 0);
        for (std::size_t k = m_active.size(); k-- > 0;)
            m_reach[k] = m_reach[k + 1] + (m_active[k].n - 1) * m_active[k].stride;
        m_base = base;
        m_box.resize(2 * m_nd);
        for (std::size_t d = 0; d < m_nd; ++d) {
            m_box[2 * d] = 0;
            m_box[2 * d + 1] = l.shape[d];
        }
    }

    ElementHits run()
    {
        search(0, m_base);
        ElementHits hits;
        hits.total = m_total;
        hits.totalExact = m_work <= m_maxWork;
        hits.indices = listFirst();
        return hits;
    }

private:
    struct Dim
    {
        std::size_t dim; // original dimension
        std::int64_t n;
        std::int64_t stride; // > 0
        bool flipped;
    };

    // Sets the interval of active dim k to normalised indices [a, b] (inclusive).
    void setInterval(std::size_t k, std::int64_t a, std::int64_t b)
    {
        const Dim &dm = m_active[k];
        m_box[2 * dm.dim] = dm.flipped ? dm.n - 1 - b : a;
        m_box[2 * dm.dim + 1] = (dm.flipped ? dm.n - 1 - a : b) + 1;
    }

    void resetFrom(std::size_t k)
    {
        for (std::size_t j = k; j < m_active.size(); ++j) {
            m_box[2 * m_active[j].dim] = 0;
            m_box[2 * m_active[j].dim + 1] = m_active[j].n;
        }
    }

    void emitBox()
    {
        std::int64_t count = 1;
        std::int64_t corner = 0;
        for (std::size_t d = 0; d < m_nd; ++d) {
            const std::int64_t len = m_box[2 * d + 1] - m_box[2 * d];
            if (__builtin_mul_overflow(count, len, &count))
                count = std::numeric_limits<std::int64_t>::max();
            corner = corner * m_layout.shape[d] + m_box[2 * d];
        }
        m_total = saturatingAdd(m_total, count);
        if (m_limit <= 0)
            return;
        m_boxes.insert(m_boxes.end(), m_box.begin(), m_box.end());
        m_corners.push_back(corner);
        // Keep only the boxes that can hold the `limit` smallest indices: those
        // with the smallest first elements (every element of a box is >= its corner).
        if (m_corners.size() >= 2 * static_cast<std::size_t>(std::min<std::int64_t>(m_limit, 1 << 20)) + 64)
            pruneBoxes();
    }

    void pruneBoxes()
    {
        const auto keep = static_cast<std::size_t>(std::min<std::int64_t>(m_limit, 1 << 20));
        if (m_corners.size() <= keep)
            return;
        std::vector<std::size_t> order(m_corners.size());
        std::iota(order.begin(), order.end(), std::size_t {0});
        std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                         [&](std::size_t a, std::size_t b) { return m_corners[a] < m_corners[b]; });
        order.resize(keep);
        std::vector<std::int64_t> boxes;
        std::vector<std::int64_t> corners;
        boxes.reserve(keep * 2 * m_nd);
        for (std::size_t i : order) {
            boxes.insert(boxes.end(), m_boxes.begin() + static_cast<std::ptrdiff_t>(i * 2 * m_nd),
                         m_boxes.begin() + static_cast<std::ptrdiff_t>((i + 1) * 2 * m_nd));
            corners.push_back(m_corners[i]);
        }
        m_boxes.swap(boxes);
        m_corners.swap(corners);
    }

    void search(std::size_t k, std::int64_t p)
    {
        if (++m_work > m_maxWork)
            return;
        const std::int64_t spanLo = p;
        const std::int64_t spanHi = p + m_reach[k] + m_item;
        auto r = std::lower_bound(m_ranges.begin(), m_ranges.end(), spanLo,
                                  [](const ByteRange &range, std::int64_t v) { return range.hi <= v; });
        if (r == m_ranges.end() || r->lo >= spanHi)
            return;
        if (k == m_active.size() || (r->lo <= spanLo && r->hi >= spanHi)) {
            resetFrom(k); // the whole subtree hits
            emitBox();
            return;
        }
        const Dim &dm = m_active[k];
        const std::int64_t below = m_reach[k + 1] + m_item; // bytes one index of this dim reaches
        const bool leaf = k + 1 == m_active.size();
        // Index intervals whose subtree meets each range, merged (nondecreasing, as the ranges are sorted).
        std::int64_t curA = -1;
        std::int64_t curB = -2;
        auto flush = [&] {
            if (curA > curB)
                return;
            if (leaf) {
                setInterval(k, curA, curB); // exact: every index in it hits
                emitBox();
            } else {
                for (std::int64_t i = curA; i <= curB && m_work <= m_maxWork; ++i) {
                    setInterval(k, i, i);
                    search(k + 1, p + i * dm.stride);
                }
                resetFrom(k);
            }
        };
        for (; r != m_ranges.end() && r->lo < spanHi; ++r) {
            if (++m_work > m_maxWork)
                break;
            const std::int64_t a = std::max<std::int64_t>(0, floorDiv(r->lo - p - below, dm.stride) + 1);
            const std::int64_t b = std::min<std::int64_t>(dm.n - 1, floorDiv(r->hi - 1 - p, dm.stride));
            if (a > b)
                continue;
            if (a <= curB + 1) {
                curB = std::max(curB, b);
            } else {
                flush();
                curA = a;
                curB = b;
            }
        }
        flush();
    }

    // The `limit` smallest flat indices over all boxes: a k-way merge.
    std::vector<std::int64_t> listFirst()
    {
        std::vector<std::int64_t> out;
        if (m_limit <= 0 || m_corners.empty())
            return out;
        pruneBoxes();
        const std::size_t boxes = m_corners.size();
        std::vector<std::int64_t> cstride(m_nd, 1);
        for (std::size_t d = m_nd; d-- > 1;)
            cstride[d - 1] = cstride[d] * m_layout.shape[d];
        std::vector<std::int64_t> cursor(boxes * m_nd);
        using Item = std::pair<std::int64_t, std::size_t>; // flat, box
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        for (std::size_t b = 0; b < boxes; ++b) {
            for (std::size_t d = 0; d < m_nd; ++d)
                cursor[b * m_nd + d] = m_boxes[b * 2 * m_nd + 2 * d];
            heap.push({m_corners[b], b});
        }
        while (!heap.empty() && static_cast<std::int64_t>(out.size()) < m_limit) {
            auto [flat, b] = heap.top();
            heap.pop();
            out.push_back(flat);
            // Next index of box b in C order.
            const std::int64_t *box = m_boxes.data() + b * 2 * m_nd;
            std::int64_t *cur = cursor.data() + b * m_nd;
            for (std::size_t d = m_nd; d-- > 0;) {
                if (++cur[d] < box[2 * d + 1]) {
                    flat += cstride[d];
                    heap.push({flat, b});
                    break;
                }
                flat -= (cur[d] - 1 - box[2 * d]) * cstride[d];
                cur[d] = box[2 * d];
            }
        }
        return out;
    }

    const Layout &m_layout;
    std::span<const ByteRange> m_ranges;
    std::int64_t m_limit;
    std::int64_t m_maxWork;
    std::int64_t m_item;
    std::size_t m_nd;
    std::vector<Dim> m_active;
    std::vector<std::int64_t> m_reach;
    std::int64_t m_base = 0;
    std::vector<std::int64_t> m_box; // [lo, hi) per original dim, for the node being searched
    std::vector<std::int64_t> m_boxes; // emitted boxes, 2 * ndim each
    std::vector<std::int64_t> m_corners; // their first flat index
    std::int64_t m_total = 0;
    std::int64_t m_work = 0;
};

} // namespace

ElementHits findChangedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit,
                                std::int64_t maxWork)
{
    if (ranges.empty() || layout.numel() == 0)
        return {};
    return HitSolver(layout, ranges, limit, maxWork).run();
}

std::vector<std::int64_t> changedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit)
{
    return findChangedElements(layout, ranges, limit).indices;
}

} // namespace memscope::engine
