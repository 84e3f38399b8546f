// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/hostmemory.h"

#include "engine/gather.h"
#include "engine/pagehash.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace memscope::engine {

namespace {

// process_vm_readv takes at most IOV_MAX (1024 on Linux) iovecs per side.
constexpr std::size_t kIovMax = 1024;
// A strided view whose byte span is at most this (and not much larger than
// its packed bytes) is read as one span and gathered from the copy.
constexpr std::uint64_t kDenseSpanLimit = std::uint64_t {16} << 20;
// Views with at least 1/64 of their span in elements are gathered through a
// window of this many bytes, read checked and moved along the runs; sparser
// ones as scattered runs, IOV_MAX per system call (one iovec per run costs
// far more than copying the bytes between close runs).
constexpr std::uint64_t kWindowBytes = std::uint64_t {1} << 20;
constexpr std::uint64_t kWindowDensity = 64;

std::atomic<int> g_method {-1};

// /proc/self/mem, reopened after fork(): an inherited descriptor would read the parent.
int procSelfMem()
{
    static std::mutex mutex;
    static int fd = -1;
    static pid_t owner = -1;
    std::lock_guard lock(mutex);
    if (owner != getpid()) {
        if (fd >= 0)
            close(fd);
        fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
        owner = getpid();
    }
    return fd;
}

HostReadMethod probeMethod()
{
    const std::uint64_t src = 0x5eed5eed5eed5eedULL;
    std::uint64_t dst = 0;
    iovec local {&dst, sizeof dst};
    iovec remote {const_cast<std::uint64_t *>(&src), sizeof src};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(sizeof src) && dst == src)
        return HostReadMethod::ProcessVmReadv;
    dst = 0;
    const int fd = procSelfMem();
    if (fd >= 0 &&
        pread(fd, &dst, sizeof dst, static_cast<off_t>(reinterpret_cast<std::uintptr_t>(&src))) ==
            static_cast<ssize_t>(sizeof src) &&
        dst == src)
        return HostReadMethod::ProcSelfMem;
    return HostReadMethod::Unavailable;
}

void *pointerOf(Address a)
{
    return reinterpret_cast<void *>(static_cast<std::uintptr_t>(a));
}

Address addressOf(const void *p)
{
    return static_cast<Address>(reinterpret_cast<std::uintptr_t>(p));
}

struct Failure
{
    Address address = 0;
    std::string why;
};

bool readRunsProcMem(std::span<const iovec> runs, std::size_t skip, std::byte *out, Failure &fail)
{
    const int fd = procSelfMem();
    for (std::size_t k = 0; k < runs.size(); ++k, skip = 0) {
        Address at = addressOf(runs[k].iov_base) + skip;
        std::size_t left = runs[k].iov_len - skip;
        while (left > 0) {
            if (at > static_cast<Address>(std::numeric_limits<off_t>::max())) {
                fail = {at, "address outside the process's address space"};
                return false;
            }
            const ssize_t n = fd < 0 ? -1 : pread(fd, out, left, static_cast<off_t>(at));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                fail = {at, n < 0 ? std::strerror(errno) : "no bytes could be read"};
                return false;
            }
            out += n;
            at += static_cast<Address>(n);
            left -= static_cast<std::size_t>(n);
        }
    }
    return true;
}

// Reads `runs` (remote address, length) in order into `out`, packed. Partial
// transfers are resumed where they stopped, so a failure names the exact first
// byte that could not be read.
bool readRuns(std::span<const iovec> runs, std::byte *out, Failure &fail)
{
    std::size_t k = 0; // current run
    std::size_t skip = 0; // bytes of run k already read
    std::array<iovec, kIovMax> batch;
    while (k < runs.size()) {
        const auto method = static_cast<HostReadMethod>(g_method.load());
        if (method == HostReadMethod::ProcSelfMem)
            return readRunsProcMem(runs.subspan(k), skip, out, fail);
        if (method != HostReadMethod::ProcessVmReadv) {
            fail = {addressOf(runs[k].iov_base) + skip,
                    "no checked way to read memory here (process_vm_readv and /proc/self/mem both refused)"};
            return false;
        }
        std::size_t count = 0;
        std::size_t total = 0;
        for (; count < kIovMax && k + count < runs.size(); ++count) {
            iovec v = runs[k + count];
            if (count == 0) {
                v.iov_base = static_cast<char *>(v.iov_base) + skip;
                v.iov_len -= skip;
            }
            if (count > 0 && total + v.iov_len > (std::size_t {1} << 40))
                break; // the rest in the next call
            batch[count] = v;
            total += v.iov_len;
        }
        iovec local {out, total};
        const ssize_t n = process_vm_readv(getpid(), &local, 1, batch.data(), count, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
            // Refused after all (a seccomp profile changed?): fall back for good.
            int expected = static_cast<int>(HostReadMethod::ProcessVmReadv);
            g_method.compare_exchange_strong(expected, static_cast<int>(HostReadMethod::ProcSelfMem));
            continue;
        }
        if (n <= 0) {
            fail = {addressOf(batch[0].iov_base), n < 0 ? std::strerror(errno) : "no bytes could be read"};
            return false;
        }
        out += n;
        for (auto left = static_cast<std::size_t>(n); left > 0;) {
            const std::size_t avail = runs[k].iov_len - skip;
            if (left >= avail) {
                left -= avail;
                ++k;
                skip = 0;
            } else {
                skip += left;
                left = 0;
            }
        }
        while (k < runs.size() && runs[k].iov_len == 0)
            ++k;
    }
    return true;
}

bool fail(std::string *error, Address at, std::string_view why)
{
    if (error)
        *error = unreadableMessage(at, why);
    return false;
}

} // namespace

HostReadMethod hostReadMethod()
{
    int m = g_method.load();
    if (m < 0) {
        int expected = -1;
        g_method.compare_exchange_strong(expected, static_cast<int>(probeMethod()));
        m = g_method.load();
    }
    return static_cast<HostReadMethod>(m);
}

HostReadMethod setHostReadMethod(HostReadMethod method)
{
    const HostReadMethod previous = hostReadMethod();
    g_method.store(static_cast<int>(method));
    return previous;
}

std::string_view hostReadMethodName(HostReadMethod method)
{
    switch (method) {
    case HostReadMethod::ProcessVmReadv:
        return "process_vm_readv";
    case HostReadMethod::ProcSelfMem:
        return "/proc/self/mem";
    case HostReadMethod::Unavailable:
        return "unavailable";
    }
    return "unavailable";
}

std::string unreadableMessage(Address address, std::string_view why)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, address);
    return "memory not readable at " + std::string(buf) + ": " + std::string(why);
}

bool readHost(Address src, std::span<std::byte> dst, std::string *error)
{
    if (dst.empty())
        return true;
    if (src + dst.size() < src)
        return fail(error, src, "the range wraps around the address space");
    // Large reads of private anonymous memory (the heap of NumPy and torch)
    // are plain copies: such pages cannot fault while mapped, and
    // /proc/self/maps (0.05 ms) says they are. Everything else, and small
    // reads, go through the kernel.
    constexpr std::size_t kDirectFrom = std::size_t {4} << 20;
    if (dst.size() >= kDirectFrom && HostMap::current().directlyReadable(src, dst.size())) {
        std::memcpy(dst.data(), pointerOf(src), dst.size());
        return true;
    }
    hostReadMethod();
    const iovec run {pointerOf(src), dst.size()};
    Failure f;
    if (!readRuns(std::span(&run, 1), dst.data(), f))
        return fail(error, f.address, f.why);
    return true;
}

namespace {

// Steps the C-order multi-index `idx` over dims [0, dims) and keeps `off`
// (the byte offset of that element) in step with it: an odometer.
void nextIndex(std::vector<std::int64_t> &idx, std::int64_t &off, std::span<const std::int64_t> shape,
               std::span<const std::int64_t> strides, std::size_t dims)
{
    for (std::size_t d = dims; d-- > 0;) {
        off += strides[d];
        if (++idx[d] < shape[d])
            return;
        off -= strides[d] * shape[d];
        idx[d] = 0;
    }
}

} // namespace

bool gatherHost(Address first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                std::size_t itemSize, std::byte *dst, std::string *error)
{
    std::uint64_t n = 1;
    for (std::int64_t s : shape) {
        if (s < 0 || __builtin_mul_overflow(n, static_cast<std::uint64_t>(s), &n))
            return fail(error, first, "the shape's element count overflows");
    }
    if (n == 0)
        return true;
    std::uint64_t packed = 0;
    if (__builtin_mul_overflow(n, static_cast<std::uint64_t>(itemSize), &packed))
        return fail(error, first, "the view's byte size overflows");
    // Byte span of the view relative to `first`.
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        std::int64_t reach = 0;
        if (__builtin_mul_overflow(shape[d] - 1, strides[d], &reach) ||
            __builtin_add_overflow(reach < 0 ? lo : hi, reach, reach < 0 ? &lo : &hi))
            return fail(error, first, "the view's byte extent overflows");
    }
    std::int64_t span = 0;
    if (__builtin_sub_overflow(hi, lo, &span) ||
        __builtin_add_overflow(span, static_cast<std::int64_t>(itemSize), &span))
        return fail(error, first, "the view's byte extent overflows");
    const Address start = first + static_cast<Address>(lo);
    if ((lo < 0 && start > first) || start + static_cast<std::uint64_t>(span) < start)
        return fail(error, first, "the view's byte extent wraps around the address space");

    if (static_cast<std::uint64_t>(span) <= kDenseSpanLimit &&
        static_cast<std::uint64_t>(span) <= std::max<std::uint64_t>(4 * packed, std::uint64_t {1} << 16)) {
        // Dense enough: one checked read of the span, then a plain gather from our copy.
        std::vector<std::byte> staging(static_cast<std::size_t>(span));
        if (!readHost(start, staging, error))
            return false;
        gatherStrided(staging.data() - lo, shape, strides, itemSize, dst);
        return true;
    }

    // Runs in C order: whole rows when the innermost dim is contiguous.
    hostReadMethod();
    const std::size_t nd = shape.size();
    const bool rows = nd > 0 && strides[nd - 1] == static_cast<std::int64_t>(itemSize);
    const std::size_t run = rows ? static_cast<std::size_t>(shape[nd - 1]) * itemSize : itemSize;
    const std::size_t outer = rows ? nd - 1 : nd;
    std::vector<std::int64_t> idx(outer, 0);
    const Address end = start + static_cast<Address>(span);
    bool windowed = static_cast<std::uint64_t>(span) / kWindowDensity <= packed;
    std::vector<std::byte> window(windowed ? static_cast<std::size_t>(kWindowBytes) : 0);
    Address wlo = 0;
    Address whi = 0; // empty window
    std::vector<iovec> batch;
    batch.reserve(kIovMax);
    std::int64_t off = 0;
    std::byte *out = dst;
    Failure f;
    for (std::uint64_t done = 0; done < packed; done += run) {
        const Address at = first + static_cast<Address>(off);
        if (windowed && (at < wlo || at + run > whi)) {
            // Move the window to this run, in the direction the runs go (down
            // for negative strides), never past the view's span.
            const Address from = at < wlo ? std::max(start, at + run > kWindowBytes ? at + run - kWindowBytes : 0) : at;
            const Address to = std::min(end, from + kWindowBytes);
            if (run <= to - from && readHost(from, std::span(window.data(), static_cast<std::size_t>(to - from)))) {
                wlo = from;
                whi = to;
            } else {
                windowed = false; // a hole between runs, or long runs: read the runs alone from here on
            }
        }
        if (windowed) {
            std::memcpy(out, window.data() + (at - wlo), run);
            out += run;
        } else {
            batch.push_back({pointerOf(at), run});
            if (batch.size() == kIovMax || done + run >= packed) {
                if (!readRuns(batch, out, f))
                    return fail(error, f.address, f.why);
                out += batch.size() * run;
                batch.clear();
            }
        }
        nextIndex(idx, off, shape, strides, outer);
    }
    return true;
}

bool gatherHostElements(Address first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                        std::size_t itemSize, std::int64_t from, std::int64_t count, std::byte *dst, std::string *error)
{
    if (count <= 0)
        return true;
    hostReadMethod();
    // Multi-index of `from`, then an odometer; one iovec per element, IOV_MAX per call.
    const std::size_t nd = shape.size();
    std::vector<std::int64_t> idx(nd, 0);
    std::int64_t rest = from;
    std::int64_t off = 0;
    for (std::size_t d = nd; d-- > 0;) {
        if (shape[d] <= 0)
            return true;
        idx[d] = rest % shape[d];
        rest /= shape[d];
        off += idx[d] * strides[d];
    }
    std::vector<iovec> batch;
    batch.reserve(kIovMax);
    std::byte *out = dst;
    Failure f;
    for (std::int64_t e = 0; e < count; ++e) {
        batch.push_back({pointerOf(first + static_cast<Address>(off)), itemSize});
        if (batch.size() == kIovMax || e + 1 == count) {
            if (!readRuns(batch, out, f))
                return fail(error, f.address, f.why);
            out += batch.size() * itemSize;
            batch.clear();
        }
        nextIndex(idx, off, shape, strides, nd);
    }
    return true;
}

bool readHostChunks(Address src, std::uint64_t size, std::size_t chunk,
                    const std::function<bool(std::uint64_t, std::span<const std::byte>)> &consume, std::string *error)
{
    if (size == 0)
        return true;
    if (chunk == 0)
        chunk = std::size_t {1} << 20;
    std::vector<std::byte> staging(static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size)));
    for (std::uint64_t off = 0; off < size; off += chunk) {
        const auto len = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size - off));
        const std::span<std::byte> piece(staging.data(), len);
        if (!readHost(src + off, piece, error))
            return false;
        if (!consume(off, piece))
            return false;
    }
    return true;
}

HostMap HostMap::current()
{
    HostMap map;
    std::FILE *maps = std::fopen("/proc/self/maps", "re");
    if (!maps)
        return map;
    char line[4096];
    while (std::fgets(line, sizeof line, maps)) {
        unsigned long long lo = 0, hi = 0, offset = 0, inode = 0;
        char perms[8] = {};
        char dev[32] = {};
        int pathAt = 0;
        if (std::sscanf(line, "%llx-%llx %7s %llx %31s %llu %n", &lo, &hi, perms, &offset, dev, &inode, &pathAt) < 6)
            continue;
        std::string_view path(line + pathAt);
        while (!path.empty() && (path.back() == '\n' || path.back() == ' '))
            path.remove_suffix(1);
        const bool anonymous = inode == 0 &&
            (path.empty() || path == "[heap]" || path.starts_with("[stack") || path.starts_with("[anon:"));
        if (perms[0] != 'r' || perms[3] != 'p' || !anonymous)
            continue;
        if (!map.m_ranges.empty() && map.m_ranges.back().second == lo)
            map.m_ranges.back().second = hi;
        else
            map.m_ranges.emplace_back(lo, hi);
    }
    std::fclose(maps);
    return map;
}

bool HostMap::directlyReadable(Address lo, std::uint64_t size) const
{
    if (size == 0)
        return true;
    const Address hi = lo + size;
    if (hi < lo)
        return false;
    auto it = std::upper_bound(m_ranges.begin(), m_ranges.end(), lo,
                               [](Address v, const std::pair<Address, Address> &r) { return v < r.first; });
    if (it == m_ranges.begin())
        return false;
    --it;
    return lo >= it->first && hi <= it->second;
}

bool hashHost(Address src, std::uint64_t size, std::uint64_t *hash, std::string *error, const HostMap *direct)
{
    if (direct && direct->directlyReadable(src, size)) {
        if (hash)
            *hash = hashBytes(static_cast<const std::byte *>(pointerOf(src)), static_cast<std::size_t>(size));
        return true;
    }
    StreamHash h;
    const bool ok = readHostChunks(
        src, size, std::size_t {1} << 20,
        [&](std::uint64_t, std::span<const std::byte> bytes) {
            h.update(bytes.data(), bytes.size());
            return true;
        },
        error);
    if (ok && hash)
        *hash = h.digest();
    return ok;
}

} // namespace memscope::engine
