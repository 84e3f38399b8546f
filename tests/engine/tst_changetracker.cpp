// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/changetracker.h"
#include "engine/layout.h"
#include <cstring>
#include <numeric>
#endif

using namespace memscope::engine;
using V = std::vector<std::int64_t>;

namespace {
std::span<const std::byte> bytes(const std::vector<double> &v)
{
    return std::as_bytes(std::span(v));
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
