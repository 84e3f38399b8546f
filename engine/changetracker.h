// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/layout.h"

#include <cstdint>
#include <map>
#include <span>
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

    /// Compares `bytes` with what was seen for `key` last time and remembers them.
    ChangeSet observe(std::uint64_t key, std::span<const std::byte> bytes);
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
    void remember(Entry &e, std::span<const std::byte> bytes);
    ChangeSet diffShadow(Entry &e, std::span<const std::byte> bytes) const;
    ChangeSet diffHashes(Entry &e, std::span<const std::byte> bytes) const;

    ChangeOptions m_options;
    std::map<std::uint64_t, Entry> m_entries;
    std::size_t m_memoryUsed = 0;
};

/// Flat (C-order) indices of the elements of `layout` whose bytes intersect
/// any of `ranges` (buffer-relative, sorted), at most `limit` of them.
std::vector<std::int64_t> changedElements(const Layout &layout, std::span<const ByteRange> ranges, std::int64_t limit);

} // namespace memscope::engine
