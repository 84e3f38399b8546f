// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace memscope::engine {

// Checked reads of this process's own memory. Every read of host memory whose
// address comes from a Python object goes through here: a view may reach
// unmapped or PROT_NONE pages, or a file mapping whose file was truncated
// (SIGBUS on a plain load). These functions never fault: they ask the kernel
// to copy (process_vm_readv on getpid(), which answers EFAULT), and fail with
// a message naming the first unreadable address.

/// How checked reads are done. process_vm_readv is preferred; some containers
/// refuse it (ENOSYS / EPERM), then pread() of /proc/self/mem is used (which
/// reads PROT_NONE pages as a debugger would, and fails with EIO on unmapped
/// or truncated ones). Unavailable: every read is refused with a message.
enum class HostReadMethod { ProcessVmReadv, ProcSelfMem, Unavailable };

/// The method in use (probed once, on first use).
HostReadMethod hostReadMethod();
std::string_view hostReadMethodName(HostReadMethod method);
/// Forces a method (tests of the fallbacks); returns the previous one.
HostReadMethod setHostReadMethod(HostReadMethod method);

/// "memory not readable at 0x<address>: <why>": the one wording of a failed read.
std::string unreadableMessage(Address address, std::string_view why);

/// Copies [src, src + dst.size()) into `dst`. False when any byte cannot be
/// read; `error` (when given) then names the first unreadable address. Reads
/// of 4 MiB and more that /proc/self/maps shows lie in private anonymous
/// memory are plain memcpy (callers keep the memory's owner alive).
bool readHost(Address src, std::span<std::byte> dst, std::string *error = nullptr);

/// Checked strided gather: the elements of the view whose element [0, ..., 0]
/// is at `first` (strides in bytes, any sign), packed in C order into `dst`
/// (numel * itemSize bytes). Dense views are read as one span; sparse ones as
/// batches of scattered runs (IOV_MAX per call). numel * itemSize and the byte
/// extent must fit in int64 (the adapters check this first).
bool gatherHost(Address first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                std::size_t itemSize, std::byte *dst, std::string *error = nullptr);

/// Flat (C-order) elements [from, from + count) of the view whose element
/// [0, ..., 0] is at `first`, packed into `dst` (count * itemSize bytes),
/// checked. For paging through a view (the element grid); count is clamped
/// to the view's end by the caller.
bool gatherHostElements(Address first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                        std::size_t itemSize, std::int64_t from, std::int64_t count, std::byte *dst,
                        std::string *error = nullptr);

/// Checked writes are engine/hostwrite.h's (writeHostMemory): one writer.

/// Reads [src, src + size) in chunks of at most `chunk` bytes into one reused
/// staging buffer and hands each chunk to `consume(offset, bytes)`. Stops with
/// false at the first unreadable chunk (error set) or when `consume` returns false.
bool readHostChunks(Address src, std::uint64_t size, std::size_t chunk,
                    const std::function<bool(std::uint64_t offset, std::span<const std::byte> bytes)> &consume,
                    std::string *error = nullptr);

/// Host address ranges mapped readable, private and anonymous (heap, stacks,
/// anonymous mmap), as /proc/self/maps listed them at one moment. A load from
/// such memory cannot fault while it stays mapped: there is no file behind it
/// to be truncated (SIGBUS) and no protection to refuse it. A caller that keeps
/// the objects owning the memory alive (and holds the GIL, so no Python code
/// frees it meanwhile) may read those ranges directly, at memory speed; the
/// kernel's checked copy costs about 3x a memcmp here. Everything else (file
/// mappings, shared memory, PROT_NONE, unmapped) goes through the checked
/// reads. Empty (nothing direct) when /proc/self/maps cannot be read.
class HostMap
{
public:
    static HostMap current();
    /// True when all of [lo, lo + size) lies in such ranges.
    bool directlyReadable(Address lo, std::uint64_t size) const;
    bool empty() const { return m_ranges.empty(); }

private:
    std::vector<std::pair<Address, Address>> m_ranges; ///< sorted, merged [lo, hi)
};

/// XXH3-64 of host bytes [src, src + size) (equal to hashBytes() of the same
/// bytes), read in checked chunks, or directly when `direct` says it may be.
bool hashHost(Address src, std::uint64_t size, std::uint64_t *hash, std::string *error = nullptr,
              const HostMap *direct = nullptr);

} // namespace memscope::engine
