// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/device.h"
#include "engine/overlap.h"

#include <cstdint>
#include <span>
#include <vector>

namespace memscope::engine {

/// One view to group: which address space, and where its elements are.
struct AliasInput
{
    Device space;
    PlacedView view;
};

struct AliasGroups
{
    /// group[i] is the alias group of input i. Inputs that share no byte with
    /// any other input are alone in their group; zero-size views always are.
    std::vector<int> group;
    int groupCount = 0;
    /// Pairs whose byte bounds overlapped and needed the element-exact test.
    std::int64_t exactTests = 0;
    /// Pairs the exact test could not decide within its budget; grouped
    /// together (conservatively), and counted so the UI can say so.
    std::int64_t undecided = 0;

    /// Inputs of each group, groups with at least `minSize` members only.
    std::vector<std::vector<int>> members(std::size_t minSize = 2) const;
};

/// Groups views by shared bytes (transitively: if a aliases b and b aliases c,
/// all three are one group). Sorts by address and sweeps, so only views whose
/// byte bounds overlap are compared: O(n log n) for typical scenes, never all
/// pairs. Views whose bytes fill their bounds are compared by bounds alone;
/// strided ones with the exact test (a[::2] and a[1::2] do not alias).
AliasGroups groupAliases(std::span<const AliasInput> inputs);

} // namespace memscope::engine
