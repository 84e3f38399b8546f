// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace memscope::engine {

/// Immutable packed element bytes, shared rather than copied: a timeline of
/// 10,000 steps keeps one copy of an object's values for as long as they do
/// not change (SnapshotBuilder hands an unchanged object the previous step's
/// holder). Copying a ValueBytes copies a pointer. Empty means "no bytes";
/// an empty holder has no storage and id() nullptr.
class ValueBytes
{
public:
    ValueBytes() = default;
    /// Takes the bytes over (no copy). Writers fill a plain vector, then freeze
    /// it here: `f.values = ValueBytes(std::move(bytes));`.
    explicit ValueBytes(std::vector<std::byte> bytes);
    /// A fresh holder with a copy of `bytes`.
    static ValueBytes copyOf(std::span<const std::byte> bytes);

    const std::byte *data() const { return m_bytes ? m_bytes->data() : nullptr; }
    std::size_t size() const { return m_bytes ? m_bytes->size() : 0; }
    bool empty() const { return size() == 0; }
    std::span<const std::byte> span() const { return {data(), size()}; }
    /// The bytes as a new vector a writer may change (then freeze again).
    std::vector<std::byte> toVector() const { return m_bytes ? *m_bytes : std::vector<std::byte> {}; }

    /// Identity of the shared storage (nullptr when empty): equal ids are the
    /// same bytes in memory, counted once by the timeline's budget and stored
    /// once in a recording.
    const void *id() const { return m_bytes.get(); }
    bool sharesStorageWith(const ValueBytes &other) const { return m_bytes == other.m_bytes; }

    /// Byte equality (same storage is equal without a comparison).
    friend bool operator==(const ValueBytes &a, const ValueBytes &b);

private:
    std::shared_ptr<const std::vector<std::byte>> m_bytes;
};

} // namespace memscope::engine
