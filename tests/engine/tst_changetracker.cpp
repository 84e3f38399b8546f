// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/changetracker.h"
#include "engine/layout.h"
#include <cstring>
#include <numeric>
#include <random>
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace memscope::engine;
using V = std::vector<std::int64_t>;

namespace {
std::span<const std::byte> bytes(const std::vector<double> &v)
{
    return std::as_bytes(std::span(v));
}

// Every element, tested one by one: the reference for findChangedElements.
ElementHits bruteForce(const Layout &l, const std::vector<ByteRange> &ranges, std::int64_t limit)
{
    ElementHits hits;
    for (std::int64_t flat = 0; flat < l.numel(); ++flat) {
        const std::int64_t off = l.flatOffset(flat);
        bool hit = false;
        for (const ByteRange &r : ranges)
            hit = hit || (r.lo < off + l.itemSize() && off < r.hi);
        if (!hit)
            continue;
        ++hits.total;
        if (static_cast<std::int64_t>(hits.indices.size()) < limit)
            hits.indices.push_back(flat);
    }
    return hits;
}
} // namespace

class TestChangeTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shadowFindsExactBytes()
    {
        ChangeTracker tracker;
        std::vector<double> data(1000);
        std::iota(data.begin(), data.end(), 0.0);
        ChangeSet first = tracker.observe(7, bytes(data));
        QVERIFY(first.firstSeen);
        QVERIFY(!first.changed());
        QCOMPARE(tracker.mode(7), ChangeTracker::Mode::Shadow);

        QVERIFY(!tracker.observe(7, bytes(data)).changed());
        data[3] = -1.0;
        data[900] = 5.5;
        ChangeSet cs = tracker.observe(7, bytes(data));
        QVERIFY(cs.exact);
        QCOMPARE(cs.ranges.size(), std::size_t(2));
        QVERIFY(cs.ranges[0].lo >= 24 && cs.ranges[0].hi <= 32);
        QVERIFY(cs.ranges[1].lo >= 7200 && cs.ranges[1].hi <= 7208);
        // The shadow follows: the same bytes again are no change.
        QVERIFY(!tracker.observe(7, bytes(data)).changed());
    }

    void changesMapToElementsOfEveryView()
    {
        ChangeTracker tracker;
        std::vector<double> data(12, 0.0); // a (3, 4) float64 buffer
        tracker.observe(1, bytes(data));
        data[6] = 1.0; // a[1, 2]
        const ChangeSet cs = tracker.observe(1, bytes(data));
        const Layout a = Layout::contiguous(DType::Float64, {3, 4});
        QCOMPARE(changedElements(a, cs.ranges, 100), (V {6}));
        QCOMPARE(changedElements(transpose(a), cs.ranges, 100), (V {7})); // t[2, 1]
        QCOMPARE(changedElements(select(a, 0, 1), cs.ranges, 100), (V {2}));
        QCOMPARE(changedElements(select(a, 0, 0), cs.ranges, 100), V {});
        QCOMPARE(changedElements(slice(a, 1, 0, std::nullopt, 2), cs.ranges, 100), (V {3})); // a[:, ::2][1, 1]
        QCOMPARE(changedElements(slice(a, 1, 1, std::nullopt, 2), cs.ranges, 100), V {});
        // A float32 reinterpretation sees two changed halves of the element.
        QCOMPARE(changedElements(reinterpret(a, DType::Float32), cs.ranges, 100).size(), std::size_t(1));
    }

    void hashedAboveBudget()
    {
        ChangeOptions opt;
        opt.shadowBudget = 1024; // bytes
        opt.pageSize = 256;
        ChangeTracker tracker(opt);
        std::vector<double> small(64, 1.0); // 512 bytes: shadowed
        std::vector<double> large(4096, 1.0); // 32 KiB: hashed
        tracker.observe(1, bytes(small));
        tracker.observe(2, bytes(large));
        QCOMPARE(tracker.mode(1), ChangeTracker::Mode::Shadow);
        QCOMPARE(tracker.mode(2), ChangeTracker::Mode::Hashed);
        QVERIFY(tracker.memoryUsed() < 512 + 4096); // shadow + 128 hashes, not 32 KiB
        large[100] = 2.0; // byte 800 -> page 3 (768..1024)
        const ChangeSet cs = tracker.observe(2, bytes(large));
        QVERIFY(!cs.exact);
        QCOMPARE(cs.ranges.size(), std::size_t(1));
        QCOMPARE(cs.ranges[0], (ByteRange {768, 1024}));
        QVERIFY(!tracker.observe(2, bytes(large)).changed());
        large.back() = 3.0;
        QCOMPARE(tracker.observe(2, bytes(large)).ranges.back().hi, std::int64_t(32768));
    }

    void largeBufferCostsMegabytesNotGigabytes()
    {
        ChangeOptions opt;
        opt.shadowBudget = 1 << 20;
        ChangeTracker tracker(opt);
        std::vector<std::byte> big(std::size_t {64} << 20, std::byte {0});
        tracker.observe(1, big);
        QCOMPARE(tracker.mode(1), ChangeTracker::Mode::Hashed);
        QVERIFY2(tracker.memoryUsed() <= (std::size_t {64} << 20) / 4096 * 8,
                 qPrintable(QString::number(tracker.memoryUsed())));
        big[12345678] = std::byte {1};
        const ChangeSet cs = tracker.observe(1, big);
        QCOMPARE(cs.ranges.size(), std::size_t(1));
        QVERIFY(cs.ranges[0].lo <= 12345678 && cs.ranges[0].hi > 12345678);
    }

    void bigShadowSplitAcrossThreadsIsExact()
    {
        ChangeTracker tracker; // 256 MiB budget: shadowed, compared on two threads
        std::vector<std::byte> big(std::size_t {24} << 20, std::byte {0});
        tracker.observe(1, big);
        const std::size_t mid = big.size() / 2;
        big[mid - 1] = std::byte {1}; // an edit run across the split point
        big[mid] = std::byte {1};
        big[5] = std::byte {2};
        const ChangeSet cs = tracker.observe(1, big);
        QCOMPARE(cs.ranges.size(), std::size_t(2));
        QCOMPARE(cs.ranges[0], (ByteRange {5, 6}));
        QCOMPARE(cs.ranges[1], (ByteRange {std::int64_t(mid - 1), std::int64_t(mid + 1)}));
    }

    void changedElementsMatchEveryElementTest()
    {
        std::mt19937 rng(5);
        const Layout a = Layout::contiguous(DType::Float64, {6, 5, 4}); // 960 bytes
        std::vector<Layout> layouts = {
            a,
            transpose(a),
            slice(a, 1, std::nullopt, std::nullopt, -2),
            select(slice(a, 2, 1, 3), 0, 4),
            reinterpret(a, DType::Float32),
            reinterpret(a, DType::Int16),
            broadcastTo(select(a, 2, 1), std::vector<std::int64_t> {3, 6, 5}),
            Layout {DType::Float64, 0, {20, 20}, {8, 8}}, // self-overlapping (as_strided)
            Layout {DType::Float64, 952, {10, 7}, {-80, -16}},
            Layout {DType::Int32, 4, {4, 1, 3, 5}, {0, 64, 200, -4 + 8}},
        };
        for (int trial = 0; trial < 300; ++trial) {
            std::vector<ByteRange> ranges;
            std::int64_t at = static_cast<std::int64_t>(rng() % 40);
            while (at < 960) {
                const std::int64_t len = 1 + static_cast<std::int64_t>(rng() % (trial % 3 == 0 ? 200 : 9));
                ranges.push_back({at, std::min<std::int64_t>(at + len, 960)});
                at += len + 1 + static_cast<std::int64_t>(rng() % 150);
            }
            for (const Layout &l : layouts) {
                const std::int64_t limit = trial % 2 ? 1000 : 7;
                const ElementHits want = bruteForce(l, ranges, limit);
                const ElementHits got = findChangedElements(l, ranges, limit);
                QVERIFY2(got.totalExact, qPrintable(QString::fromStdString(l.describe())));
                QCOMPARE(got.total, want.total);
                QCOMPARE(got.indices, want.indices);
            }
        }
    }

    void changedElementsOfHugeBroadcastViewsAreCountedNotListed()
    {
        // np.broadcast_to(base[:, None], (1000, 10**7)) after base[999] = 1
        const Layout v {DType::Float64, 0, {1000, 10'000'000}, {8, 0}};
        const std::vector<ByteRange> changed {{999 * 8, 1000 * 8}};
        const ElementHits hits = findChangedElements(v, changed, 100);
        QCOMPARE(hits.total, std::int64_t {10'000'000});
        QVERIFY(hits.totalExact);
        QCOMPARE(hits.indices.size(), std::size_t(100));
        for (std::size_t i = 0; i < hits.indices.size(); ++i)
            QCOMPARE(hits.indices[i], std::int64_t {999} * 10'000'000 + static_cast<std::int64_t>(i));
        // as_strided(a, (10**12,), (0,)) and (2**40, 2**19) with zero strides: every element hit.
        const Layout x {DType::Float64, 0, {1'000'000'000'000}, {0}};
        const std::vector<ByteRange> first {{0, 1}};
        QCOMPARE(findChangedElements(x, first, 10).total, std::int64_t {1'000'000'000'000});
        QCOMPARE(findChangedElements(x, first, 10).indices, (V {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        const Layout y {DType::Float64, 0, {std::int64_t {1} << 40, std::int64_t {1} << 19}, {0, 0}};
        QCOMPARE(findChangedElements(y, first, 3).total, std::int64_t {1} << 59);
        QCOMPARE(findChangedElements(x, std::vector<ByteRange> {{8, 16}}, 10).total, std::int64_t {0});
        // np.broadcast_to(np.zeros(3), (10**9, 3)) with its middle element changed.
        const Layout b {DType::Float64, 0, {1'000'000'000, 3}, {0, 8}};
        const ElementHits mid = findChangedElements(b, std::vector<ByteRange> {{8, 16}}, 4);
        QCOMPARE(mid.total, std::int64_t {1'000'000'000});
        QCOMPARE(mid.indices, (V {1, 4, 7, 10}));
    }

    void changedElementsWorkIsBounded()
    {
        // A self-overlapping (10**6, 10**6) view: the search stops at its budget
        // and says its count is a lower bound.
        const Layout l {DType::Float64, 0, {1'000'000, 1'000'000}, {8, 8}};
        const ElementHits hits = findChangedElements(l, std::vector<ByteRange> {{8 * 500'000, 8 * 500'001}}, 10, 1000);
        QVERIFY(!hits.totalExact);
        QVERIFY(hits.total > 0);
        QVERIFY(hits.indices.size() <= 10);
    }

    void chunkBoundariesAreInvisible()
    {
        ChangeTracker tracker;
        const std::size_t chunk = ChangeTracker::kChunkSize;
        std::vector<std::byte> data(3 * chunk + 5, std::byte {0});
        tracker.observe(1, data);
        data[chunk - 2] = data[chunk - 1] = data[chunk] = std::byte {1}; // a run across a chunk boundary
        data[3 * chunk + 4] = std::byte {2}; // in the short last chunk
        const ChangeSet cs = tracker.observe(1, data);
        QCOMPARE(cs.ranges.size(), std::size_t(2));
        QCOMPARE(cs.ranges[0], (ByteRange {std::int64_t(chunk - 2), std::int64_t(chunk + 1)}));
        QCOMPARE(cs.ranges[1], (ByteRange {std::int64_t(3 * chunk + 4), std::int64_t(3 * chunk + 5)}));
    }

    void unreadableHostMemoryIsReportedNotFaulted()
    {
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        for (auto mode : {ChangeTracker::Mode::Shadow, ChangeTracker::Mode::Hashed}) {
            void *m = mmap(nullptr, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            QVERIFY(m != MAP_FAILED);
            auto *p = static_cast<std::byte *>(m);
            ChangeOptions opt;
            opt.shadowBudget = mode == ChangeTracker::Mode::Shadow ? std::size_t {1} << 20 : 0;
            ChangeTracker tracker(opt);
            const Address base = reinterpret_cast<std::uintptr_t>(p);
            QVERIFY(tracker.observeHost(1, base, 3 * page).firstSeen);
            QCOMPARE(tracker.mode(1), mode);
            p[10] = std::byte {1};
            QVERIFY(tracker.observeHost(1, base, 3 * page).changed());
            QCOMPARE(munmap(p + 2 * page, page), 0);
            const ChangeSet cs = tracker.observeHost(1, base, 3 * page);
            QVERIFY(!cs.readable);
            QVERIFY(!cs.changed());
            QVERIFY2(cs.note.starts_with("memory not readable at 0x"), cs.note.c_str());
            QVERIFY(!tracker.tracks(1));
            QVERIFY(!tracker.observeHost(2, base, 3 * page).readable); // also on first sight
            QVERIFY(tracker.observeHost(3, base, 2 * page).firstSeen);
            munmap(p, 2 * page);
        }
    }

    void resizedBufferStartsOver()
    {
        ChangeTracker tracker;
        std::vector<double> a(10, 0.0);
        tracker.observe(1, bytes(a));
        a.resize(20);
        QVERIFY(tracker.observe(1, bytes(a)).firstSeen);
        const std::size_t used = tracker.memoryUsed();
        tracker.forget(1);
        QVERIFY(tracker.memoryUsed() < used);
        QVERIFY(!tracker.tracks(1));
    }
};

QTEST_APPLESS_MAIN(TestChangeTracker)
#include "tst_changetracker.moc"
