// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace memscope::engine {

/// XXH3-64 of each `pageSize` chunk of [data, data + n) (the last one may be
/// shorter) into `out`, which holds ceil(n / pageSize) entries. Uses the AVX2
/// build of XXH3 when the processor has it: twice the SSE2 speed here.
void hashPages(const std::byte *data, std::size_t n, std::size_t pageSize, std::uint64_t *out);

/// XXH3-64 of all `n` bytes.
std::uint64_t hashBytes(const std::byte *data, std::size_t n);

/// Incremental XXH3-64: digest() after update()s with consecutive pieces
/// equals hashBytes() of all of them at once.
class StreamHash
{
public:
    StreamHash();
    ~StreamHash();
    StreamHash(const StreamHash &) = delete;
    StreamHash &operator=(const StreamHash &) = delete;
    void update(const std::byte *data, std::size_t n);
    std::uint64_t digest() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

namespace detail {
void hashPagesGeneric(const std::byte *data, std::size_t n, std::size_t pageSize, std::uint64_t *out);
void hashPagesAvx2(const std::byte *data, std::size_t n, std::size_t pageSize, std::uint64_t *out);
std::uint64_t hashBytesGeneric(const std::byte *data, std::size_t n);
std::uint64_t hashBytesAvx2(const std::byte *data, std::size_t n);
} // namespace detail

} // namespace memscope::engine
