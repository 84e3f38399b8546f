// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/layout.h"
#include "testruntime.h"
#endif

using namespace memscope::engine;
using memscope::engine::testing::codeOf;
using V = std::vector<std::int64_t>;

namespace {

// Byte offsets of every element in C order: the ground truth a layout op must preserve.
V offsets(const Layout &l)
{
    V out;
    for (std::int64_t i = 0; i < l.numel(); ++i)
        out.push_back(l.elementOffset(l.unravel(i)));
    return out;
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contiguous()
    {
        const Layout l = Layout::contiguous(DType::Float32, {2, 3, 4});
        QCOMPARE(l.strides, (V {48, 16, 4}));
        QCOMPARE(l.numel(), 24);
        QVERIFY(l.isCContiguous());
        QVERIFY(l.isGapless());
        QCOMPARE(l.byteBounds(), (ByteRange {0, 96}));
        QCOMPARE(QString::fromStdString(l.describe()),
                 QStringLiteral("float32 (2, 3, 4) strides (48, 16, 4) offset 0"));
    }

    void sliceLikePython()
    {
        const Layout a = Layout::contiguous(DType::Float64, {10}); // element i at 8*i
        QCOMPARE(offsets(slice(a, 0, 2, 8, 3)), (V {16, 40})); // a[2:8:3]
        QCOMPARE(offsets(slice(a, 0, std::nullopt, std::nullopt, -1)).front(), 72); // a[::-1]
        QCOMPARE(slice(a, 0, std::nullopt, std::nullopt, -1).strides, (V {-8}));
        QCOMPARE(offsets(slice(a, 0, -3, std::nullopt)), (V {56, 64, 72})); // a[-3:]
        QCOMPARE(offsets(slice(a, 0, 8, 2, -2)), (V {64, 48, 32})); // a[8:2:-2]
        QCOMPARE(slice(a, 0, 5, 2).numel(), 0); // a[5:2] is empty
        QCOMPARE(offsets(slice(a, 0, -100, 100)).size(), std::size_t(10)); // clamped
        QCOMPARE(codeOf([&] { slice(a, 0, 0, 1, 0); }), std::optional(ErrorCode::InvalidArgument));
        QCOMPARE(codeOf([&] { slice(a, 1, 0, 1); }), std::optional(ErrorCode::InvalidArgument));
    }

    void negativeStrideBounds()
    {
        const Layout a = Layout::contiguous(DType::Int32, {2, 3});
        const Layout r = slice(slice(a, 0, std::nullopt, std::nullopt, -1), 1, std::nullopt, std::nullopt, -1);
        QCOMPARE(r.offset, 20);
        QCOMPARE(r.strides, (V {-12, -4}));
        QCOMPARE(r.byteBounds(), (ByteRange {0, 24}));
        QVERIFY(r.isGapless());
        QVERIFY(!r.isCContiguous());
    }

    void selectAndPermute()
    {
        const Layout a = Layout::contiguous(DType::Float32, {2, 3});
        const Layout col = select(a, 1, -1); // a[:, -1]
        QCOMPARE(offsets(col), (V {8, 20}));
        QCOMPARE(codeOf([&] { select(a, 0, 2); }), std::optional(ErrorCode::OutOfRange));
        const int perm[] = {1, 0};
        QCOMPARE(permute(a, perm).strides, (V {4, 12}));
        QCOMPARE(transpose(a).shape, (V {3, 2}));
        const int bad[] = {0, 0};
        QCOMPARE(codeOf([&] { permute(a, bad); }), std::optional(ErrorCode::InvalidArgument));
    }

    void reshapeWithoutCopy()
    {
        const Layout a = Layout::contiguous(DType::Float64, {4, 6});
        const V target {2, -1, 3};
        const Layout r = reshape(a, target);
        QCOMPARE(r.shape, (V {2, 4, 3}));
        QCOMPARE(offsets(r), offsets(a));

        // Rows of a strided slice stay expressible: a[::2] -> (2, 2, 3).
        const Layout rows = slice(a, 0, std::nullopt, std::nullopt, 2);
        const V split {2, 2, 3};
        QCOMPARE(offsets(reshape(rows, split)), offsets(rows));

        // A transpose cannot be flattened without copying (NumPy copies; we refuse).
        const V flat {-1};
        QCOMPARE(codeOf([&] { reshape(transpose(a), flat); }), std::optional(ErrorCode::NotPossible));
        // Column slice: merging its dims would need a copy too.
        QCOMPARE(codeOf([&] { reshape(slice(a, 1, 0, 3), flat); }), std::optional(ErrorCode::NotPossible));
        // But splitting a strided dimension is fine: a[:, ::2] (4, 3) -> (4, 3, 1).
        const V withOne {4, 3, 1};
        QCOMPARE(offsets(reshape(slice(a, 1, std::nullopt, std::nullopt, 2), withOne)),
                 offsets(slice(a, 1, std::nullopt, std::nullopt, 2)));

        const V wrong {5, 5};
        QCOMPARE(codeOf([&] { reshape(a, wrong); }), std::optional(ErrorCode::InvalidArgument));
        const V twoUnknown {-1, -1};
        QCOMPARE(codeOf([&] { reshape(a, twoUnknown); }), std::optional(ErrorCode::InvalidArgument));
    }

    void reinterpretDType()
    {
        const Layout a = Layout::contiguous(DType::Float64, {2, 3});
        const Layout i32 = reinterpret(a, DType::Int32);
        QCOMPARE(i32.shape, (V {2, 6}));
        QCOMPARE(i32.strides, (V {24, 4}));
        QCOMPARE(i32.byteBounds(), a.byteBounds());
        const Layout u64 = reinterpret(a, DType::UInt64);
        QCOMPARE(u64.shape, a.shape);
        const Layout c128 = reinterpret(Layout::contiguous(DType::Float64, {2, 4}), DType::Complex128);
        QCOMPARE(c128.shape, (V {2, 2}));
        // Non-contiguous last dim, or bytes that do not divide: refused.
        QCOMPARE(codeOf([&] { reinterpret(transpose(a), DType::Int32); }), std::optional(ErrorCode::NotPossible));
        QCOMPARE(codeOf([&] {
                     reinterpret(Layout::contiguous(DType::Float64, {2, 3}), DType::Complex128);
                 }),
                 std::optional(ErrorCode::NotPossible));
        QCOMPARE(codeOf([&] { reinterpret(Layout::contiguous(DType::Int16, {}), DType::Int32); }),
                 std::optional(ErrorCode::NotPossible));
    }

    void broadcastZeroStrides()
    {
        const Layout row = Layout::contiguous(DType::Float32, {3});
        const V shape {4, 3};
        const Layout b = broadcastTo(row, shape);
        QCOMPARE(b.strides, (V {0, 4}));
        QCOMPARE(b.byteBounds(), (ByteRange {0, 12}));
        QVERIFY(b.hasInternalOverlap());
        QVERIFY(b.isGapless());
        QVERIFY(!row.hasInternalOverlap());
        const V bad {4, 2};
        QCOMPARE(codeOf([&] { broadcastTo(row, bad); }), std::optional(ErrorCode::InvalidArgument));
    }

    void gaps()
    {
        const Layout a = Layout::contiguous(DType::Float64, {10});
        QVERIFY(!slice(a, 0, std::nullopt, std::nullopt, 2).isGapless());
        QVERIFY(transpose(Layout::contiguous(DType::Int8, {3, 5})).isGapless());
        QVERIFY(!slice(Layout::contiguous(DType::Int8, {3, 5}), 1, 0, 4).isGapless());
        QVERIFY(!Layout::contiguous(DType::Int8, {0}).isGapless());
    }

    void indexErrors()
    {
        const Layout a = Layout::contiguous(DType::Float32, {2, 3});
        const V tooFar {2, 0};
        QCOMPARE(codeOf([&] { a.elementOffset(tooFar); }), std::optional(ErrorCode::OutOfRange));
        const V short_ {1};
        QCOMPARE(codeOf([&] { a.elementOffset(short_); }), std::optional(ErrorCode::InvalidArgument));
        QCOMPARE(codeOf([&] { Layout::contiguous(DType::Float32, {-1}); }), std::optional(ErrorCode::InvalidArgument));
    }
};

QTEST_APPLESS_MAIN(TestLayout)
#include "tst_layout.moc"
