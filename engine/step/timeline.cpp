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

std::uint64_t Timeline::snapshotBytes(const Snapshot &s)
{
    // Structures and their heap parts, roughly as the allocator sees them
    // (each allocation rounded up and with its header).
    const auto heap = [](std::size_t bytes) { return bytes ? (bytes + 16 + 15) / 16 * 16 : 0; };
    const auto text = [&](const std::string &t) { return t.size() > 15 ? heap(t.size() + 1) : 0; };
    std::uint64_t bytes = sizeof(Snapshot) + text(s.statement);
    for (const MemoryFact &f : s.facts) {
        bytes += sizeof(MemoryFact) + heap(f.names.size() * sizeof(std::string)) + heap(f.shape.size() * 8) * 2 +
            heap(f.flags.size() * sizeof(std::string)) + text(f.typeName) + text(f.unsupported);
        for (const std::string &n : f.names)
            bytes += text(n);
        for (const std::string &flag : f.flags)
            bytes += text(flag);
    }
    for (const Origin &o : s.origins) {
        bytes += sizeof(Origin) + text(o.statement) + heap(o.referenced.size() * sizeof(std::string));
        for (const std::string &r : o.referenced)
            bytes += text(r);
    }
    for (const FactRelation &r : s.relations)
        bytes += sizeof(FactRelation) + text(r.statement) + text(r.note);
    for (const BufferInfo &b : s.buffers)
        bytes += sizeof(BufferInfo) + heap(b.facts.size() * sizeof(int));
    bytes += s.facts.size() * (sizeof(std::vector<std::int64_t>) + 8 + 4 + 1 + 8); // changed..., bufferOf, groups
    for (const std::string &n : s.notes)
        bytes += sizeof(std::string) + text(n);
    return bytes;
}

std::uint64_t Timeline::factBytes(const Snapshot &s)
{
    std::uint64_t bytes = snapshotBytes(s);
    for (const auto &changed : s.changed)
        bytes += changed.size() * sizeof(std::int64_t);
    return bytes;
}

Timeline::StepPtr Timeline::at(std::size_t i) const
{
    if (m_steps[i])
        return m_steps[i];
    for (const auto &[index, step] : m_unpacked)
        if (index == i)
            return step;
    StepPtr step = m_packer.unpack(m_packed[i]);
    constexpr std::size_t kCached = 4;
    if (m_unpacked.size() == kCached)
        m_unpacked.erase(m_unpacked.begin());
    m_unpacked.emplace_back(i, step);
    return step;
}

std::vector<Timeline::StepPtr> Timeline::steps() const
{
    std::vector<StepPtr> all;
    all.reserve(m_steps.size());
    for (std::size_t i = 0; i < m_steps.size(); ++i)
        all.push_back(at(i));
    return all;
}

void Timeline::pack(std::size_t i)
{
    if (!m_packer.pack || !m_packer.unpack || !m_steps[i])
        return;
    std::vector<std::uint8_t> bytes = m_packer.pack(*m_steps[i]);
    if (bytes.empty())
        return;
    bytes.shrink_to_fit(); // counted as held, not as filled
    count(*m_steps[i], -1);
    m_droppedWhenPacked[i] = m_steps[i]->snapshot && m_steps[i]->snapshot->valuesDropped;
    m_packedBytes += bytes.capacity();
    ++m_packedCount;
    m_packed[i] = std::move(bytes);
    m_steps[i].reset();
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
    m_packed.emplace_back();
    m_droppedWhenPacked.push_back(false);
    if (follow)
        m_cursor = m_steps.size() - 1;
    enforceBudget();
}

void Timeline::clear()
{
    m_steps.clear();
    m_packed.clear();
    m_droppedWhenPacked.clear();
    m_unpacked.clear();
    m_packedBytes = 0;
    m_packedCount = 0;
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
    if (i >= m_steps.size())
        return false;
    if (!m_steps[i])
        return m_droppedWhenPacked[i];
    return m_steps[i]->snapshot && m_steps[i]->snapshot->valuesDropped;
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
        const std::size_t i = m_evicted++;
        StepPtr &step = m_steps[i];
        if (holdsValues(*step)) {
            count(*step, -1);
            step = withoutValues(*step);
            count(*step, +1); // its facts still count; its values no more
        }
        pack(i); // its facts stay, packed (when a packer is set)
    }
}

} // namespace memscope::engine
