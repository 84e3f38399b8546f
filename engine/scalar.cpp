// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scalar.h"

#include "engine/error.h"
#include "engine/halffloat.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

namespace memscope::engine {

namespace {

template<typename T> T loadAs(const std::byte *src)
{
    T v;
    std::memcpy(&v, src, sizeof v);
    return v;
}

template<typename T> void storeAs(std::byte *dst, T v)
{
    std::memcpy(dst, &v, sizeof v);
}

double realPart(const Scalar &v)
{
    return std::visit(
        [](auto x) -> double {
            using X = decltype(x);
            if constexpr (std::is_same_v<X, std::complex<double>>)
                return x.real();
            else
                return static_cast<double>(x);
        },
        v);
}

std::complex<double> asComplex(const Scalar &v)
{
    if (auto c = std::get_if<std::complex<double>>(&v))
        return *c;
    return {realPart(v), 0.0};
}

// The integer NumPy's element-wise (scalar) cast loop produces for float ->
// integer on x86-64, which is the C conversion GCC emits: truncation toward
// zero; out-of-range values, NaN and infinities give the "integer indefinite"
// of the conversion's width (cvttsd2si). NumPy converts to int8/16, uint8/16
// and int32 through a 32-bit conversion, to uint32 and int64 through a 64-bit
// one, and to uint64 with GCC's two-step sequence. (NumPy's SIMD loops differ
// for out-of-range uint32 in some array lengths; tests/python/
// test_memscope_casts.py compares with the installed NumPy.)
std::uint64_t truncatedTo32(double d)
{
    const double t = std::trunc(d);
    if (!(t >= -2147483648.0 && t < 2147483648.0)) // NaN too
        return static_cast<std::uint64_t>(std::int64_t {std::numeric_limits<std::int32_t>::min()});
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(t));
}

std::uint64_t truncatedTo64(double d)
{
    const double t = std::trunc(d);
    if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) // NaN too
        return static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min());
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(t));
}

std::uint64_t floatToIntegerBits(double d, DType target)
{
    switch (target) {
    case DType::Int64:
    case DType::UInt32:
        return truncatedTo64(d);
    case DType::UInt64:
        // Below 2^63 (and NaN): the signed conversion; above: convert d - 2^63 and set the top bit.
        if (!(d >= 9223372036854775808.0))
            return truncatedTo64(d);
        return truncatedTo64(d - 9223372036854775808.0) ^ (std::uint64_t {1} << 63);
    default:
        return truncatedTo32(d);
    }
}

// Two's complement bits of the value; narrowing below keeps the low bits (wraps).
std::uint64_t integerBits(const Scalar &v, DType target)
{
    return std::visit(
        [target](auto x) -> std::uint64_t {
            using X = decltype(x);
            if constexpr (std::is_same_v<X, bool>)
                return x ? 1 : 0;
            else if constexpr (std::is_same_v<X, std::int64_t> || std::is_same_v<X, std::uint64_t>)
                return static_cast<std::uint64_t>(x);
            else if constexpr (std::is_same_v<X, double>)
                return floatToIntegerBits(x, target);
            else
                return floatToIntegerBits(x.real(), target);
        },
        v);
}

double asDouble(const Scalar &v)
{
    if (auto u = std::get_if<std::uint64_t>(&v))
        return static_cast<double>(*u);
    if (auto i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    return realPart(v);
}

bool isNonZero(const Scalar &v)
{
    const auto c = asComplex(v);
    if (auto u = std::get_if<std::uint64_t>(&v))
        return *u != 0;
    if (auto i = std::get_if<std::int64_t>(&v))
        return *i != 0;
    return c.real() != 0.0 || c.imag() != 0.0 || std::isnan(c.real()) || std::isnan(c.imag());
}

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// "[-128, 127]" for int8, "[0, 255]" for uint8. Built by appending: GCC 12's
// -Wrestrict misfires on chains of "literal" + std::string at -O3.
std::string integerRange(bool isSigned, unsigned bits)
{
    std::string r = "[";
    if (isSigned) {
        r += std::to_string(-(std::int64_t {1} << (bits - 2)) * 2);
        r += ", ";
        r += std::to_string((std::uint64_t {1} << (bits - 1)) - 1);
    } else {
        r += "0, ";
        r += std::to_string(bits == 64 ? ~std::uint64_t {0} : (std::uint64_t {1} << bits) - 1);
    }
    r += "]";
    return r;
}

std::string quoted(std::string_view text)
{
    return "'" + elideText(text) + "'";
}

enum class Parsed { Ok, Invalid, Overflow };

// Parses a real number; accepts "nan", "inf", "-inf", "infinity" (any case), like Python's float().
// Refuses what C accepts and Python does not ("+-5", "nan(123)"); a finite number beyond
// float64 ("1e400", 400 digits) is Overflow, never a silent inf. Underflow reads as 0.
Parsed parseDouble(const std::string &s, double &out)
{
    std::string lower;
    for (char c : s)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const char *b = lower.data();
    const char *e = b + lower.size();
    if (b != e && *b == '+') {
        ++b;
        if (b != e && (*b == '-' || *b == '+'))
            return Parsed::Invalid; // one sign only
    }
    if (b == e || lower.find('(') != std::string::npos)
        return Parsed::Invalid; // C's "nan(n-char-sequence)" is not Python
    auto [ptr, ec] = std::from_chars(b, e, out);
    if (ec == std::errc::result_out_of_range && ptr == e) {
        // from_chars leaves `out` untouched on overflow/underflow; strtod gives +-inf or 0.
        out = std::strtod(std::string(b, e).c_str(), nullptr);
        return std::isinf(out) ? Parsed::Overflow : Parsed::Ok;
    }
    return ec == std::errc() && ptr == e ? Parsed::Ok : Parsed::Invalid;
}

Parsed parseComplex(std::string s, std::complex<double> &out)
{
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')')
        s = s.substr(1, s.size() - 2);
    if (s.empty())
        return Parsed::Invalid;
    const char last = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
    if (last != 'j' && last != 'i') {
        double re = 0;
        const Parsed p = parseDouble(s, re);
        out = {re, 0.0};
        return p;
    }
    s.pop_back();
    // Split at the last sign that is not an exponent sign and not the leading one.
    std::size_t split = std::string::npos;
    for (std::size_t i = s.size(); i-- > 1;) {
        if ((s[i] == '+' || s[i] == '-') && std::tolower(static_cast<unsigned char>(s[i - 1])) != 'e') {
            split = i;
            break;
        }
    }
    double re = 0, im = 0;
    std::string imText = split == std::string::npos ? s : s.substr(split);
    if (imText.empty() || imText == "+" || imText == "-")
        imText += "1";
    const Parsed imag = parseDouble(imText, im);
    const Parsed real = split == std::string::npos ? Parsed::Ok : parseDouble(s.substr(0, split), re);
    if (imag == Parsed::Invalid || real == Parsed::Invalid)
        return Parsed::Invalid;
    out = {re, im};
    return imag == Parsed::Overflow || real == Parsed::Overflow ? Parsed::Overflow : Parsed::Ok;
}

double maxFinite(DType t)
{
    switch (t) {
    case DType::Float16:
        return 65504.0;
    case DType::BFloat16:
        return 3.3895313892515355e38;
    case DType::Float32:
    case DType::Complex64:
        return static_cast<double>(std::numeric_limits<float>::max());
    default:
        return std::numeric_limits<double>::max();
    }
}

// True when finite `d` becomes inf in `type` (values that round to the largest
// finite one are fine, as NumPy's cast keeps them).
bool overflows(DType type, double d)
{
    if (!std::isfinite(d) || std::fabs(d) <= maxFinite(type))
        return false;
    std::byte tmp[8];
    storeScalar(type, d, tmp);
    return std::isinf(std::get<double>(loadScalar(type, tmp)));
}

// Python's repr rule: scientific notation when the decimal exponent is below
// -4 or at least 16, fixed otherwise; "1.0" rather than "1". `scientific` is
// the shortest round-trip text in scientific form ("6.55e+04").
std::string reprFromScientific(const std::string &scientific)
{
    const auto ePos = scientific.find('e');
    const int exponent = std::atoi(scientific.c_str() + ePos + 1);
    std::string mantissa = scientific.substr(0, ePos);
    std::string s;
    if (exponent < -4 || exponent >= 16) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        s = mantissa + buf;
    } else {
        // Place the shortest digits themselves, so 6.55e+04 reads 65500 as in NumPy.
        const bool negative = mantissa.front() == '-';
        std::string digits;
        for (char c : mantissa)
            if (c >= '0' && c <= '9')
                digits += c;
        if (negative)
            s.push_back('-');
        if (exponent >= 0) {
            const auto intLen = static_cast<std::size_t>(exponent) + 1;
            if (digits.size() < intLen)
                digits.append(intLen - digits.size(), '0');
            s.append(digits, 0, intLen);
            if (digits.size() > intLen)
                s.append(1, '.').append(digits, intLen);
        } else {
            s.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
        }
    }
    if (s.find_first_of(".e") == std::string::npos)
        s += ".0";
    return s;
}

template<typename F> std::string shortest(F value)
{
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    (void)ec;
    return reprFromScientific(std::string(buf, ptr));
}

// Shortest decimal text that reads back to the same 16-bit pattern.
std::string shortestHalf(double value, bool bf16)
{
    const auto toBits = [bf16](double d) {
        return bf16 ? floatToBFloat16Bits(static_cast<float>(d)) : doubleToHalfBits(d);
    };
    const auto bits = toBits(value);
    for (int precision = 0; precision <= 8; ++precision) {
        char buf[64];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific, precision);
        (void)ec;
        const std::string text(buf, ptr);
        if (toBits(std::strtod(text.c_str(), nullptr)) == bits)
            return reprFromScientific(text);
    }
    return shortest(value);
}

std::string formatReal(DType t, double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    switch (t) {
    case DType::Float16:
        return shortestHalf(v, false);
    case DType::BFloat16:
        return shortestHalf(v, true);
    case DType::Float32:
    case DType::Complex64:
        return shortest(static_cast<float>(v));
    default:
        return shortest(v);
    }
}

} // namespace

Scalar loadScalar(DType type, const std::byte *src)
{
    switch (type) {
    case DType::Bool:
        return loadAs<std::uint8_t>(src) != 0;
    case DType::Int8:
        return std::int64_t {loadAs<std::int8_t>(src)};
    case DType::Int16:
        return std::int64_t {loadAs<std::int16_t>(src)};
    case DType::Int32:
        return std::int64_t {loadAs<std::int32_t>(src)};
    case DType::Int64:
        return loadAs<std::int64_t>(src);
    case DType::UInt8:
        return std::uint64_t {loadAs<std::uint8_t>(src)};
    case DType::UInt16:
        return std::uint64_t {loadAs<std::uint16_t>(src)};
    case DType::UInt32:
        return std::uint64_t {loadAs<std::uint32_t>(src)};
    case DType::UInt64:
        return loadAs<std::uint64_t>(src);
    case DType::Float16:
        return static_cast<double>(halfBitsToFloat(loadAs<std::uint16_t>(src)));
    case DType::BFloat16:
        return static_cast<double>(bfloat16BitsToFloat(loadAs<std::uint16_t>(src)));
    case DType::Float32:
        return static_cast<double>(loadAs<float>(src));
    case DType::Float64:
        return loadAs<double>(src);
    case DType::Complex64: {
        const auto c = loadAs<std::complex<float>>(src);
        return std::complex<double>(c.real(), c.imag());
    }
    case DType::Complex128:
        return loadAs<std::complex<double>>(src);
    }
    throw Error(ErrorCode::Unsupported, "unknown dtype");
}

void storeScalar(DType type, const Scalar &value, std::byte *dst)
{
    switch (type) {
    case DType::Bool:
        return storeAs<std::uint8_t>(dst, isNonZero(value) ? 1 : 0);
    case DType::Int8:
    case DType::UInt8:
        return storeAs(dst, static_cast<std::uint8_t>(integerBits(value, type)));
    case DType::Int16:
    case DType::UInt16:
        return storeAs(dst, static_cast<std::uint16_t>(integerBits(value, type)));
    case DType::Int32:
    case DType::UInt32:
        return storeAs(dst, static_cast<std::uint32_t>(integerBits(value, type)));
    case DType::Int64:
    case DType::UInt64:
        return storeAs(dst, integerBits(value, type));
    case DType::Float16:
        return storeAs(dst, doubleToHalfBits(asDouble(value)));
    case DType::BFloat16:
        return storeAs(dst, floatToBFloat16Bits(static_cast<float>(asDouble(value))));
    case DType::Float32:
        return storeAs(dst, static_cast<float>(asDouble(value)));
    case DType::Float64:
        return storeAs(dst, asDouble(value));
    case DType::Complex64: {
        const auto c = std::holds_alternative<std::complex<double>>(value) ? asComplex(value)
                                                                           : std::complex<double>(asDouble(value), 0.0);
        return storeAs(dst, std::complex<float>(static_cast<float>(c.real()), static_cast<float>(c.imag())));
    }
    case DType::Complex128: {
        const auto c = std::holds_alternative<std::complex<double>>(value) ? asComplex(value)
                                                                           : std::complex<double>(asDouble(value), 0.0);
        return storeAs(dst, c);
    }
    }
}

void applyViewBits(DType type, std::byte *elements, std::size_t count, bool conj, bool neg)
{
    if (!conj && !neg)
        return;
    const std::size_t item = itemSize(type);
    for (std::size_t i = 0; i < count; ++i) {
        std::byte *p = elements + i * item;
        Scalar v = loadScalar(type, p);
        std::visit(
            [&](auto &x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::complex<double>>) {
                    if (conj)
                        x = std::conj(x);
                    if (neg)
                        x = -x;
                } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::int64_t>) {
                    if (neg)
                        x = -x;
                } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                    if (neg)
                        x = 0 - x; // wraps, as the unsigned negation torch applies
                }
            },
            v);
        storeScalar(type, v, p);
    }
}

std::string elideText(std::string_view text, std::size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return std::string(text);
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut; // never split a UTF-8 sequence
    std::size_t characters = 0;
    for (char c : text)
        characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return std::string(text.substr(0, cut)) + "… (" + std::to_string(characters) + " characters)";
}

Scalar parseScalar(DType type, std::string_view rawText)
{
    const std::string dtypeName(numpyName(type));
    if (rawText.size() > kMaxScalarText)
        throw Error(ErrorCode::ParseError,
                    "a text of " + std::to_string(rawText.size()) + " bytes is not a " + dtypeName +
                        " value (values have at most " + std::to_string(kMaxScalarText) + ")");
    const std::string s = trim(rawText);
    if (s.empty())
        throw Error(ErrorCode::ParseError, "empty text is not a " + dtypeName + " value");

    switch (kindOf(type)) {
    case DTypeKind::Bool: {
        if (s == "1" || s == "True" || s == "true")
            return true;
        if (s == "0" || s == "False" || s == "false")
            return false;
        throw Error(ErrorCode::ParseError, quoted(s) + " is not a bool (use True/False or 1/0)");
    }
    case DTypeKind::Signed:
    case DTypeKind::Unsigned: {
        const bool isSigned = kindOf(type) == DTypeKind::Signed;
        const unsigned bits = static_cast<unsigned>(itemSize(type) * 8);
        const char *b = s.data();
        const char *e = b + s.size();
        const bool plus = *b == '+';
        if (plus)
            ++b;
        const bool negative = b != e && *b == '-';
        // Parse the magnitude as unsigned so every int64/uint64 value reads exactly.
        std::uint64_t mag = 0;
        auto [ptr, ec] = std::from_chars(negative ? b + 1 : b, e, mag);
        if (ptr != e || ec == std::errc::invalid_argument || (negative && b + 1 == e) || (plus && negative)) {
            double d = 0;
            if (parseDouble(s, d) == Parsed::Ok && std::isfinite(d))
                throw Error(ErrorCode::ParseError, quoted(s) + " is not an integer (" + dtypeName + ")");
            throw Error(ErrorCode::ParseError, quoted(s) + " is not a " + dtypeName + " value");
        }
        const std::string range = integerRange(isSigned, bits);
        const auto outOfRange = [&] {
            return Error(ErrorCode::OutOfRange, elideText(s) + " is out of range for " + dtypeName + " " + range);
        };
        if (ec == std::errc::result_out_of_range)
            throw outOfRange();
        if (isSigned) {
            const std::uint64_t limit = std::uint64_t {1} << (bits - 1); // |min|
            if ((negative && mag > limit) || (!negative && mag > limit - 1))
                throw outOfRange();
            return negative ? static_cast<std::int64_t>(~mag + 1) : static_cast<std::int64_t>(mag);
        }
        if (negative && mag != 0)
            throw outOfRange();
        if (bits < 64 && mag > (std::uint64_t {1} << bits) - 1)
            throw outOfRange();
        return mag;
    }
    case DTypeKind::Float: {
        double d = 0;
        const Parsed parsed = parseDouble(s, d);
        if (parsed == Parsed::Invalid)
            throw Error(ErrorCode::ParseError, quoted(s) + " is not a " + dtypeName + " value");
        if (parsed == Parsed::Overflow || overflows(type, d))
            throw Error(ErrorCode::OutOfRange,
                        elideText(s) + " overflows " + dtypeName + " (largest finite value " +
                            formatReal(type, maxFinite(type)) + ")");
        return d;
    }
    case DTypeKind::Complex: {
        std::complex<double> c;
        const Parsed parsed = parseComplex(s, c);
        if (parsed == Parsed::Invalid)
            throw Error(ErrorCode::ParseError, quoted(s) + " is not a " + dtypeName + " value (write e.g. 1+2j)");
        const DType part = type == DType::Complex64 ? DType::Float32 : DType::Float64;
        if (parsed == Parsed::Overflow || overflows(part, c.real()) || overflows(part, c.imag()))
            throw Error(ErrorCode::OutOfRange, elideText(s) + " overflows " + dtypeName);
        return c;
    }
    }
    throw Error(ErrorCode::Unsupported, "unknown dtype");
}

std::string formatScalar(DType type, const Scalar &value)
{
    return std::visit(
        [type](auto x) -> std::string {
            using X = decltype(x);
            if constexpr (std::is_same_v<X, bool>)
                return x ? "True" : "False";
            else if constexpr (std::is_same_v<X, std::int64_t> || std::is_same_v<X, std::uint64_t>)
                return std::to_string(x);
            else if constexpr (std::is_same_v<X, double>)
                return formatReal(type, x);
            else {
                std::string im = formatReal(type, x.imag());
                if (im.ends_with(".0"))
                    im.resize(im.size() - 2);
                std::string re = formatReal(type, x.real());
                if (re.ends_with(".0"))
                    re.resize(re.size() - 2);
                const bool sign = im.front() == '-';
                return "(" + re + (sign ? "" : "+") + im + "j)";
            }
        },
        value);
}

bool scalarEquals(const Scalar &a, const Scalar &b)
{
    if (a.index() == b.index() && !std::holds_alternative<double>(a) &&
        !std::holds_alternative<std::complex<double>>(a))
        return a == b;
    if (std::holds_alternative<std::complex<double>>(a) || std::holds_alternative<std::complex<double>>(b))
        return asComplex(a) == asComplex(b);
    return asDouble(a) == asDouble(b);
}

} // namespace memscope::engine
