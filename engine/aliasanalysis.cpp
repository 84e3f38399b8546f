// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/aliasanalysis.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace memscope::engine {

namespace {

class DisjointSets
{
public:
    explicit DisjointSets(std::size_t n)
        : m_parent(n)
    {
        std::iota(m_parent.begin(), m_parent.end(), 0);
    }
    int find(int x)
    {
        while (m_parent[static_cast<std::size_t>(x)] != x) {
            auto &p = m_parent[static_cast<std::size_t>(x)];
            p = m_parent[static_cast<std::size_t>(p)]; // path halving
            x = p;
        }
        return x;
    }
    void unite(int a, int b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            m_parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    }

private:
    std::vector<int> m_parent;
};

struct Item
{
    int index;
    Address lo;
    Address hi;
    bool gapless;
};

} // namespace

std::vector<std::vector<int>> AliasGroups::members(std::size_t minSize) const
{
    std::vector<std::vector<int>> out(static_cast<std::size_t>(groupCount));
    for (std::size_t i = 0; i < group.size(); ++i)
        out[static_cast<std::size_t>(group[i])].push_back(static_cast<int>(i));
    std::erase_if(out, [minSize](const std::vector<int> &g) { return g.size() < minSize; });
    return out;
}

AliasGroups groupAliases(std::span<const AliasInput> inputs)
{
    AliasGroups result;
    DisjointSets sets(inputs.size());

    // Bucket by address space; within one, sort by low address.
    std::map<Device, std::vector<Item>> spaces;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const PlacedView &v = inputs[i].view;
        if (v.numel() == 0)
            continue;
        const auto [lo, hi] = v.bounds();
        spaces[inputs[i].space].push_back({static_cast<int>(i), lo, hi, v.isGapless()});
    }

    std::vector<const Item *> active;
    for (auto &[space, items] : spaces) {
        std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.lo < b.lo; });
        active.clear();
        for (const Item &item : items) {
            // Views that end before this one starts can overlap nothing later either.
            std::erase_if(active, [&](const Item *a) { return a->hi <= item.lo; });
            for (const Item *other : active) {
                if (sets.find(item.index) == sets.find(other->index))
                    continue;
                bool shares = item.gapless && other->gapless;
                if (!shares) {
                    ++result.exactTests;
                    const Overlap o = viewsOverlap(inputs[static_cast<std::size_t>(item.index)].view,
                                                   inputs[static_cast<std::size_t>(other->index)].view);
                    result.undecided += o == Overlap::TooHard;
                    shares = o != Overlap::No;
                }
                if (shares)
                    sets.unite(item.index, other->index);
            }
            active.push_back(&item);
        }
    }

    result.group.assign(inputs.size(), -1);
    std::vector<int> idOfRoot(inputs.size(), -1);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto root = static_cast<std::size_t>(sets.find(static_cast<int>(i)));
        if (idOfRoot[root] < 0)
            idOfRoot[root] = result.groupCount++;
        result.group[i] = idOfRoot[root];
    }
    return result;
}

} // namespace memscope::engine
