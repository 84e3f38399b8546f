// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/memoryfact.h"

#include <cstdio>
#include <functional>
#include <numeric>

namespace memscope::engine {

std::string_view frameworkName(Framework f)
{
    switch (f) {
    case Framework::NumPy:
        return "numpy";
    case Framework::Torch:
        return "torch";
    case Framework::TensorFlow:
        return "tensorflow";
    case Framework::Jax:
        return "jax";
    case Framework::CuPy:
        return "cupy";
    case Framework::MemScope:
        return "memscope";
    case Framework::Other:
        return "other";
    }
    return "other";
}

std::int64_t MemoryFact::numel() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t {1}, std::multiplies<>());
}

std::string MemoryFact::label() const
{
    if (!names.empty())
        return names.front();
    char buf[64];
    std::snprintf(buf, sizeof buf, " at 0x%llx>", static_cast<unsigned long long>(objectId));
    return "<" + typeName + buf;
}

} // namespace memscope::engine
