// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/step/timeline.h"

namespace memscope::engine {

namespace {

// A copy of `step` whose facts hold no values: a new Step and Snapshot, since
// views may still hold (and read) the old ones.
std::shared_ptr<const Step> withoutValues(const Step &step)
{
    auto copy = std::make_shared<Step>(step);
    if (step.snapshot) {
        auto snapshot = std::make_shared<Snapshot>(*step.snapshot);
        for (MemoryFact &f : snapshot->facts) {
            f.values = {};
            f.valuesCaptured = false;
        }
        snapshot->valuesDropped = true;
        copy->snapshot = std::move(snapshot);
    }
    return copy;
}

bool holdsValues(const Step &step)
{
    if (!step.snapshot)
        return false;
    for (const MemoryFact &f : step.snapshot->facts)
        if (!f.values.empty())
            return true;
    return false;
}

} // namespace

std::uint64_t Timeline::factBytes(const Snapshot &s)
{
    std::uint64_t bytes = s.facts.size() * kFactBytes;
    for (const auto &changed : s.changed)
        bytes += changed.size() * sizeof(std::int64_t);
    return bytes;
}

Timeline::Timeline(std::uint64_t budget)
    : m_budget(budget)
{ }

void Timeline::append(StepPtr step)
{
    if (!step)
        return;
    const bool follow = atLive();
    count(*step, +1);
    m_steps.push_back(std::move(step));
    if (follow)
        m_cursor = m_steps.size() - 1;
    enforceBudget();
}

void Timeline::clear()
{
    m_steps.clear();
    m_holders.clear();
    m_cursor = 0;
    m_valueBytes = 0;
    m_factBytes = 0;
    m_evicted = 0;
}

bool Timeline::setCursor(std::size_t index)
{
    if (index >= m_steps.size() || index == m_cursor)
        return false;
    m_cursor = index;
    return true;
}

bool Timeline::back()
{
    return m_cursor > 0 && setCursor(m_cursor - 1);
}

bool Timeline::forward()
{
    return setCursor(m_cursor + 1);
}

bool Timeline::home()
{
    return setCursor(0);
}

bool Timeline::end()
{
    return !empty() && setCursor(m_steps.size() - 1);
}

void Timeline::setBudget(std::uint64_t bytes)
{
    m_budget = bytes;
    enforceBudget();
}

bool Timeline::valuesDropped(std::size_t i) const
{
    return i < m_steps.size() && m_steps[i]->snapshot && m_steps[i]->snapshot->valuesDropped;
}

void Timeline::count(const Step &step, int sign)
{
    if (!step.snapshot)
        return;
    const std::uint64_t fixed = factBytes(*step.snapshot);
    m_factBytes = sign > 0 ? m_factBytes + fixed : m_factBytes - fixed;
    for (const MemoryFact &f : step.snapshot->facts) {
        if (f.values.empty())
            continue;
        if (sign > 0) {
            Holder &h = m_holders[f.values.id()];
            if (h.uses++ == 0) {
                h.bytes = f.values.size();
                m_valueBytes += h.bytes;
            }
            continue;
        }
        const auto it = m_holders.find(f.values.id());
        if (it != m_holders.end() && --it->second.uses == 0) {
            m_valueBytes -= it->second.bytes;
            m_holders.erase(it);
        }
    }
}

void Timeline::enforceBudget()
{
    // Oldest first, never the live step; each step once (m_evicted only grows),
    // so the cost is amortised over the appends. Dropping a holder still used by
    // a newer step frees nothing, and the next step is visited.
    while (memoryBytes() > m_budget && m_evicted + 1 < m_steps.size()) {
        StepPtr &step = m_steps[m_evicted++];
        if (!holdsValues(*step))
            continue;
        count(*step, -1);
        step = withoutValues(*step);
        count(*step, +1); // its facts still count; its values no more
    }
}

} // namespace memscope::engine
