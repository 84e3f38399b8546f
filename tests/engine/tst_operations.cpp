// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/operations.h"
#include "testruntime.h"
#endif

using namespace memscope::engine;
using namespace memscope::engine::testing;
using V = std::vector<std::int64_t>;
using D = std::vector<double>;

class TestOperations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_rt = std::make_unique<Runtime>(emulatedOptions());
        m_log = EventLog {};
    }
    void cleanup() { m_rt.reset(); }

    void copyIsDisjointAndEqual()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float64, {2, 3}, range(6));
        Tensor c = copy(*m_rt, a.transpose(), &m_log);
        QVERIFY(c.layout().isCContiguous());
        QVERIFY(c.buffer().id() != a.buffer().id());
        QCOMPARE(doubles(c), doubles(a.transpose()));
        const Event &e = m_log.events().back();
        QCOMPARE(e.relation, Relation::Copy);
        QCOMPARE(e.operation, std::string("copy"));
        QCOMPARE(e.bytesMoved(), std::uint64_t(48));
        QCOMPARE(e.transfers.front().direction, Direction::H2H);
        // Edits of the copy stay in the copy.
        const V at {0, 0};
        c.setFromText(at, "42");
        QCOMPARE(asDouble(a.getFlat(0)), 0.0);
    }

    void toSameDeviceIsTheSameTensor()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float32, {4}, range(4));
        Tensor same = to(*m_rt, a, Device::cpu(), false, &m_log);
        QCOMPARE(same.data(), a.data());
        QCOMPARE(m_log.events().back().relation, Relation::Alias); // observed, not assumed
        QCOMPARE(m_log.events().back().bytesMoved(), std::uint64_t(0));
        Tensor forced = to(*m_rt, a, Device::cpu(), true, &m_log);
        QCOMPARE(m_log.events().back().relation, Relation::Copy);
        QVERIFY(forced.data() != a.data());
    }

    void deviceRoundTrip()
    {
        const Device gpu = m_rt->resolve("cuda");
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Int16, {2, 3}, range(6, -3));
        Tensor d = to(*m_rt, a, gpu, false, &m_log);
        QCOMPARE(d.device(), gpu);
        QCOMPARE(m_log.events().back().relation, Relation::Transfer);
        QCOMPARE(m_log.totalBytes(Direction::H2D), std::uint64_t(12));
        Tensor back = to(*m_rt, d, Device::cpu(), false, &m_log);
        QCOMPARE(m_log.totalBytes(Direction::D2H), std::uint64_t(12));
        QCOMPARE(doubles(back), doubles(a));
        QVERIFY(back.data() != a.data());

        // Device to device on the same device: D2D, strided source staged through the host.
        Tensor dd = copy(*m_rt, d.transpose(), &m_log);
        QCOMPARE(dd.device(), gpu);
        QCOMPARE(doubles(dd), doubles(a.transpose()));
        const Event &e = m_log.events().back();
        QCOMPARE(e.relation, Relation::Copy);
        QCOMPARE(e.transfers.size(), std::size_t(2)); // D2H of the extent, H2D of the result
        QCOMPARE(e.transfers[0].direction, Direction::D2H);
        QCOMPARE(e.transfers[1].direction, Direction::H2D);

        Tensor contiguousCopy = copy(*m_rt, d, &m_log);
        QCOMPARE(m_log.events().back().transfers.front().direction, Direction::D2D);
        QCOMPARE(doubles(contiguousCopy), doubles(a));
    }

    void astypeFollowsNumPy()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float64, {4},
                                      std::vector<Scalar> {300.7, -1.9, 127.0, 1e20});
        Tensor i8 = astype(*m_rt, a, DType::Int8, true, &m_log);
        QCOMPARE(doubles(i8), (D {44, -1, 127, 0}));
        QCOMPARE(m_log.events().back().relation, Relation::Convert);
        QCOMPARE(m_log.events().back().operation, std::string("astype(int8)"));
        QCOMPARE(m_log.events().back().bytesMoved(), std::uint64_t(4));

        Tensor same = astype(*m_rt, a, DType::Float64, false, &m_log);
        QCOMPARE(same.data(), a.data());
        QCOMPARE(m_log.events().back().relation, Relation::Alias);
        Tensor copied = astype(*m_rt, a, DType::Float64, true, &m_log);
        QCOMPARE(m_log.events().back().relation, Relation::Copy);
        QVERIFY(copied.data() != a.data());

        // Conversion on a device: the result stays there.
        const Device gpu = m_rt->resolve("cuda:0");
        Tensor onGpu = to(*m_rt, a, gpu);
        Tensor f16 = astype(*m_rt, onGpu, DType::Float16, true, &m_log);
        QCOMPARE(f16.device(), gpu);
        QCOMPARE(doubles(f16)[2], 127.0);
        QVERIFY(std::isinf(doubles(f16)[3]));
    }

    void wrapIsAnAlias()
    {
        std::vector<float> owner {1, 2, 3, 4};
        const auto base = reinterpret_cast<Address>(owner.data());
        auto keep = std::make_shared<int>(0);
        Tensor w = wrap(*m_rt, Device::cpu(), base, owner.size() * sizeof(float),
                        Layout::contiguous(DType::Float32, {2, 2}), Owner::NumPy, keep, false, &m_log);
        QCOMPARE(m_log.events().back().relation, Relation::Alias);
        QCOMPARE(w.buffer().owner(), Owner::NumPy);
        QCOMPARE(keep.use_count(), 2L); // the buffer holds the owner alive
        const V at {1, 1};
        w.setFromText(at, "9.5");
        QCOMPARE(owner[3], 9.5f);
        owner[0] = -1;
        QCOMPARE(asDouble(w.getFlat(0)), -1.0);
    }

    void copyIntoChecksFirst()
    {
        Tensor src = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float32, {3}, range(3, 1));
        Tensor dst = Tensor::zeros(*m_rt, m_rt->resolve("cuda:0"), DType::Float64, {3});
        copyInto(dst, src, &m_log);
        QCOMPARE(doubles(dst), (D {1, 2, 3}));
        QCOMPARE(m_log.events().back().relation, Relation::Transfer);
        Tensor ro = Tensor::zeros(*m_rt, Device::cpu(), DType::Float32, {3}).asReadOnly();
        QCOMPARE(codeOf([&] { copyInto(ro, src); }), std::optional(ErrorCode::ReadOnly));
        Tensor wrong = Tensor::zeros(*m_rt, Device::cpu(), DType::Float32, {4});
        QCOMPARE(codeOf([&] { copyInto(wrong, src); }), std::optional(ErrorCode::InvalidArgument));
        QCOMPARE(doubles(wrong), (D {0, 0, 0, 0}));
    }

    void observedRelations()
    {
        Tensor a = Tensor::fromValues(*m_rt, Device::cpu(), DType::Float64, {8}, range(8));
        Tensor even = a.slice(0, 0, std::nullopt, 2);
        Tensor odd = a.slice(0, 1, std::nullopt, 2);
        QCOMPARE(observeRelation(a, even), Relation::Alias);
        // Disjoint bytes, other values: neither an alias nor a copy (the
        // snapshot's decider says the same of two such NumPy views).
        QCOMPARE(observeRelation(even, odd), Relation::Unrelated);
        QCOMPARE(observeRelation(even, copy(*m_rt, even)), Relation::Copy);
        QCOMPARE(observeRelation(even, astype(*m_rt, even, DType::Float32)), Relation::Convert);
        QCOMPARE(observeRelation(a, a.view(DType::Int64)), Relation::Alias);
        Tensor d = to(*m_rt, a, m_rt->resolve("cuda:0"));
        QCOMPARE(observeRelation(a, d), Relation::Transfer);
        // A copy, then changed: the values no longer agree.
        Tensor c = copy(*m_rt, a);
        copyInto(c, Tensor::zeros(*m_rt, Device::cpu(), DType::Float64, {8}));
        QCOMPARE(observeRelation(a, c), Relation::Unrelated);
        // The event log and observeRelation agree (one decider).
        EventLog log;
        (void)copy(*m_rt, even, &log);
        (void)to(*m_rt, even, Device::cpu(), false, &log);
        QCOMPARE(log.events()[0].relation, Relation::Copy);
        QCOMPARE(log.events()[1].relation, Relation::Alias);
    }

    void eventLogTotals()
    {
        Tensor a = Tensor::zeros(*m_rt, Device::cpu(), DType::UInt8, {100});
        const Device gpu = m_rt->resolve("cuda:0");
        for (int i = 0; i < 3; ++i)
            (void)to(*m_rt, a, gpu, false, &m_log);
        QCOMPARE(m_log.events().size(), std::size_t(3));
        QCOMPARE(m_log.totalBytes(Direction::H2D), std::uint64_t(300));
        QCOMPARE(m_log.totalBytes(Direction::D2H), std::uint64_t(0));
        m_log.clear();
        QCOMPARE(m_log.totalBytes(Direction::H2D), std::uint64_t(0));
        // A long loop keeps the totals exact and only the latest events.
        const std::size_t n = EventLog::kKeptEvents * 3;
        for (std::size_t i = 0; i < n; ++i)
            (void)copy(*m_rt, a, &m_log);
        QCOMPARE(m_log.events().size(), EventLog::kKeptEvents);
        QCOMPARE(m_log.recordedCount(), std::uint64_t(n));
        QCOMPARE(m_log.totalBytes(Direction::H2H), std::uint64_t(100 * n));
    }

    void outOfMemoryIsAnError()
    {
        const Device gpu = m_rt->resolve("cuda:0");
        QCOMPARE(codeOf([&] { Tensor::empty(*m_rt, gpu, DType::Float64, {std::int64_t {1} << 30}); }),
                 std::optional(ErrorCode::OutOfMemory));
    }

private:
    std::unique_ptr<Runtime> m_rt;
    EventLog m_log;
};

QTEST_APPLESS_MAIN(TestOperations)
#include "tst_operations.moc"
