// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/aliasanalysis.h"
#include "engine/changetracker.h"
#include "engine/event.h"
#include "engine/memoryfact.h"
#include "engine/relation.h"

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace memscope::engine {

/// What one statement bound, read from its AST: `t = torch.tensor(a)` binds
/// "t" and references "a" (and "torch", which is no tensor and is ignored).
struct Assignment
{
    std::string name;
    std::vector<std::string> referenced;
};

struct StepInfo
{
    std::string statement;
    std::vector<Assignment> assignments;
    /// Bytes MemScope's own engine moved during the step, per Direction (its
    /// event log), temporaries included: `memscope.tensor(...).to("cuda")`
    /// moves 16 B host to device though no name holds the host tensor.
    std::array<std::uint64_t, 4> engineTraffic {};
    /// What the namespace scan could not show (a bound it hit), in words;
    /// build() puts these first in Snapshot::notes.
    std::vector<std::string> notes;
};

/// Where an object came from: the statement that bound it first.
struct Origin
{
    int step = -1; ///< -1: present before MemScope looked (or bound by a non-assignment)
    std::string statement;
    std::vector<std::string> referenced;
};

/// An observed relation between two facts of one snapshot.
struct FactRelation
{
    int from = -1; ///< the referenced (source) object
    int to = -1; ///< the created object
    Relation relation = Relation::Unrelated;
    std::uint64_t bytes = 0; ///< bytes moved (copy/convert/transfer) or shared (alias)
    Direction direction = Direction::H2H;
    std::string statement; ///< non-empty when provenance links the two
    int step = 0; ///< the step whose statement made the link (kept while both objects live)
    std::string note; ///< what else was observed: "reshaped (2, 3) → (6,)"
};

/// One step's picture: immutable once built, shared by every view of it.
/// One allocation as the canvas draws it: every view of it, whether or not
/// the object that allocated it still has a name (`e = a[::2]; o = a[1::2];
/// del a` is one buffer, though e and o share no byte).
struct BufferInfo
{
    Device device;
    Address lo = 0; ///< the views' extents and known allocations, merged
    Address hi = 0;
    int number = 0; ///< stable for the buffer's whole life: "buf N", its colour
    Framework owner = Framework::Other; ///< who allocated it: the framework of its first-seen object
    std::vector<int> facts; ///< facts viewing it, in fact order
};

struct Snapshot
{
    int step = 0;
    std::string statement;
    std::vector<MemoryFact> facts; ///< in the order their objects were first seen
    std::vector<Origin> origins; ///< per fact
    AliasGroups aliases; ///< per fact
    std::vector<FactRelation> relations;
    /// Per fact: flat indices changed by this step, the first kChangedListLimit
    /// of them in increasing order; changedCount tells how many changed in all.
    std::vector<std::vector<std::int64_t>> changed;
    /// Per fact: how many elements changed in all (a 10^12-element broadcast
    /// view can have 10^12 changed elements; `changed` lists only the first).
    std::vector<std::int64_t> changedCount;
    std::vector<bool> changesExact; ///< per fact: false when page-granular (or the count is a lower bound)
    /// What could not be observed in this step, in words (memory that became
    /// unreadable, regions too large to track).
    std::vector<std::string> notes;
    std::array<std::uint64_t, 4> traffic {}; ///< bytes per Direction caused by this step
    std::vector<BufferInfo> buffers; ///< ordered by device, then number (creation order)
    std::vector<int> bufferOf; ///< per fact: index into `buffers`, -1 when its bytes are unknown or none
    /// The timeline's memory budget dropped this step's values (every fact's
    /// `values` empty, `valuesCaptured` false); facts, relations, groups,
    /// buffers and changes are kept. Never fetch live values for such a step:
    /// they would be today's, not the step's.
    bool valuesDropped = false;

    int indexOf(std::string_view name) const;
    /// Relations involving fact `i`.
    std::vector<const FactRelation *> relationsOf(int i) const;
};

/// Most changed indices listed per fact (Snapshot::changed).
inline constexpr std::int64_t kChangedListLimit = std::int64_t {1} << 20;
/// Alias groups up to this size get a relation per overlapping pair; larger
/// ones a bounded set (see SnapshotBuilder::build).
inline constexpr std::size_t kPairwiseAliasGroup = 64;
/// Host regions larger than this are not change-tracked (their hash table
/// alone would be 32 MiB); the snapshot says so in `notes`.
inline constexpr std::uint64_t kMaxTrackedRegion = std::uint64_t {16} << 30;

/// Builds one Snapshot per step and remembers what it needs across steps:
/// contents for change detection and where each object came from.
class SnapshotBuilder
{
public:
    explicit SnapshotBuilder(ChangeOptions options = {});

    /// Host memory of the facts is read only through the checked reader
    /// (engine/hostmemory.h; private anonymous memory in place, see HostMap):
    /// memory that cannot be read is noted, never faulted on. Facts whose
    /// readProblem() is not empty become unsupported. Keep the facts' objects
    /// alive (and, for Python objects, hold the GIL) while this runs.
    std::shared_ptr<const Snapshot> build(std::vector<MemoryFact> facts, const StepInfo &step);
    std::shared_ptr<const Snapshot> latest() const { return m_latest; }
    int stepCount() const { return m_step; }

private:
    /// Facts in the order their objects were first seen (creation order on
    /// the canvas, never by name); those first seen together keep the
    /// adapters' order.
    void orderByFirstSeen(std::vector<MemoryFact> &facts);
    void detectChanges(Snapshot &s);
    void linkProvenance(Snapshot &s, const StepInfo &step);
    void groupBuffers(Snapshot &s);
    void shareUnchangedValues(Snapshot &s) const;

    ChangeTracker m_tracker;
    int m_step = 0;
    std::map<std::uint64_t, std::uint64_t> m_firstSeen; ///< object id -> when first seen
    std::uint64_t m_nextSeen = 0;
    std::map<std::uint64_t, Origin> m_origins; ///< by object id; objects are kept alive while listed
    /// Provenance links as observed when made, by object ids: a copy stays a
    /// copy on the canvas after its values diverge.
    struct Link
    {
        std::uint64_t from;
        std::uint64_t to;
        FactRelation relation;
    };
    std::vector<Link> m_links;
    std::map<std::pair<Address, Address>, std::uint64_t> m_regionKeys;
    std::uint64_t m_nextRegionKey = 0;
    /// Buffers seen so far, by (device, anchor address): number and owner stay
    /// while the buffer lives; a buffer gone from a step is forgotten.
    struct BufferIdentity
    {
        int number;
        Framework owner;
    };
    std::map<std::pair<std::string, Address>, BufferIdentity> m_buffers;
    int m_nextBufferNumber = 1;
    std::shared_ptr<const Snapshot> m_latest;
};

} // namespace memscope::engine
