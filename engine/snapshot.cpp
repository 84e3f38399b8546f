// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/snapshot.h"

#include "engine/hostmemory.h"
#include "engine/relation.h"
#include "engine/scalar.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <unordered_map>

namespace memscope::engine {

namespace {

// Bytes of one allocation as the facts show it: their extents, widened to
// their allocations where the framework tells, merged where they overlap
// (live allocations never overlap, so one region is one allocation).
struct Region
{
    Device device;
    Address lo;
    Address hi;
    std::vector<int> facts; ///< in fact order
};

// The regions of the facts `take` accepts, sorted by device, then address.
template<typename Take> std::vector<Region> mergedRegions(const std::vector<MemoryFact> &facts, Take take)
{
    std::vector<Region> spans;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const MemoryFact &f = facts[i];
        if (!take(f) || f.numel() == 0)
            continue;
        auto [lo, hi] = f.extent();
        if (f.allocation.known && f.allocation.size > 0 && f.allocation.size < (std::uint64_t {1} << 40)) {
            lo = std::min(lo, f.allocation.base);
            hi = std::max(hi, f.allocation.base + f.allocation.size);
        }
        spans.push_back({f.device, lo, hi, {static_cast<int>(i)}});
    }
    std::sort(spans.begin(), spans.end(),
              [](const Region &a, const Region &b) { return std::tie(a.device, a.lo) < std::tie(b.device, b.lo); });
    std::vector<Region> merged;
    for (Region &r : spans) {
        if (!merged.empty() && merged.back().device == r.device && r.lo < merged.back().hi) {
            merged.back().hi = std::max(merged.back().hi, r.hi);
            merged.back().facts.push_back(r.facts.front());
        } else {
            merged.push_back(std::move(r));
        }
    }
    for (Region &r : merged)
        std::sort(r.facts.begin(), r.facts.end());
    return merged;
}

// Facts in host region [lo, hi), which could not be read as a whole (or is
// too large to be): each one whose own elements cannot be read becomes
// unsupported, saying where and why. Objects over 64 MiB have their extent
// read only when `readLarge`.
void refuseUnreadableFacts(Snapshot &s, Address lo, Address hi, bool readLarge)
{
    for (MemoryFact &f : s.facts) {
        if (!f.isSupported() || f.numel() == 0 || !f.device.isCpu())
            continue;
        const auto [flo, fhi] = f.extent();
        if (flo < lo || fhi > hi)
            continue;
        std::string error;
        bool ok = false;
        if (static_cast<std::uint64_t>(f.nbytes()) <= (std::uint64_t {64} << 20)) {
            std::vector<std::byte> values(static_cast<std::size_t>(f.nbytes()));
            ok = gatherHost(f.data, f.shape, f.strides, static_cast<std::size_t>(f.itemSize()), values.data(), &error);
        } else if (!readLarge) {
            continue;
        } else {
            ok = readHostChunks(
                flo, fhi - flo, std::size_t {1} << 20, [](std::uint64_t, std::span<const std::byte>) { return true; },
                &error);
        }
        if (!ok)
            f.unsupported = error;
    }
}

} // namespace

int Snapshot::indexOf(std::string_view name) const
{
    for (std::size_t i = 0; i < facts.size(); ++i)
        if (std::find(facts[i].names.begin(), facts[i].names.end(), name) != facts[i].names.end())
            return static_cast<int>(i);
    return -1;
}

std::vector<const FactRelation *> Snapshot::relationsOf(int i) const
{
    std::vector<const FactRelation *> out;
    for (const FactRelation &r : relations)
        if (r.from == i || r.to == i)
            out.push_back(&r);
    return out;
}

SnapshotBuilder::SnapshotBuilder(ChangeOptions options)
    : m_tracker(options)
{ }

std::shared_ptr<const Snapshot> SnapshotBuilder::build(std::vector<MemoryFact> facts, const StepInfo &step)
{
    auto s = std::make_shared<Snapshot>();
    s->step = ++m_step;
    s->statement = step.statement;
    s->notes = step.notes;
    s->facts = std::move(facts);
    orderByFirstSeen(s->facts);
    // Adapters check this already; a fact from anywhere else is checked here.
    for (MemoryFact &f : s->facts)
        if (f.isSupported())
            if (std::string why = f.readProblem(); !why.empty())
                f.unsupported = std::move(why);
    // Changes first: an object whose memory turns out unreadable becomes
    // unsupported before aliases and relations are derived.
    detectChanges(*s);

    std::vector<AliasInput> inputs;
    inputs.reserve(s->facts.size());
    for (const MemoryFact &f : s->facts) {
        // An unsupported object has no bytes to compare: a zero-size view groups alone.
        static const std::int64_t kEmpty[] = {0};
        inputs.push_back(
            {f.device, f.hasKnownBytes() ? f.placed() : PlacedView {0, 1, std::span(kEmpty), std::span(kEmpty)}});
    }
    s->aliases = groupAliases(inputs);
    // Alias relations. A group of n views has up to n(n-1)/2 overlapping
    // pairs: 3,000 views of one array would be 4.5 million relations (1 GB),
    // 10,000 would not fit at all. Groups up to kPairwiseAliasGroup members
    // get every overlapping pair; a larger group relates each member only to
    // the first earlier member it overlaps among the group's first
    // kPairwiseAliasGroup members (its "hubs": usually the whole array, to
    // which every view is then related), so at most n - 1 relations and
    // 64 n overlap tests. Membership itself is always complete in `aliases`.
    auto relate = [&](int i, int j) {
        const MemoryFact &a = s->facts[static_cast<std::size_t>(i)];
        const MemoryFact &b = s->facts[static_cast<std::size_t>(j)];
        if (viewsOverlap(a.placed(), b.placed()) == Overlap::No)
            return false; // same group only through a third object
        s->relations.push_back({i, j, Relation::Alias, sharedBytes(a.placed(), b.placed()), Direction::H2H, {}, 0, {}});
        return true;
    };
    for (const auto &members : s->aliases.members()) {
        if (members.size() <= kPairwiseAliasGroup) {
            for (std::size_t i = 0; i < members.size(); ++i)
                for (std::size_t j = i + 1; j < members.size(); ++j)
                    relate(members[i], members[j]);
            continue;
        }
        for (std::size_t j = 1; j < members.size(); ++j)
            for (std::size_t i = 0; i < std::min(j, kPairwiseAliasGroup); ++i)
                if (relate(members[i], members[j]))
                    break;
    }

    linkProvenance(*s, step);
    groupBuffers(*s);
    shareUnchangedValues(*s);
    m_latest = s;
    return s;
}

void SnapshotBuilder::orderByFirstSeen(std::vector<MemoryFact> &facts)
{
    std::map<std::uint64_t, std::uint64_t> seen;
    for (const MemoryFact &f : facts) {
        auto it = m_firstSeen.find(f.objectId);
        seen[f.objectId] = it != m_firstSeen.end() ? it->second : m_nextSeen++;
    }
    m_firstSeen.swap(seen); // objects gone are forgotten: their ids may be reused
    std::stable_sort(facts.begin(), facts.end(), [&](const MemoryFact &a, const MemoryFact &b) {
        return m_firstSeen[a.objectId] < m_firstSeen[b.objectId];
    });
}

void SnapshotBuilder::shareUnchangedValues(Snapshot &s) const
{
    // An object whose values did not change keeps the previous step's bytes,
    // so a history of many steps holds one copy of them (the timeline's budget
    // counts each holder once). Same object, same layout, equal bytes only.
    if (!m_latest)
        return;
    std::unordered_map<std::uint64_t, const MemoryFact *> previous;
    previous.reserve(m_latest->facts.size());
    for (const MemoryFact &old : m_latest->facts)
        if (old.valuesCaptured && !old.values.empty())
            previous.emplace(old.objectId, &old);
    for (MemoryFact &f : s.facts) {
        if (!f.valuesCaptured || f.values.empty())
            continue;
        const auto it = previous.find(f.objectId);
        if (it == previous.end())
            continue;
        const MemoryFact &old = *it->second;
        if (old.dtype == f.dtype && old.shape == f.shape && old.strides == f.strides && old.data == f.data &&
            old.device == f.device && old.values == f.values)
            f.values = old.values;
    }
}

void SnapshotBuilder::groupBuffers(Snapshot &s)
{
    s.bufferOf.assign(s.facts.size(), -1);
    std::map<std::pair<std::string, Address>, BufferIdentity> alive;
    std::vector<Region> regions = mergedRegions(s.facts, [](const MemoryFact &f) { return f.hasKnownBytes(); });
    // Buffers first seen in this step are numbered in the order their objects
    // were first seen (creation order), never by address: the canvas places
    // buffers by number, and heap addresses differ from run to run.
    std::stable_sort(regions.begin(), regions.end(), [](const Region &a, const Region &b) {
        return *std::min_element(a.facts.begin(), a.facts.end()) < *std::min_element(b.facts.begin(), b.facts.end());
    });
    for (const Region &region : regions) {
        BufferInfo b {region.device, region.lo, region.hi, 0, Framework::Other, region.facts};
        const auto key = std::make_pair(b.device.toString(), b.lo);
        auto known = m_buffers.find(key);
        if (known == m_buffers.end()) {
            // First seen: the allocator is the object that existed first (a
            // torch tensor before the NumPy view of it), never the name order.
            int first = b.facts.front();
            for (int fi : b.facts)
                if (s.origins[static_cast<std::size_t>(fi)].step < s.origins[static_cast<std::size_t>(first)].step)
                    first = fi;
            known =
                m_buffers
                    .emplace(key,
                             BufferIdentity {m_nextBufferNumber++, s.facts[static_cast<std::size_t>(first)].framework})
                    .first;
        }
        b.number = known->second.number;
        b.owner = known->second.owner;
        alive.insert(*known);
        s.buffers.push_back(std::move(b));
    }
    m_buffers.swap(alive); // buffers gone from the step are forgotten: their addresses may be reused
    std::stable_sort(s.buffers.begin(), s.buffers.end(), [](const BufferInfo &a, const BufferInfo &b) {
        return std::tie(a.device, a.number) < std::tie(b.device, b.number);
    });
    for (std::size_t n = 0; n < s.buffers.size(); ++n)
        for (int fi : s.buffers[n].facts)
            s.bufferOf[static_cast<std::size_t>(fi)] = static_cast<int>(n);
}

void SnapshotBuilder::linkProvenance(Snapshot &s, const StepInfo &step)
{
    for (std::size_t d = 0; d < s.traffic.size(); ++d)
        s.traffic[d] += step.engineTraffic[d];
    // Objects gone from the namespace take their origin with them.
    std::map<std::uint64_t, Origin> kept;
    for (const MemoryFact &f : s.facts) {
        auto it = m_origins.find(f.objectId);
        if (it != m_origins.end())
            kept.insert(*it);
    }
    m_origins.swap(kept);
    // Earlier links whose two objects are still here (ids are stable while objects live).
    std::vector<Link> links;
    for (const Link &l : m_links) {
        int from = -1, to = -1;
        for (std::size_t i = 0; i < s.facts.size(); ++i) {
            if (s.facts[i].objectId == l.from)
                from = static_cast<int>(i);
            if (s.facts[i].objectId == l.to)
                to = static_cast<int>(i);
        }
        if (from < 0 || to < 0)
            continue;
        FactRelation r = l.relation;
        r.from = from;
        r.to = to;
        s.relations.push_back(r);
        links.push_back(l);
    }
    m_links.swap(links);

    for (const Assignment &as : step.assignments) {
        // Objects first seen inside what the statement bound (`lin.weight`,
        // `sd['bias']` of `lin = ...`, `sd = ...`) come from it too; links
        // are made for the bound name itself only.
        const auto inside = [&](const std::string &path) {
            return path.size() > as.name.size() && path.starts_with(as.name) &&
                (path[as.name.size()] == '.' || path[as.name.size()] == '[');
        };
        for (const MemoryFact &f : s.facts)
            if (!m_origins.contains(f.objectId) && std::any_of(f.names.begin(), f.names.end(), inside))
                m_origins[f.objectId] = {s.step, step.statement, as.referenced};
        const int to = s.indexOf(as.name);
        if (to < 0)
            continue;
        const MemoryFact &created = s.facts[static_cast<std::size_t>(to)];
        // A name rebound to an object that already existed (b = a) keeps the object's origin.
        if (!m_origins.contains(created.objectId))
            m_origins[created.objectId] = {s.step, step.statement, as.referenced};
        // Only a newly bound object gets links: `b = a` adds no copy of anything.
        if (m_origins[created.objectId].step != s.step)
            continue;
        for (const std::string &ref : as.referenced) {
            const int from = s.indexOf(ref);
            if (from < 0 || from == to)
                continue;
            const MemoryFact &source = s.facts[static_cast<std::size_t>(from)];
            std::optional<bool> equal;
            std::string notCompared;
            if (source.isSupported() && created.isSupported()) {
                equal = recordedValuesEqual(source, created);
                // Too large for the values in the facts: compare the live objects
                // (both are alive and held while the snapshot is built).
                if (!equal && decideRelation(source, created, std::nullopt) != Relation::Alias)
                    equal = liveValuesEqual(source, created, notCompared);
            }
            Relation r = decideRelation(source, created, equal);
            if (r == Relation::Unrelated)
                r = Relation::Derived; // computed from it, values differ
            FactRelation fr {from,           to,     r, 0, directionBetween(source.device, created.device),
                             step.statement, s.step, {}};
            if (r == Relation::Copy || r == Relation::Convert || r == Relation::Transfer) {
                fr.bytes = static_cast<std::uint64_t>(created.nbytes());
                // What MemScope's engine made, its event log already counted (exactly).
                if (created.framework != Framework::MemScope)
                    s.traffic[static_cast<std::size_t>(fr.direction)] += fr.bytes;
            } else if (r == Relation::Alias) {
                fr.bytes = sharedBytes(source.placed(), created.placed()); // bytes both view, not their ranges
            }
            if (r != Relation::Alias && r != Relation::Derived && source.shape != created.shape)
                fr.note = "reshaped " + shapeText(source.shape) + " → " + shapeText(created.shape);
            if (r == Relation::Derived && !notCompared.empty())
                fr.note = "values not compared: " + notCompared; // said, never a silent fallback
            m_links.push_back({source.objectId, created.objectId, fr});
            s.relations.push_back(std::move(fr));
        }
    }
    s.origins.reserve(s.facts.size());
    for (const MemoryFact &f : s.facts) {
        auto it = m_origins.find(f.objectId);
        s.origins.push_back(it == m_origins.end() ? Origin {} : it->second);
    }
}

void SnapshotBuilder::detectChanges(Snapshot &s)
{
    s.changed.assign(s.facts.size(), {});
    s.changedCount.assign(s.facts.size(), 0);
    s.changesExact.assign(s.facts.size(), true);

    // Host memory: track maximal regions (allocations merged where they
    // overlap), then map changed bytes onto each object's elements.
    const std::vector<Region> merged =
        mergedRegions(s.facts, [](const MemoryFact &f) { return f.isSupported() && f.device.isCpu(); });
    std::map<std::pair<Address, Address>, std::uint64_t> keys;
    std::vector<ChangeSet> changes;
    // Private anonymous memory (malloc'd arrays) is compared in place; file
    // mappings and anything else through checked copies. The facts' objects
    // are kept alive by the caller while this runs.
    const HostMap direct = merged.empty() ? HostMap {} : HostMap::current();
    for (const Region &r : merged) {
        const auto id = std::make_pair(r.lo, r.hi);
        auto it = m_regionKeys.find(id);
        const std::uint64_t key = it != m_regionKeys.end() ? it->second : m_nextRegionKey++;
        keys[id] = key;
        if (r.hi - r.lo > kMaxTrackedRegion) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "memory at 0x%" PRIx64 " (%" PRIu64 " bytes) is too large to track changes",
                          r.lo, r.hi - r.lo);
            s.notes.emplace_back(buf);
            m_tracker.forget(key);
            refuseUnreadableFacts(s, r.lo, r.hi, false);
            changes.emplace_back();
            continue;
        }
        // Read only through the checked reader: a region that became unreadable is noted.
        ChangeSet cs = m_tracker.observeHost(key, r.lo, r.hi - r.lo, &direct);
        if (!cs.readable) {
            s.notes.push_back(cs.note + "; changes not tracked");
            refuseUnreadableFacts(s, r.lo, r.hi, true);
        }
        changes.push_back(std::move(cs));
    }
    // Regions no longer present are forgotten (their memory may be reused).
    for (const auto &[id, key] : m_regionKeys)
        if (!keys.contains(id))
            m_tracker.forget(key);
    m_regionKeys.swap(keys);

    for (std::size_t i = 0; i < s.facts.size(); ++i) {
        const MemoryFact &f = s.facts[i];
        if (!f.isSupported() || f.numel() == 0)
            continue;
        if (f.device.isCpu()) {
            const auto [lo, hi] = f.extent();
            auto r = std::upper_bound(merged.begin(), merged.end(), lo,
                                      [](Address v, const Region &reg) { return v < reg.lo; });
            if (r == merged.begin())
                continue;
            --r;
            const ChangeSet &cs = changes[static_cast<std::size_t>(r - merged.begin())];
            if (!cs.changed())
                continue;
            Layout l {f.dtype, static_cast<std::int64_t>(f.data - r->lo), f.shape, f.strides};
            ElementHits hits = findChangedElements(l, cs.ranges, kChangedListLimit);
            s.changed[i] = std::move(hits.indices);
            s.changedCount[i] = hits.total;
            s.changesExact[i] = cs.exact && hits.totalExact;
            continue;
        }
        // Device memory: compare captured values with the same object's last ones.
        if (!m_latest || !f.valuesCaptured)
            continue;
        for (const MemoryFact &old : m_latest->facts) {
            if (old.objectId != f.objectId || !old.valuesCaptured || old.values.size() != f.values.size() ||
                old.dtype != f.dtype || old.data != f.data)
                continue;
            const auto item = static_cast<std::size_t>(f.itemSize());
            for (std::size_t e = 0; e * item < f.values.size(); ++e)
                if (std::memcmp(old.values.data() + e * item, f.values.data() + e * item, item) != 0)
                    s.changed[i].push_back(static_cast<std::int64_t>(e));
            s.changedCount[i] = static_cast<std::int64_t>(s.changed[i].size());
            break;
        }
    }
}

} // namespace memscope::engine
