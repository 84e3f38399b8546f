// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/devicebackend.h"

#include <cstddef>
#include <string_view>

namespace memscope::engine {

/// What a checked write into this process's own memory did.
enum class HostWriteResult {
    Written, ///< every byte was written
    NotMapped, ///< part of the range is not mapped (or not readable): nothing was written
    NotWritable, ///< the range is mapped without write permission: nothing was written
};

/// Writes `size` bytes from `src` to `dst` in this process without ever
/// faulting. The kernel does the copy (process_vm_writev on our own pid), so a
/// page without write permission (a read-only np.memmap, a PROT_READ mapping)
/// gives EFAULT instead of SIGSEGV. The current bytes are first written back
/// unchanged, so a range that is only partly writable is refused whole rather
/// than half-written. Where the kernel refuses the call (no process_vm_*), the
/// mappings in /proc/self/maps decide before a plain copy.
HostWriteResult writeHostMemory(Address dst, const void *src, std::size_t size);

/// "written", "not mapped", "not writable": for messages.
std::string_view hostWriteResultName(HostWriteResult r);

} // namespace memscope::engine
