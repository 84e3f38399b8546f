// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/operations.h"
#include "testruntime.h"

#include <algorithm>
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace memscope::engine;
using namespace memscope::engine::testing;
using V = std::vector<std::int64_t>;
using D = std::vector<double>;

class TestTensor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_rt = std::make_unique<Runtime>(emulatedOptions()); }
    void cleanup() { m_rt.reset(); }

    void writeThroughViewReachesEveryAlias()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float64, {2, 3}, range(6));
        Tensor t = a.transpose();
        Tensor row = a.select(0, 1);
        const V at {2, 1}; // t[2, 1] is a[1, 2]
        t.setFromText(at, "99");
        QCOMPARE(doubles(a), (D {0, 1, 2, 3, 4, 99}));
        QCOMPARE(doubles(row), (D {3, 4, 99}));
        QCOMPARE(t.data(), a.data());
        QCOMPARE(&t.buffer(), &a.buffer());
    }

    void negativeAndZeroStrides()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Int32, {5}, range(5));
        Tensor rev = a.slice(0, std::nullopt, std::nullopt, -1);
        QCOMPARE(doubles(rev), (D {4, 3, 2, 1, 0}));
        const V i0 {0};
        rev.setFromText(i0, "-1");
        QCOMPARE(doubles(a), (D {0, 1, 2, 3, -1}));

        const V shape {3, 5};
        Tensor b = a.broadcastTo(shape);
        QCOMPARE(b.strides(), (V {0, 4}));
        QCOMPARE(doubles(b.select(0, 2)), doubles(a));
        QVERIFY(b.readOnly()); // NumPy's broadcast_to views are read-only too
        const V at {1, 1};
        QCOMPARE(codeOf([&] { b.setFromText(at, "5"); }), std::optional(ErrorCode::ReadOnly));
    }

    void reinterpretSeesTheSameBytes()
    {
        Tensor f = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float32, {2}, std::vector<Scalar> {1.0, -2.0});
        Tensor bits = f.view(DType::UInt32);
        QCOMPARE(std::get<std::uint64_t>(bits.getFlat(0)), std::uint64_t(0x3F800000));
        QCOMPARE(std::get<std::uint64_t>(bits.getFlat(1)), std::uint64_t(0xC0000000));
        Tensor halves = f.view(DType::Int16);
        QCOMPARE(halves.shape(), (V {4}));
    }

    void readOnlyRefusedUnlessForced()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float32, {3}, range(3)).asReadOnly();
        const V i {1};
        const auto code = codeOf([&] { a.setFromText(i, "5"); });
        QCOMPARE(code, std::optional(ErrorCode::ReadOnly));
        QCOMPARE(doubles(a), (D {0, 1, 2})); // nothing changed
        a.setFromText(i, "5", WriteMode::Force);
        QCOMPARE(doubles(a), (D {0, 5, 2}));
    }

    void forcedWriteIntoReadOnlyPagesIsRefused()
    {
        // A foreign view of a page mapped without write permission (np.memmap
        // mode='r' wrapped with memscope.from_numpy): forcing must not fault.
        const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        void *p = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        QVERIFY(p != MAP_FAILED);
        static_cast<double *>(p)[1] = 4.0;
        QCOMPARE(mprotect(p, page, PROT_READ), 0);
        Tensor t = wrap(*m_rt, Device::cpu(), reinterpret_cast<Address>(p), page,
                        Layout::contiguous(DType::Float64, {4}), Owner::NumPy, nullptr, true);
        const V i {1};
        QCOMPARE(codeOf([&] { t.setFromText(i, "5"); }), std::optional(ErrorCode::ReadOnly));
        QCOMPARE(codeOf([&] { t.setFromText(i, "5", WriteMode::Force); }), std::optional(ErrorCode::ReadOnly));
        QCOMPARE(codeOf([&] { t.set(i, 5.0, WriteMode::Force); }), std::optional(ErrorCode::ReadOnly));
        QCOMPARE(static_cast<const double *>(p)[1], 4.0);
        // Writable underneath: forcing writes.
        QCOMPARE(mprotect(p, page, PROT_READ | PROT_WRITE), 0);
        t.setFromText(i, "5", WriteMode::Force);
        QCOMPARE(static_cast<const double *>(p)[1], 5.0);
        munmap(p, page);
    }

    void elementWritesAreCheckedInOneOrder()
    {
        // Index first, then read-only, then the text: the editor and setFromText agree.
        const ElementTarget ro {Layout::contiguous(DType::Int8, {2, 3}), true, "x", "numpy", "; force it"};
        QCOMPARE(codeOf([&] { prepareElementWrite(ro, 6, "abc", WriteMode::Checked); }),
                 std::optional(ErrorCode::OutOfRange));
        QCOMPARE(codeOf([&] { prepareElementWrite(ro, -1, "1", WriteMode::Force); }),
                 std::optional(ErrorCode::OutOfRange));
        QCOMPARE(codeOf([&] { prepareElementWrite(ro, 5, "abc", WriteMode::Checked); }),
                 std::optional(ErrorCode::ReadOnly));
        QCOMPARE(codeOf([&] { prepareElementWrite(ro, 5, "300", WriteMode::Force); }),
                 std::optional(ErrorCode::OutOfRange));
        try {
            prepareElementWrite(ro, 0, "1", WriteMode::Checked);
            QFAIL("accepted");
        } catch (const Error &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("x is read-only (numpy); the write was refused; force it"));
        }
        const V at {1, 2};
        const ElementWrite w = prepareElementWrite(ro, at, "-5", WriteMode::Force);
        QCOMPARE(w.offset, 5);
        QCOMPARE(w.size, std::size_t(1));
        QCOMPARE(int(static_cast<std::int8_t>(w.bytes[0])), -5);
        // Overflowing floats are refused the same way everywhere.
        Tensor f = Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, {2});
        const V i {0};
        QCOMPARE(codeOf([&] { f.setFromText(i, "1e400"); }), std::optional(ErrorCode::OutOfRange));
        QCOMPARE(doubles(f), (D {0, 0}));
    }

    void shapesThatOverflowAreRefused_data()
    {
        QTest::addColumn<V>("shape");
        QTest::newRow("2^40 x 2^40") << V {std::int64_t {1} << 40, std::int64_t {1} << 40};
        QTest::newRow("bytes only") << V {std::int64_t {1} << 61, 8};
        QTest::newRow("negative") << V {2, -3};
        // NumPy refuses these too ("array is too big"): the product is not allowed to wrap.
        QTest::newRow("wraps, then 0") << V {std::int64_t {1} << 32, std::int64_t {1} << 32, 0};
        QTest::newRow("0, then wraps") << V {0, std::int64_t {1} << 32, std::int64_t {1} << 32};
    }
    void shapesThatOverflowAreRefused()
    {
        QFETCH(V, shape);
        QCOMPARE(codeOf([&] { Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, shape); }),
                 std::optional(ErrorCode::InvalidArgument));
        QCOMPARE(codeOf([&] { Tensor::empty(*m_rt, Device::cuda(0, true), DType::Int8, shape); }),
                 std::optional(ErrorCode::InvalidArgument));
        // A view may not count more elements either (numel() would wrap).
        if (std::find(shape.begin(), shape.end(), -3) == shape.end()) {
            Tensor one = Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, {1});
            QCOMPARE(codeOf([&] { one.broadcastTo(shape); }), std::optional(ErrorCode::InvalidArgument));
        }
    }

    void zeroSizeShapesCostNothing()
    {
        const V shape {0, 1'000'000'000};
        QCOMPARE(checkedByteSize(DType::Float64, shape), 0);
        Tensor t = Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, shape);
        QCOMPARE(t.nbytes(), 0);
        QCOMPARE(t.numel(), 0);
    }

    void badEditsChangeNothing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("code");
        QTest::newRow("out of range") << "300" << int(ErrorCode::OutOfRange);
        QTest::newRow("not a number") << "abc" << int(ErrorCode::ParseError);
        QTest::newRow("fraction") << "1.5" << int(ErrorCode::ParseError);
    }
    void badEditsChangeNothing()
    {
        QFETCH(QString, text);
        QFETCH(int, code);
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Int8, {3}, range(3));
        const V i {1};
        QCOMPARE(codeOf([&] { a.setFromText(i, text.toStdString()); }), std::optional(ErrorCode(code)));
        QCOMPARE(doubles(a), (D {0, 1, 2}));
    }

    void badIndex()
    {
        Tensor a = Tensor::zeros(*m_rt, Device::cpu(), DType::Float32, {2, 2});
        const V tooFar {0, 2};
        QCOMPARE(codeOf([&] { a.get(tooFar); }), std::optional(ErrorCode::OutOfRange));
        // The index is checked before the text: a bad index is reported even with bad text.
        QCOMPARE(codeOf([&] { a.setFromText(tooFar, "abc"); }), std::optional(ErrorCode::OutOfRange));
        QCOMPARE(codeOf([&] { a.getFlat(4); }), std::optional(ErrorCode::OutOfRange));
    }

    void viewOutsideBufferRefused()
    {
        Tensor a = Tensor::zeros(*m_rt, Device::cpu(), DType::Float32, {4});
        Layout l = a.layout();
        l.offset = 8;
        QCOMPARE(codeOf([&] { Tensor(a.bufferPtr(), l); }), std::optional(ErrorCode::OutOfRange));
        l = a.layout();
        l.strides = {-4};
        QCOMPARE(codeOf([&] { Tensor(a.bufferPtr(), l); }), std::optional(ErrorCode::OutOfRange));
    }

    void elementAccessOnEmulatedDevice()
    {
        const Device gpu = m_rt->resolve("cuda:0");
        Tensor d = Tensor::fromValues(*m_rt, gpu, DType::Float16, {2, 2}, range(4));
        QVERIFY(d.device().emulated);
        QCOMPARE(codeOf([&] { (void)d.buffer().hostData(); }), std::optional(ErrorCode::Unsupported));
        const V at {1, 0};
        d.setFromText(at, "0.5");
        QCOMPARE(asDouble(d.get(at)), 0.5);
        QCOMPARE(doubles(d.transpose()), (D {0, 0.5, 1, 3})); // strided read stages through the host
        std::size_t read = 0;
        (void)d.transpose().contiguousBytes(&read);
        QCOMPARE(read, std::size_t(8)); // one transfer of the extent
    }

    void fromValuesChecksCount()
    {
        QCOMPARE(codeOf([&] {
                     Tensor::fromValues(*m_rt, Device::cpu(), DType::Float32, {2, 2}, range(3));
                 }),
                 std::optional(ErrorCode::InvalidArgument));
    }

    void zeroSizeTensors()
    {
        Tensor e = Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, {0, 3});
        QCOMPARE(e.numel(), 0);
        QVERIFY(e.values().empty());
        QCOMPARE(e.layout().byteBounds().size(), 0);
    }

private:
    std::unique_ptr<Runtime> m_rt;
};

QTEST_APPLESS_MAIN(TestTensor)
#include "tst_tensor.moc"
