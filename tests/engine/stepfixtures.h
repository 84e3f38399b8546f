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

/// Real host memory for hand-made facts to point into (the builder reads it):
/// element i holds first + i.
template<typename T> struct HostBuffer
{
    std::vector<T> data;
    explicit HostBuffer(std::size_t n, T first = T {})
        : data(n)
    {
        for (std::size_t i = 0; i < n; ++i)
            data[i] = static_cast<T>(first + static_cast<T>(i));
    }
};

/// A fresh object id for a hand-made fact.
inline std::uint64_t nextObjectId()
{
    static std::uint64_t next = 0x100;
    return next++;
}

/// A NumPy-like view of `base`, `offset` bytes in (values not captured).
template<typename T>
MemoryFact hostView(const HostBuffer<T> &base, std::vector<std::string> names, DType dtype, std::int64_t offset,
                    std::vector<std::int64_t> shape, std::vector<std::int64_t> strides)
{
    MemoryFact f;
    f.objectId = nextObjectId();
    f.names = std::move(names);
    f.framework = Framework::NumPy;
    f.typeName = "numpy.ndarray";
    f.dtype = dtype;
    f.shape = std::move(shape);
    f.strides = std::move(strides);
    f.data = addressOf(base.data.data()) + static_cast<Address>(offset);
    f.allocation = {true, addressOf(base.data.data()), base.data.size() * sizeof(T)};
    return f;
}

/// The fact with its packed C-order values, as an adapter captures them for
/// small objects.
inline MemoryFact captureValues(MemoryFact f)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    std::vector<std::byte> packed(static_cast<std::size_t>(f.nbytes()));
    std::vector<std::int64_t> index(f.shape.size(), 0);
    for (std::size_t e = 0; e * item < packed.size(); ++e) {
        std::int64_t offset = 0;
        for (std::size_t d = 0; d < index.size(); ++d)
            offset += index[d] * f.strides[d];
        std::memcpy(packed.data() + e * item, reinterpret_cast<const std::byte *>(f.data) + offset, item);
        for (std::size_t d = index.size(); d-- > 0;)
            if (++index[d] < f.shape[d])
                break;
            else
                index[d] = 0;
    }
    f.values = ValueBytes(std::move(packed));
    f.valuesCaptured = true;
    return f;
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
