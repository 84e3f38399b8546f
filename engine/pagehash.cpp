// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/pagehash.h"

namespace memscope::engine {

void hashPages(const std::byte *data, std::size_t n, std::size_t pageSize, std::uint64_t *out)
{
#if defined(MEMSCOPE_HAVE_AVX2_PAGEHASH)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2)
        return detail::hashPagesAvx2(data, n, pageSize, out);
#endif
    detail::hashPagesGeneric(data, n, pageSize, out);
}

} // namespace memscope::engine
