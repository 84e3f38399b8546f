// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/emulateddevice.h"
#include "testruntime.h"
#include <cstring>
#include <numeric>
#endif

using namespace memscope::engine;

using memscope::engine::testing::codeOf;

class TestDevices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emulatedRuntime()
    {
        RuntimeOptions o;
        o.useCuda = false;
        o.emulatedDevices = 2;
        o.emulatedCapacity = 1 << 20;
        Runtime rt(o);
        QVERIFY(!rt.hasRealCuda());
        const auto devs = rt.devices();
        QCOMPARE(devs.size(), std::size_t(3));
        QCOMPARE(devs[0].toString(), std::string("cpu"));
        QCOMPARE(devs[1].toString(), std::string("cuda:0 (emulated)"));
        QCOMPARE(devs[2].spec(), std::string("cuda:1"));
        QCOMPARE(rt.resolve("cuda"), devs[1]);
        QCOMPARE(rt.resolve("cuda:1"), devs[2]);
        QCOMPARE(rt.resolve("cpu"), Device::cpu());
        QVERIFY(QString::fromStdString(rt.cudaStatus()).contains(QStringLiteral("emulated")));
        QVERIFY(!rt.backend(devs[1])->hostAccessible());
        QVERIFY(rt.backend(devs[0])->hostAccessible());
    }

    void resolveRejects_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("no such device") << "cuda:2";
        QTest::newRow("garbage") << "gpu";
        QTest::newRow("negative") << "cuda:-1";
        QTest::newRow("trailing") << "cuda:0x";
        QTest::newRow("empty index") << "cuda:";
    }
    void resolveRejects()
    {
        QFETCH(QString, spec);
        RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = 1 << 20;
        Runtime rt(o);
        try {
            rt.resolve(spec.toStdString());
            QFAIL("accepted");
        } catch (const Error &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromUtf8(e.what()).contains(spec), e.what());
        }
    }

    // Whatever the machine has, probing never crashes and says what it found.
    void probeNeverThrows()
    {
        Runtime rt;
        QVERIFY(!rt.cudaStatus().empty());
        QVERIFY(rt.devices().size() >= 2); // cpu plus a real or emulated cuda:0
        qInfo("%s", rt.cudaStatus().c_str());
    }

    void emulatedTransfersRoundTrip()
    {
        EmulatedDevice dev(0, 1 << 20);
        std::vector<int> src(1000);
        std::iota(src.begin(), src.end(), 0);
        const Address a = dev.allocate(sizeof(int) * src.size());
        QVERIFY(a >= EmulatedDevice::kBaseAddress); // a device address, not a host pointer
        QCOMPARE(a % EmulatedDevice::kAlignment, Address(0));
        dev.copyFromHost(a, src.data(), sizeof(int) * src.size());
        const Address b = dev.allocate(sizeof(int) * src.size());
        dev.copyWithin(b, a, sizeof(int) * src.size());
        std::vector<int> back(src.size());
        dev.copyToHost(back.data(), b, sizeof(int) * back.size());
        QCOMPARE(back, src);
        QVERIFY(dev.bytesInUse() >= 2 * sizeof(int) * src.size());
        dev.release(a);
        dev.release(b);
        QCOMPARE(dev.bytesInUse(), std::size_t(0));
    }

    void emulatedErrors()
    {
        EmulatedDevice dev(0, 4096);
        QCOMPARE(codeOf([&] { dev.allocate(8192); }), std::optional(ErrorCode::OutOfMemory));
        const Address a = dev.allocate(512);
        char buf[1024] = {};
        // Past the end of the allocation, and an address never allocated.
        QCOMPARE(codeOf([&] { dev.copyToHost(buf, a + 256, 512); }), std::optional(ErrorCode::OutOfRange));
        QCOMPARE(codeOf([&] { dev.copyToHost(buf, a + 2048, 8); }), std::optional(ErrorCode::OutOfRange));
        QCOMPARE(codeOf([&] { dev.copyFromHost(0x1234, buf, 8); }), std::optional(ErrorCode::OutOfRange));
        dev.release(a);
        QCOMPARE(codeOf([&] { dev.copyToHost(buf, a, 8); }), std::optional(ErrorCode::OutOfRange)); // freed
        try {
            dev.allocate(1 << 20);
            QFAIL("a 1 MiB allocation fit into 4 KiB");
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("cuda:0 (emulated)")), e.what());
        }
    }

    void emulatedFreeListCoalesces()
    {
        EmulatedDevice dev(0, 4 * 1024);
        const Address a = dev.allocate(1024);
        const Address b = dev.allocate(1024);
        const Address c = dev.allocate(1024);
        const Address d = dev.allocate(1024);
        QCOMPARE(codeOf([&] { dev.allocate(256); }), std::optional(ErrorCode::OutOfMemory));
        dev.release(b);
        dev.release(a);
        dev.release(c);
        const Address big = dev.allocate(3 * 1024); // needs a, b and c merged back
        QCOMPARE(big, a);
        dev.release(big);
        dev.release(d);
        QCOMPARE(dev.allocate(4 * 1024), EmulatedDevice::kBaseAddress);
    }

    void directions()
    {
        const Device cpu = Device::cpu();
        const Device gpu = Device::cuda(0, true);
        QCOMPARE(directionBetween(cpu, gpu), Direction::H2D);
        QCOMPARE(directionBetween(gpu, cpu), Direction::D2H);
        QCOMPARE(directionBetween(gpu, gpu), Direction::D2D);
        QCOMPARE(directionBetween(cpu, cpu), Direction::H2H);
        QVERIFY(Device::cuda(0, true) != Device::cuda(0, false));
    }
};

QTEST_APPLESS_MAIN(TestDevices)
#include "tst_devices.moc"
