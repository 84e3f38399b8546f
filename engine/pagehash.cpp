// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/pagehash.h"

#include <new>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace memscope::engine {

#if defined(MEMSCOPE_HAVE_AVX2_PAGEHASH)
namespace {
bool useAvx2()
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
}
} // namespace
#endif

void hashPages(const std::byte *data, std::size_t n, std::size_t pageSize, std::uint64_t *out)
{
#if defined(MEMSCOPE_HAVE_AVX2_PAGEHASH)
    if (useAvx2())
        return detail::hashPagesAvx2(data, n, pageSize, out);
#endif
    detail::hashPagesGeneric(data, n, pageSize, out);
}

std::uint64_t hashBytes(const std::byte *data, std::size_t n)
{
#if defined(MEMSCOPE_HAVE_AVX2_PAGEHASH)
    if (useAvx2())
        return detail::hashBytesAvx2(data, n);
#endif
    return detail::hashBytesGeneric(data, n);
}

struct StreamHash::State
{
    XXH3_state_t *state = XXH3_createState();
    State()
    {
        if (!state)
            throw std::bad_alloc();
    }
    ~State() { XXH3_freeState(state); }
};

StreamHash::StreamHash()
    : m_state(std::make_unique<State>())
{
    XXH3_64bits_reset(m_state->state);
}

StreamHash::~StreamHash() = default;

void StreamHash::update(const std::byte *data, std::size_t n)
{
    XXH3_64bits_update(m_state->state, data, n);
}

std::uint64_t StreamHash::digest() const
{
    return XXH3_64bits_digest(m_state->state);
}

} // namespace memscope::engine
