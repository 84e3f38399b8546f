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
/// part, out-of-range floats give what NumPy's element-wise loop gives on
/// x86-64: the C conversion, see scalar.cpp) and writes it to `dst`.
void storeScalar(DType type, const Scalar &value, std::byte *dst);

/// The longest text parseScalar reads (bytes): no value needs more, and longer
/// text (a pasted document) is refused before anything parses or shows it.
inline constexpr std::size_t kMaxScalarText = 1000;

/// Parses user text into a value of `type`, refusing what `type` cannot hold:
/// "300" for int8 and "abc" for float32 throw, "nan" and "-inf" for floats do
/// not; a finite number the dtype cannot hold ("1e400" for every float dtype,
/// "1e39" for float32) is Error(OutOfRange), never a silent inf. Python's
/// spelling only: "+-5" and "nan(1)" are refused. Messages name the text
/// (elided, see elideText) and the dtype.
Scalar parseScalar(DType type, std::string_view text);

/// `text` unchanged up to `maxBytes`, else its first `maxBytes` (whole UTF-8
/// characters) and "… (N characters)": user text quoted in messages.
std::string elideText(std::string_view text, std::size_t maxBytes = 80);

/// Applies torch's lazy view bits to `count` packed elements of `type` in
/// place: `neg` negates, `conj` conjugates (complex types). Both are their own
/// inverse, so the same call turns stored bytes into the values Python sees
/// and a value typed by a person into the bytes to store.
void applyViewBits(DType type, std::byte *elements, std::size_t count, bool conj, bool neg);

/// Display text: "True", "-3", "0.1" (shortest text that reads back to the same
/// bits of `type`), "nan", "-inf", "(1+2j)".
std::string formatScalar(DType type, const Scalar &value);

/// True when both values are equal after widening (NaN != NaN, as in NumPy).
bool scalarEquals(const Scalar &a, const Scalar &b);

} // namespace memscope::engine
