// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline: values shared between steps and counted once, the memory
// budget dropping the oldest steps' values (never facts), the cursor.

#include <QTest>

#include <span>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/step/timeline.h"
#include "stepfixtures.h"
#include <set>
#endif

using namespace memscope::engine;
using memscope::test::HostObjects;
using memscope::test::makeStep;

namespace {

std::shared_ptr<const Step> bareStep(const std::string &code)
{
    auto step = std::make_shared<Step>();
    step->code = code;
    return step;
}

// `v = o0[:n/2]`: a view without values of its own, so each step has an alias relation.
MemoryFact viewOf(const HostObjects &objects)
{
    MemoryFact v = objects.fact(0);
    v.objectId = 0x2000;
    v.names = {"v"};
    v.shape = {static_cast<std::int64_t>(objects.arrays[0].size() / 2)};
    v.values = {};
    v.valuesCaptured = false;
    return v;
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // 1,000 steps of 100 objects, one element of one object changed per step:
    // the history holds one copy of each object plus one per change, not
    // 1,000 copies of everything.
    void historySharesUnchangedValues()
    {
        constexpr std::size_t kObjects = 100, kElements = 16, kSteps = 1000;
        constexpr std::uint64_t kObjectBytes = kElements * sizeof(double);
        HostObjects objects(kObjects, kElements);
        SnapshotBuilder builder;
        Timeline timeline;
        for (std::size_t n = 0; n < kSteps; ++n) {
            if (n > 0)
                objects.arrays[n % kObjects][n % kElements] += 1.0; // the step's one change
            timeline.append(makeStep(builder, objects.facts(), "o[" + std::to_string(n % kObjects) + "] += 1"));
        }
        QCOMPARE(timeline.size(), kSteps);
        QCOMPARE(timeline.valueBytes(), (kObjects + kSteps - 1) * kObjectBytes); // 140,672 B
        // Besides values: the facts' own size, and the one changed index of each step after the first.
        std::uint64_t facts = 0;
        for (std::size_t n = 0; n < kSteps; ++n)
            facts += Timeline::snapshotBytes(*timeline.at(n)->snapshot);
        QVERIFY(facts >= kSteps * kObjects * sizeof(MemoryFact));
        QCOMPARE(timeline.memoryBytes(), timeline.valueBytes() + facts + (kSteps - 1) * sizeof(std::int64_t));
        QVERIFY(timeline.valueBytes() < kSteps * kObjects * kObjectBytes / 50); // unshared: 12.8 MB
        QCOMPARE(timeline.droppedSteps(), std::size_t(0));

        // Unchanged objects hold the previous step's bytes; the changed one its own.
        const Snapshot &before = *timeline.at(9)->snapshot;
        const Snapshot &after = *timeline.at(10)->snapshot; // changed o10
        const auto value = [](const Snapshot &s, const char *name) -> const ValueBytes & {
            return s.facts[static_cast<std::size_t>(s.indexOf(name))].values;
        };
        QVERIFY(value(after, "o11").sharesStorageWith(value(before, "o11")));
        QVERIFY(!value(after, "o10").sharesStorageWith(value(before, "o10")));
        QVERIFY(value(after, "o10") != value(before, "o10"));
        QCOMPARE(after.changedCount[static_cast<std::size_t>(after.indexOf("o10"))], std::int64_t(1));
    }

    // Same values at another address (or in another layout) are another
    // object's bytes: never shared.
    void sharingNeedsTheSameObjectAndLayout()
    {
        HostObjects objects(2, 8);
        objects.arrays[1] = objects.arrays[0];
        SnapshotBuilder builder;
        auto first = makeStep(builder, {objects.fact(0)}, "a = ...");
        MemoryFact moved = objects.fact(1); // equal values, other memory
        moved.objectId = objects.fact(0).objectId;
        auto second = makeStep(builder, {moved}, "a = a.copy()");
        QVERIFY(second->snapshot->facts[0].values == first->snapshot->facts[0].values);
        QVERIFY(!second->snapshot->facts[0].values.sharesStorageWith(first->snapshot->facts[0].values));
        auto third = makeStep(builder, {moved}, "pass");
        QVERIFY(third->snapshot->facts[0].values.sharesStorageWith(second->snapshot->facts[0].values));
    }

    // Over budget, the oldest steps lose their values (and say so); facts,
    // relations, buffers and changes stay; the steps held elsewhere are untouched.
    void budgetDropsOldestValuesOnly()
    {
        constexpr std::size_t kObjects = 4, kElements = 128, kSteps = 10;
        constexpr std::uint64_t kStepValues = kObjects * kElements * sizeof(double); // 4 KiB, all changed each step
        HostObjects objects(kObjects, kElements);
        SnapshotBuilder builder;
        std::vector<std::shared_ptr<const Step>> made;
        std::uint64_t fixed = 0; // what no budget drops: facts and their change lists
        for (std::size_t n = 0; n < kSteps; ++n) {
            for (auto &a : objects.arrays)
                a[0] += 1.0;
            std::vector<MemoryFact> facts = objects.facts();
            facts.push_back(viewOf(objects));
            made.push_back(makeStep(builder, std::move(facts), "step " + std::to_string(n)));
            fixed += Timeline::factBytes(*made.back()->snapshot);
        }
        std::uint64_t structures = 0;
        for (const auto &step : made)
            structures += Timeline::snapshotBytes(*step->snapshot);
        QCOMPARE(fixed, structures + (kSteps - 1) * 5 * sizeof(std::int64_t)); // and each step's 5 changed indices
        const std::uint64_t budget = fixed + 3 * kStepValues; // room for the values of 3 steps
        Timeline timeline(budget);
        for (const auto &step : made) {
            timeline.append(step);
            QVERIFY(timeline.memoryBytes() <= budget);
        }
        QCOMPARE(timeline.memoryBytes(), budget);
        QCOMPARE(timeline.valueBytes(), 3 * kStepValues);
        QCOMPARE(timeline.droppedSteps(), kSteps - 3);
        for (std::size_t n = 0; n < kSteps; ++n) {
            const Snapshot &kept = *timeline.at(n)->snapshot;
            const Snapshot &original = *made[n]->snapshot;
            const bool dropped = n < kSteps - 3;
            QCOMPARE(timeline.valuesDropped(n), dropped);
            QCOMPARE(kept.valuesDropped, dropped);
            QCOMPARE(kept.facts.size(), original.facts.size());
            for (std::size_t i = 0; i < kept.facts.size(); ++i) {
                QCOMPARE(kept.facts[i].names, original.facts[i].names);
                QCOMPARE(kept.facts[i].data, original.facts[i].data);
                QCOMPARE(kept.facts[i].values.empty(), dropped || !original.facts[i].valuesCaptured);
                QCOMPARE(kept.facts[i].valuesCaptured, !dropped && original.facts[i].valuesCaptured);
            }
            QCOMPARE(kept.relations.size(), original.relations.size());
            QVERIFY(!kept.relations.empty()); // o0 and its view
            QCOMPARE(kept.relations[0].relation, Relation::Alias);
            QCOMPARE(kept.aliases.group, original.aliases.group);
            QCOMPARE(kept.bufferOf, original.bufferOf);
            QCOMPARE(kept.changedCount, original.changedCount);
            QCOMPARE(timeline.at(n)->code, made[n]->code);
            // Steps are immutable: what a view still holds keeps its values.
            QVERIFY(!made[n]->snapshot->facts[0].values.empty());
            QVERIFY(!made[n]->snapshot->valuesDropped);
        }
    }

    // A budget too small for anything still leaves the live step its values.
    void liveStepKeepsItsValues()
    {
        HostObjects objects(3, 8);
        SnapshotBuilder builder;
        Timeline timeline;
        for (int n = 0; n < 3; ++n)
            timeline.append(makeStep(builder, objects.facts(), "pass"));
        // Nothing changed: the three steps share one copy.
        QCOMPARE(timeline.valueBytes(), std::uint64_t(3 * 8 * sizeof(double)));
        timeline.setBudget(0);
        QCOMPARE(timeline.droppedSteps(), std::size_t(2));
        QVERIFY(timeline.valuesDropped(0) && timeline.valuesDropped(1) && !timeline.valuesDropped(2));
        // The live step still holds those bytes: dropping them elsewhere freed nothing.
        QCOMPARE(timeline.valueBytes(), std::uint64_t(3 * 8 * sizeof(double)));
        QVERIFY(!timeline.live()->snapshot->facts[0].values.empty());
        timeline.setBudget(Timeline::kDefaultBudget); // values once dropped stay dropped
        QVERIFY(timeline.valuesDropped(0));
    }

    void cursorMoves()
    {
        Timeline timeline;
        QVERIFY(timeline.atLive());
        QVERIFY(!timeline.back() && !timeline.forward() && !timeline.home() && !timeline.end());
        QVERIFY(!timeline.current());
        QVERIFY(!timeline.setCursor(0));
        timeline.append(nullptr); // ignored
        QCOMPARE(timeline.size(), std::size_t(0));

        for (const char *code : {"a = 1", "b = 2", "c = 3"})
            timeline.append(bareStep(code));
        QCOMPARE(timeline.cursor(), std::size_t(2)); // followed the live step
        QVERIFY(timeline.atLive());
        QVERIFY(!timeline.forward());
        QVERIFY(timeline.back());
        QCOMPARE(timeline.current()->code, std::string("b = 2"));
        QVERIFY(!timeline.atLive());
        timeline.append(bareStep("d = 4")); // looking back: the cursor stays
        QCOMPARE(timeline.cursor(), std::size_t(1));
        QCOMPARE(timeline.live()->code, std::string("d = 4"));
        QVERIFY(timeline.forward() && timeline.forward());
        QVERIFY(!timeline.forward());
        QVERIFY(timeline.atLive());
        QVERIFY(timeline.home());
        QVERIFY(!timeline.home());
        QVERIFY(!timeline.back());
        QCOMPARE(timeline.current()->code, std::string("a = 1"));
        QVERIFY(timeline.end());
        QVERIFY(!timeline.end());
        QCOMPARE(timeline.cursor(), std::size_t(3));
        QVERIFY(!timeline.setCursor(3));
        QVERIFY(!timeline.setCursor(4));
        QCOMPARE(timeline.cursor(), std::size_t(3));
        QVERIFY(timeline.setCursor(2));
        QCOMPARE(timeline.current()->code, std::string("c = 3"));
    }

    void clearForgetsEverything()
    {
        HostObjects objects(2, 8);
        SnapshotBuilder builder;
        Timeline timeline(123456);
        timeline.append(makeStep(builder, objects.facts(), "a"));
        timeline.append(makeStep(builder, objects.facts(), "b"));
        timeline.back();
        QVERIFY(timeline.valueBytes() > 0);
        timeline.clear();
        QVERIFY(timeline.empty());
        QCOMPARE(timeline.cursor(), std::size_t(0));
        QCOMPARE(timeline.valueBytes(), std::uint64_t(0));
        QCOMPARE(timeline.memoryBytes(), std::uint64_t(0));
        QCOMPARE(timeline.droppedSteps(), std::size_t(0));
        QCOMPARE(timeline.budget(), std::uint64_t(123456));
        timeline.append(bareStep("c"));
        QCOMPARE(timeline.cursor(), std::size_t(0));
        QVERIFY(timeline.atLive());
    }

    // With a packer, steps whose values were dropped are kept packed and
    // unpacked when asked for: the facts are all there, memory is the packed size.
    void droppedStepsArePackedAndUnpacked()
    {
        HostObjects objects(4, 64);
        SnapshotBuilder builder;
        std::vector<std::shared_ptr<const Step>> made;
        for (std::size_t n = 0; n < 20; ++n) {
            objects.arrays[n % 4][0] += 1.0;
            made.push_back(makeStep(builder, objects.facts(), "step " + std::to_string(n)));
        }
        // A stand-in packer: the step kept aside, its index as the bytes.
        std::vector<std::shared_ptr<const Step>> shelf;
        Timeline timeline(Timeline::factBytes(*made[0]->snapshot) * 3);
        int packs = 0, unpacks = 0;
        timeline.setPacker({[&](const Step &step) {
                                ++packs;
                                shelf.push_back(std::make_shared<const Step>(step));
                                return std::vector<std::uint8_t> {std::uint8_t(shelf.size() - 1)};
                            },
                            [&](std::span<const std::uint8_t> bytes) {
                                ++unpacks;
                                return shelf.at(bytes[0]);
                            }});
        for (const auto &step : made)
            timeline.append(step);
        QVERIFY(timeline.packedSteps() > 10);
        QCOMPARE(timeline.packedSteps(), std::size_t(packs));
        QCOMPARE(timeline.packedBytes(), std::uint64_t(packs));
        QVERIFY(timeline.memoryBytes() <= timeline.budget());
        for (std::size_t n = 0; n < made.size(); ++n) {
            const auto step = timeline.at(n);
            QCOMPARE(step->code, made[n]->code);
            QCOMPARE(step->snapshot->facts.size(), made[n]->snapshot->facts.size());
            QCOMPARE(timeline.valuesDropped(n), step->snapshot->valuesDropped); // packed or not, the same answer
        }
        QVERIFY(unpacks > 0);
        const int before = unpacks;
        (void)timeline.at(0); // cached: unpacked once for a scrubber passing by
        (void)timeline.at(0);
        QVERIFY(unpacks <= before + 1);
        QCOMPARE(timeline.steps().size(), made.size());
        timeline.clear();
        QCOMPARE(timeline.packedBytes(), std::uint64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
