// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace memscope::engine {

/// Copies the elements of a strided view, in C order, packed into `dst`
/// (numel * itemSize bytes). `first` points at element [0, ..., 0] in host
/// memory; strides are in bytes and may be negative or zero.
void gatherStrided(const std::byte *first, std::span<const std::int64_t> shape, std::span<const std::int64_t> strides,
                   std::size_t itemSize, std::byte *dst);

} // namespace memscope::engine
