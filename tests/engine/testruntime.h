// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the engine tests.

#include "engine/error.h"
#include "engine/runtime.h"
#include "engine/tensor.h"

#include <optional>

namespace memscope::engine::testing {

/// A runtime with one small emulated cuda device, whatever the machine has,
/// so the tests see the same devices everywhere.
inline RuntimeOptions emulatedOptions()
{
    RuntimeOptions o;
    o.useCuda = false;
    o.emulatedCapacity = std::size_t {64} << 20;
    return o;
}

template<typename F> std::optional<ErrorCode> codeOf(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.code();
    }
    return std::nullopt;
}

inline std::vector<Scalar> range(int n, double start = 0)
{
    std::vector<Scalar> v;
    for (int i = 0; i < n; ++i)
        v.emplace_back(start + i);
    return v;
}

inline double asDouble(const Scalar &s)
{
    if (auto d = std::get_if<double>(&s))
        return *d;
    if (auto i = std::get_if<std::int64_t>(&s))
        return static_cast<double>(*i);
    if (auto u = std::get_if<std::uint64_t>(&s))
        return static_cast<double>(*u);
    if (auto b = std::get_if<bool>(&s))
        return *b ? 1.0 : 0.0;
    return std::get<std::complex<double>>(s).real();
}

inline std::vector<double> doubles(const Tensor &t)
{
    std::vector<double> out;
    for (const Scalar &s : t.values())
        out.push_back(asDouble(s));
    return out;
}

} // namespace memscope::engine::testing
