// SPDX-License-Identifier: GPL-3.0-or-later
// The checked host writer: refuses pages without write permission instead of
// faulting, and never writes half of an element.

#include <QTemporaryFile>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/hostwrite.h"

#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace memscope::engine;

namespace {

Address addressOf(const void *p)
{
    return reinterpret_cast<Address>(p);
}

/// Two anonymous pages with the given protections, filled with 0x11 first.
struct TwoPages
{
    explicit TwoPages(int first, int second)
        : page(static_cast<std::size_t>(sysconf(_SC_PAGESIZE)))
    {
        void *p = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        base = p == MAP_FAILED ? nullptr : static_cast<unsigned char *>(p);
        if (!base)
            return;
        std::memset(base, 0x11, 2 * page);
        mprotect(base, page, first);
        mprotect(base + page, page, second);
    }
    ~TwoPages()
    {
        if (base)
            munmap(base, 2 * page);
    }
    std::size_t page;
    unsigned char *base = nullptr;
};

} // namespace

class TestHostWrite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesWritableMemory()
    {
        double target[2] = {1.0, 2.0};
        const double value = 7.5;
        QCOMPARE(writeHostMemory(addressOf(&target[1]), &value, sizeof value), HostWriteResult::Written);
        QCOMPARE(target[0], 1.0);
        QCOMPARE(target[1], 7.5);
    }

    void refusesAReadOnlyPage()
    {
        TwoPages pages(PROT_READ, PROT_READ);
        QVERIFY(pages.base);
        const std::uint8_t seven = 7;
        QCOMPARE(writeHostMemory(addressOf(pages.base + 3), &seven, 1), HostWriteResult::NotWritable);
        QCOMPARE(int(pages.base[3]), 0x11); // unchanged, and no SIGSEGV
    }

    void refusesAReadOnlyFileMapping()
    {
        // What np.memmap(mode='r') maps: a shared file mapping without write permission.
        QTemporaryFile file;
        QVERIFY(file.open());
        QVERIFY(file.write(QByteArray(64, '\x22')) == 64);
        QVERIFY(file.flush());
        void *p = mmap(nullptr, 64, PROT_READ, MAP_SHARED, file.handle(), 0);
        QVERIFY(p != MAP_FAILED);
        const double value = 5;
        QCOMPARE(writeHostMemory(addressOf(p), &value, sizeof value), HostWriteResult::NotWritable);
        QCOMPARE(int(static_cast<const unsigned char *>(p)[0]), 0x22);
        munmap(p, 64);
    }

    void refusesUnmappedMemory()
    {
        TwoPages pages(PROT_NONE, PROT_NONE);
        QVERIFY(pages.base);
        const std::uint32_t value = 1;
        QCOMPARE(writeHostMemory(addressOf(pages.base), &value, sizeof value), HostWriteResult::NotMapped);
    }

    void neverWritesHalfAnElement()
    {
        // An 8-byte element straddling a writable page and a read-only one.
        TwoPages pages(PROT_READ | PROT_WRITE, PROT_READ);
        QVERIFY(pages.base);
        unsigned char *at = pages.base + pages.page - 4;
        const std::uint64_t value = ~std::uint64_t {0};
        QCOMPARE(writeHostMemory(addressOf(at), &value, sizeof value), HostWriteResult::NotWritable);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(int(at[i]), 0x11);
        // The same element wholly on the writable page is written.
        QCOMPARE(writeHostMemory(addressOf(at - 4), &value, sizeof value), HostWriteResult::Written);
        QCOMPARE(int(at[-4]), 0xff);
        QCOMPARE(int(at[3]), 0xff);
    }
};

QTEST_APPLESS_MAIN(TestHostWrite)
#include "tst_hostwrite.moc"
