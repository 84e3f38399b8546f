// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Steps built through the real SnapshotBuilder from hand-made facts over real
// host memory: what tst_timeline and tst_recording keep and write.

#include "engine/snapshot.h"
#include "engine/step/step.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace memscope::test {

using namespace memscope::engine;

inline Address addressOf(const void *p)
{
    return static_cast<Address>(reinterpret_cast<std::uintptr_t>(p));
}

/// Host arrays of doubles standing for Python objects ("o0", "o1", ...).
struct HostObjects
{
    std::vector<std::vector<double>> arrays;

    HostObjects(std::size_t count, std::size_t elements)
        : arrays(count, std::vector<double>(elements, 0.0))
    {
        for (std::size_t i = 0; i < count; ++i)
            for (std::size_t e = 0; e < elements; ++e)
                arrays[i][e] = static_cast<double>(i * 1000 + e);
    }

    /// Object `i` as an adapter reports it: its values copied (captured).
    MemoryFact fact(std::size_t i) const
    {
        const std::vector<double> &a = arrays[i];
        MemoryFact f;
        f.objectId = 0x1000 + i;
        f.names = {"o" + std::to_string(i)};
        f.framework = Framework::NumPy;
        f.typeName = "numpy.ndarray";
        f.dtype = DType::Float64;
        f.shape = {static_cast<std::int64_t>(a.size())};
        f.strides = {8};
        f.data = addressOf(a.data());
        f.allocation = {true, addressOf(a.data()), a.size() * sizeof(double)};
        std::vector<std::byte> bytes(a.size() * sizeof(double));
        std::memcpy(bytes.data(), a.data(), bytes.size());
        f.values = ValueBytes(std::move(bytes));
        f.valuesCaptured = true;
        return f;
    }

    std::vector<MemoryFact> facts() const
    {
        std::vector<MemoryFact> out;
        for (std::size_t i = 0; i < arrays.size(); ++i)
            out.push_back(fact(i));
        return out;
    }
};

/// One step of `code` whose snapshot the builder makes from `facts`.
inline std::shared_ptr<const Step> makeStep(SnapshotBuilder &builder, std::vector<MemoryFact> facts,
                                            const std::string &code, std::vector<Assignment> assignments = {})
{
    auto step = std::make_shared<Step>();
    step->code = code;
    step->filename = "<console>";
    step->range = {builder.stepCount() + 1, 0, builder.stepCount() + 1, static_cast<int>(code.size())};
    step->snapshot = builder.build(std::move(facts), StepInfo {code, std::move(assignments), {}, {}});
    return step;
}

} // namespace memscope::test
