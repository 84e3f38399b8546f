// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace memscope::engine {

// IEEE binary16 and bfloat16 conversions, round-to-nearest-even like NumPy's
// npy_half and torch's c10::BFloat16. C++20 has no std::float16_t (that is C++23).

std::uint16_t floatToHalfBits(float value);
float halfBitsToFloat(std::uint16_t bits);
/// From double directly (not via float) so that double -> float16 rounds once, as NumPy does.
std::uint16_t doubleToHalfBits(double value);

std::uint16_t floatToBFloat16Bits(float value);
float bfloat16BitsToFloat(std::uint16_t bits);

} // namespace memscope::engine
