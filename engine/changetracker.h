// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"
#include "engine/hostmemory.h"
#include "engine/layout.h"

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace memscope::engine {

struct ChangeOptions
{
    /// Buffers get full shadow copies (exact, element-level answers) while the
    /// shadows fit in this many bytes; beyond it, per-page hashes.
    std::size_t shadowBudget = std::size_t {256} << 20;
    /// Granularity of hashing: a changed byte marks its whole page.
    std::size_t pageSize = 4096;
};

struct ChangeSet
{
    /// True the first time a buffer is observed (nothing to compare with yet).
    bool firstSeen = false;
    /// True when `ranges` are the exact changed bytes (shadow copy); false when
    /// they are whole pages that contain a change (hashes).
    bool exact = true;
    /// Changed bytes relative to the buffer start, sorted, non-adjacent.
    std::vector<ByteRange> ranges;
    /// False when the buffer could not be read (unmapped, protected, a
    /// truncated file mapping): no changes are reported, `note` says why, and
    /// the buffer is forgotten (seen anew the next time it can be read).
    bool readable = true;
    std::string note;

    bool changed() const { return !ranges.empty(); }
    std::int64_t changedBytes() const;
};

/// Tells, after each step, which bytes of which buffers changed since the last
/// step. Keys are buffer ids; callers pass the buffer's current bytes (staged
/// to the host for device memory).
class ChangeTracker
{
public:
    enum class Mode { Shadow, Hashed };

    explicit ChangeTracker(ChangeOptions options = {});

    /// Supplies bytes [offset, offset + staging.size()) of the observed
    /// buffer: a span of them (in `staging` when they had to be copied there;
    /// valid until the next call on the same thread), or an empty span with
    /// `why` set when they cannot be read. Called from up to two threads at
    /// once, each with its own staging buffer.
    using ChunkSource =
        std::function<std::span<const std::byte>(std::uint64_t offset, std::span<std::byte> staging, std::string &why)>;
    /// Bytes read per chunk: the staging buffer stays in cache.
    static constexpr std::size_t kChunkSize = std::size_t {1} << 20;

    /// Compares `bytes` with what was seen for `key` last time and remembers them.
    ChangeSet observe(std::uint64_t key, std::span<const std::byte> bytes);
    /// The same for a buffer of `size` bytes read chunk by chunk from `source`.
    ChangeSet observe(std::uint64_t key, std::uint64_t size, const ChunkSource &source);
    /// The same for host memory [base, base + size) of this process, read only
    /// through the checked reader (engine/hostmemory.h): memory that became
    /// unreadable is reported (readable == false), never faulted on. Read
    /// directly when `direct` lists it as private anonymous memory (see HostMap).
    ChangeSet observeHost(std::uint64_t key, Address base, std::uint64_t size, const HostMap *direct = nullptr);
    void forget(std::uint64_t key);
    bool tracks(std::uint64_t key) const { return m_entries.contains(key); }
    Mode mode(std::uint64_t key) const;
    /// Bytes held for tracking (shadows plus hash tables).
    std::size_t memoryUsed() const { return m_memoryUsed; }

private:
    struct Entry
    {
        Mode mode = Mode::Shadow;
        std::size_t size = 0;
        std::vector<std::byte> shadow;
        std::vector<std::uint64_t> hashes;
    };
    std::size_t footprint(const Entry &e) const;
    bool remember(Entry &e, std::uint64_t size, const ChunkSource &source, std::string &why);
    bool diffShadow(Entry &e, const ChunkSource &source, ChangeSet &cs, std::string &why) const;
    bool diffHashes(Entry &e, const ChunkSource &source, ChangeSet &cs, std::string &why) const;

    ChangeOptions m_options;
    std::map<std::uint64_t, Entry> m_entries;
    std::size_t m_memoryUsed = 0;
};

/// Elements of a view hit by changed bytes: the first ones in C order, and how many in all.
struct ElementHits
{
    std::vector<std::int64_t> indices; ///< increasing flat (C-order) indices, at most the limit asked for
    std::int64_t total = 0; ///< every hit element, counted without listing (may exceed indices.size())
    bool totalExact = true; ///< false when the work budget ran out: total is then a lower bound
};

/// The elements of `layout` whose bytes intersect any of `ranges`
/// (buffer-relative, sorted, non-overlapping). Works on the bytes the view
/// spans, not on its logical elements: dims are solved per changed range
/// (largest stride first, pruned by the bytes each subtree can reach), dims
/// of stride 0 contribute every index without being enumerated, so a
/// 10^12-element broadcast view costs what its 24 bytes cost. At most
/// `limit` indices are listed (a k-way merge of the hit boxes, O(limit log
/// boxes)); `maxWork` bounds the search steps for self-overlapping layouts.
ElementHits findChangedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit,
                                std::int64_t maxWork = std::int64_t {1} << 22);

/// findChangedElements(...).indices.
std::vector<std::int64_t> changedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit);

} // namespace memscope::engine
