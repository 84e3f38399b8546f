// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/hostwrite.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <sys/uio.h>
#include <unistd.h>

namespace memscope::engine {

namespace {

enum class Transfer { Done, Fault, Unavailable };

// One kernel-side copy inside our own address space; EFAULT instead of a signal.
Transfer kernelCopy(bool write, void *local, Address remote, std::size_t size)
{
    std::size_t done = 0;
    while (done < size) {
        iovec l {static_cast<char *>(local) + done, size - done};
        iovec r {reinterpret_cast<void *>(remote + done), size - done};
        const ssize_t n =
            write ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) : process_vm_readv(getpid(), &l, 1, &r, 1, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EFAULT ? Transfer::Fault : Transfer::Unavailable; // ENOSYS, EPERM (seccomp)
        }
        if (n == 0)
            return Transfer::Fault;
        done += static_cast<std::size_t>(n);
    }
    return Transfer::Done;
}

// Fallback without process_vm_*: every byte must lie in mappings with "rw".
HostWriteResult checkMaps(Address dst, std::size_t size)
{
    FILE *maps = std::fopen("/proc/self/maps", "r");
    if (!maps)
        return HostWriteResult::NotWritable; // cannot tell: never guess "writable"
    Address need = dst;
    const Address end = dst + size;
    bool readable = true;
    bool writable = true;
    char line[512];
    while (need < end && std::fgets(line, sizeof line, maps)) {
        unsigned long long lo = 0, hi = 0;
        char perms[5] = {};
        if (std::sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) != 3)
            continue;
        if (hi <= need || lo > need)
            continue; // maps is sorted: the mapping holding `need` comes in order
        readable = readable && perms[0] == 'r';
        writable = writable && perms[1] == 'w';
        need = hi;
    }
    std::fclose(maps);
    if (need < end || !readable)
        return HostWriteResult::NotMapped;
    return writable ? HostWriteResult::Written : HostWriteResult::NotWritable;
}

} // namespace

HostWriteResult writeHostMemory(Address dst, const void *src, std::size_t size)
{
    if (size == 0)
        return HostWriteResult::Written;
    std::vector<std::byte> current(size);
    switch (kernelCopy(false, current.data(), dst, size)) {
    case Transfer::Fault:
        return HostWriteResult::NotMapped;
    case Transfer::Unavailable: {
        const HostWriteResult r = checkMaps(dst, size);
        if (r == HostWriteResult::Written)
            std::memcpy(reinterpret_cast<void *>(dst), src, size);
        return r;
    }
    case Transfer::Done:
        break;
    }
    // Probe: the same bytes back. Succeeds only if every page takes a write.
    if (kernelCopy(true, current.data(), dst, size) != Transfer::Done)
        return HostWriteResult::NotWritable;
    std::vector<std::byte> bytes(static_cast<const std::byte *>(src), static_cast<const std::byte *>(src) + size);
    return kernelCopy(true, bytes.data(), dst, size) == Transfer::Done ? HostWriteResult::Written
                                                                       : HostWriteResult::NotWritable;
}

std::string_view hostWriteResultName(HostWriteResult r)
{
    switch (r) {
    case HostWriteResult::Written:
        return "written";
    case HostWriteResult::NotMapped:
        return "not mapped";
    case HostWriteResult::NotWritable:
        return "not writable";
    }
    return "unknown";
}

} // namespace memscope::engine
