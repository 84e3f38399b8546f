// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/step/step.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

namespace memscope::engine {

/// Every step of a session in order, a cursor on the one shown, and a memory
/// budget for the value bytes the steps keep.
///
/// Steps are immutable and shared (`std::shared_ptr<const Step>`): a view may
/// keep the step it shows while the timeline moves on. The live step is the
/// last one; the cursor follows it on append() while it is at the live step,
/// and stays where it is when the person is looking at an earlier one.
///
/// Memory: values that did not change between steps share one holder
/// (ValueBytes, made so by SnapshotBuilder); the timeline counts each distinct
/// holder once, plus what the facts keep besides values (factBytes()). When
/// the total exceeds the budget, the oldest steps are replaced by copies
/// without values (their Snapshot::valuesDropped is true) until it fits or
/// only the live step keeps its values; the live step always keeps them. Facts, relations, alias
/// groups, buffers and changes are never dropped. Each step is evicted at most
/// once, so append() costs O(facts of the step) amortised, whatever the length.
///
/// Because eviction replaces steps, append() and setBudget() may change what
/// at(i) returns for older steps: re-read it after either rather than keep it.
///
/// Not thread-safe: use it from one thread (the GUI's).
class Timeline
{
public:
    using StepPtr = std::shared_ptr<const Step>;

    static constexpr std::uint64_t kDefaultBudget = std::uint64_t {512} << 20;
    /// What a snapshot keeps besides values, as the budget counts it:
    /// snapshotBytes() plus its lists of changed elements (up to 8 MiB a
    /// fact: a broadcast write lists a million indices, every step).
    static std::uint64_t factBytes(const Snapshot &s);

    explicit Timeline(std::uint64_t budget = kDefaultBudget);

    /// Adds `step` (not null; a null step is ignored) as the new live step.
    /// Moves the cursor to it when the cursor was at the live step or the
    /// timeline was empty. May drop the values of the oldest steps (budget).
    void append(StepPtr step);
    /// Forgets every step (Python ▸ Restart); the budget stays.
    void clear();

    std::size_t size() const { return m_steps.size(); }
    bool empty() const { return m_steps.empty(); }
    /// Step `i` (0 = oldest); `i` must be < size(). A packed step is
    /// unpacked (the last few are cached).
    StepPtr at(std::size_t i) const;
    /// All steps, oldest first (what a recording writes); packed ones unpacked.
    std::vector<StepPtr> steps() const;

    /// Packs a step into compact bytes and back (MemScope packs it as a
    /// one-step recording: CBOR, zstd). With a packer, a step whose values
    /// the budget dropped is kept packed, its facts intact, and unpacked when
    /// shown: a 10,000-step timeline keeps every fact in a few tens of MiB
    /// instead of hundreds. Without one, steps stay as they are.
    struct Packer
    {
        std::function<std::vector<std::uint8_t>(const Step &)> pack; ///< empty bytes: not packed
        std::function<StepPtr(std::span<const std::uint8_t>)> unpack;
    };
    void setPacker(Packer packer) { m_packer = std::move(packer); }
    /// Bytes of the packed steps.
    std::uint64_t packedBytes() const { return m_packedBytes; }
    std::size_t packedSteps() const { return m_packedCount; }

    /// Index of the step shown; 0 when empty.
    std::size_t cursor() const { return m_cursor; }
    /// The step at the cursor; null when empty.
    StepPtr current() const { return empty() ? nullptr : at(m_cursor); }
    /// The last step; null when empty.
    StepPtr live() const { return empty() ? nullptr : at(m_steps.size() - 1); }
    /// Whether the cursor is at the live step (true when empty): only there
    /// may the person edit.
    bool atLive() const { return empty() || m_cursor + 1 == m_steps.size(); }

    /// Each returns whether the cursor moved (false at the ends, when empty,
    /// or for an index out of range, which leaves the cursor where it was).
    bool setCursor(std::size_t index);
    bool back();
    bool forward();
    bool home();
    bool end();

    std::uint64_t budget() const { return m_budget; }
    /// A new budget applies at once (values may be dropped now); raising it
    /// does not bring dropped values back.
    void setBudget(std::uint64_t bytes);
    /// Bytes of the distinct value holders the steps keep.
    std::uint64_t valueBytes() const { return m_valueBytes; }
    /// valueBytes(), factBytes() of every unpacked step and packedBytes():
    /// what the budget bounds.
    std::uint64_t memoryBytes() const { return m_valueBytes + m_factBytes + m_packedBytes; }
    /// Whether step `i` had its values dropped ("values no longer kept for step N").
    bool valuesDropped(std::size_t i) const;
    /// What a snapshot's facts, relations and buffers take in memory,
    /// approximately (what the budget counts for them).
    static std::uint64_t snapshotBytes(const Snapshot &s);
    /// How many of the oldest steps the budget has visited (each one without
    /// values now, unless it had none to drop).
    std::size_t droppedSteps() const { return m_evicted; }

private:
    void count(const Step &step, int sign);
    void enforceBudget();

    void pack(std::size_t i);

    std::vector<StepPtr> m_steps; ///< null where packed
    std::vector<std::vector<std::uint8_t>> m_packed; ///< per step; empty unless packed
    std::vector<bool> m_droppedWhenPacked; ///< per step: its values were dropped (read without unpacking)
    Packer m_packer;
    std::uint64_t m_packedBytes = 0;
    std::size_t m_packedCount = 0;
    /// The last steps unpacked (for a scrubber moving over packed steps).
    mutable std::vector<std::pair<std::size_t, StepPtr>> m_unpacked;
    std::size_t m_cursor = 0;
    std::uint64_t m_budget;
    std::uint64_t m_valueBytes = 0;
    std::uint64_t m_factBytes = 0;
    std::size_t m_evicted = 0; ///< steps [0, m_evicted) have no values left
    struct Holder
    {
        std::uint64_t bytes = 0;
        std::size_t uses = 0; ///< facts of the kept steps that hold it
    };
    /// Keyed by ValueBytes::id(): the steps keep each holder alive while it is listed.
    std::unordered_map<const void *, Holder> m_holders;
};

} // namespace memscope::engine
