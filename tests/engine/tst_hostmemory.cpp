// SPDX-License-Identifier: GPL-3.0-or-later
// The checked host reader: reads that would fault (unmapped, PROT_NONE, a
// truncated file mapping) fail cleanly and name the first unreadable address.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/gather.h"
#include "engine/hostmemory.h"
#include "engine/pagehash.h"
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <numeric>
#include <random>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
#endif

using namespace memscope::engine;

namespace {

const std::size_t kPage = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

// Plain stores into pages this test maps itself. AddressSanitizer
// may still hold poisoned shadow for an address range its own allocator
// unmapped and the kernel handed to our mmap(); these accesses are ours.
__attribute__((no_sanitize("address"))) void poke(std::byte *p, std::byte v)
{
    *p = v;
}

// The byte Pages puts at offset i.
std::byte pattern(std::size_t i)
{
    return static_cast<std::byte>(i * 7 + 3);
}

Address addr(const void *p)
{
    return static_cast<Address>(reinterpret_cast<std::uintptr_t>(p));
}

std::string hex(Address a)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, a);
    return buf;
}

// `pages` anonymous readable pages, filled with a pattern; unmapped at the end.
struct Pages
{
    explicit Pages(std::size_t count)
        : size(count * kPage)
    {
        void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            qFatal("mmap failed");
        base = static_cast<std::byte *>(p);
        for (std::size_t i = 0; i < size; ++i)
            poke(base + i, pattern(i));
    }
    ~Pages() { munmap(base, size); } // unmapping a hole again is harmless
    std::byte *page(std::size_t i) const { return base + i * kPage; }
    std::size_t size;
    std::byte *base;
};

// Restores the probed read method at scope exit.
struct MethodGuard
{
    explicit MethodGuard(HostReadMethod m)
        : previous(setHostReadMethod(m))
    { }
    ~MethodGuard() { setHostReadMethod(previous); }
    HostReadMethod previous;
};

} // namespace

class TestHostMemory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qInfo("checked reads use %s", hostReadMethodName(hostReadMethod()).data()); }

    void normalReadEqualsMemcpy()
    {
        std::vector<std::byte> src(std::size_t {3} << 20);
        std::mt19937 rng(1);
        for (auto &b : src)
            b = static_cast<std::byte>(rng());
        std::vector<std::byte> checked(src.size()), plain(src.size());
        std::string error;
        QVERIFY2(readHost(addr(src.data()), checked, &error), error.c_str());
        std::memcpy(plain.data(), src.data(), src.size());
        QVERIFY(checked == plain);
        QVERIFY(readHost(addr(src.data()), std::span<std::byte>())); // nothing to read
    }

    void protNonePageFailsCleanly()
    {
        if (hostReadMethod() != HostReadMethod::ProcessVmReadv)
            QSKIP("/proc/self/mem reads PROT_NONE pages (as a debugger does); only process_vm_readv refuses them");
        Pages pages(2);
        QCOMPARE(mprotect(pages.page(1), kPage, PROT_NONE), 0);
        std::vector<std::byte> dst(2 * kPage);
        std::string error;
        QVERIFY(!readHost(addr(pages.base), dst, &error));
        QVERIFY2(error == "memory not readable at " + hex(addr(pages.page(1))) + ": Bad address", error.c_str());
        // The readable part was copied correctly before the failure, and alone reads fine.
        QCOMPARE(dst[5], pattern(5));
        QVERIFY(readHost(addr(pages.base), std::span(dst).first(kPage), &error));
        QVERIFY(!readHost(addr(pages.page(1)) + 100, std::span(dst).first(8), &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(1)) + 100)), error.c_str());
    }

    void unmappedRangeFailsCleanly()
    {
        Pages pages(3);
        QCOMPARE(munmap(pages.page(1), kPage), 0);
        std::vector<std::byte> dst(3 * kPage);
        std::string error;
        QVERIFY(!readHost(addr(pages.base), dst, &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(1))) + ": "), error.c_str());
        QVERIFY(readHost(addr(pages.page(2)), std::span(dst).first(kPage), &error));
        QCOMPARE(dst[1], pattern(2 * kPage + 1));
    }

    void truncatedFileMappingFailsCleanly()
    {
        char name[] = "/tmp/memscope-hostmemory-XXXXXX";
        const int fd = mkstemp(name);
        QVERIFY(fd >= 0);
        unlink(name);
        QCOMPARE(ftruncate(fd, static_cast<off_t>(3 * kPage)), 0);
        void *m = mmap(nullptr, 3 * kPage, PROT_READ, MAP_SHARED, fd, 0);
        QVERIFY(m != MAP_FAILED);
        QCOMPARE(ftruncate(fd, 100), 0); // a plain load past page 0 would now raise SIGBUS
        const auto *p = static_cast<const std::byte *>(m);
        std::vector<std::byte> dst(3 * kPage);
        std::string error;
        QVERIFY(!readHost(addr(p), dst, &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(p + kPage)) + ": "), error.c_str());
        QVERIFY(readHost(addr(p), std::span(dst).first(kPage), &error));
        munmap(m, 3 * kPage);
        close(fd);
    }

    void fallbackThroughProcSelfMem()
    {
        MethodGuard guard(HostReadMethod::ProcSelfMem);
        std::vector<double> src(1000);
        std::iota(src.begin(), src.end(), 0.5);
        std::vector<double> dst(1000);
        std::string error;
        QVERIFY2(readHost(addr(src.data()), std::as_writable_bytes(std::span(dst)), &error), error.c_str());
        QVERIFY(dst == src);
        Pages pages(3);
        QCOMPARE(munmap(pages.page(1), kPage), 0);
        std::vector<std::byte> bytes(3 * kPage);
        QVERIFY(!readHost(addr(pages.base), bytes, &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(1))) + ": "), error.c_str());
    }

    void noMethodRefusesEveryRead()
    {
        MethodGuard guard(HostReadMethod::Unavailable);
        double x = 1.0;
        double y = 0.0;
        std::string error;
        QVERIFY(!readHost(addr(&x), std::as_writable_bytes(std::span(&y, 1)), &error));
        QVERIFY2(error.find("no checked way to read memory") != std::string::npos, error.c_str());
        QCOMPARE(y, 0.0);
    }

    void checkedGatherEqualsPlainGather_data()
    {
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<std::int64_t>>("strides");
        QTest::addColumn<std::int64_t>("offset");
        using V = std::vector<std::int64_t>;
        QTest::newRow("contiguous") << V {100, 10} << V {80, 8} << std::int64_t {0};
        QTest::newRow("transpose") << V {10, 100} << V {8, 80} << std::int64_t {0};
        QTest::newRow("reversed") << V {1000} << V {-8} << std::int64_t {999 * 8};
        QTest::newRow("broadcast") << V {5000, 3} << V {0, 8} << std::int64_t {0};
        QTest::newRow("sparse, scattered runs") << V {1000} << V {8000} << std::int64_t {0};
        QTest::newRow("sparse rows") << V {40, 4} << V {200000, 8} << std::int64_t {16};
        QTest::newRow("sparse negative") << V {500, 2} << V {-16000, 8} << std::int64_t {499 * 16000};
        QTest::newRow("windowed") << V {20000} << V {64} << std::int64_t {8};
        QTest::newRow("windowed negative") << V {20000} << V {-64} << std::int64_t {19999 * 64};
        QTest::newRow("windowed rows, negative") << V {3000, 2} << V {-400, 8} << std::int64_t {2999 * 400};
        QTest::newRow("windowed transpose") << V {64, 4000} << V {8, 512} << std::int64_t {0};
    }

    void checkedGatherEqualsPlainGather()
    {
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<std::int64_t>, strides);
        QFETCH(std::int64_t, offset);
        std::vector<double> buffer(std::size_t {1} << 20); // 8 MiB
        std::iota(buffer.begin(), buffer.end(), 0.0);
        const auto *first = reinterpret_cast<const std::byte *>(buffer.data()) + offset;
        std::size_t n = 1;
        for (auto s : shape)
            n *= static_cast<std::size_t>(s);
        std::vector<std::byte> checked(n * 8), plain(n * 8);
        std::string error;
        QVERIFY2(gatherHost(addr(first), shape, strides, 8, checked.data(), &error), error.c_str());
        gatherStrided(first, shape, strides, 8, plain.data());
        QVERIFY(checked == plain);
    }

    void checkedGatherFailsOnUnmappedElement()
    {
        // Dense path (the span is read whole) and sparse path (runs per element).
        for (std::size_t stridePages : {std::size_t {1}, std::size_t {16}}) {
            Pages pages(2 * stridePages + 1);
            QCOMPARE(munmap(pages.page(stridePages), kPage), 0);
            const std::vector<std::int64_t> shape {3};
            const std::vector<std::int64_t> strides {static_cast<std::int64_t>(stridePages * kPage)};
            std::vector<std::byte> dst(24);
            std::string error;
            QVERIFY(!gatherHost(addr(pages.base), shape, strides, 8, dst.data(), &error));
            QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(stridePages))) + ": "),
                     error.c_str());
        }
    }

    void windowedGatherSkipsHolesBetweenRuns()
    {
        // Two rows of 400 float64, 64 bytes apart (6.25 pages each), from pages 0
        // and 30; page 20, between them, is unmapped.
        Pages pages(40);
        QCOMPARE(munmap(pages.page(20), kPage), 0);
        const std::vector<std::int64_t> shape {2, 400};
        const std::vector<std::int64_t> strides {static_cast<std::int64_t>(30 * kPage), 64};
        std::vector<std::byte> checked(6400), plain(6400);
        std::string error;
        QVERIFY2(gatherHost(addr(pages.base), shape, strides, 8, checked.data(), &error), error.c_str());
        std::vector<std::byte> copy(40 * kPage);
        for (std::size_t i = 0; i < copy.size(); ++i)
            copy[i] = pattern(i);
        gatherStrided(copy.data(), shape, strides, 8, plain.data());
        QVERIFY(checked == plain);
        // Rows reaching into the hole fail there.
        const std::vector<std::int64_t> into {static_cast<std::int64_t>(19 * kPage), 64};
        QVERIFY(!gatherHost(addr(pages.base), shape, into, 8, checked.data(), &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(20))) + ": "), error.c_str());
    }

    void checkedGatherRefusesOverflowingViews()
    {
        double x = 0;
        std::vector<std::byte> dst(8);
        std::string error;
        const std::vector<std::int64_t> shape {3};
        const std::vector<std::int64_t> strides {std::int64_t {1} << 62};
        QVERIFY(!gatherHost(addr(&x), shape, strides, 8, dst.data(), &error));
        QVERIFY2(error.starts_with("memory not readable at "), error.c_str());
        const std::vector<std::int64_t> empty {0, std::int64_t {1} << 40};
        const std::vector<std::int64_t> anyStrides {8, std::int64_t {1} << 40};
        QVERIFY(gatherHost(0, empty, anyStrides, 8, dst.data(), &error)); // zero-size: nothing read
    }

    void elementPagesOfAView()
    {
        std::vector<double> buffer(1200);
        std::iota(buffer.begin(), buffer.end(), 0.0);
        // a.reshape(30, 40)[::-1, ::3].T: shape (14, 30), strides (24, -320), element [0, 0] at row 29.
        const std::vector<std::int64_t> shape {14, 30};
        const std::vector<std::int64_t> strides {24, -320};
        const double *first = buffer.data() + 29 * 40;
        std::vector<double> all(14 * 30);
        gatherStrided(reinterpret_cast<const std::byte *>(first), shape, strides, 8,
                      reinterpret_cast<std::byte *>(all.data()));
        for (std::int64_t from : {0, 1, 29, 31, 200, 419}) {
            const std::int64_t count = std::min<std::int64_t>(1500, 420 - from);
            std::vector<double> page(static_cast<std::size_t>(count));
            std::string error;
            QVERIFY2(gatherHostElements(addr(first), shape, strides, 8, from, count,
                                        reinterpret_cast<std::byte *>(page.data()), &error),
                     error.c_str());
            QVERIFY(std::equal(page.begin(), page.end(), all.begin() + from));
        }
        Pages pages(3);
        QCOMPARE(munmap(pages.page(1), kPage), 0);
        const std::vector<std::int64_t> one {static_cast<std::int64_t>(3 * kPage / 8)};
        const std::vector<std::int64_t> eight {8};
        std::vector<std::byte> dst(16);
        std::string error;
        QVERIFY(!gatherHostElements(addr(pages.base), one, eight, 8, static_cast<std::int64_t>(kPage / 8) - 1, 2,
                                    dst.data(), &error));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(1))) + ": "), error.c_str());
    }

    void hostMapListsOnlyPrivateAnonymousMemory()
    {
        Pages pages(4);
        QCOMPARE(mprotect(pages.page(2), kPage, PROT_NONE), 0);
        QCOMPARE(munmap(pages.page(3), kPage), 0);
        std::vector<double> heap(100000);
        char name[] = "/tmp/memscope-hostmap-XXXXXX";
        const int fd = mkstemp(name);
        QVERIFY(fd >= 0);
        unlink(name);
        QCOMPARE(ftruncate(fd, static_cast<off_t>(kPage)), 0);
        void *file = mmap(nullptr, kPage, PROT_READ, MAP_PRIVATE, fd, 0);
        QVERIFY(file != MAP_FAILED);
        const HostMap map = HostMap::current();
        QVERIFY(!map.empty());
        QVERIFY(map.directlyReadable(addr(pages.base), 2 * kPage));
        QVERIFY(map.directlyReadable(addr(heap.data()), heap.size() * sizeof(double)));
        QVERIFY(!map.directlyReadable(addr(pages.base), 3 * kPage)); // PROT_NONE
        QVERIFY(!map.directlyReadable(addr(pages.page(3)), 8)); // unmapped
        QVERIFY(!map.directlyReadable(addr(file), 8)); // a file can be truncated under it
        munmap(file, kPage);
        close(fd);
    }

    void chunkedHashEqualsHashBytes()
    {
        std::vector<std::byte> src((std::size_t {5} << 20) + 123);
        std::mt19937 rng(3);
        for (auto &b : src)
            b = static_cast<std::byte>(rng());
        std::uint64_t h = 0;
        std::string error;
        QVERIFY2(hashHost(addr(src.data()), src.size(), &h, &error), error.c_str());
        QCOMPARE(h, hashBytes(src.data(), src.size()));
        Pages pages(3);
        QCOMPARE(munmap(pages.page(2), kPage), 0);
        QVERIFY(!hashHost(addr(pages.base), 3 * kPage, &h, &error));
        const HostMap map = HostMap::current();
        QVERIFY(!hashHost(addr(pages.base), 3 * kPage, &h, &error, &map)); // not in place: checked
        std::uint64_t direct = 0;
        QVERIFY(hashHost(addr(pages.base), 2 * kPage, &direct, &error, &map));
        QCOMPARE(direct, hashBytes(pages.base, 2 * kPage));
        QVERIFY2(error.starts_with("memory not readable at " + hex(addr(pages.page(2)))), error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestHostMemory)
#include "tst_hostmemory.moc"
