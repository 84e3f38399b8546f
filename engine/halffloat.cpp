// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/halffloat.h"

#include <bit>
#include <cmath>

namespace memscope::engine {

namespace {

// Rounds a finite, non-negative double to binary16 bits (sign handled by caller).
std::uint16_t roundToHalf(double a)
{
    if (a >= 65520.0) // halfway between max half (65504) and 2^16 rounds to infinity
        return 0x7C00;
    if (a < std::ldexp(1.0, -14)) {
        // Subnormal range: value = m * 2^-24, m in [0, 1023]; nearbyint rounds half to even.
        const double m = std::nearbyint(a * std::ldexp(1.0, 24));
        return static_cast<std::uint16_t>(m); // m == 1024 becomes the smallest normal: correct bits
    }
    int exp = 0;
    const double frac = std::frexp(a, &exp); // a = frac * 2^exp, frac in [0.5, 1)
    // Normal: a = (1 + f/1024) * 2^(exp-1); mantissa with 11 significant bits.
    double mant = std::nearbyint(frac * 2048.0); // in [1024, 2048]
    int e = exp - 1;
    if (mant >= 2048.0) {
        mant /= 2.0;
        ++e;
    }
    if (e > 15)
        return 0x7C00;
    const auto biased = static_cast<std::uint16_t>(e + 15);
    return static_cast<std::uint16_t>((biased << 10) | (static_cast<std::uint16_t>(mant) & 0x3FF));
}

} // namespace

std::uint16_t doubleToHalfBits(double value)
{
    const std::uint16_t sign = std::signbit(value) ? 0x8000 : 0;
    if (std::isnan(value))
        return static_cast<std::uint16_t>(sign | 0x7E00);
    if (std::isinf(value))
        return static_cast<std::uint16_t>(sign | 0x7C00);
    return static_cast<std::uint16_t>(sign | roundToHalf(std::fabs(value)));
}

std::uint16_t floatToHalfBits(float value)
{
    return doubleToHalfBits(static_cast<double>(value));
}

float halfBitsToFloat(std::uint16_t bits)
{
    const bool negative = (bits & 0x8000) != 0;
    const int exp = (bits >> 10) & 0x1F;
    const int mant = bits & 0x3FF;
    double v = 0.0;
    if (exp == 0)
        v = std::ldexp(static_cast<double>(mant), -24);
    else if (exp == 31)
        v = mant ? std::nan("") : INFINITY;
    else
        v = std::ldexp(static_cast<double>(mant + 1024), exp - 25);
    return static_cast<float>(negative ? -v : v);
}

std::uint16_t floatToBFloat16Bits(float value)
{
    const auto u = std::bit_cast<std::uint32_t>(value);
    if (std::isnan(value))
        return static_cast<std::uint16_t>((u >> 16) | 0x0040); // keep sign, force quiet NaN
    // Round to nearest even on the 16 dropped bits (c10::round_to_nearest_even).
    const std::uint32_t rounding = 0x7FFF + ((u >> 16) & 1);
    return static_cast<std::uint16_t>((u + rounding) >> 16);
}

float bfloat16BitsToFloat(std::uint16_t bits)
{
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

} // namespace memscope::engine
