// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/aliasanalysis.h"
#include "engine/layout.h"
#include <random>
#include <set>
#endif

using namespace memscope::engine;

namespace {

struct Scene
{
    std::vector<Layout> layouts;
    std::vector<Address> bases;
    std::vector<Device> spaces;

    int add(Address base, Layout l, Device space = Device::cpu())
    {
        layouts.push_back(std::move(l));
        bases.push_back(base);
        spaces.push_back(space);
        return static_cast<int>(layouts.size()) - 1;
    }
    std::vector<AliasInput> inputs() const
    {
        std::vector<AliasInput> in;
        for (std::size_t i = 0; i < layouts.size(); ++i)
            in.push_back({spaces[i], PlacedView::of(bases[i], layouts[i])});
        return in;
    }
};

} // namespace

class TestAliasAnalysis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groupsByBytes()
    {
        Scene s;
        const Layout a = Layout::contiguous(DType::Float64, {8});
        const int whole = s.add(0x1000, a);
        const int even = s.add(0x1000, slice(a, 0, 0, std::nullopt, 2));
        const int odd = s.add(0x1000, slice(a, 0, 1, std::nullopt, 2));
        const int other = s.add(0x2000, a);
        const auto inputs = s.inputs();
        const AliasGroups g = groupAliases(inputs);
        QCOMPARE(g.group[size_t(whole)], g.group[size_t(even)]);
        QCOMPARE(g.group[size_t(whole)], g.group[size_t(odd)]); // transitively through `whole`
        QVERIFY(g.group[size_t(other)] != g.group[size_t(whole)]);
        QCOMPARE(g.groupCount, 2);
        QCOMPARE(g.members().size(), std::size_t(1));
        QCOMPARE(g.undecided, 0);
    }

    void interleavedAloneStaySeparate()
    {
        Scene s;
        const Layout a = Layout::contiguous(DType::Float64, {8});
        const int even = s.add(0x1000, slice(a, 0, 0, std::nullopt, 2));
        const int odd = s.add(0x1000, slice(a, 0, 1, std::nullopt, 2));
        const auto inputs = s.inputs();
        const AliasGroups g = groupAliases(inputs);
        QVERIFY(g.group[size_t(even)] != g.group[size_t(odd)]);
        QCOMPARE(g.exactTests, 1);
        QVERIFY(g.members().empty());
    }

    void addressSpacesAreSeparate()
    {
        Scene s;
        const Layout a = Layout::contiguous(DType::Float32, {4});
        const int host = s.add(0x1000, a);
        const int dev = s.add(0x1000, a, Device::cuda(0, true));
        const int dev2 = s.add(0x1000, a, Device::cuda(0, true));
        const auto inputs = s.inputs();
        const AliasGroups g = groupAliases(inputs);
        QVERIFY(g.group[size_t(host)] != g.group[size_t(dev)]);
        QCOMPARE(g.group[size_t(dev)], g.group[size_t(dev2)]);
    }

    void zeroSizeAlone()
    {
        Scene s;
        const Layout a = Layout::contiguous(DType::Float32, {4});
        const int whole = s.add(0x1000, a);
        const int empty = s.add(0x1000, slice(a, 0, 2, 2));
        const auto inputs = s.inputs();
        const AliasGroups g = groupAliases(inputs);
        QVERIFY(g.group[size_t(whole)] != g.group[size_t(empty)]);
    }

    void adjacentBuffersDoNotAlias()
    {
        Scene s;
        const Layout a = Layout::contiguous(DType::Float64, {4}); // 32 bytes
        const int first = s.add(0x1000, a);
        const int second = s.add(0x1020, a); // starts where the first ends
        const auto inputs = s.inputs();
        const AliasGroups g = groupAliases(inputs);
        QVERIFY(g.group[size_t(first)] != g.group[size_t(second)]);
    }

    // Against pairwise brute force (connected components of the exact
    // pairwise relation) on random scenes.
    void randomScenesMatchPairwise()
    {
        std::mt19937 rng(99);
        for (int scene = 0; scene < 200; ++scene) {
            Scene s;
            const int buffers = 1 + int(rng() % 4);
            for (int b = 0; b < buffers; ++b) {
                const Address base = 0x1000 + Address(b) * 0x100 + Address(rng() % 3) * 0x40; // some overlap
                const Layout whole = Layout::contiguous(DType::Int16, {4, 8});
                for (int v = 0; v < 4; ++v) {
                    Layout l = whole;
                    switch (rng() % 5) {
                    case 0:
                        l = slice(whole, 1, std::int64_t(rng() % 2), std::nullopt, 2);
                        break;
                    case 1:
                        l = transpose(slice(whole, 0, std::int64_t(rng() % 4), std::nullopt, 3));
                        break;
                    case 2:
                        l = select(whole, 1, std::int64_t(rng() % 8));
                        break;
                    case 3:
                        l = slice(whole, 0, std::int64_t(rng() % 4), std::int64_t(rng() % 4));
                        break;
                    default:
                        break;
                    }
                    s.add(base, l);
                }
            }
            const auto inputs = s.inputs();
            const AliasGroups g = groupAliases(inputs);
            // Brute force: pairwise shared bytes (enumerated), then components.
            const std::size_t n = inputs.size();
            std::vector<std::set<Address>> bytes(n);
            for (std::size_t i = 0; i < n; ++i)
                for (std::int64_t e = 0; e < s.layouts[i].numel(); ++e)
                    for (std::int64_t k = 0; k < s.layouts[i].itemSize(); ++k)
                        bytes[i].insert(s.bases[i] + Address(s.layouts[i].flatOffset(e) + k));
            const auto shares = [&](std::size_t i, std::size_t j) {
                for (Address x : bytes[i])
                    if (bytes[j].contains(x))
                        return true;
                return false;
            };
            std::vector<int> comp(n);
            for (std::size_t i = 0; i < n; ++i)
                comp[i] = int(i);
            bool changed = true;
            while (changed) {
                changed = false;
                for (std::size_t i = 0; i < n; ++i)
                    for (std::size_t j = 0; j < n; ++j)
                        if (comp[j] < comp[i] && shares(i, j)) {
                            comp[i] = comp[j];
                            changed = true;
                        }
            }
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    QCOMPARE(g.group[i] == g.group[j], comp[i] == comp[j]);
        }
    }
};

QTEST_APPLESS_MAIN(TestAliasAnalysis)
#include "tst_aliasanalysis.moc"
