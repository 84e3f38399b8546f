// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/dtype.h"

#include <complex>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace memscope::engine {

/// One element's value, wide enough to hold any supported dtype exactly
/// (float16/bfloat16/float32 widen to double losslessly).
using Scalar = std::variant<bool, std::int64_t, std::uint64_t, double, std::complex<double>>;

/// Reads one element of type `type` from `src` (host memory, any alignment).
Scalar loadScalar(DType type, const std::byte *src);

/// Converts `value` to `type` with NumPy's casting rules (`astype` semantics:
/// integers wrap, floats truncate toward zero, complex drops the imaginary
/// part, out-of-range floats follow x86-64's conversion through int64) and
/// writes it to `dst`.
void storeScalar(DType type, const Scalar &value, std::byte *dst);

/// Parses user text into a value of `type`, refusing what `type` cannot hold:
/// "300" for int8 and "abc" for float32 throw, "nan" and "-inf" for floats do
/// not. Messages name the text and the dtype.
Scalar parseScalar(DType type, std::string_view text);

/// Display text: "True", "-3", "0.1" (shortest text that reads back to the same
/// bits of `type`), "nan", "-inf", "(1+2j)".
std::string formatScalar(DType type, const Scalar &value);

/// True when both values are equal after widening (NaN != NaN, as in NumPy).
bool scalarEquals(const Scalar &a, const Scalar &b);

} // namespace memscope::engine
