// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/dtype.h"

#include "engine/error.h"

#include <algorithm>
#include <cctype>

namespace memscope::engine {

namespace {

struct Info
{
    DType type;
    DTypeKind kind;
    std::size_t size;
    std::string_view numpy;
    std::string_view code; // NumPy's kind+size code without byte order
};

constexpr std::array<Info, 15> kInfo = {{
    {DType::Bool, DTypeKind::Bool, 1, "bool", "b1"},
    {DType::Int8, DTypeKind::Signed, 1, "int8", "i1"},
    {DType::Int16, DTypeKind::Signed, 2, "int16", "i2"},
    {DType::Int32, DTypeKind::Signed, 4, "int32", "i4"},
    {DType::Int64, DTypeKind::Signed, 8, "int64", "i8"},
    {DType::UInt8, DTypeKind::Unsigned, 1, "uint8", "u1"},
    {DType::UInt16, DTypeKind::Unsigned, 2, "uint16", "u2"},
    {DType::UInt32, DTypeKind::Unsigned, 4, "uint32", "u4"},
    {DType::UInt64, DTypeKind::Unsigned, 8, "uint64", "u8"},
    {DType::Float16, DTypeKind::Float, 2, "float16", "f2"},
    {DType::BFloat16, DTypeKind::Float, 2, "bfloat16", ""},
    {DType::Float32, DTypeKind::Float, 4, "float32", "f4"},
    {DType::Float64, DTypeKind::Float, 8, "float64", "f8"},
    {DType::Complex64, DTypeKind::Complex, 8, "complex64", "c8"},
    {DType::Complex128, DTypeKind::Complex, 16, "complex128", "c16"},
}};

const Info &info(DType t)
{
    return kInfo[static_cast<std::size_t>(t)];
}

struct Alias
{
    std::string_view name;
    DType type;
};

// Aliases as the frameworks spell them (torch.float == float32, NumPy "float" == float64
// is deliberately *not* used: "float" alone means float32 in torch and TF, and MemScope
// users write torch/TF names far more often than NumPy's legacy Python-type aliases).
constexpr std::array<Alias, 16> kAliases = {{
    {"bool_", DType::Bool},
    {"half", DType::Float16},
    {"float", DType::Float32},
    {"double", DType::Float64},
    {"short", DType::Int16},
    {"int", DType::Int32},
    {"long", DType::Int64},
    {"cfloat", DType::Complex64},
    {"cdouble", DType::Complex128},
    {"chalf", DType::Complex64},
    {"single", DType::Float32},
    {"byte", DType::UInt8},
    {"char", DType::Int8},
    {"float_", DType::Float64},
    {"intc", DType::Int32},
    {"longlong", DType::Int64},
}};

} // namespace

DTypeKind kindOf(DType t)
{
    return info(t).kind;
}
std::size_t itemSize(DType t)
{
    return info(t).size;
}
std::string_view numpyName(DType t)
{
    return info(t).numpy;
}

std::string torchName(DType t)
{
    return "torch." + std::string(info(t).numpy);
}

std::string tfName(DType t)
{
    return "tf." + std::string(info(t).numpy);
}

DType parseDType(std::string_view text)
{
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view prefix : {"torch.", "tf.", "np.", "numpy.", "dtype("}) {
        if (s.starts_with(prefix))
            s.erase(0, prefix.size());
    }
    if (s.ends_with(")"))
        s.pop_back();
    if (s.size() > 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
        s = s.substr(1, s.size() - 2);
    // NumPy byte-order prefixes: native and little-endian are the same here;
    // '>' would need byte swapping, which no engine view performs.
    if (!s.empty() && (s.front() == '<' || s.front() == '=' || s.front() == '|'))
        s.erase(0, 1);
    else if (!s.empty() && s.front() == '>' && s.size() > 2)
        throw Error(ErrorCode::Unsupported,
                    "dtype '" + std::string(text) + "' is big-endian; only native byte order is supported");

    for (const Info &i : kInfo) {
        if (s == i.numpy || (!i.code.empty() && s == i.code))
            return i.type;
    }
    if (s == "?")
        return DType::Bool;
    for (const Alias &a : kAliases) {
        if (s == a.name)
            return a.type;
    }
    throw Error(ErrorCode::InvalidArgument, "unknown dtype '" + std::string(text) + "'");
}

} // namespace memscope::engine
