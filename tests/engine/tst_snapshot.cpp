// SPDX-License-Identifier: GPL-3.0-or-later
// SnapshotBuilder on facts over real host memory: bounded alias relations,
// checked reads (unreadable objects are listed, not read), change counts of
// views whose logical size dwarfs their memory.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#include "stepfixtures.h"
#include <complex>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
#endif

using namespace memscope::engine;
using memscope::test::captureValues;

namespace {

Address addr(const void *p)
{
    return static_cast<Address>(reinterpret_cast<std::uintptr_t>(p));
}

MemoryFact fact(std::string name, const void *data, std::vector<std::int64_t> shape, std::vector<std::int64_t> strides,
                const void *allocBase = nullptr, std::uint64_t allocSize = 0)
{
    MemoryFact f;
    f.names = {std::move(name)};
    f.objectId = std::hash<std::string> {}(f.names[0]);
    f.framework = Framework::NumPy;
    f.typeName = "numpy.ndarray";
    f.dtype = DType::Float64;
    f.data = addr(data);
    f.shape = std::move(shape);
    f.strides = std::move(strides);
    if (allocBase)
        f.allocation = {true, addr(allocBase), allocSize};
    return f;
}

const FactRelation *relationBetween(const Snapshot &s, std::string_view from, std::string_view to)
{
    for (const FactRelation &r : s.relations) {
        const std::string_view a = s.facts[std::size_t(r.from)].names[0];
        const std::string_view b = s.facts[std::size_t(r.to)].names[0];
        if ((a == from && b == to) || (a == to && b == from))
            return &r;
    }
    return nullptr;
}

StepInfo assign(std::string statement, std::string name, std::vector<std::string> referenced)
{
    return {std::move(statement), {{std::move(name), std::move(referenced)}}, {}, {}};
}

std::vector<MemoryFact> viewsOfOneBuffer(const std::vector<double> &base, int n)
{
    std::vector<MemoryFact> facts;
    for (int i = 0; i < n; ++i)
        facts.push_back(fact("v" + std::to_string(i), base.data(), {16}, {8}, base.data(), 128));
    return facts;
}

} // namespace

class TestSnapshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // `a = np.arange(8.0); e = a[::2]; o = a[1::2]; del a`: one allocation is
    // one buffer (one number, one colour) though e and o share no byte.
    void oneAllocationIsOneBuffer()
    {
        std::vector<double> a(8, 1.0);
        SnapshotBuilder builder;
        std::vector<MemoryFact> facts {fact("a", a.data(), {8}, {8}, a.data(), 64),
                                       fact("e", a.data(), {4}, {16}, a.data(), 64),
                                       fact("o", a.data() + 1, {4}, {16}, a.data(), 64)};
        auto s = builder.build(facts, {});
        QCOMPARE(s->buffers.size(), std::size_t(1));
        const int number = s->buffers[0].number;
        facts.erase(facts.begin()); // del a
        s = builder.build(facts, {});
        QCOMPARE(s->buffers.size(), std::size_t(1));
        QCOMPARE(s->buffers[0].number, number);
        QCOMPARE(s->buffers[0].hi - s->buffers[0].lo, Address(64));
        QVERIFY(s->aliases.group[0] != s->aliases.group[1]); // still not aliases of each other
    }

    // Numbers are the buffers' own: a new name never renumbers an older buffer,
    // and the owner is the object seen first, not the first name in order.
    void bufferIdentityIsStable()
    {
        std::vector<double> x(4, 1.0), y(4, 2.0);
        SnapshotBuilder builder;
        MemoryFact zt = fact("zt", x.data(), {4}, {8}, x.data(), 32);
        zt.framework = Framework::Torch;
        auto s = builder.build({zt}, {"zt = torch.zeros(4)", {{"zt", {"torch"}}}, {}, {}});
        QCOMPARE(s->buffers.size(), std::size_t(1));
        const int first = s->buffers[0].number;
        QCOMPARE(s->buffers[0].owner, Framework::Torch);
        // A NumPy view named "an" (sorts before "zt") and a new buffer "b".
        MemoryFact an = fact("an", x.data(), {4}, {8});
        MemoryFact b = fact("b", y.data(), {4}, {8}, y.data(), 32);
        s = builder.build({an, b, zt}, {"an = zt.numpy(); b = np.ones(4)", {{"an", {"zt"}}, {"b", {"np"}}}, {}, {}});
        QCOMPARE(s->buffers.size(), std::size_t(2));
        const BufferInfo &shared = s->buffers[std::size_t(s->bufferOf[std::size_t(s->indexOf("zt"))])];
        QCOMPARE(shared.number, first);
        QCOMPARE(shared.owner, Framework::Torch); // not NumPy, though "an" comes first by name
        QCOMPARE(s->bufferOf[std::size_t(s->indexOf("an"))], s->bufferOf[std::size_t(s->indexOf("zt"))]);
        QVERIFY(s->buffers[std::size_t(s->bufferOf[std::size_t(s->indexOf("b"))])].number > first);
    }

    // Shared bytes are the bytes both views read, not the overlap of their
    // address ranges.
    void sharedBytesAreExact()
    {
        std::vector<double> a(12);
        std::vector<std::complex<double>> z(2);
        std::vector<double> t(6); // a (2, 3) float64 tensor
        SnapshotBuilder builder;
        const auto s = builder.build(
            {fact("a", a.data(), {12}, {8}, a.data(), 96), fact("ev", a.data(), {6}, {16}, a.data(), 96),
             fact("od", a.data() + 1, {6}, {16}, a.data(), 96), fact("t", t.data(), {2, 3}, {24, 8}, t.data(), 48),
             fact("nt", t.data() + 1, {2, 2}, {24, 8}, t.data(), 48)},
            {});
        QCOMPARE(relationBetween(*s, "a", "ev")->bytes, std::uint64_t(48)); // not 88
        QCOMPARE(relationBetween(*s, "t", "nt")->bytes, std::uint64_t(32)); // narrow(1, 1, 2): not 40
        QCOMPARE(relationBetween(*s, "ev", "od"), nullptr); // interleaved, no byte in common
        MemoryFact zf = fact("z", z.data(), {2}, {16}, z.data(), 32);
        zf.dtype = DType::Complex128;
        const auto sz = SnapshotBuilder().build({zf, fact("re", z.data(), {2}, {16}, z.data(), 32)}, {});
        QCOMPARE(relationBetween(*sz, "z", "re")->bytes, std::uint64_t(16)); // z.real: not 24
    }

    // The canvas lays objects out in fact order: the order they were first
    // seen, whatever their names.
    void factsAreInCreationOrder()
    {
        std::vector<double> x(2), y(2), w(2);
        SnapshotBuilder builder;
        builder.build({fact("zeta", x.data(), {2}, {8})}, assign("zeta = np.zeros(2)", "zeta", {"np"}));
        auto s = builder.build({fact("alpha", y.data(), {2}, {8}), fact("zeta", x.data(), {2}, {8})},
                               assign("alpha = np.zeros(2)", "alpha", {"np"}));
        QCOMPARE(s->facts[0].names[0], std::string("zeta"));
        QCOMPARE(s->facts[1].names[0], std::string("alpha"));
        QCOMPARE(s->indexOf("alpha"), 1);
        QCOMPARE(s->origins[1].step, 2); // per-fact data follows the order
        // Gone and back is new: it comes last.
        builder.build({fact("alpha", y.data(), {2}, {8})}, {});
        s = builder.build(
            {fact("alpha", y.data(), {2}, {8}), fact("mid", w.data(), {2}, {8}), fact("zeta", x.data(), {2}, {8})}, {});
        QCOMPARE(s->facts[0].names[0], std::string("alpha"));
        QCOMPARE(s->facts[1].names[0], std::string("mid"));
        QCOMPARE(s->facts[2].names[0], std::string("zeta"));
    }

    // Provenance across steps: a link is made when the object is bound, kept
    // as observed while both objects live (a copy stays a copy after its
    // values change), and gone with either object.
    void provenanceAcrossSteps()
    {
        std::vector<double> a {1, 2, 3, 4, 5, 6}, c {1, 2, 3, 4, 5, 6}, f {1, 4, 2, 5, 3, 6};
        const auto A = [&] { return captureValues(fact("a", a.data(), {2, 3}, {24, 8}, a.data(), 48)); };
        const auto C = [&] { return captureValues(fact("c", c.data(), {6}, {8}, c.data(), 48)); };
        const auto F = [&] { return captureValues(fact("f", f.data(), {6}, {8}, f.data(), 48)); };
        const auto AT = [&] { return captureValues(fact("at", a.data(), {3, 2}, {8, 24}, a.data(), 48)); };
        SnapshotBuilder builder;
        builder.build({A()}, assign("a = np.arange(1.0, 7.0).reshape(2, 3)", "a", {"np"}));
        auto s = builder.build({A(), C()}, assign("c = a.flatten()", "c", {"a"}));
        const FactRelation *r = relationBetween(*s, "a", "c");
        QVERIFY(r);
        QCOMPARE(r->relation, Relation::Copy);
        QCOMPARE(r->bytes, std::uint64_t(48));
        QCOMPARE(r->note, std::string("reshaped (2, 3) → (6,)"));
        QCOMPARE(r->step, 2);
        QCOMPARE(s->traffic[std::size_t(Direction::H2H)], std::uint64_t(48));
        // A transpose raveled: same elements in its own logical order.
        s = builder.build({A(), AT(), C()}, assign("at = a.T", "at", {"a"}));
        s = builder.build({A(), AT(), C(), F()}, assign("f = at.reshape(6)", "f", {"at"}));
        QCOMPARE(relationBetween(*s, "at", "f")->relation, Relation::Copy);
        QCOMPARE(relationBetween(*s, "a", "f"), nullptr); // not referenced, and values in another order
        QCOMPARE(s->traffic[std::size_t(Direction::H2H)], std::uint64_t(48)); // this step's traffic only
        c[0] = 100; // the copy diverges: still drawn as the copy it was made as
        s = builder.build({A(), AT(), C(), F()}, {"c[0] = 100", {}, {}, {}});
        r = relationBetween(*s, "a", "c");
        QVERIFY(r);
        QCOMPARE(r->relation, Relation::Copy);
        QCOMPARE(r->step, 2);
        QCOMPARE(s->origins[std::size_t(s->indexOf("c"))].statement, std::string("c = a.flatten()"));
        QCOMPARE(s->traffic[std::size_t(Direction::H2H)], std::uint64_t(0));
        s = builder.build({AT(), C(), F()}, {"del a", {}, {}, {}});
        QCOMPARE(relationBetween(*s, "a", "c"), nullptr);
        QCOMPARE(relationBetween(*s, "at", "f")->relation, Relation::Copy);
        // Rebinding a name to an existing object links nothing new.
        s = builder.build({AT(), C(), captureValues(fact("c", c.data(), {6}, {8}, c.data(), 48))},
                          assign("g = c", "c", {"c"}));
        QCOMPARE(relationBetween(*s, "at", "c"), nullptr);
    }

    // A copy too large for the values in the facts is compared live; a
    // comparison that cannot be made is said, never a silent "derived".
    void largeCopiesAreComparedLive()
    {
        const std::int64_t n = 1 << 16; // no values captured or hashed: as for objects over the limits
        std::vector<float> big(std::size_t(n), 1.5f), copy = big, other = big;
        other[std::size_t(n - 1)] = 2.0f;
        std::vector<double> wide(std::size_t(n), 1.5);
        const auto F = [](std::string name, const void *p, DType t) {
            MemoryFact f = fact(std::move(name), p, {(1 << 16)}, {std::int64_t(itemSize(t))});
            f.dtype = t;
            return f;
        };
        SnapshotBuilder builder;
        builder.build({F("big", big.data(), DType::Float32)}, {});
        auto s = builder.build({F("big", big.data(), DType::Float32), F("ch", copy.data(), DType::Float32)},
                               assign("ch = big.copy()", "ch", {"big"}));
        QCOMPARE(relationBetween(*s, "big", "ch")->relation, Relation::Copy);
        QCOMPARE(relationBetween(*s, "big", "ch")->bytes, std::uint64_t(4 * n));
        s = builder.build({F("big", big.data(), DType::Float32), F("ch", copy.data(), DType::Float32),
                           F("ot", other.data(), DType::Float32)},
                          assign("ot = f(big)", "ot", {"big"}));
        QCOMPARE(relationBetween(*s, "big", "ot")->relation, Relation::Derived);
        QCOMPARE(relationBetween(*s, "big", "ot")->note, std::string());
        s = builder.build({F("big", big.data(), DType::Float32), F("ch", copy.data(), DType::Float32),
                           F("ot", other.data(), DType::Float32), F("wd", wide.data(), DType::Float64)},
                          assign("wd = big.astype(np.float64)", "wd", {"big", "np"}));
        QCOMPARE(relationBetween(*s, "big", "wd")->relation, Relation::Convert);
        // On a device its memory is not read: said in the note.
        MemoryFact dev = F("dv", copy.data() + 8, DType::Float32);
        dev.device = Device::cuda(0, true);
        s = builder.build({F("big", big.data(), DType::Float32), dev}, assign("dv = big.to('cuda')", "dv", {"big"}));
        QCOMPARE(relationBetween(*s, "big", "dv")->relation, Relation::Derived);
        QVERIFY2(relationBetween(*s, "big", "dv")->note.starts_with("values not compared: "),
                 relationBetween(*s, "big", "dv")->note.c_str());
    }

    // Views whose element type is not shown still alias by their bytes; the
    // one decider answers the same for snapshots and for direct questions.
    void oneDeciderForEveryQuestion()
    {
        std::vector<double> a(4, 1.0), b(4, 1.0);
        MemoryFact fa = captureValues(fact("a", a.data(), {4}, {8}, a.data(), 32));
        MemoryFact fb = captureValues(fact("b", b.data(), {4}, {8}, b.data(), 32));
        MemoryFact structured = fact("s", a.data(), {2}, {16}, a.data(), 32);
        structured.unsupported = "dtype [('a', '<f8'), ('b', '<f8')] is not a numeric type MemScope shows";
        structured.opaqueItemSize = 16;
        QCOMPARE(decideRelation(fa, structured, std::nullopt), Relation::Alias);
        QCOMPARE(decideRelation(fb, structured, std::nullopt), Relation::Unrelated);
        QCOMPARE(decideRelation(fa, fb, std::nullopt), Relation::Unrelated); // values not compared
        QCOMPARE(decideRelation(fa, fb, true), Relation::Copy);
        QCOMPARE(relateFacts(fa, fb), Relation::Copy);
        MemoryFact onDevice = fb;
        onDevice.device = Device::cuda(0, true);
        QCOMPARE(relateFacts(fa, onDevice), Relation::Transfer);
        b[2] = 7;
        QCOMPARE(relateFacts(fa, captureValues(fact("b", b.data(), {4}, {8}))), Relation::Unrelated);
        // Same bytes on another device are not an alias.
        MemoryFact same = fa;
        same.device = Device::cuda(0, true);
        QCOMPARE(relateFacts(fa, same), Relation::Transfer);
        // The snapshot relates them as the decider does.
        const auto s = SnapshotBuilder().build({fa, structured}, {});
        QCOMPARE(relationBetween(*s, "a", "s")->relation, Relation::Alias);
        QCOMPARE(relationBetween(*s, "a", "s")->bytes, std::uint64_t(32));
    }

    // Changes found in memory are mapped to the elements of every object
    // viewing the changed bytes.
    void changesAreMappedToElements()
    {
        std::vector<double> a(8, 0.0);
        const auto facts = [&] {
            return std::vector<MemoryFact> {
                fact("a", a.data(), {8}, {8}, a.data(), 64), fact("e", a.data(), {4}, {16}, a.data(), 64),
                fact("o", a.data() + 1, {4}, {16}, a.data(), 64), fact("m", a.data(), {2, 4}, {32, 8}, a.data(), 64)};
        };
        SnapshotBuilder builder;
        builder.build(facts(), {});
        a[2] = 1.0;
        a[7] = 1.0;
        const auto s = builder.build(facts(), {"a[2] = 1; a[7] = 1", {}, {}, {}});
        QCOMPARE(s->changed[0], (std::vector<std::int64_t> {2, 7}));
        QCOMPARE(s->changed[1], (std::vector<std::int64_t> {1})); // e = a[::2]: a[2] is e[1]
        QCOMPARE(s->changed[2], (std::vector<std::int64_t> {3})); // o = a[1::2]: a[7] is o[3]
        QCOMPARE(s->changed[3], (std::vector<std::int64_t> {2, 7})); // m[0, 2] and m[1, 3], flat
        QCOMPARE(s->changedCount[1], std::int64_t(1));
        QVERIFY(s->changesExact[0]);
        const auto unchanged = builder.build(facts(), {});
        for (const auto &c : unchanged->changed)
            QVERIFY(c.empty());
    }

    void smallAliasGroupsRelateEveryPair()
    {
        std::vector<double> base(16);
        SnapshotBuilder builder;
        const auto s = builder.build(viewsOfOneBuffer(base, 10), {});
        QCOMPARE(s->aliases.members().size(), std::size_t(1));
        QCOMPARE(s->relations.size(), std::size_t(45)); // 10 * 9 / 2
    }

    void relationsOfThreeThousandViewsAreBounded()
    {
        // Every pair would be 4,498,500 relations (about 1 GB with statements).
        std::vector<double> base(16);
        SnapshotBuilder builder;
        const auto s = builder.build(viewsOfOneBuffer(base, 3000), {});
        QCOMPARE(s->aliases.members().size(), std::size_t(1));
        QCOMPARE(s->aliases.members()[0].size(), std::size_t(3000));
        QCOMPARE(s->relations.size(), std::size_t(2999)); // each member related to one hub
        for (const FactRelation &r : s->relations) {
            QCOMPARE(r.relation, Relation::Alias);
            QCOMPARE(r.bytes, std::uint64_t(128));
        }
        QCOMPARE(s->relationsOf(2999).size(), std::size_t(1));
    }

    void viewPastItsAllocationIsListedNotRead()
    {
        std::vector<double> base(4);
        std::vector<MemoryFact> facts;
        facts.push_back(fact("a", base.data(), {4}, {8}, base.data(), 32));
        facts.push_back(fact("oob", base.data(), {8}, {8}, base.data(), 32)); // as_strided(a, (8,), (8,))
        facts.push_back(fact("far", base.data(), {3}, {std::int64_t {1} << 40}));
        facts.push_back(fact("null", nullptr, {3}, {8}));
        facts.push_back(fact("overflow", base.data(), {std::int64_t {1} << 40, std::int64_t {1} << 30}, {0, 0}));
        SnapshotBuilder builder;
        const auto s = builder.build(std::move(facts), {});
        QVERIFY(s->facts[static_cast<std::size_t>(s->indexOf("a"))].isSupported());
        for (const char *name : {"oob", "far", "null", "overflow"}) {
            const MemoryFact &f = s->facts[static_cast<std::size_t>(s->indexOf(name))];
            QVERIFY2(f.unsupported.starts_with("memory not readable at 0x"), name);
        }
        QVERIFY(s->facts[static_cast<std::size_t>(s->indexOf("null"))].unsupported.find("null data pointer") !=
                std::string::npos);
        QVERIFY(s->facts[static_cast<std::size_t>(s->indexOf("oob"))].unsupported.find("reaches past its allocation") !=
                std::string::npos);
    }

    void unreadableMemoryIsNotedNotFaulted()
    {
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        void *m = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        QVERIFY(m != MAP_FAILED);
        auto *p = static_cast<std::byte *>(m);
        const auto n = static_cast<std::int64_t>(2 * page / 8);
        std::vector<double> other(8, 1.0);
        auto facts = [&] {
            std::vector<MemoryFact> f;
            f.push_back(fact("mapped", p, {n}, {8})); // no allocation known: e.g. a memmap
            f.push_back(fact("other", other.data(), {8}, {8}, other.data(), 64));
            return f;
        };
        SnapshotBuilder builder;
        QVERIFY(builder.build(facts(), {})->facts[0].isSupported());
        QCOMPARE(munmap(p + page, page), 0); // the second half goes away under the view
        const auto s = builder.build(facts(), {});
        QVERIFY2(s->facts[0].unsupported.starts_with("memory not readable at 0x"), s->facts[0].unsupported.c_str());
        QCOMPARE(s->notes.size(), std::size_t(1));
        QVERIFY2(s->notes[0].find("changes not tracked") != std::string::npos, s->notes[0].c_str());
        QVERIFY(s->facts[1].isSupported()); // everything else is still observed
        other[3] = 2.0;
        const auto s3 = builder.build(facts(), {});
        QCOMPARE(s3->changed[1], (std::vector<std::int64_t> {3}));
        munmap(p, page);
    }

    void truncatedFileMappingIsNotedNotFaulted()
    {
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        char name[] = "/tmp/memscope-snapshot-XXXXXX";
        const int fd = mkstemp(name);
        QVERIFY(fd >= 0);
        unlink(name);
        QCOMPARE(ftruncate(fd, static_cast<off_t>(4 * page)), 0);
        void *m = mmap(nullptr, 4 * page, PROT_READ, MAP_SHARED, fd, 0); // np.memmap(..., mode='r')
        QVERIFY(m != MAP_FAILED);
        const auto n = static_cast<std::int64_t>(4 * page / 8);
        auto facts = [&] { return std::vector<MemoryFact> {fact("mm", m, {n}, {8})}; };
        SnapshotBuilder builder;
        QVERIFY(builder.build(facts(), {})->facts[0].isSupported());
        QCOMPARE(ftruncate(fd, 100), 0); // loads past page 0 would raise SIGBUS now
        const auto s = builder.build(facts(), {});
        QVERIFY2(s->facts[0].unsupported.starts_with("memory not readable at 0x"), s->facts[0].unsupported.c_str());
        QCOMPARE(s->notes.size(), std::size_t(1));
        munmap(m, 4 * page);
        close(fd);
    }

    void broadcastChangeCountsEveryElementListsFew()
    {
        // base = np.zeros(1000); v = np.broadcast_to(base[:, None], (1000, 10**7)); base[999] = 1
        std::vector<double> base(1000, 0.0);
        auto facts = [&] {
            std::vector<MemoryFact> f;
            f.push_back(fact("base", base.data(), {1000}, {8}, base.data(), 8000));
            f.push_back(fact("v", base.data(), {1000, 10'000'000}, {8, 0}, base.data(), 8000));
            f.push_back(fact("x", base.data(), {1'000'000'000'000}, {0}, base.data(), 8000));
            return f;
        };
        SnapshotBuilder builder;
        builder.build(facts(), {});
        base[999] = 1.0;
        const auto s = builder.build(facts(), {});
        const auto v = static_cast<std::size_t>(s->indexOf("v"));
        QCOMPARE(s->changedCount[v], std::int64_t {10'000'000});
        QCOMPARE(s->changed[v].size(), static_cast<std::size_t>(kChangedListLimit));
        QCOMPARE(s->changed[v].front(), std::int64_t {999} * 10'000'000);
        QCOMPARE(s->changed[v].back(), std::int64_t {999} * 10'000'000 + kChangedListLimit - 1);
        const auto b = static_cast<std::size_t>(s->indexOf("base"));
        QCOMPARE(s->changed[b], (std::vector<std::int64_t> {999}));
        QCOMPARE(s->changedCount[b], std::int64_t {1});
        const auto x = static_cast<std::size_t>(s->indexOf("x"));
        QCOMPARE(s->changedCount[x], std::int64_t {0}); // x views base[0] only
        base[0] = 5.0;
        const auto s2 = builder.build(facts(), {});
        QCOMPARE(s2->changedCount[x], std::int64_t {1'000'000'000'000});
        QCOMPARE(s2->changed[x].size(), static_cast<std::size_t>(kChangedListLimit));
    }
};

QTEST_APPLESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
