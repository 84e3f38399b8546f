// SPDX-License-Identifier: GPL-3.0-or-later
// SnapshotBuilder on facts over real host memory: bounded alias relations,
// checked reads (unreadable objects are listed, not read), change counts of
// views whose logical size dwarfs their memory.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
#endif

using namespace memscope::engine;

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
