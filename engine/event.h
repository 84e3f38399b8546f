// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/device.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

/// How an output relates to an input, decided from addresses and extents.
enum class Relation {
    Alias, ///< shares bytes in one address space
    Copy, ///< disjoint bytes, same dtype, same address space
    Convert, ///< disjoint bytes, another dtype
    Transfer, ///< another address space (device)
    Derived, ///< computed from the input, not a copy of it
    Unrelated,
};
std::string_view relationName(Relation r);

struct Transfer
{
    Direction direction = Direction::H2H;
    std::uint64_t bytes = 0;
};

/// One engine operation: what it read, what it made, how they relate, and
/// every byte it moved.
struct Event
{
    std::string operation; ///< "copy", "to(cuda:0 (emulated))", "astype(float32)", "wrap"
    std::vector<std::uint64_t> inputBuffers;
    std::vector<std::uint64_t> outputBuffers;
    Relation relation = Relation::Unrelated;
    std::vector<Transfer> transfers;
    std::chrono::nanoseconds duration {0};

    std::uint64_t bytesMoved() const;
};

/// Record of events, with totals per direction (each step's engine traffic is
/// the difference of totals). Totals count every event ever recorded; the
/// events themselves are kept for the last kKeptEvents only, so a loop of
/// 10^6 `.copy()` calls costs no memory beyond them.
class EventLog
{
public:
    static constexpr std::size_t kKeptEvents = 4096;

    void record(Event event);
    /// The most recent events, oldest first.
    const std::deque<Event> &events() const { return m_events; }
    /// Events recorded in all, including those no longer kept.
    std::uint64_t recordedCount() const { return m_recorded; }
    std::uint64_t totalBytes(Direction d) const { return m_totals[static_cast<std::size_t>(d)]; }
    void clear();

private:
    std::deque<Event> m_events;
    std::uint64_t m_recorded = 0;
    std::array<std::uint64_t, 4> m_totals {};
};

} // namespace memscope::engine
