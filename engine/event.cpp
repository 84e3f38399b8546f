// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/event.h"

namespace memscope::engine {

std::string_view relationName(Relation r)
{
    switch (r) {
    case Relation::Alias:
        return "alias";
    case Relation::Copy:
        return "copy";
    case Relation::Convert:
        return "convert";
    case Relation::Transfer:
        return "transfer";
    case Relation::Derived:
        return "derived";
    case Relation::Unrelated:
        return "unrelated";
    }
    return "unrelated";
}

std::uint64_t Event::bytesMoved() const
{
    std::uint64_t total = 0;
    for (const Transfer &t : transfers)
        total += t.bytes;
    return total;
}

void EventLog::record(Event event)
{
    for (const Transfer &t : event.transfers)
        m_totals[static_cast<std::size_t>(t.direction)] += t.bytes;
    m_events.push_back(std::move(event));
    ++m_recorded;
    if (m_events.size() > kKeptEvents)
        m_events.pop_front();
}

void EventLog::clear()
{
    m_events.clear();
    m_recorded = 0;
    m_totals = {};
}

} // namespace memscope::engine
