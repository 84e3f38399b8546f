// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/hostbackend.h"

#include "engine/error.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace memscope::engine {

namespace {
constexpr std::size_t kAlignment = 64;
// The size is stored in front of the block so release() can account for it.
constexpr std::size_t kHeader = kAlignment;
} // namespace

Address HostBackend::allocate(std::size_t bytes)
{
    const std::size_t total = kHeader + ((bytes + kAlignment - 1) / kAlignment) * kAlignment;
    void *raw = std::aligned_alloc(kAlignment, total);
    if (!raw)
        throw Error(ErrorCode::OutOfMemory, "host allocation of " + std::to_string(bytes) + " bytes failed");
    std::memcpy(raw, &bytes, sizeof bytes);
    m_inUse += bytes;
    return reinterpret_cast<Address>(static_cast<std::byte *>(raw) + kHeader);
}

void HostBackend::release(Address address) noexcept
{
    if (!address)
        return;
    auto *raw = reinterpret_cast<std::byte *>(address) - kHeader;
    std::size_t bytes = 0;
    std::memcpy(&bytes, raw, sizeof bytes);
    m_inUse -= bytes;
    std::free(raw);
}

void HostBackend::copyToHost(void *dst, Address src, std::size_t bytes)
{
    if (bytes)
        std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
}

void HostBackend::copyFromHost(Address dst, const void *src, std::size_t bytes)
{
    if (bytes)
        std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
}

void HostBackend::copyWithin(Address dst, Address src, std::size_t bytes)
{
    if (bytes)
        std::memmove(reinterpret_cast<void *>(dst), reinterpret_cast<const void *>(src), bytes);
}

} // namespace memscope::engine
