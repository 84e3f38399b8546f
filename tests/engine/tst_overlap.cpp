// SPDX-License-Identifier: GPL-3.0-or-later
// The exact overlap test against an independent ground truth: the sets of
// bytes each view touches, enumerated element by element.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/layout.h"
#include "engine/overlap.h"
#include <random>
#include <set>
#endif

using namespace memscope::engine;

namespace {

std::set<Address> bytesOf(Address base, const Layout &l)
{
    std::set<Address> out;
    for (std::int64_t i = 0; i < l.numel(); ++i) {
        const Address at = base + static_cast<Address>(l.flatOffset(i));
        for (std::int64_t b = 0; b < l.itemSize(); ++b)
            out.insert(at + static_cast<Address>(b));
    }
    return out;
}

bool bruteForceShares(Address baseA, const Layout &a, Address baseB, const Layout &b)
{
    const auto sa = bytesOf(baseA, a);
    for (Address x : bytesOf(baseB, b))
        if (sa.contains(x))
            return true;
    return false;
}

// A random view inside a 128-byte buffer: 1-3 dims, positive, negative and
// zero strides, several item sizes.
Layout randomView(std::mt19937 &rng)
{
    static const DType types[] = {DType::Int8, DType::Int16, DType::Float32, DType::Float64, DType::Complex128};
    for (;;) {
        Layout l;
        l.dtype = types[rng() % 5];
        const int nd = 1 + static_cast<int>(rng() % 3);
        for (int d = 0; d < nd; ++d) {
            l.shape.push_back(static_cast<std::int64_t>(rng() % 5));
            std::int64_t s = static_cast<std::int64_t>(rng() % 25) - 12;
            if (rng() % 4 == 0)
                s *= l.itemSize(); // many real views have item-multiple strides
            l.strides.push_back(s);
        }
        l.offset = static_cast<std::int64_t>(rng() % 128);
        const ByteRange b = l.byteBounds();
        if (b.lo >= 0 && b.hi <= 128)
            return l;
    }
}

} // namespace

class TestOverlap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Bytes both views touch, not the overlap of their ranges (issue 8's cases).
    void sharedBytesAreCountedByElement_data()
    {
        QTest::addColumn<std::uint64_t>("shared");
        QTest::addColumn<std::uint64_t>("expected");
        const Address base = 0x10000;
        const Layout a = Layout::contiguous(DType::Float64, {12});
        const Layout even = slice(a, 0, 0, std::nullopt, 2);
        const Layout odd = slice(a, 0, 1, std::nullopt, 2);
        QTest::newRow("a[::2] of 12 float64")
            << sharedBytes(PlacedView::of(base, a), PlacedView::of(base, even)) << std::uint64_t(48);
        QTest::newRow("a[::2] and a[1::2]")
            << sharedBytes(PlacedView::of(base, even), PlacedView::of(base, odd)) << std::uint64_t(0);
        // z.real of two complex128: 8 of every 16 bytes.
        const Layout z = Layout::contiguous(DType::Complex128, {2});
        const Layout real {DType::Float64, 0, {2}, {16}};
        QTest::newRow("z.real") << sharedBytes(PlacedView::of(base, z), PlacedView::of(base, real))
                                << std::uint64_t(16);
        // t.narrow(1, 1, 2) of a (2, 3) float64.
        const Layout t = Layout::contiguous(DType::Float64, {2, 3});
        const Layout narrow {DType::Float64, 8, {2, 2}, {24, 8}};
        QTest::newRow("narrow") << sharedBytes(PlacedView::of(base, t), PlacedView::of(base, narrow))
                                << std::uint64_t(32);
        QTest::newRow("narrow, other order")
            << sharedBytes(PlacedView::of(base, narrow), PlacedView::of(base, t)) << std::uint64_t(32);
        // A broadcast view of 10^12 rows touches its base's 24 bytes: answered from extents.
        const Layout b3 = Layout::contiguous(DType::Float64, {3});
        const Layout wide {DType::Float64, 0, {1'000'000'000'000, 3}, {0, 8}};
        QTest::newRow("broadcast 10^12 x 3")
            << sharedBytes(PlacedView::of(base, b3), PlacedView::of(base, wide)) << std::uint64_t(24);
        const Layout reversed = slice(a, 0, std::nullopt, std::nullopt, -1);
        QTest::newRow("reversed") << sharedBytes(PlacedView::of(base, a), PlacedView::of(base, reversed))
                                  << std::uint64_t(96);
        QTest::newRow("disjoint") << sharedBytes(PlacedView::of(base, a), PlacedView::of(base + 4096, a))
                                  << std::uint64_t(0);
        QTest::newRow("half overlap") << sharedBytes(PlacedView::of(base, a), PlacedView::of(base + 48, a))
                                      << std::uint64_t(48);
    }
    void sharedBytesAreCountedByElement()
    {
        QFETCH(std::uint64_t, shared);
        QFETCH(std::uint64_t, expected);
        QCOMPARE(shared, expected);
    }

    void interleavedSlicesDoNotAlias()
    {
        const Layout a = Layout::contiguous(DType::Float64, {100});
        const Layout even = slice(a, 0, 0, std::nullopt, 2);
        const Layout odd = slice(a, 0, 1, std::nullopt, 2);
        const Address base = 0x10000;
        QCOMPARE(viewsOverlap(PlacedView::of(base, even), PlacedView::of(base, odd)), Overlap::No);
        QCOMPARE(viewsOverlap(PlacedView::of(base, even), PlacedView::of(base, a)), Overlap::Yes);
        const Layout every4 = slice(a, 0, 2, std::nullopt, 4);
        QCOMPARE(viewsOverlap(PlacedView::of(base, even), PlacedView::of(base, every4)), Overlap::Yes);
        QCOMPARE(viewsOverlap(PlacedView::of(base, odd), PlacedView::of(base, every4)), Overlap::No);
    }

    void interleaved2D()
    {
        const Layout a = Layout::contiguous(DType::Float32, {100, 100});
        const Layout left = slice(a, 1, 0, std::nullopt, 2);
        const Layout right = slice(a, 1, 1, std::nullopt, 2);
        QCOMPARE(viewsOverlap(PlacedView::of(0, left), PlacedView::of(0, right)), Overlap::No);
        QCOMPARE(viewsOverlap(PlacedView::of(0, transpose(left)), PlacedView::of(0, a)), Overlap::Yes);
        // A reinterpretation covers the same bytes as the original.
        QCOMPARE(viewsOverlap(PlacedView::of(0, reinterpret(left, DType::Int32)), PlacedView::of(0, right)),
                 Overlap::No);
    }

    void misalignedItemsOverlapByBytes()
    {
        // float64 elements at byte 0 and a float64 view starting at byte 4: shares bytes 4..7.
        const Layout a = Layout::contiguous(DType::Float64, {1});
        Layout b = a;
        b.offset = 4;
        QCOMPARE(viewsOverlap(PlacedView::of(0, a), PlacedView::of(0, b)), Overlap::Yes);
        b.offset = 8;
        QCOMPARE(viewsOverlap(PlacedView::of(0, a), PlacedView::of(0, b)), Overlap::No);
    }

    void zeroSizeNeverOverlaps()
    {
        const Layout a = Layout::contiguous(DType::Float64, {10});
        const Layout empty = slice(a, 0, 3, 3);
        QCOMPARE(viewsOverlap(PlacedView::of(0, a), PlacedView::of(0, empty)), Overlap::No);
    }

    void randomAgainstBruteForce()
    {
        std::mt19937 rng(12345);
        int yes = 0;
        int no = 0;
        for (int i = 0; i < 20000; ++i) {
            const Layout a = randomView(rng);
            const Layout b = randomView(rng);
            const bool truth = bruteForceShares(0x1000, a, 0x1000, b);
            const Overlap got = viewsOverlap(PlacedView::of(0x1000, a), PlacedView::of(0x1000, b));
            if (got == Overlap::TooHard || (got == Overlap::Yes) != truth)
                QFAIL(qPrintable(QStringLiteral("a = %1, b = %2: truth %3, got %4")
                                     .arg(QString::fromStdString(a.describe()), QString::fromStdString(b.describe()))
                                     .arg(truth)
                                     .arg(int(got))));
            (truth ? yes : no)++;
        }
        // Both answers must have been exercised a fair number of times.
        QVERIFY2(yes > 2000 && no > 2000, qPrintable(QStringLiteral("yes %1 no %2").arg(yes).arg(no)));
    }

    void sharedElementsAgainstBruteForce()
    {
        std::mt19937 rng(777);
        for (int i = 0; i < 3000; ++i) {
            const Layout a = randomView(rng);
            const Layout b = randomView(rng);
            const auto bBytes = bytesOf(0, b);
            std::vector<std::int64_t> truth;
            for (std::int64_t e = 0; e < a.numel(); ++e) {
                const auto at = static_cast<Address>(a.flatOffset(e));
                for (std::int64_t k = 0; k < a.itemSize(); ++k)
                    if (bBytes.contains(at + static_cast<Address>(k))) {
                        truth.push_back(e);
                        break;
                    }
            }
            QCOMPARE(sharedElements(PlacedView::of(0, a), PlacedView::of(0, b), 1 << 20), truth);
        }
    }

    void largeViewsStayExactAndFast()
    {
        // 10^8-element buffers: the interleaved halves are decided without enumerating.
        const Layout a = Layout::contiguous(DType::Float32, {10000, 10000});
        const Layout evenCols = slice(a, 1, 0, std::nullopt, 2);
        const Layout oddCols = slice(a, 1, 1, std::nullopt, 2);
        QCOMPARE(viewsOverlap(PlacedView::of(0, evenCols), PlacedView::of(0, oddCols)), Overlap::No);
        const Layout lastRow = select(a, 0, 9999);
        QCOMPARE(viewsOverlap(PlacedView::of(0, lastRow), PlacedView::of(0, oddCols)), Overlap::Yes);
        QCOMPARE(viewsOverlap(PlacedView::of(0, transpose(evenCols)), PlacedView::of(0, oddCols)), Overlap::No);
    }
};

QTEST_APPLESS_MAIN(TestOverlap)
#include "tst_overlap.moc"
