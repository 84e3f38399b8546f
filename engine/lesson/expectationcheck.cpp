// SPDX-License-Identifier: GPL-3.0-or-later
// checkExpectation: one expect line against what a lesson step did.
#include "engine/lesson/expectation.h"

#include "engine/error.h"
#include "engine/layout.h"
#include "engine/overlap.h"
#include "engine/relation.h"
#include "engine/scalar.h"
#include "engine/text/wording.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace memscope::engine {

namespace {

std::string indexText(const std::vector<std::int64_t> &index)
{
    std::string out = "[";
    for (std::size_t i = 0; i < index.size(); ++i)
        out += (i ? ", " : "") + std::to_string(index[i]);
    return out + "]";
}

std::string hex(Address a)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, a);
    return buf;
}

const Snapshot *lastSnapshot(const StepObservation &o)
{
    for (auto it = o.steps.rbegin(); it != o.steps.rend(); ++it)
        if (it->snapshot)
            return it->snapshot.get();
    return nullptr;
}

// The fact named `name`; `x[1]` written as a name with an index falls back to
// the container path "x[1]" when no object is named `x`.
int findFact(const Snapshot &s, const std::string &name, const std::vector<std::int64_t> *index = nullptr,
             bool *indexUsed = nullptr)
{
    if (indexUsed)
        *indexUsed = true;
    const int i = s.indexOf(name);
    if (i >= 0 || !index || index->size() != 1)
        return i;
    const int j = s.indexOf(name + "[" + std::to_string(index->front()) + "]");
    if (j >= 0 && indexUsed)
        *indexUsed = false;
    return j;
}

// Where a byte of fact `i` lies: "buf 2 + 0x10", relative to its buffer as
// the canvas shows it, so the same lesson gives the same words on every run
// (heap addresses differ from run to run); raw only where no buffer is known.
std::string placeText(const Snapshot &s, int i, Address a)
{
    const int b = static_cast<std::size_t>(i) < s.bufferOf.size() ? s.bufferOf[static_cast<std::size_t>(i)] : -1;
    if (b < 0 || static_cast<std::size_t>(b) >= s.buffers.size() || a < s.buffers[static_cast<std::size_t>(b)].lo)
        return hex(a);
    const BufferInfo &buffer = s.buffers[static_cast<std::size_t>(b)];
    return "buf " + std::to_string(buffer.number) + " + " + hex(a - buffer.lo);
}

// "a: float64 (2, 3) on cpu, bytes buf 1 + 0x0 … buf 1 + 0x30 (48 B)"
std::string factEvidence(const Snapshot &s, int i, const std::string &name)
{
    const MemoryFact &f = s.facts[static_cast<std::size_t>(i)];
    std::string out = name + ": ";
    if (!f.isSupported() && f.opaqueItemSize == 0)
        return out + f.typeName + ", no memory facts (" + f.unsupported + ")";
    out += f.isSupported() ? std::string(numpyName(f.dtype)) : "opaque";
    out += " " + shapeText(f.shape) + " on " + f.device.toString();
    const auto [lo, hi] = f.extent();
    if (hi > lo)
        out += ", bytes " + placeText(s, i, lo) + " … " + placeText(s, i, hi) + " (" + bytesText(hi - lo) + ")";
    else
        out += ", no bytes";
    return out;
}

std::string join(const std::vector<std::string> &parts)
{
    std::string out;
    for (const std::string &p : parts) {
        if (p.empty())
            continue;
        if (!out.empty())
            out += "; ";
        out += p;
    }
    return out;
}

struct Checker
{
    const Expectation &e;
    const StepObservation &o;
    ExpectationResult r;

    ExpectationResult finish(bool held, std::string observed, std::vector<std::string> evidence)
    {
        r.held = held;
        r.observed = std::move(observed);
        if (!o.versions.empty())
            evidence.push_back(o.versions);
        r.evidence = join(evidence);
        return r;
    }

    ExpectationResult missing(const std::string &name)
    {
        return finish(false, "no object named " + name + " after this step", {});
    }

    ExpectationResult relation(const Snapshot &s);
    ExpectationResult property(const Snapshot &s);
    ExpectationResult value(const Snapshot &s);
    ExpectationResult changes();
    ExpectationResult traffic();
    ExpectationResult raises();
};

ExpectationResult Checker::relation(const Snapshot &s)
{
    using Kind = Expectation::Kind;
    const int ia = findFact(s, e.a);
    if (ia < 0)
        return missing(e.a);
    const int ib = findFact(s, e.b);
    if (ib < 0)
        return missing(e.b);
    const MemoryFact &fa = s.facts[static_cast<std::size_t>(ia)];
    const MemoryFact &fb = s.facts[static_cast<std::size_t>(ib)];
    std::vector<std::string> evidence {factEvidence(s, ia, e.a), factEvidence(s, ib, e.b)};

    if (ia == ib || fa.objectId == fb.objectId) {
        const auto bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(fa.nbytes(), 0));
        evidence.push_back(e.a + " and " + e.b + " are one object");
        const bool held = e.kind == Kind::Same || e.kind == Kind::Alias || (e.kind == Kind::Shared && bytes == e.bytes);
        std::string observed = "observed the same object";
        if (e.kind == Kind::Shared || e.kind == Kind::Alias)
            observed += ", " + bytesText(bytes) + " shared";
        return finish(held, observed, std::move(evidence));
    }

    // Shared bytes, exactly: from the views' geometry, one address space only.
    bool exact = true;
    std::uint64_t shared = 0;
    if (fa.hasKnownBytes() && fb.hasKnownBytes() && fa.device == fb.device &&
        viewsOverlap(fa.placed(), fb.placed()) != Overlap::No)
        shared = sharedBytes(fa.placed(), fb.placed(), &exact);
    if (shared > 0) {
        const auto [alo, ahi] = fa.extent();
        const auto [blo, bhi] = fb.extent();
        const Address lo = std::max(alo, blo);
        const Address hi = std::min(ahi, bhi);
        evidence.push_back("ranges overlap at " + e.a + "+" + std::to_string(lo - alo) + " … " + e.a + "+" +
                           std::to_string(hi - alo) + ", " + (exact ? "" : "at least ") + bytesText(shared) +
                           " shared");
    } else {
        evidence.push_back("no byte in common");
    }

    if (e.kind == Kind::Shared) {
        const std::string observed = shared == 0
            ? "observed no byte shared"
            : "observed " + std::string(exact ? "" : "at least ") + bytesText(shared) + " shared";
        return finish(exact && shared == e.bytes, observed, std::move(evidence));
    }

    // Provenance first (a copy stays a copy after its values diverge), then
    // the builder's alias relations, then the one decider on the facts.
    const FactRelation *link = nullptr;
    for (const FactRelation &rel : s.relations) {
        if (!((rel.from == ia && rel.to == ib) || (rel.from == ib && rel.to == ia)))
            continue;
        if (!link || (link->statement.empty() && !rel.statement.empty()))
            link = &rel;
    }
    FactRelation decided;
    if (!link) {
        decided.from = ia;
        decided.to = ib;
        decided.relation = relateFacts(fa, fb);
        decided.direction = directionBetween(fa.device, fb.device);
        if (decided.relation == Relation::Alias)
            decided.bytes = shared;
        else if (decided.relation != Relation::Unrelated && decided.relation != Relation::Derived)
            decided.bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(fb.nbytes(), 0));
        link = &decided;
    }
    if (!link->statement.empty())
        evidence.push_back("made by `" + link->statement + "` (step " + std::to_string(link->step) + ")");

    const Relation observedRelation = link->relation;
    bool held = false;
    switch (e.kind) {
    case Kind::Alias:
        held = observedRelation == Relation::Alias;
        break;
    case Kind::Copy:
        held = observedRelation == Relation::Copy;
        break;
    case Kind::Convert:
        held = observedRelation == Relation::Convert;
        break;
    case Kind::Transfer:
        held = observedRelation == Relation::Transfer;
        break;
    case Kind::Unrelated:
        // Computed from the other, values differing, no byte shared: nothing
        // of memory relates them.
        held = (observedRelation == Relation::Unrelated || observedRelation == Relation::Derived) && shared == 0;
        break;
    case Kind::Same:
    default:
        held = false;
        break;
    }
    std::string observed = "observed " + relationSummary(*link);
    if (e.kind == Kind::Same)
        observed = "observed two objects (" + relationSummary(*link) + ")";
    return finish(held, observed, std::move(evidence));
}

ExpectationResult Checker::property(const Snapshot &s)
{
    using Kind = Expectation::Kind;
    const int i = findFact(s, e.a);
    if (i < 0)
        return missing(e.a);
    const MemoryFact &f = s.facts[static_cast<std::size_t>(i)];
    std::vector<std::string> evidence {factEvidence(s, i, e.a)};
    switch (e.kind) {
    case Kind::ReadOnly:
    case Kind::Writable: {
        const bool held = f.readOnly == (e.kind == Kind::ReadOnly);
        return finish(held, f.readOnly ? "observed read-only" : "observed writable", std::move(evidence));
    }
    case Kind::OnDevice: {
        bool held = false;
        if (e.device == "cpu")
            held = f.device.isCpu();
        else if (e.device == "cuda")
            held = f.device.kind == DeviceKind::Cuda;
        else
            held = f.device.kind == DeviceKind::Cuda && "cuda:" + std::to_string(f.device.index) == e.device;
        return finish(held, "on " + f.device.toString(), std::move(evidence));
    }
    case Kind::DTypeIs:
        if (!f.isSupported())
            return finish(false, "dtype not known", std::move(evidence));
        return finish(f.dtype == e.dtype, "dtype " + std::string(numpyName(f.dtype)), std::move(evidence));
    case Kind::ShapeIs:
        return finish(f.shape == e.shape, "shape " + shapeText(f.shape), std::move(evidence));
    default:
        break;
    }
    return finish(false, "not checked", std::move(evidence));
}

// Flat C-order index of `index` in `shape` (negative indices count from the
// end, as in Python); nullopt when it does not fit.
std::optional<std::int64_t> flatIndex(const std::vector<std::int64_t> &shape, std::vector<std::int64_t> index)
{
    if (index.size() != shape.size())
        return std::nullopt;
    for (std::size_t d = 0; d < index.size(); ++d) {
        if (index[d] < 0)
            index[d] += shape[d];
        if (index[d] < 0 || index[d] >= shape[d])
            return std::nullopt;
    }
    try {
        const Layout l = Layout::contiguous(DType::UInt8, shape);
        return l.elementOffset(index);
    } catch (const Error &) {
        return std::nullopt;
    }
}

ExpectationResult Checker::value(const Snapshot &s)
{
    bool indexUsed = true;
    const int i = findFact(s, e.a, &e.index, &indexUsed);
    if (i < 0)
        return missing(e.a);
    const MemoryFact &f = s.facts[static_cast<std::size_t>(i)];
    const std::vector<std::int64_t> index = indexUsed ? e.index : std::vector<std::int64_t> {};
    const std::string name = indexUsed ? e.a : e.a + indexText(e.index);
    std::vector<std::string> evidence {factEvidence(s, i, name)};
    if (!f.isSupported())
        return finish(false, "values not readable", std::move(evidence));
    const auto flat = flatIndex(f.shape, index);
    if (!flat)
        return finish(false, "no element " + indexText(index) + " in shape " + shapeText(f.shape), std::move(evidence));
    if (s.valuesDropped || !f.valuesCaptured ||
        f.values.size() < static_cast<std::size_t>((*flat + 1) * f.itemSize())) {
        evidence.push_back(s.valuesDropped ? "the timeline dropped this step's values"
                                           : "the object is too large for its values to be kept");
        return finish(false, "values not kept", std::move(evidence));
    }
    const Scalar actual = loadScalar(f.dtype, f.values.data() + *flat * f.itemSize());
    const std::string actualText = formatScalar(f.dtype, actual);
    const std::string where = name + (index.empty() ? "" : indexText(index));
    Scalar wanted;
    try {
        wanted = parseScalar(f.dtype, e.value);
    } catch (const Error &err) {
        evidence.push_back(err.what());
        return finish(false, where + " is " + actualText, std::move(evidence));
    }
    bool equal = scalarEquals(actual, wanted);
    if (!equal) {
        const auto *x = std::get_if<double>(&actual);
        const auto *y = std::get_if<double>(&wanted);
        equal = x && y && std::isnan(*x) && std::isnan(*y); // `value x == nan` is what a reader means
    }
    evidence.push_back(where + " at " + placeText(s, i, f.data) + " is " + actualText + " (" +
                       std::string(numpyName(f.dtype)) + ")");
    return finish(equal != e.notEqual, where + " is " + actualText, std::move(evidence));
}

ExpectationResult Checker::changes()
{
    const bool wantChanged = e.kind == Expectation::Kind::Changed;
    bool found = false;
    bool anyChanged = false;
    bool allExact = true;
    std::string name = e.a;
    std::vector<std::string> evidence;
    std::vector<std::string> observedParts;
    for (const Step &step : o.steps) {
        if (!step.snapshot)
            continue;
        const Snapshot &s = *step.snapshot;
        bool indexUsed = true;
        const int i = findFact(s, e.a, &e.index, &indexUsed);
        if (i < 0)
            continue;
        const MemoryFact &f = s.facts[static_cast<std::size_t>(i)];
        const std::vector<std::int64_t> index = indexUsed ? e.index : std::vector<std::int64_t> {};
        name = indexUsed ? e.a : e.a + indexText(e.index);
        if (!found)
            evidence.push_back(factEvidence(s, i, name));
        found = true;
        const auto &list = s.changed[static_cast<std::size_t>(i)];
        const std::int64_t count = s.changedCount[static_cast<std::size_t>(i)];
        const bool exact = s.changesExact[static_cast<std::size_t>(i)];
        allExact = allExact && exact;
        bool hit = false;
        if (index.empty()) {
            hit = count > 0;
        } else {
            const auto flat = flatIndex(f.shape, index);
            if (!flat)
                return finish(false, "no element " + indexText(index) + " in shape " + shapeText(f.shape),
                              std::move(evidence));
            hit = std::binary_search(list.begin(), list.end(), *flat);
            // Only the first kChangedListLimit indices are listed: past the
            // last one listed, a change is not known per element.
            if (!hit && count > static_cast<std::int64_t>(list.size()) && (list.empty() || *flat > list.back()))
                evidence.push_back("step " + std::to_string(s.step) + " lists only the first " +
                                   groupedNumber(list.size()) + " changed elements of " + name);
        }
        if (count > 0) {
            std::string part = "step " + std::to_string(s.step) + ": " +
                groupedNumber(static_cast<std::uint64_t>(count)) + " element" + (count == 1 ? "" : "s") + " changed";
            if (!list.empty()) {
                Layout l = f.layout();
                part += " (first " + indexText(l.unravel(list.front())) + ")";
            }
            if (!exact)
                part += ", page-granular";
            evidence.push_back(part);
        }
        if (hit) {
            anyChanged = true;
            observedParts.push_back("step " + std::to_string(s.step));
        }
    }
    if (!found)
        return missing(e.a);
    const std::string what = name + (e.index.empty() || name != e.a ? "" : indexText(e.index));
    std::string observed;
    if (anyChanged) {
        observed = "observed " + what + " changed in ";
        for (std::size_t k = 0; k < observedParts.size(); ++k)
            observed += (k ? ", " : "") + observedParts[k];
    } else {
        observed = "observed " + what + " unchanged";
    }
    if (!allExact)
        evidence.push_back("changes are known per page, not per element");
    return finish(anyChanged == wantChanged, observed, std::move(evidence));
}

ExpectationResult Checker::traffic()
{
    std::array<std::uint64_t, 4> total {};
    for (const Step &step : o.steps)
        for (std::size_t d = 0; d < total.size(); ++d)
            total[d] += step.traffic()[d];
    const std::uint64_t moved = total[static_cast<std::size_t>(e.direction)];
    std::string all = "moved:";
    for (std::size_t d = 0; d < total.size(); ++d)
        all += std::string(d ? "," : "") + " " + std::string(directionName(static_cast<Direction>(d))) + " " +
            bytesText(total[d]);
    const std::string dir(directionName(e.direction));
    return finish(moved == e.bytes, "observed " + bytesText(moved) + " " + dir,
                  {all, "over " + std::to_string(o.steps.size()) + " statement" + (o.steps.size() == 1 ? "" : "s")});
}

ExpectationResult Checker::raises()
{
    const std::string &raised = o.raised;
    const auto lastPart = [](std::string_view n) {
        const std::size_t dot = n.rfind('.');
        return dot == std::string_view::npos ? n : n.substr(dot + 1);
    };
    // "torch.OutOfMemoryError" and "OutOfMemoryError" name one exception.
    const bool held = !raised.empty() &&
        (raised == e.a ||
         (lastPart(raised) == lastPart(e.a) &&
          (raised.find('.') == std::string::npos) != (e.a.find('.') == std::string::npos)));
    if (raised.empty())
        return finish(false, "raised nothing", {});
    return finish(held, "raised " + raised, {o.raisedMessage});
}

} // namespace

ExpectationResult checkExpectation(const Expectation &e, const StepObservation &observed)
{
    using Kind = Expectation::Kind;
    Checker c {e, observed, {}};
    try {
        switch (e.kind) {
        case Kind::Traffic:
            return c.traffic();
        case Kind::Raises:
            return c.raises();
        case Kind::Changed:
        case Kind::Unchanged:
            return c.changes();
        default:
            break;
        }
        const Snapshot *s = lastSnapshot(observed);
        if (!s)
            return c.missing(e.a);
        switch (e.kind) {
        case Kind::Alias:
        case Kind::Copy:
        case Kind::Convert:
        case Kind::Transfer:
        case Kind::Same:
        case Kind::Unrelated:
        case Kind::Shared:
            return c.relation(*s);
        case Kind::ValueIs:
            return c.value(*s);
        default:
            return c.property(*s);
        }
    } catch (const std::exception &ex) {
        // Never throws: a check that could not be made is not held, and says why.
        return {false, "could not be checked", ex.what()};
    }
}

} // namespace memscope::engine
