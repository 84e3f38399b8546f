// SPDX-License-Identifier: GPL-3.0-or-later
// Engine benchmarks (ctest label "bench", never part of the test suite):
//  - change detection throughput as a ratio to memcpy of the same bytes,
//    shadow mode and page-hash mode (goal: at least 0.7);
//  - memory the tracker holds for a 1 GiB buffer in hash mode;
//  - alias grouping of 10,000 views over 1,000 buffers (goal: under 5 ms);
//  - checked host reads (process_vm_readv) against memcpy of the same bytes,
//    and change detection of host memory through the checked reader.
// Usage: bench_engine [MiB for change detection, default 256]

#include "engine/aliasanalysis.h"
#include "engine/changetracker.h"
#include "engine/hostmemory.h"
#include "engine/layout.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using namespace memscope::engine;
using Clock = std::chrono::steady_clock;

namespace {

template<typename F> double bestSeconds(int repeats, F &&f)
{
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
}

template<typename F> double medianSeconds(int repeats, F &&f)
{
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = Clock::now();
        f();
        t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

void benchChanges(std::size_t mib)
{
    const std::size_t n = mib << 20;
    std::vector<std::byte> live(n), target(n);
    std::mt19937_64 rng(1);
    for (std::size_t i = 0; i < n; i += 8) {
        const auto v = rng();
        std::memcpy(live.data() + i, &v, std::min<std::size_t>(8, n - i));
    }
    const double gb = static_cast<double>(n) / 1e9;
    const double tMemcpy = bestSeconds(5, [&] { std::memcpy(target.data(), live.data(), n); });
    std::printf("memcpy                 %6zu MiB  %7.2f ms  %6.2f GB/s\n", mib, tMemcpy * 1e3, gb / tMemcpy);

    for (auto mode : {ChangeTracker::Mode::Shadow, ChangeTracker::Mode::Hashed}) {
        ChangeOptions opt;
        opt.shadowBudget = mode == ChangeTracker::Mode::Shadow ? n : 0;
        ChangeTracker tracker(opt);
        tracker.observe(1, live);
        const char *name = mode == ChangeTracker::Mode::Shadow ? "shadow" : "hashed";
        // Unchanged step, then a step with 1,000 scattered element writes.
        const double tSame = bestSeconds(5, [&] { (void)tracker.observe(1, live); });
        std::size_t changed = 0;
        const double tSparse = bestSeconds(5, [&] {
            for (int k = 0; k < 1000; ++k)
                live[(static_cast<std::size_t>(k) * 7919 * 4099) % n] ^= std::byte {1};
            changed = tracker.observe(1, live).ranges.size();
        });
        std::printf("changes %-6s unchanged %7.2f ms  %6.2f GB/s  ratio to memcpy %.2f\n", name, tSame * 1e3,
                    gb / tSame, tMemcpy / tSame);
        std::printf("changes %-6s 1000 edits %6.2f ms  %6.2f GB/s  ratio to memcpy %.2f  (%zu ranges)\n", name,
                    tSparse * 1e3, gb / tSparse, tMemcpy / tSparse, changed);
        std::printf("changes %-6s tracker memory %.2f MiB for %zu MiB\n", name,
                    static_cast<double>(tracker.memoryUsed()) / (1 << 20), mib);
    }
    // Hash mode's cost for a 1 GiB buffer is its hash table, not a second GiB: measured.
    std::vector<std::byte> gib(std::size_t {1} << 30);
    ChangeOptions opt;
    opt.shadowBudget = std::size_t {256} << 20; // the default budget
    ChangeTracker tracker(opt);
    const auto t0 = Clock::now();
    tracker.observe(1, gib);
    gib[std::size_t {700} << 20] = std::byte {1};
    const ChangeSet cs = tracker.observe(1, gib);
    const double t = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("changes 1 GiB buffer: mode %s, tracker memory %.2f MiB, 2 steps %.0f ms, %zu changed range(s)\n",
                tracker.mode(1) == ChangeTracker::Mode::Hashed ? "hashed" : "shadow",
                static_cast<double>(tracker.memoryUsed()) / (1 << 20), t * 1e3, cs.ranges.size());
}

void benchCheckedReads(std::size_t mib)
{
    const std::size_t n = mib << 20;
    std::vector<std::byte> live(n), target(n);
    std::mt19937_64 rng(3);
    for (std::size_t i = 0; i < n; i += 8) {
        const auto v = rng();
        std::memcpy(live.data() + i, &v, std::min<std::size_t>(8, n - i));
    }
    std::memset(target.data(), 0, n);
    const double gb = static_cast<double>(n) / 1e9;
    const auto src = static_cast<Address>(reinterpret_cast<std::uintptr_t>(live.data()));
    const double tMemcpy = bestSeconds(5, [&] { std::memcpy(target.data(), live.data(), n); });
    bool ok = true;
    const double tChecked = bestSeconds(5, [&] { ok = readHost(src, target) && ok; });
    std::printf("checked read, heap memory (direct) %zu MiB  %7.2f ms  %6.2f GB/s  | memcpy %7.2f ms  %6.2f GB/s  "
                "ratio %.2f%s\n",
                mib, tChecked * 1e3, gb / tChecked, tMemcpy * 1e3, gb / tMemcpy, tMemcpy / tChecked,
                ok ? "" : "  (READ FAILED)");
    // Shared file-backed memory (a memory-mapped file) always goes through the kernel.
    if (const int fd = memfd_create("bench", 0); fd >= 0 && ftruncate(fd, static_cast<off_t>(n)) == 0) {
        void *mapped = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mapped != MAP_FAILED) {
            std::memset(mapped, 1, n);
            const auto at = static_cast<Address>(reinterpret_cast<std::uintptr_t>(mapped));
            const double tFile = bestSeconds(5, [&] { ok = readHost(at, target) && ok; });
            const double tFileMemcpy = bestSeconds(5, [&] { std::memcpy(target.data(), mapped, n); });
            std::printf("checked read, mapped file (%s) %zu MiB  %7.2f ms  %6.2f GB/s  | memcpy %7.2f ms  %6.2f GB/s  "
                        "ratio %.2f%s\n",
                        std::string(hostReadMethodName(hostReadMethod())).c_str(), mib, tFile * 1e3, gb / tFile,
                        tFileMemcpy * 1e3, gb / tFileMemcpy, tFileMemcpy / tFile, ok ? "" : "  (READ FAILED)");
            munmap(mapped, n);
        }
        close(fd);
    }
    // A strided gather of every 16th float64 (1/16 of the bytes), checked vs plain.
    const std::vector<std::int64_t> shape {static_cast<std::int64_t>(n / 128)};
    const std::vector<std::int64_t> strides {128};
    const double tGather = bestSeconds(5, [&] { ok = gatherHost(src, shape, strides, 8, target.data()) && ok; });
    std::printf("checked gather  every 16th float64 of %zu MiB: %7.2f ms%s\n", mib, tGather * 1e3,
                ok ? "" : "  (READ FAILED)");

    for (auto mode : {ChangeTracker::Mode::Shadow, ChangeTracker::Mode::Hashed}) {
        ChangeOptions opt;
        opt.shadowBudget = mode == ChangeTracker::Mode::Shadow ? n : 0;
        ChangeTracker tracker(opt);
        tracker.observeHost(1, src, n);
        const char *name = mode == ChangeTracker::Mode::Shadow ? "shadow" : "hashed";
        const double tSame = bestSeconds(5, [&] { (void)tracker.observeHost(1, src, n); });
        std::printf("changes %-6s checked copies     %7.2f ms  %6.2f GB/s  ratio to memcpy %.2f\n", name, tSame * 1e3,
                    gb / tSame, tMemcpy / tSame);
        HostMap direct;
        const double tMap = bestSeconds(5, [&] { direct = HostMap::current(); });
        const double tDirect = bestSeconds(5, [&] { (void)tracker.observeHost(1, src, n, &direct); });
        std::printf("changes %-6s anonymous, direct %7.2f ms  %6.2f GB/s  ratio to memcpy %.2f  (%s; reading "
                    "/proc/self/maps %.3f ms)\n",
                    name, tDirect * 1e3, gb / tDirect, tMemcpy / tDirect,
                    direct.directlyReadable(src, n) ? "in place" : "NOT in place", tMap * 1e3);
    }
}

// 1,000 buffers; per buffer 10 views: whole, halves, interleaved [::2]/[1::2],
// transpose, a column, reversed, a 2-element window, a reinterpretation.
void benchAliases()
{
    std::mt19937_64 rng(2);
    struct Owned
    {
        Layout layout;
        Address base;
    };
    std::vector<Owned> owned;
    Address next = 0x100000;
    for (int b = 0; b < 1000; ++b) {
        const std::int64_t rows = 4 + static_cast<std::int64_t>(rng() % 60);
        const std::int64_t cols = 4 + static_cast<std::int64_t>(rng() % 60);
        const Layout whole = Layout::contiguous(DType::Float32, {rows, cols});
        const Address base = next;
        next += static_cast<Address>(rows * cols * 4 + 64 * (1 + rng() % 4));
        const std::vector<Layout> views = {
            whole,
            slice(whole, 0, 0, rows / 2),
            slice(whole, 0, rows / 2, std::nullopt),
            slice(whole, 1, 0, std::nullopt, 2),
            slice(whole, 1, 1, std::nullopt, 2),
            transpose(whole),
            select(whole, 1, 3),
            slice(whole, 0, std::nullopt, std::nullopt, -1),
            slice(select(whole, 0, 1), 0, 0, 2),
            reinterpret(whole, DType::Int32),
        };
        for (const Layout &l : views)
            owned.push_back({l, base});
    }
    std::vector<AliasInput> inputs;
    for (const Owned &o : owned)
        inputs.push_back({Device::cpu(), PlacedView::of(o.base, o.layout)});
    std::shuffle(inputs.begin(), inputs.end(), rng);

    AliasGroups groups;
    const double t = medianSeconds(21, [&] { groups = groupAliases(inputs); });
    std::printf("alias grouping         %zu views over 1000 buffers: %.3f ms (median of 21), %d groups, %lld exact "
                "tests, %lld undecided\n",
                inputs.size(), t * 1e3, groups.groupCount, static_cast<long long>(groups.exactTests),
                static_cast<long long>(groups.undecided));
}

} // namespace

int main(int argc, char **argv)
{
    const std::size_t mib = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 256;
    benchChanges(mib);
    benchCheckedReads(mib);
    benchAliases();
    return 0;
}
