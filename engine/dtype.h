// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace memscope::engine {

/// Element types shared by NumPy, torch and TensorFlow.
enum class DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    BFloat16,
    Float32,
    Float64,
    Complex64,
    Complex128,
};

inline constexpr std::array<DType, 15> kAllDTypes = {
    DType::Bool,     DType::Int8,    DType::Int16,   DType::Int32,     DType::Int64,
    DType::UInt8,    DType::UInt16,  DType::UInt32,  DType::UInt64,    DType::Float16,
    DType::BFloat16, DType::Float32, DType::Float64, DType::Complex64, DType::Complex128,
};

enum class DTypeKind { Bool, Signed, Unsigned, Float, Complex };

DTypeKind kindOf(DType t);
std::size_t itemSize(DType t);

/// NumPy spelling ("float32"); bfloat16 has no NumPy dtype and keeps its name.
std::string_view numpyName(DType t);
/// torch spelling ("torch.float32", "torch.complex64", "torch.bool").
std::string torchName(DType t);
/// TensorFlow spelling ("tf.float32", "tf.half" is spelled "tf.float16").
std::string tfName(DType t);

/// Parses any of the spellings above, NumPy short codes ("f4", "<i8") and
/// common aliases ("float", "double", "half", "int", "long", "cfloat").
/// Throws Error(InvalidArgument) naming the text when it is not a dtype.
DType parseDType(std::string_view text);

} // namespace memscope::engine
