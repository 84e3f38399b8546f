// SPDX-License-Identifier: GPL-3.0-or-later
// The canvas layout as geometry: which cells each view touches, where
// connectors land, dtype widths, text sizes, arrows that cross no text,
// positions kept across steps, and identical pixels for the same step.

// moc (Qt 6.4) cannot parse GCC 12's <concepts>.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#include "tests/engine/stepfixtures.h"
#include "ui/canvas/canvaslayout.h"
#include "ui/canvas/canvaspainter.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#endif
#include "ui/theme.h"

#include <QImage>
#include <QPainter>
#include <QtTest>

#include <cstring>

using namespace memscope;
using namespace memscope::engine;
using namespace memscope::ui;

namespace {

template<typename T> using Buffer = test::HostBuffer<T>;

/// A view of `base`: `offset` bytes in, with its shape and byte strides.
template<typename T>
MemoryFact view(const Buffer<T> &base, const std::string &name, DType dtype, std::int64_t offset,
                std::vector<std::int64_t> shape, std::vector<std::int64_t> strides)
{
    return test::hostView(base, {name}, dtype, offset, std::move(shape), std::move(strides));
}

/// The whole of `base`, its values captured as an adapter captures them.
template<typename T> MemoryFact whole(const Buffer<T> &base, const std::string &name, DType dtype)
{
    return test::captureValues(view(base, name, dtype, 0, {static_cast<std::int64_t>(base.data.size())},
                                    {static_cast<std::int64_t>(sizeof(T))}));
}

std::shared_ptr<const Snapshot> build(SnapshotBuilder &builder, std::vector<MemoryFact> facts,
                                      const std::string &code = "x", std::vector<Assignment> assignments = {})
{
    return builder.build(std::move(facts), StepInfo {code, std::move(assignments), {}, {}});
}

const GBuffer &bufferOf(const CanvasGeometry &g, const Snapshot &s, const std::string &name)
{
    const int fact = s.indexOf(name);
    for (const GBuffer &b : g.buffers)
        for (const GMapRow &m : b.maps)
            if (m.fact == fact)
                return b;
    for (const GBuffer &b : g.buffers)
        for (const GStrip &st : b.strips)
            if (st.fact == fact)
                return b;
    qFatal("no buffer shows %s", name.c_str());
}

std::vector<const GMark *> marksOf(const CanvasGeometry &g, const Snapshot &s, const std::string &name)
{
    std::vector<const GMark *> out;
    const int fact = s.indexOf(name);
    for (const GBuffer &b : g.buffers)
        for (const GMapRow &m : b.maps)
            if (m.fact == fact)
                for (const GMark &k : m.marks)
                    out.push_back(&k);
    return out;
}

QImage paint(const CanvasGeometry &g, const ThemeColors &colors)
{
    QImage image(g.bounds.size().toSize(), QImage::Format_ARGB32);
    image.fill(colors.canvasBackground);
    QPainter p(&image);
    paintCanvas(p, g, colors);
    return image;
}

} // namespace

class TestCanvasLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // a[::2] and a[1::2] interleave: each marks every other cell, numbered 0 1 2 3.
    void interleavedViewsMarkTheirOwnCells()
    {
        Buffer<double> a(8);
        SnapshotBuilder builder;
        const auto s = build(builder,
                             {whole(a, "a", DType::Float64), view(a, "e", DType::Float64, 0, {4}, {16}),
                              view(a, "o", DType::Float64, 8, {4}, {16})});
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        QCOMPARE(g.buffers.size(), std::size_t(1));
        const GBuffer &b = g.buffers.front();
        QCOMPARE(b.cells.size(), std::size_t(8));
        QCOMPARE(b.cells[3].value, QStringLiteral("3.0"));
        const auto even = marksOf(g, *s, "e");
        const auto odd = marksOf(g, *s, "o");
        QCOMPARE(even.size(), std::size_t(4));
        QCOMPARE(odd.size(), std::size_t(4));
        for (std::size_t k = 0; k < 4; ++k) {
            QCOMPARE(even[k]->index, std::int64_t(k));
            QCOMPARE(odd[k]->index, std::int64_t(k));
            QCOMPARE(even[k]->text, QString::number(k));
            // Over cell 2k and 2k+1: the same x as the cells, in address order.
            QCOMPARE(qRound(even[k]->rect.center().x()), qRound(b.cells[2 * k].rect.center().x()));
            QCOMPARE(qRound(odd[k]->rect.center().x()), qRound(b.cells[2 * k + 1].rect.center().x()));
        }
    }

    // A transpose keeps the buffer in address order; its map shows its traversal order.
    void transposeShowsItsTraversalOrder()
    {
        Buffer<double> a(6);
        SnapshotBuilder builder;
        const auto s = build(
            builder,
            {view(a, "a", DType::Float64, 0, {2, 3}, {24, 8}), view(a, "at", DType::Float64, 0, {3, 2}, {8, 24})});
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        const GBuffer &b = g.buffers.front();
        QCOMPARE(b.cells.size(), std::size_t(6));
        for (std::size_t k = 1; k < 6; ++k) // one strip in address order, not the shape of a view
            QVERIFY(b.cells[k].rect.left() > b.cells[k - 1].rect.left());
        std::vector<std::int64_t> order;
        for (const GMark *m : marksOf(g, *s, "at"))
            order.push_back(m->index);
        QCOMPARE(order, (std::vector<std::int64_t> {0, 2, 4, 1, 3, 5}));
    }

    // rev = a[::-1]: its connector lands on rev[0], the last cell, not on +0x0.
    void reversedViewConnectorLandsOnElementZero()
    {
        Buffer<double> a(4);
        SnapshotBuilder builder;
        const auto s = build(builder, {whole(a, "a", DType::Float64), view(a, "rev", DType::Float64, 24, {4}, {-8})});
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        const GBuffer &b = g.buffers.front();
        const int rev = s->indexOf("rev");
        const GMark *zero = nullptr;
        for (const GMark *m : marksOf(g, *s, "rev"))
            if (m->index == 0)
                zero = m;
        QVERIFY(zero);
        QCOMPARE(qRound(zero->rect.center().x()), qRound(b.cells.back().rect.center().x()));
        for (const GConnector &c : g.connectors) {
            const std::vector<const GMark *> marks = marksOf(g, *s, s->facts[std::size_t(c.fact)].label());
            const auto z = std::find_if(marks.begin(), marks.end(), [](const GMark *m) { return m->index == 0; });
            QVERIFY(z != marks.end());
            QVERIFY2((*z)->rect.adjusted(-1, -1, 1, 1).contains(c.end), "a connector ends on element [0] of its view");
            if (c.fact == rev)
                QVERIFY(c.end.x() > b.cells[2].rect.right());
        }
    }

    // Cell width follows the item size; view(int32) of float64 is two marks per cell.
    void cellsAreAsWideAsTheirItems()
    {
        Buffer<double> a(4);
        Buffer<float> f(4);
        SnapshotBuilder builder;
        const auto s = build(
            builder,
            {whole(a, "a", DType::Float64), view(a, "i", DType::Int32, 0, {8}, {4}), whole(f, "f", DType::Float32)});
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        const GBuffer &wide = bufferOf(g, *s, "a");
        const GBuffer &narrow = bufferOf(g, *s, "f");
        QCOMPARE(narrow.cells.front().rect.width() * 2, wide.cells.front().rect.width());
        const auto halves = marksOf(g, *s, "i");
        QCOMPARE(halves.size(), std::size_t(8));
        QCOMPARE(halves[0]->rect.width() * 2 + 4, wide.cells.front().rect.width()); // 1 px apart on each side
        QVERIFY(halves[1]->rect.left() < wide.cells[0].rect.right()); // both halves inside cell 0
        QVERIFY(halves[2]->rect.left() >= wide.cells[1].rect.left());
    }

    void textNeverBelowTheMinimum_data()
    {
        QTest::addColumn<qreal>("scale");
        QTest::addColumn<qreal>("width");
        QTest::newRow("100 %, wide") << 1.0 << 1400.0;
        QTest::newRow("100 %, narrow") << 1.0 << 500.0;
        QTest::newRow("200 %, slide") << 2.0 << 1280.0;
        QTest::newRow("300 %") << 3.0 << 1280.0;
    }
    void textNeverBelowTheMinimum()
    {
        QFETCH(qreal, scale);
        QFETCH(qreal, width);
        Buffer<double> a(40);
        Buffer<double> c(40);
        SnapshotBuilder builder;
        build(builder, {whole(a, "a", DType::Float64)}, "a = ...", {{"a", {}}});
        const auto s = build(builder, {whole(a, "a", DType::Float64), whole(c, "c", DType::Float64)}, "c = a.copy()",
                             {{"c", {"a"}}});
        CanvasStyle style;
        style.scale = scale;
        style.width = width;
        const CanvasGeometry g = layoutCanvas(s.get(), style);
        QVERIFY(!g.texts().empty());
        for (const GText *t : g.texts()) // the font each text is drawn with
            QVERIFY2(style.font(t->role).pixelSize() >= std::max(11.0, style.minPx()), qPrintable(t->text));
        // Larger text reflows: cells keep their size per byte and wrap into
        // more rows, inside the width, instead of shrinking.
        const GBuffer &b = g.buffers.front();
        QVERIFY(b.cells.front().rect.width() >= 8 * 12 * scale - 0.5);
        const auto perRow = std::count_if(b.cells.begin(), b.cells.end(), [&](const GCell &cell) {
            return qFuzzyCompare(cell.rect.top(), b.cells.front().rect.top());
        });
        QVERIFY(perRow >= 1 && perRow <= 8);
        if (scale >= 2.0) // 8 float64 cells of 192 px and more do not fit 1280 px beside the boxes
            QVERIFY2(perRow < 8, qPrintable(QString::number(perRow)));
        if (scale == 1.0) // nothing wider than the width it reflows into
            for (const GBuffer &buffer : g.buffers)
                QVERIFY2(buffer.cluster.right() <= width, qPrintable(QString::number(buffer.cluster.right())));
    }

    // Copies between many buffers, wrapped into shelves: arrows run in free
    // columns and gutters, so no segment crosses any text, and each ends on
    // its target's cells.
    void arrowsCrossNoTextAndEndOnTheirBuffer()
    {
        std::vector<Buffer<double>> bases;
        std::vector<Buffer<double>> copies;
        for (int i = 0; i < 4; ++i) {
            bases.emplace_back(4 + i);
            copies.emplace_back(4 + i); // the same values: observed as copies
        }
        SnapshotBuilder builder;
        std::vector<MemoryFact> facts;
        for (int i = 0; i < 4; ++i)
            facts.push_back(whole(bases[std::size_t(i)], "b" + std::to_string(i), DType::Float64));
        auto s = build(builder, facts, "bs = ...");
        for (int i = 0; i < 4; ++i) { // one statement per copy
            const std::string c = "c" + std::to_string(i);
            const std::string b = "b" + std::to_string(i);
            facts.push_back(whole(copies[std::size_t(i)], c, DType::Float64));
            s = build(builder, facts, c + " = " + b + ".copy()", {{c, {b}}});
        }
        // And a transfer into an emulated device's lane, whose long title the
        // arrow must pass beside, not through.
        Buffer<double> device(4);
        MemoryFact onDevice = whole(device, "g0", DType::Float64);
        onDevice.device = Device::cuda(0, true);
        onDevice.valuesCaptured = false;
        onDevice.values = {};
        facts.push_back(onDevice);
        s = build(builder, facts, "g0 = b0.to('cuda')", {{"g0", {"b0"}}});
        for (const qreal width : {500.0, 700.0, 1000.0, 1400.0, 2400.0}) {
            CanvasStyle style;
            style.width = width;
            const CanvasGeometry g = layoutCanvas(s.get(), style);
            QCOMPARE(g.arrows.size(), std::size_t(5));
            QCOMPARE(g.lanes.size(), std::size_t(2));
            for (const GArrow &arrow : g.arrows) {
                for (int k = 0; k + 1 < arrow.route.size(); ++k) {
                    const QRectF segment =
                        QRectF(arrow.route[k], arrow.route[k + 1]).normalized().adjusted(-1, -1, 1, 1);
                    for (const GText *t : g.texts())
                        QVERIFY2(
                            !segment.intersects(t->rect),
                            qPrintable(
                                QStringLiteral("%1 px: arrow '%2' crosses '%3'").arg(width).arg(arrow.text, t->text)));
                    for (const GVariable &v : g.variables)
                        QVERIFY2(!segment.intersects(v.box), qPrintable(arrow.text));
                    for (const GBuffer &b : g.buffers) { // cells and marks too
                        for (const GCell &c : b.cells)
                            QVERIFY2(!segment.intersects(c.rect.adjusted(0, 0, 0, 14)), qPrintable(arrow.text));
                        for (const GMapRow &m : b.maps)
                            for (const GMark &mark : m.marks)
                                QVERIFY2(!segment.intersects(mark.rect), qPrintable(arrow.text));
                    }
                }
                const GBuffer &target = bufferOf(g, *s, s->facts[std::size_t(arrow.to)].label());
                const QPointF tip = arrow.head.front();
                QVERIFY(qAbs(tip.x() - target.block.right()) <= 3);
                QVERIFY(tip.y() >= target.block.top() && tip.y() <= target.block.bottom());
                QVERIFY(!arrow.text.isEmpty());
            }
            // No two texts overlap.
            const auto texts = g.texts();
            for (std::size_t i = 0; i < texts.size(); ++i)
                for (std::size_t j = i + 1; j < texts.size(); ++j)
                    if (!texts[i]->text.isEmpty() && !texts[j]->text.isEmpty())
                        QVERIFY2(!texts[i]->rect.intersects(texts[j]->rect),
                                 qPrintable(texts[i]->text + QStringLiteral(" / ") + texts[j]->text));
        }
    }

    // Objects keep their places as steps add objects after them.
    void positionsAreStableAcrossSteps()
    {
        Buffer<double> a(4);
        Buffer<double> b(5);
        Buffer<double> c(6);
        // The same objects from step to step, as live ones are.
        const MemoryFact fa = whole(a, "a", DType::Float64);
        const MemoryFact fb = whole(b, "b", DType::Float64);
        const MemoryFact fc = whole(c, "zz_last", DType::Float64);
        SnapshotBuilder builder;
        const auto first = build(builder, {fa, fb});
        const CanvasGeometry g1 = layoutCanvas(first.get(), CanvasStyle {});
        const auto second = build(builder, {fa, fb, fc});
        const CanvasGeometry g2 = layoutCanvas(second.get(), CanvasStyle {}, &g1);
        QCOMPARE(g2.variables.size(), std::size_t(3));
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(g2.variables[i].label, g1.variables[i].label);
            QCOMPARE(g2.variables[i].box, g1.variables[i].box);
        }
        QCOMPARE(g2.variables[2].label, QStringLiteral("zz_last"));

        // A step that changes a value (a note appears) moves nothing either.
        a.data[1] = 42;
        MemoryFact changed = whole(a, "a", DType::Float64);
        changed.objectId = fa.objectId;
        const auto third = build(builder, {changed, fb, fc}, "a[1] = 42");
        QCOMPARE(third->changed[0], (std::vector<std::int64_t> {1}));
        const CanvasGeometry g3 = layoutCanvas(third.get(), CanvasStyle {}, &g2);
        QStringList notes;
        for (const GText &t : g3.buffers.front().notes)
            notes << t.text;
        QVERIFY2(notes.join(QLatin1Char('|')).contains(QStringLiteral("a[1]")),
                 qPrintable(notes.join(QLatin1Char('|'))));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(g3.variables[i].box, g2.variables[i].box);
        for (std::size_t i = 0; i < g3.buffers.size(); ++i)
            QCOMPARE(g3.buffers[i].block, g2.buffers[i].block);
    }

    // Buffers first seen together are numbered (and placed) in creation
    // order, whatever their addresses: the higher one first here.
    void buffersFollowCreationOrderNotAddresses()
    {
        Buffer<double> memory(16);
        MemoryFact high = view(memory, "made_first", DType::Float64, 64, {8}, {8});
        MemoryFact low = view(memory, "made_second", DType::Float64, 0, {8}, {8});
        high.allocation = {}; // two allocations as far as anyone can tell
        low.allocation = {};
        SnapshotBuilder builder;
        const auto s = build(builder, {high, low});
        QCOMPARE(s->buffers.size(), std::size_t(2));
        QCOMPARE(s->buffers[0].number, 1);
        QCOMPARE(s->buffers[0].facts, std::vector<int> {s->indexOf("made_first")});
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        QCOMPARE(g.variables.front().label, QStringLiteral("made_first"));
    }

    // Twenty views of one buffer: eight map rows under each row of cells and
    // a note counting the rest, not twenty rows.
    void manyViewsAreCountedNotStacked()
    {
        Buffer<double> a(8);
        SnapshotBuilder builder;
        std::vector<MemoryFact> facts {whole(a, "a", DType::Float64)};
        for (int i = 0; i < 20; ++i)
            facts.push_back(view(a, "v" + std::to_string(i), DType::Float64, 0, {8}, {8}));
        const auto s = build(builder, std::move(facts));
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        const GBuffer &b = g.buffers.front();
        QCOMPARE(b.maps.size(), std::size_t(8)); // one row of cells
        QVERIFY(std::any_of(b.notes.begin(), b.notes.end(),
                            [](const GText &t) { return t.text.startsWith(QStringLiteral("+ 13 more views")); }));
        QCOMPARE(g.variables.size(), std::size_t(21)); // every variable still has its box
    }

    // Large buffers: a bar, each view a strip; a sparse view is dotted.
    void largeBuffersAreBarsWithSparseStrips()
    {
        Buffer<double> big(1000);
        SnapshotBuilder builder;
        build(builder,
              {whole(big, "big", DType::Float64), view(big, "every10", DType::Float64, 0, {100}, {80}),
               view(big, "tail", DType::Float64, 990 * 8, {10}, {8})});
        big.data[5] = -1;
        const auto s = build(builder,
                             {whole(big, "big", DType::Float64), view(big, "every10", DType::Float64, 0, {100}, {80}),
                              view(big, "tail", DType::Float64, 990 * 8, {10}, {8})},
                             "big[5] = -1");
        const CanvasGeometry g = layoutCanvas(s.get(), CanvasStyle {});
        const GBuffer &b = g.buffers.front();
        QVERIFY(b.bar);
        QCOMPARE(b.strips.size(), std::size_t(3));
        QVERIFY(b.strips[0].density > 0.99);
        QVERIFY(b.strips[1].density < 0.2);
        QVERIFY(b.strips[1].label.text.startsWith(QStringLiteral("every10")));
        QVERIFY(b.strips[2].rect.width() < b.block.width() / 50); // the tail: the last 1 % of the bar
        QVERIFY(b.strips[2].rect.right() <= b.block.right() + 0.5);
        QVERIFY(!b.changedX.empty());
        QVERIFY(std::any_of(b.notes.begin(), b.notes.end(),
                            [](const GText &t) { return t.text.contains(QStringLiteral("big[5]")); }));

        // Hovering anywhere on the bar, its last pixel included, says where and what.
        MemoryScene scene;
        scene.setSnapshot(s);
        const GBuffer &shown = scene.geometry().buffers.front();
        for (const QPointF at : {shown.block.center(), shown.block.topRight(), shown.block.topLeft()})
            QVERIFY(scene.tipAt(at).contains(QStringLiteral("buf 1")));
        QVERIFY(scene.tipAt(shown.block.topLeft() + QPointF(0.05, 1)).contains(QStringLiteral("big[0]")));
    }

    // A view of the start of a larger allocation: the bar spans the
    // allocation, and hovering past the view's end tells no element of it.
    void barsBeyondTheirViewHoverSafely()
    {
        Buffer<double> big(1000);
        SnapshotBuilder builder;
        MemoryFact head = view(big, "head", DType::Float64, 0, {10}, {8});
        const auto s = build(builder, {head});
        MemoryScene scene;
        scene.setSnapshot(s);
        QCOMPARE(scene.geometry().buffers.size(), std::size_t(1));
        const GBuffer &b = scene.geometry().buffers.front();
        QVERIFY(b.bar);
        const QString tip = scene.tipAt(b.block.center());
        QVERIFY2(tip.contains(QStringLiteral("buf 1")), qPrintable(tip));
        QVERIFY(!tip.contains(QStringLiteral("head[500]")));
        QVERIFY(!scene.tipAt(b.block.topRight()).isEmpty());
    }

    // The same step paints the same pixels (no flash, no hover in the default overlay).
    void paintingIsDeterministic()
    {
        Buffer<double> a(8);
        SnapshotBuilder builder;
        const auto s = build(builder, {whole(a, "a", DType::Float64), view(a, "e", DType::Float64, 0, {4}, {16})});
        const CanvasGeometry g1 = layoutCanvas(s.get(), CanvasStyle {});
        const CanvasGeometry g2 = layoutCanvas(s.get(), CanvasStyle {});
        QCOMPARE(g1.bounds, g2.bounds);
        for (const bool dark : {false, true}) {
            const ThemeColors colors = dark ? Theme::darkColors() : Theme::lightColors();
            const QImage one = paint(g1, colors);
            const QImage two = paint(g2, colors);
            QVERIFY(!one.isNull());
            QCOMPARE(one, two);
        }
        // The overlay changes pixels without touching the layout.
        const ThemeColors light = Theme::lightColors();
        QImage selected(g1.bounds.size().toSize(), QImage::Format_ARGB32);
        selected.fill(light.canvasBackground);
        QPainter p(&selected);
        paintCanvas(p, g1, light, CanvasOverlay {s->facts[0].objectId, -1, 1.0});
        p.end();
        QVERIFY(selected != paint(g1, light));
    }

    // Fit stays on across steps, enlarges a small scene and never shrinks one;
    // zooming out by hand stops at the minimum text size.
    void fitStaysOnAndNeverShrinksText()
    {
        Buffer<double> a(4);
        SnapshotBuilder builder;
        MemoryScene scene;
        MemoryView canvas(&scene);
        canvas.resize(1200, 800);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        canvas.setFitMode(true);
        QSignalSpy laidOut(&scene, &MemoryScene::laidOut);
        scene.setSnapshot(build(builder, {whole(a, "a", DType::Float64)}));
        QVERIFY(canvas.zoom() > 1.0); // a small scene is enlarged
        std::vector<MemoryFact> many;
        std::vector<std::unique_ptr<Buffer<double>>> keep;
        for (int i = 0; i < 40; ++i) {
            keep.push_back(std::make_unique<Buffer<double>>(64));
            many.push_back(whole(*keep.back(), "m" + std::to_string(i), DType::Float64));
        }
        scene.setSnapshot(build(builder, std::move(many)));
        QVERIFY(canvas.fitMode());
        QCOMPARE(canvas.zoom(), 1.0); // too large to fit: it scrolls, text keeps its size
        canvas.setFitMode(false);
        canvas.zoomBy(0.01);
        QVERIFY(canvas.zoom() >= canvas.minimumZoom());
        QCOMPARE(canvas.minimumZoom(), 1.0); // at 100 % the smallest text is the minimum already
        scene.setTextScale(2.0);
        canvas.zoomBy(0.01);
        QCOMPARE(canvas.zoom(), 0.5); // 22 px text may shrink to 11 px, no further
    }

    // Hovering a view's map row picks out its marks; moving away clears it.
    void hoveringAViewEmphasisesIt()
    {
        Buffer<double> a(8);
        SnapshotBuilder builder;
        MemoryScene scene;
        MemoryView canvas(&scene);
        canvas.resize(1400, 800);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        const auto s = build(builder, {whole(a, "a", DType::Float64), view(a, "e", DType::Float64, 0, {4}, {16})});
        scene.setSnapshot(s);
        const GMark *mark = marksOf(scene.geometry(), *s, "e").front();
        QTest::mouseMove(canvas.viewport(), canvas.mapFromScene(mark->rect.center()));
        QTRY_COMPARE(scene.overlay().hoveredFact, s->indexOf("e"));
        QVERIFY(scene.tipAt(mark->rect.center()).contains(QStringLiteral("e[0]")));
        QTest::mouseMove(canvas.viewport(), canvas.mapFromScene(scene.geometry().bounds.bottomRight() - QPointF(2, 2)));
        QTRY_COMPARE(scene.overlay().hoveredFact, -1);
    }
};

QTEST_MAIN(TestCanvasLayout)
#include "tst_canvaslayout.moc"
