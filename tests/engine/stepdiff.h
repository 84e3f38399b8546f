// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Equality of steps, field by field, naming the first difference: what a
// round trip through a recording (or a packed timeline step) must keep.

#include "engine/step/step.h"

#include <string>

namespace memscope::test {

using namespace memscope::engine;

#define SAME(a, b, what)                                                                                               \
    if (!((a) == (b)))                                                                                                 \
        return std::string(what);

inline std::string factDiff(const MemoryFact &a, const MemoryFact &b)
{
    SAME(a.objectId, b.objectId, "objectId");
    SAME(a.names, b.names, "names");
    SAME(a.framework, b.framework, "framework");
    SAME(a.typeName, b.typeName, "typeName");
    SAME(a.unsupported, b.unsupported, "unsupported");
    SAME(a.dtype, b.dtype, "dtype");
    SAME(a.shape, b.shape, "shape");
    SAME(a.strides, b.strides, "strides");
    SAME(a.data, b.data, "data");
    SAME(a.device, b.device, "device");
    SAME(a.readOnly, b.readOnly, "readOnly");
    SAME(a.allocation.known, b.allocation.known, "allocation.known");
    SAME(a.allocation.base, b.allocation.base, "allocation.base");
    SAME(a.allocation.size, b.allocation.size, "allocation.size");
    SAME(a.flags, b.flags, "flags");
    SAME(a.opaqueItemSize, b.opaqueItemSize, "opaqueItemSize");
    SAME(a.values, b.values, "values");
    SAME(a.valuesCaptured, b.valuesCaptured, "valuesCaptured");
    SAME(a.valueHash, b.valueHash, "valueHash");
    SAME(a.valueHashed, b.valueHashed, "valueHashed");
    return {};
}

inline std::string snapshotDiff(const Snapshot &a, const Snapshot &b)
{
    SAME(a.step, b.step, "step");
    SAME(a.statement, b.statement, "statement");
    SAME(a.facts.size(), b.facts.size(), "facts");
    for (std::size_t i = 0; i < a.facts.size(); ++i)
        if (std::string d = factDiff(a.facts[i], b.facts[i]); !d.empty())
            return "fact " + std::to_string(i) + ": " + d;
    SAME(a.origins.size(), b.origins.size(), "origins");
    for (std::size_t i = 0; i < a.origins.size(); ++i) {
        SAME(a.origins[i].step, b.origins[i].step, "origin step");
        SAME(a.origins[i].statement, b.origins[i].statement, "origin statement");
        SAME(a.origins[i].referenced, b.origins[i].referenced, "origin referenced");
    }
    SAME(a.aliases.group, b.aliases.group, "aliases.group");
    SAME(a.aliases.groupCount, b.aliases.groupCount, "aliases.groupCount");
    SAME(a.aliases.exactTests, b.aliases.exactTests, "aliases.exactTests");
    SAME(a.aliases.undecided, b.aliases.undecided, "aliases.undecided");
    SAME(a.relations.size(), b.relations.size(), "relations");
    for (std::size_t i = 0; i < a.relations.size(); ++i) {
        const FactRelation &x = a.relations[i], &y = b.relations[i];
        SAME(x.from, y.from, "relation from");
        SAME(x.to, y.to, "relation to");
        SAME(x.relation, y.relation, "relation");
        SAME(x.bytes, y.bytes, "relation bytes");
        SAME(x.direction, y.direction, "relation direction");
        SAME(x.statement, y.statement, "relation statement");
        SAME(x.step, y.step, "relation step");
        SAME(x.note, y.note, "relation note");
    }
    SAME(a.changed, b.changed, "changed");
    SAME(a.changedCount, b.changedCount, "changedCount");
    SAME(a.changesExact, b.changesExact, "changesExact");
    SAME(a.notes, b.notes, "notes");
    SAME(a.traffic, b.traffic, "traffic");
    SAME(a.buffers.size(), b.buffers.size(), "buffers");
    for (std::size_t i = 0; i < a.buffers.size(); ++i) {
        const BufferInfo &x = a.buffers[i], &y = b.buffers[i];
        SAME(x.device, y.device, "buffer device");
        SAME(x.lo, y.lo, "buffer lo");
        SAME(x.hi, y.hi, "buffer hi");
        SAME(x.number, y.number, "buffer number");
        SAME(x.owner, y.owner, "buffer owner");
        SAME(x.facts, y.facts, "buffer facts");
    }
    SAME(a.bufferOf, b.bufferOf, "bufferOf");
    SAME(a.valuesDropped, b.valuesDropped, "valuesDropped");
    return {};
}

inline std::string stepDiff(const Step &a, const Step &b)
{
    SAME(a.status, b.status, "status");
    SAME(a.code, b.code, "code");
    SAME(a.filename, b.filename, "filename");
    SAME(a.range, b.range, "range");
    SAME(a.output, b.output, "output");
    SAME(a.outputAbridged, b.outputAbridged, "outputAbridged");
    SAME(a.error, b.error, "error");
    SAME(a.exitCode, b.exitCode, "exitCode");
    SAME(a.seconds, b.seconds, "seconds");
    SAME(bool(a.snapshot), bool(b.snapshot), "snapshot present");
    if (a.snapshot)
        if (std::string d = snapshotDiff(*a.snapshot, *b.snapshot); !d.empty())
            return "snapshot: " + d;
    return {};
}

#undef SAME

} // namespace memscope::test
