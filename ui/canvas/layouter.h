// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The canvas layout's working parts, shared by canvaslayout.cpp (captions,
// lanes, shelves, arrows) and canvascluster.cpp (one buffer with its views
// and variables). Not for use outside ui/canvas.

#include "engine/snapshot.h"
#include "ui/canvas/canvasgeometry.h"

#include <QFontMetricsF>
#include <QHash>
#include <QStringList>

#include <cmath>
#include <map>
#include <set>
#include <vector>

namespace memscope::ui::layout {

QString tr(const char *text);
QString q(const std::string &s);
QString dtypeName(const engine::MemoryFact &f);
QString firstLine(const std::string &s);
/// A value's text: floats with `precision` significant digits, or (0) the
/// shortest exact text, shortened to fewer digits when over `maxChars`.
QString valueText(const engine::MemoryFact &f, std::int64_t element, int precision, int maxChars = 1 << 20);
/// A relation's words; a conversion names its dtype change: "float64 → float32 · 24 B · H2H".
QString convertSummary(const engine::Snapshot &s, const engine::FactRelation &rel);
/// The lines under a variable's name: what it is, then how it walks memory.
QStringList detailLines(const engine::MemoryFact &f, bool drawn);

/// Font metrics per role, measured once per layout.
class Measure
{
public:
    explicit Measure(const CanvasStyle &style);
    const QFontMetricsF &metrics(TextRole role) const { return m_fonts->metrics[static_cast<std::size_t>(role)]; }
    /// Whole pixels, as text boxes are: lines stacked by it never overlap.
    qreal height(TextRole role) const { return m_fonts->heights[static_cast<std::size_t>(role)]; }
    qreal width(TextRole role, const QString &text) const;

    /// A text at `pos`, cut to `maxWidth` with an ellipsis when given.
    GText text(const QString &s, TextRole role, QPointF pos, qreal maxWidth = 0, bool emphasis = false) const;

private:
    /// Fonts and the widths of texts measured so far, per (scale, minimum):
    /// names, details and headers repeat from step to step, and shaping text
    /// is most of a layout's cost.
    struct Fonts
    {
        std::vector<QFontMetricsF> metrics;
        std::vector<qreal> heights;
        std::vector<QHash<QString, qreal>> widths;
    };
    Fonts *m_fonts;
};

/// Sizes every cluster uses, all scaled with the text.
struct Metrics
{
    qreal margin, pad, gapX, cellH, mapH, pxPerByte, minCellW, varW, slot, channel, gutter, labelGap;
};

/// Parallel arrows in one channel or gutter, before they share a track.
constexpr std::size_t kSlots = 4;

/// Map rows (or bar strips) drawn per row of cells; more views are counted in a note.
constexpr int kMaxMapRows = 8;

struct Drawn
{
    int buffer = -1; ///< index into Snapshot::buffers
    std::vector<int> facts;
    int primary = -1;
    std::int64_t cellBytes = 1;
    std::int64_t cellCount = 0;
};

inline void shift(GText &t, QPointF d)
{
    t.rect.translate(d);
}

/// Everything one buffer draws, laid out at the origin; placed later.
struct Cluster
{
    GBuffer buffer;
    std::vector<GVariable> variables;
    std::vector<GConnector> connectors;
    QRectF bounds;

    void translate(QPointF d)
    {
        GBuffer &b = buffer;
        b.block.translate(d);
        b.bounds.translate(d);
        b.cluster.translate(d);
        shift(b.header, d);
        shift(b.barText, d);
        for (GText &t : b.notes)
            shift(t, d);
        for (GCell &c : b.cells)
            c.rect.translate(d);
        for (GMapRow &m : b.maps) {
            m.rect.translate(d);
            shift(m.label, d);
            for (GMark &k : m.marks)
                k.rect.translate(d);
        }
        for (GStrip &st : b.strips) {
            st.rect.translate(d);
            shift(st.label, d);
            for (qreal &x : st.changedX)
                x += d.x();
        }
        for (qreal &x : b.changedX)
            x += d.x();
        for (GVariable &v : variables) {
            v.box.translate(d);
            v.badge.translate(d);
            shift(v.name, d);
            for (GText &t : v.details)
                shift(t, d);
        }
        for (GConnector &c : connectors) {
            c.path.translate(d);
            c.end += d;
        }
        bounds.translate(d);
    }
};

class Layouter
{
public:
    Layouter(const engine::Snapshot *s, const CanvasStyle &style, const CanvasGeometry *previous)
        : m_s(s)
        , m_style(style)
        , m_previous(previous)
        , m_measure(style)
    {
        const qreal k = style.scale;
        m_m.margin = style.space(20);
        m_m.pad = style.space(10);
        m_m.gapX = style.space(40);
        m_m.cellH = std::ceil(m_measure.height(TextRole::Value) * 1.9);
        m_m.mapH = std::ceil(m_measure.height(TextRole::MapIndex) * 1.25);
        m_m.pxPerByte = 12 * k;
        m_m.minCellW = 32 * k; // three characters: uint8 200, float16 0.5
        m_m.slot = style.space(5);
        m_m.labelGap = style.space(8);
    }

    CanvasGeometry run();

private:
    void captions(qreal &y);
    void legend(qreal &y, bool anyReadOnly, const std::set<int> &arrowKinds);
    Cluster cluster(const Drawn &d, const std::vector<const engine::FactRelation *> &incoming, qreal maxWidth);
    void cells(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW);
    void bar(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW);
    void changeNotes(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxW);
    GVariable variable(int fi, int group, QPointF at) const;
    void route(const std::vector<const engine::FactRelation *> &arrows);

    const engine::Snapshot *m_s;
    const CanvasStyle &m_style;
    const CanvasGeometry *m_previous;
    Measure m_measure;
    Metrics m_m {};
    CanvasGeometry m_g;
    std::map<int, int> m_drawnOfBuffer; ///< snapshot buffer index -> geometry buffer index
    struct Shelf
    {
        qreal top, bottom, gutterAbove, gutterBelow;
    };
    std::vector<Shelf> m_shelves;
    qreal m_globalChannelX = 0;
};

} // namespace memscope::ui::layout
