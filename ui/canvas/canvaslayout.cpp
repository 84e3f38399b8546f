// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvaslayout.h"

#include "engine/scalar.h"
#include "engine/snapshot.h"
#include "engine/text/wording.h"
#include "ui/byteslabel.h"
#include "ui/canvas/elementmap.h"
#include "ui/models/objectsmodel.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

using namespace memscope::engine;

namespace memscope::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MemoryCanvas", text);
}

/// Font metrics per role, measured once per layout.
class Measure
{
public:
    explicit Measure(const CanvasStyle &style)
        : m_style(style)
    {
        // Resolving fonts costs more than a layout of a few objects: kept per
        // (scale, minimum) for the GUI thread's next layouts.
        static thread_local std::map<std::pair<qreal, qreal>, std::vector<QFontMetricsF>> cache;
        auto &metrics = cache[{style.scale, style.minTextPx}];
        if (metrics.empty())
            for (int r = 0; r <= static_cast<int>(TextRole::Legend); ++r)
                metrics.emplace_back(style.font(static_cast<TextRole>(r)));
        m_metrics = metrics;
    }
    const QFontMetricsF &metrics(TextRole role) const { return m_metrics[static_cast<std::size_t>(role)]; }
    /// Whole pixels, as text boxes are: lines stacked by it never overlap.
    qreal height(TextRole role) const { return std::ceil(metrics(role).height()); }
    qreal width(TextRole role, const QString &text) const { return metrics(role).horizontalAdvance(text); }

    /// A text at `pos`, cut to `maxWidth` with an ellipsis when given.
    GText text(const QString &s, TextRole role, QPointF pos, qreal maxWidth = 0, bool emphasis = false) const
    {
        QString shown = s;
        qreal w = width(role, s);
        if (maxWidth > 0 && w > maxWidth) {
            shown = metrics(role).elidedText(s, Qt::ElideRight, maxWidth);
            w = width(role, shown);
        }
        return {QRectF(pos, QSizeF(std::ceil(w), std::ceil(height(role)))), shown, role, emphasis};
    }

private:
    const CanvasStyle &m_style;
    std::vector<QFontMetricsF> m_metrics;
};

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString dtypeName(const MemoryFact &f)
{
    return QString::fromLatin1(numpyName(f.dtype).data());
}

QString firstLine(const std::string &s)
{
    return q(s).trimmed().section(QLatin1Char('\n'), 0, 0);
}

/// A float's text with `precision` significant digits (0: the shortest exact text).
QString valueText(const MemoryFact &f, std::int64_t element, int precision)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    const auto at = static_cast<std::size_t>(element) * item;
    if (!f.valuesCaptured || at + item > f.values.size())
        return {};
    const Scalar v = loadScalar(f.dtype, f.values.data() + at);
    if (precision > 0)
        if (const double *d = std::get_if<double>(&v); d && std::isfinite(*d))
            return QString::number(*d, 'g', precision);
    return q(formatScalar(f.dtype, v));
}

QString convertSummary(const Snapshot &s, const FactRelation &rel)
{
    // A conversion names its dtype change: "float64 → float32 · 24 B · H2H".
    if (rel.relation != Relation::Convert)
        return q(relationSummary(rel));
    const MemoryFact &a = s.facts[static_cast<std::size_t>(rel.from)];
    const MemoryFact &b = s.facts[static_cast<std::size_t>(rel.to)];
    QString text = dtypeName(a) + QStringLiteral(" → ") + dtypeName(b) + QStringLiteral(" · ") + bytesLabel(rel.bytes) +
        QStringLiteral(" · ") + QString::fromLatin1(directionName(rel.direction).data());
    if (!rel.note.empty())
        text += QStringLiteral(" · ") + q(rel.note);
    return text;
}

/// The lines under a variable's name: what it is, then how it walks memory.
QStringList detailLines(const MemoryFact &f, bool drawn)
{
    if (!drawn)
        return {q(f.typeName), f.isSupported() ? tr("empty (no bytes)") : firstLine(f.unsupported)};
    // What it is, then how it walks memory (and what few have).
    QString first =
        frameworkLabel(f.framework) + QStringLiteral(" · ") + dtypeName(f) + QLatin1Char(' ') + shapeString(f.shape);
    if (!f.device.isCpu())
        first += QStringLiteral(" · ") + q(f.device.spec());
    QStringList second {tr("strides %1").arg(shapeString(f.strides))};
    // A module's weights are told from plain tensors.
    if (f.typeName.ends_with(".Parameter"))
        second << tr("Parameter");
    if (std::find(f.flags.begin(), f.flags.end(), "requires_grad") != f.flags.end())
        second << tr("requires_grad");
    return {first, second.join(QStringLiteral(" · "))};
}

/// Sizes every cluster uses, all scaled with the text.
struct Metrics
{
    qreal margin, pad, gapX, cellH, mapH, pxPerByte, minCellW, varW, slot, channel, gutter, labelGap;
};

/// Parallel arrows in one channel or gutter, before they share a track.
constexpr std::size_t kSlots = 4;

struct Drawn
{
    int buffer = -1; ///< index into Snapshot::buffers
    std::vector<int> facts;
    int primary = -1;
    std::int64_t cellBytes = 1;
    std::int64_t cellCount = 0;
};

void shift(GText &t, QPointF d)
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
    Layouter(const Snapshot *s, const CanvasStyle &style, const CanvasGeometry *previous)
        : m_s(s)
        , m_style(style)
        , m_previous(previous)
        , m_measure(style)
    {
        const qreal k = style.scale;
        m_m.margin = 20 * k;
        m_m.pad = 10 * k;
        m_m.gapX = 40 * k;
        m_m.cellH = std::ceil(m_measure.height(TextRole::Value) * 1.9);
        m_m.mapH = std::ceil(m_measure.height(TextRole::MapIndex) * 1.25);
        m_m.pxPerByte = 10 * k;
        m_m.minCellW = 20 * k;
        m_m.slot = 5 * k;
        m_m.labelGap = 8 * k;
    }

    CanvasGeometry run();

private:
    void captions(qreal &y);
    void legend(qreal &y, bool anyReadOnly, const std::set<int> &arrowKinds);
    Cluster cluster(const Drawn &d, const std::vector<const FactRelation *> &incoming, qreal maxWidth);
    void cells(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW);
    void bar(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW);
    void changeNotes(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxW);
    GVariable variable(int fi, int group, QPointF at) const;
    void route(const std::vector<const FactRelation *> &arrows);

    const Snapshot *m_s;
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

void Layouter::captions(qreal &y)
{
    const qreal x = m_m.margin;
    const qreal maxW = m_style.layoutWidth() - 2 * m_m.margin;
    if (!m_s || m_s->facts.empty()) {
        QStringList lines;
        if (m_s && m_s->step > 0)
            lines << tr("Step %1 · %2").arg(m_s->step).arg(firstLine(m_s->statement).left(80))
                  << tr("No arrays or tensors at this step.");
        else
            lines << tr("No arrays or tensors yet. Create one in the console, for example")
                  << QStringLiteral("    import numpy as np; a = np.arange(6.0).reshape(2, 3)");
        for (const QString &l : lines) {
            m_g.captions.push_back(m_measure.text(l, TextRole::Hint, {x, y}, maxW, true));
            y += m_measure.height(TextRole::Hint) * 1.3;
        }
        return;
    }
    GText step = m_measure.text(tr("Step %1").arg(m_s->step), TextRole::Title, {x, y});
    const QString statement = firstLine(m_style.caption.isEmpty() ? m_s->statement : m_style.caption.toStdString());
    const qreal sx = step.rect.right() + 16 * m_style.scale;
    GText code =
        m_measure.text(statement, TextRole::Statement,
                       {sx, y + (step.rect.height() - m_measure.height(TextRole::Statement)) / 2}, maxW - (sx - x));
    y += std::max(step.rect.height(), code.rect.height()) + 4 * m_style.scale;
    m_g.captions.push_back(step);
    m_g.captions.push_back(code);
    y += 6 * m_style.scale;
}

void Layouter::legend(qreal &y, bool anyReadOnly, const std::set<int> &arrowKinds)
{
    if (!m_style.legend || !m_s || m_s->facts.empty())
        return;
    std::vector<std::pair<LegendSymbol, QString>> items {
        {LegendSymbol::Buffer, tr("one colour = one buffer, shared by every name drawn on it")},
        {LegendSymbol::Map, tr("0 1 2 under the cells: which bytes each view touches, in its element order")},
        {LegendSymbol::Changed, tr("changed by this step")},
        {LegendSymbol::Offset,
         m_style.rawAddresses ? tr("raw addresses (View ▸ Raw addresses)")
                              : tr("bytes from the buffer's start (View ▸ Raw addresses)")},
    };
    const std::pair<int, std::pair<LegendSymbol, const char *>> kinds[] = {
        {0, {LegendSymbol::Copy, "copy"}},
        {1, {LegendSymbol::Convert, "dtype conversion"}},
        {2, {LegendSymbol::TransferToDevice, "host → device"}},
        {3, {LegendSymbol::TransferToHost, "device → host"}},
        {4, {LegendSymbol::TransferOther, "device → device"}},
    };
    for (const auto &[k, item] : kinds)
        if (arrowKinds.count(k))
            items.emplace_back(item.first, tr(item.second));
    if (anyReadOnly)
        items.emplace_back(LegendSymbol::ReadOnly, tr("read-only"));
    const qreal h = m_measure.height(TextRole::Legend);
    const qreal swatchW = 30 * m_style.scale;
    const qreal right = m_style.layoutWidth() - m_m.margin;
    qreal x = m_m.margin;
    for (const auto &[symbol, text] : items) {
        const qreal w = swatchW + 6 * m_style.scale + m_measure.width(TextRole::Legend, text);
        if (x > m_m.margin && x + w > right) {
            x = m_m.margin;
            y += h * 1.35;
        }
        GLegendItem item {symbol, QRectF(x, y + 1, swatchW, h - 2), {}};
        item.text = m_measure.text(text, TextRole::Legend, {x + swatchW + 6 * m_style.scale, y},
                                   right - x - swatchW - 6 * m_style.scale);
        x = item.text.rect.right() + 22 * m_style.scale;
        m_g.legend.push_back(std::move(item));
    }
    y += h * 1.35 + 6 * m_style.scale;
}

GVariable Layouter::variable(int fi, int group, QPointF at) const
{
    const MemoryFact &f = m_s->facts[static_cast<std::size_t>(fi)];
    GVariable v;
    v.fact = fi;
    v.objectId = f.objectId;
    v.group = group;
    v.label = q(f.label());
    const qreal pad = 8 * m_style.scale;
    const qreal w = m_m.varW;
    qreal y = at.y() + pad;
    const qreal badgeW = f.readOnly ? m_measure.width(TextRole::Badge, QStringLiteral("RO")) + 10 * m_style.scale : 0;
    v.name = m_measure.text(namesString(f), TextRole::Name, {at.x() + pad, y},
                            w - 2 * pad - (badgeW > 0 ? badgeW + 6 * m_style.scale : 0), true);
    if (f.readOnly)
        v.badge = QRectF(at.x() + w - pad - badgeW, y + 1, badgeW, m_measure.height(TextRole::Name) - 2);
    y += m_measure.height(TextRole::Name) + 2 * m_style.scale;
    const QStringList lines = detailLines(f, group >= 0);
    for (const QString &l : lines) {
        v.details.push_back(m_measure.text(l, TextRole::Detail, {at.x() + pad, y}, w - 2 * pad));
        y += m_measure.height(TextRole::Detail);
    }
    v.box = QRectF(at, QSizeF(w, y + pad - at.y()));
    return v;
}

Cluster Layouter::cluster(const Drawn &d, const std::vector<const FactRelation *> &incoming, qreal maxWidth)
{
    const BufferInfo &info = m_s->buffers[static_cast<std::size_t>(d.buffer)];
    Cluster c;
    GBuffer &b = c.buffer;
    b.number = info.number;
    b.group = info.number - 1; // the colour follows the buffer, not the names around it
    b.device = info.device;
    b.lo = info.lo;
    b.hi = info.hi;
    b.primary = d.primary;
    b.cellBytes = d.cellBytes;
    const qreal x = m_m.varW + m_m.gapX;
    const qreal maxBlockW = std::max<qreal>(maxWidth - x, 120 * m_style.scale);
    qreal y = 0;
    QStringList viewers;
    for (int fi : d.facts)
        viewers << q(m_s->facts[static_cast<std::size_t>(fi)].label());
    b.header = m_measure.text(
        tr("buf %1 · %2 · %3%4")
            .arg(b.number)
            .arg(bytesLabel(info.hi - info.lo), frameworkLabel(info.owner),
                 viewers.size() > 1 ? tr(" · shared by %1").arg(viewers.join(QStringLiteral(", "))) : QString()),
        TextRole::Header, {x, y}, maxBlockW);
    y += m_measure.height(TextRole::Header) + 2 * m_style.scale;
    // What made this buffer, above its cells: the arrow's label, never on a line.
    for (const FactRelation *rel : incoming) {
        const int fromBuffer = m_s->bufferOf[static_cast<std::size_t>(rel->from)];
        const QString text = tr("← from buf %1: %2 · %3")
                                 .arg(m_s->buffers[static_cast<std::size_t>(fromBuffer)].number)
                                 .arg(firstLine(rel->statement), convertSummary(*m_s, *rel));
        b.notes.push_back(m_measure.text(text, TextRole::Note, {x, y}, maxBlockW, true));
        y += m_measure.height(TextRole::Note);
    }
    y += 4 * m_style.scale;
    if (d.cellCount > kMaxCanvasCells)
        bar(c, d, x, y, maxBlockW);
    else
        cells(c, d, x, y, maxBlockW);
    changeNotes(c, d, x, y, maxBlockW);
    b.bounds = QRectF(x, 0, 0, y);
    for (const GText *t : {&b.header, &b.barText})
        b.bounds |= t->rect;
    for (const GText &t : b.notes)
        b.bounds |= t.rect;
    b.bounds |= b.block;
    for (const GMapRow &m : b.maps)
        b.bounds |= m.label.rect;
    for (const GStrip &s : b.strips)
        b.bounds |= s.label.rect;

    // Variables, beside the buffer, each joined to element [0] of its view.
    qreal vy = b.block.top() - m_measure.height(TextRole::Name);
    vy = std::max<qreal>(0, vy);
    for (int fi : d.facts) {
        GVariable v = variable(fi, b.group, {0, vy});
        vy = v.box.bottom() + 10 * m_style.scale;
        GConnector conn;
        conn.fact = fi;
        conn.group = b.group;
        const QPointF start(v.box.right(), v.box.center().y());
        QPainterPath path(start);
        QPointF landing; // the free line above the view's map row, at the block's left edge
        QPointF end;
        const GMapRow *row = nullptr;
        const GMark *zero = nullptr;
        for (const GMapRow &m : b.maps)
            if (m.fact == fi)
                for (const GMark &k : m.marks)
                    if (k.index == 0) {
                        row = &m;
                        zero = &k;
                    }
        if (zero) {
            landing = QPointF(x - 2 * m_style.scale, row->rect.top() + 1.5 * m_style.scale);
            end = QPointF(zero->rect.center().x(), zero->rect.top());
        } else {
            const GStrip *strip = nullptr;
            for (const GStrip &s : b.strips)
                if (s.fact == fi)
                    strip = &s;
            const MemoryFact &f = m_s->facts[static_cast<std::size_t>(fi)];
            if (strip) {
                const double span = std::max<double>(1, static_cast<double>(b.hi - b.lo));
                const qreal zx = b.block.left() + b.block.width() * static_cast<double>(f.data - b.lo) / span;
                landing = QPointF(x - 2 * m_style.scale, strip->rect.bottom() + 3 * m_style.scale);
                end = QPointF(std::clamp(zx, b.block.left() + 1, b.block.right() - 1), strip->rect.bottom());
            } else { // a view with no element in reach (should not happen): its buffer's edge
                landing = QPointF(x - 2 * m_style.scale, b.block.top() + m_m.cellH / 2);
                end = QPointF(x, landing.y());
            }
        }
        const qreal dx = (landing.x() - start.x()) / 2;
        path.cubicTo(start + QPointF(dx, 0), landing - QPointF(dx, 0), landing);
        path.lineTo(end.x(), landing.y());
        path.lineTo(end);
        conn.path = path;
        conn.end = end;
        c.connectors.push_back(std::move(conn));
        c.variables.push_back(std::move(v));
    }
    c.bounds = b.bounds;
    for (const GVariable &v : c.variables)
        c.bounds |= v.box;
    b.cluster = c.bounds;
    return c;
}

void Layouter::cells(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW)
{
    GBuffer &b = c.buffer;
    const Snapshot &s = *m_s;
    const qreal cellW = std::max(m_m.minCellW, static_cast<qreal>(d.cellBytes) * m_m.pxPerByte);
    const qreal pxPerByte = cellW / static_cast<qreal>(d.cellBytes);
    // Rows of 64 bytes (8 float64, 16 float32) where they fit, fewer where not:
    // memory is a strip in address order, never the shape of one of its views.
    const qreal labelRoom = 90 * m_style.scale;
    int cols = static_cast<int>(std::max<std::int64_t>(1, 64 / d.cellBytes));
    while (cols > 1 && cols * cellW + labelRoom > maxBlockW)
        --cols;
    cols = static_cast<int>(std::min<std::int64_t>(cols, d.cellCount));
    const auto regionBytes = static_cast<std::int64_t>(b.hi - b.lo);
    const std::int64_t rowBytes = cols * d.cellBytes;
    b.cells.resize(static_cast<std::size_t>(d.cellCount));
    for (std::size_t k = 0; k < b.cells.size(); ++k)
        b.cells[k].offset = k * static_cast<std::uint64_t>(d.cellBytes);

    // Each view's element starts; the primary first, so its values win.
    std::vector<int> order = d.facts;
    std::stable_partition(order.begin(), order.end(), [&](int i) { return i == d.primary; });
    std::map<int, std::vector<std::pair<std::int64_t, std::int64_t>>> starts;
    std::map<int, std::set<std::int64_t>> changedOf;
    for (int fi : order) {
        const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
        starts[fi] = elementStarts(f, b.lo, regionBytes);
        const auto &ch = s.changed[static_cast<std::size_t>(fi)];
        changedOf[fi] = std::set<std::int64_t>(ch.begin(), ch.end());
        for (const auto &[off, e] : starts[fi]) {
            const std::int64_t first = off / d.cellBytes;
            const std::int64_t last = (off + f.itemSize() - 1) / d.cellBytes;
            for (std::int64_t k = first; k <= last && k < d.cellCount; ++k) {
                GCell &cell = b.cells[static_cast<std::size_t>(k)];
                if (std::find(cell.facts.begin(), cell.facts.end(), fi) == cell.facts.end())
                    cell.facts.push_back(fi);
                if (k == first)
                    cell.views.emplace_back(fi, e);
                if (cell.value.isEmpty() && k == first && off % d.cellBytes == 0 && f.itemSize() == d.cellBytes)
                    cell.value = valueText(f, e, m_style.precision);
                if (changedOf[fi].count(e))
                    cell.changed = true;
            }
        }
    }
    // Changes listed beyond what the per-view sets hold (more than the list
    // limit) still light the cells they reach through the primary.
    const QFontMetricsF &valueFm = m_measure.metrics(TextRole::Value);
    const QFontMetricsF &offsetFm = m_measure.metrics(TextRole::Offset);
    const QFontMetricsF &indexFm = m_measure.metrics(TextRole::MapIndex);
    const qreal offsetH = m_measure.height(TextRole::Offset);
    const int rows = static_cast<int>((d.cellCount + cols - 1) / cols);
    // Offsets under every k-th cell, k chosen so they never touch.
    // A monospaced font: the last offset is the widest (most digits).
    const qreal widestOffset = offsetFm.horizontalAdvance(
        m_style.rawAddresses ? QStringLiteral("…") + QString::number(b.lo + b.cells.back().offset, 16).right(6)
                             : QStringLiteral("+0x") + QString::number(b.cells.back().offset, 16));
    const qreal valueCharW = valueFm.horizontalAdvance(QLatin1Char('0'));
    const qreal indexCharW = indexFm.horizontalAdvance(QLatin1Char('0'));
    const int offsetEvery = std::max(1, static_cast<int>(std::ceil((widestOffset + 6 * m_style.scale) / cellW)));
    b.block = QRectF(x, y, cols * cellW, 0);
    for (int r = 0; r < rows; ++r) {
        const qreal rowTop = y;
        for (int col = 0; col < cols; ++col) {
            const std::int64_t k = static_cast<std::int64_t>(r) * cols + col;
            if (k >= d.cellCount)
                break;
            GCell &cell = b.cells[static_cast<std::size_t>(k)];
            cell.rect = QRectF(x + col * cellW, rowTop, cellW, m_m.cellH);
            // One font size per buffer: a value too wide is cut, never shrunk.
            if (!cell.value.isEmpty() && cell.value.size() * valueCharW > cellW - 6 * m_style.scale)
                cell.value = valueFm.elidedText(cell.value, Qt::ElideRight, cellW - 6 * m_style.scale);
            if (col % offsetEvery == 0)
                cell.offsetText = m_style.rawAddresses
                    ? QStringLiteral("…") + QString::number(b.lo + cell.offset, 16).right(6)
                    : QStringLiteral("+0x") + QString::number(cell.offset, 16);
        }
        y += m_m.cellH + 2 * m_style.scale + offsetH;
        // One map row per view that touches this row of cells.
        const std::int64_t rowLo = static_cast<std::int64_t>(r) * rowBytes;
        const std::int64_t rowHi = rowLo + rowBytes;
        for (int fi : d.facts) {
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            GMapRow row;
            row.fact = fi;
            row.rect = QRectF(x, y, cols * cellW, m_m.mapH + 3 * m_style.scale);
            for (const auto &[off, e] : starts[fi]) {
                if (off + f.itemSize() <= rowLo || off >= rowHi)
                    continue;
                // A mark covers the element's bytes (cut at the row's ends).
                const qreal x0 = x + static_cast<qreal>(std::max(off, rowLo) - rowLo) * pxPerByte;
                const qreal x1 = x + static_cast<qreal>(std::min(off + f.itemSize(), rowHi) - rowLo) * pxPerByte;
                GMark mark;
                mark.rect =
                    QRectF(x0 + 1, row.rect.top() + 3 * m_style.scale, std::max<qreal>(2, x1 - x0 - 2), m_m.mapH);
                mark.index = e;
                mark.changed = changedOf[fi].count(e) > 0;
                const QString t = QString::number(e);
                if (off >= rowLo && t.size() * indexCharW <= mark.rect.width() - 2)
                    mark.text = t;
                row.marks.push_back(std::move(mark));
            }
            if (row.marks.empty())
                continue;
            row.label = m_measure.text(
                q(f.label()), TextRole::MapLabel,
                {x + cols * cellW + m_m.labelGap,
                 row.rect.top() + 3 * m_style.scale + (m_m.mapH - m_measure.height(TextRole::MapLabel)) / 2},
                std::max<qreal>(40, maxBlockW - cols * cellW - m_m.labelGap));
            y = row.rect.bottom();
            b.maps.push_back(std::move(row));
        }
        y += 8 * m_style.scale;
    }
    // The block spans every cell row (maps sit between them, inside it).
    qreal bottom = b.block.top();
    for (const GCell &cell : b.cells)
        bottom = std::max(bottom, cell.rect.bottom());
    for (const GMapRow &m : b.maps)
        bottom = std::max(bottom, m.rect.bottom());
    b.block.setBottom(bottom);
}

void Layouter::bar(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxBlockW)
{
    GBuffer &b = c.buffer;
    b.bar = true;
    const Snapshot &s = *m_s;
    const MemoryFact &p = s.facts[static_cast<std::size_t>(d.primary)];
    const qreal width = std::max<qreal>(160 * m_style.scale, std::min(64 * m_m.pxPerByte, maxBlockW));
    b.block = QRectF(x, y, width, m_m.cellH);
    b.barText = m_measure.text(
        tr("%1 × %2 · %3").arg(QLocale().toString(d.cellCount), dtypeName(p), bytesLabel(b.hi - b.lo)), TextRole::Value,
        {x + 8 * m_style.scale, y + (m_m.cellH - m_measure.height(TextRole::Value)) / 2}, width - 16 * m_style.scale,
        true);
    const double span = std::max<double>(1, static_cast<double>(b.hi - b.lo));
    auto xOf = [&](double offset) { return x + width * offset / span; };
    y += m_m.cellH + 6 * m_style.scale;
    std::set<qreal> barChanged;
    for (int fi : d.facts) {
        const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
        GStrip strip;
        strip.fact = fi;
        const auto [lo, hi] = f.extent();
        const qreal x0 = xOf(static_cast<double>(lo - b.lo));
        const qreal x1 = xOf(static_cast<double>(hi - b.lo));
        strip.rect = QRectF(x0, y, std::max<qreal>(2, x1 - x0), std::ceil(m_m.mapH * 0.6));
        // A sparse view is drawn sparse: big[::1000] touches 1 byte in 1,000 of its span.
        const double spanned = std::max<double>(1, static_cast<double>(hi - lo));
        strip.density = std::min(1.0, static_cast<double>(f.nbytes()) / spanned);
        const auto &ch = s.changed[static_cast<std::size_t>(fi)];
        for (std::size_t k = 0; k < ch.size() && k < 256; ++k) {
            const qreal cx = xOf(static_cast<double>(elementOffset(f, b.lo, ch[k])));
            strip.changedX.push_back(cx);
            barChanged.insert(std::round(cx));
        }
        QString label = q(f.label()) + QStringLiteral(" · ") +
            tr("%1 elements").arg(QLocale().toString(static_cast<qlonglong>(f.numel())));
        if (strip.density < 0.999)
            label += tr(" · touches %1 % of its span").arg(QLocale().toString(strip.density * 100, 'g', 2));
        // The view's name above its strip; the connector runs under it.
        strip.label = m_measure.text(label, TextRole::MapLabel, {x, y}, width);
        strip.rect.moveTop(strip.label.rect.bottom() + 1 * m_style.scale);
        y = strip.rect.bottom() + 7 * m_style.scale;
        b.strips.push_back(std::move(strip));
    }
    b.changedX.assign(barChanged.begin(), barChanged.end());
    y += 6 * m_style.scale;
}

void Layouter::changeNotes(Cluster &c, const Drawn &d, qreal x, qreal &y, qreal maxW)
{
    // Which views saw the change, under the buffer (never beside it, where
    // arrows run).
    QStringList changedIn;
    for (int fi : d.facts) {
        const auto &ch = m_s->changed[static_cast<std::size_t>(fi)];
        if (ch.empty())
            continue;
        QStringList where;
        for (std::size_t k = 0; k < ch.size() && k < 3; ++k)
            where << q(indexText(m_s->facts[static_cast<std::size_t>(fi)], ch[k]));
        const std::int64_t total = m_s->changedCount.size() > static_cast<std::size_t>(fi)
            ? m_s->changedCount[static_cast<std::size_t>(fi)]
            : static_cast<std::int64_t>(ch.size());
        changedIn << where.join(QStringLiteral(", ")) +
                (total > 3 ? tr(" … (%1 in all)").arg(QLocale().toString(static_cast<qlonglong>(total))) : QString());
    }
    if (changedIn.isEmpty())
        return;
    c.buffer.notes.push_back(m_measure.text(tr("changed by this step: ") + changedIn.join(QStringLiteral("; ")),
                                            TextRole::Note, {x, y}, maxW, true));
    y += m_measure.height(TextRole::Note) + 4 * m_style.scale;
}

CanvasGeometry Layouter::run()
{
    m_g.style = m_style;
    qreal y = m_m.margin;
    captions(y);
    if (!m_s || m_s->facts.empty()) {
        m_g.bounds = QRectF(0, 0, m_style.layoutWidth(), y + m_m.margin);
        return std::move(m_g);
    }
    const Snapshot &s = *m_s;

    // Buffers to draw (in the engine's order: device, then creation).
    std::vector<Drawn> drawn;
    for (std::size_t bi = 0; bi < s.buffers.size(); ++bi) {
        Drawn d;
        d.buffer = static_cast<int>(bi);
        for (int fi : s.buffers[bi].facts) {
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            if (f.isSupported() && f.numel() > 0)
                d.facts.push_back(fi);
        }
        if (d.facts.empty())
            continue;
        d.primary = *std::max_element(d.facts.begin(), d.facts.end(), [&](int a, int b) {
            return s.facts[static_cast<std::size_t>(a)].nbytes() < s.facts[static_cast<std::size_t>(b)].nbytes();
        });
        d.cellBytes = std::max<std::int64_t>(1, s.facts[static_cast<std::size_t>(d.primary)].itemSize());
        const auto &bi2 = s.buffers[bi];
        d.cellCount = static_cast<std::int64_t>((bi2.hi - bi2.lo + static_cast<Address>(d.cellBytes) - 1) /
                                                static_cast<Address>(d.cellBytes));
        drawn.push_back(std::move(d));
    }

    // Arrows: copies, conversions and transfers between two drawn buffers.
    std::set<int> drawnBuffers;
    for (const Drawn &d : drawn)
        drawnBuffers.insert(d.buffer);
    std::vector<const FactRelation *> arrows;
    std::set<int> arrowKinds;
    for (const FactRelation &rel : s.relations) {
        if (rel.statement.empty() || rel.relation == Relation::Alias || rel.relation == Relation::Unrelated)
            continue;
        const int a = s.bufferOf[static_cast<std::size_t>(rel.from)];
        const int b = s.bufferOf[static_cast<std::size_t>(rel.to)];
        if (a < 0 || b < 0 || a == b || !drawnBuffers.count(a) || !drawnBuffers.count(b))
            continue;
        arrows.push_back(&rel);
        if (rel.relation == Relation::Transfer)
            arrowKinds.insert(rel.direction == Direction::H2D ? 2 : rel.direction == Direction::D2H ? 3 : 4);
        else
            arrowKinds.insert(rel.relation == Relation::Convert ? 1 : 0);
    }
    bool anyReadOnly = false;
    for (const MemoryFact &f : s.facts)
        anyReadOnly = anyReadOnly || f.readOnly;

    // Variable boxes as wide as the widest text needs, never narrower than the
    // last step's (boxes keep their place while scrubbing).
    qreal varW = 170 * m_style.scale;
    for (const MemoryFact &f : s.facts) {
        varW = std::max(varW, m_measure.width(TextRole::Name, namesString(f)) + 60 * m_style.scale);
        for (const QString &line : detailLines(f, f.isSupported() && f.numel() > 0))
            varW = std::max(varW, m_measure.width(TextRole::Detail, line) + 20 * m_style.scale);
    }
    varW = std::min(varW, std::max<qreal>(170 * m_style.scale, m_style.layoutWidth() * 0.34));
    if (m_previous && !m_previous->variables.empty() && m_previous->style == m_style)
        varW = std::max(varW, m_previous->varWidth);
    m_m.varW = std::ceil(varW);
    m_g.varWidth = m_m.varW;

    const int slots = static_cast<int>(std::min<std::size_t>(arrows.size(), kSlots));
    m_m.channel = 10 * m_style.scale + m_m.slot * (slots + 1);
    m_m.gutter = arrows.empty() ? 14 * m_style.scale : 8 * m_style.scale + m_m.slot * (slots + 1);
    const qreal contentLeft = m_m.margin + m_m.pad;
    const qreal contentRight = m_style.layoutWidth() - m_m.margin - m_m.pad - m_m.channel;
    const qreal clusterMax = std::max<qreal>(contentRight - contentLeft - m_m.channel, 400 * m_style.scale);

    std::map<int, std::vector<const FactRelation *>> incoming;
    for (const FactRelation *rel : arrows)
        incoming[s.bufferOf[static_cast<std::size_t>(rel->to)]].push_back(rel);

    // Lanes, top to bottom; clusters fill each lane's width in creation order.
    std::size_t di = 0;
    qreal right = contentLeft; // lanes hug what they hold: Fit can enlarge a small scene
    std::vector<Cluster> clusters;
    while (di < drawn.size()) {
        const Device device = s.buffers[static_cast<std::size_t>(drawn[di].buffer)].device;
        GLane lane;
        lane.device = device;
        const qreal laneTop = y;
        QString title;
        if (device.isCpu())
            title = tr("Host memory (cpu)");
        else if (device.emulated)
            title = tr("%1 — emulated (no GPU found) · host code cannot read it directly").arg(q(device.spec()));
        else
            title = tr("%1 — GPU memory").arg(q(device.spec()));
        lane.title = m_measure.text(title, TextRole::LaneTitle, {contentLeft, laneTop + m_m.pad},
                                    contentRight - contentLeft, true);
        y = lane.title.rect.bottom() + 4 * m_style.scale;
        qreal gutterTop = y;
        y += m_m.gutter;
        qreal x = contentLeft;
        qreal shelfTop = y;
        qreal shelfBottom = y;
        auto closeShelf = [&] {
            m_shelves.push_back({shelfTop, shelfBottom, gutterTop, shelfBottom});
            gutterTop = shelfBottom;
            y = shelfBottom + m_m.gutter;
            shelfTop = y;
            x = contentLeft;
        };
        for (; di < drawn.size() && s.buffers[static_cast<std::size_t>(drawn[di].buffer)].device == device; ++di) {
            Cluster c = cluster(drawn[di], incoming[drawn[di].buffer], clusterMax);
            const qreal w = c.bounds.width();
            if (x > contentLeft && x + w > contentRight) {
                closeShelf();
                shelfBottom = y;
            }
            c.translate(QPointF(x, shelfTop) - c.bounds.topLeft());
            c.buffer.shelf = static_cast<int>(m_shelves.size());
            c.buffer.channelX = c.bounds.right() + 6 * m_style.scale;
            shelfBottom = std::max(shelfBottom, c.bounds.bottom());
            right = std::max(right, c.bounds.right());
            x = c.bounds.right() + m_m.channel;
            m_drawnOfBuffer[drawn[di].buffer] = static_cast<int>(m_g.buffers.size());
            m_g.buffers.push_back(c.buffer);
            for (GVariable &v : c.variables)
                m_g.variables.push_back(std::move(v));
            for (GConnector &conn : c.connectors)
                m_g.connectors.push_back(std::move(conn));
        }
        m_shelves.push_back({shelfTop, shelfBottom, gutterTop, shelfBottom});
        y = shelfBottom + m_m.gutter + m_m.pad;
        lane.rect = QRectF(m_m.margin, laneTop, 0, y - laneTop);
        m_g.lanes.push_back(std::move(lane));
        y += 12 * m_style.scale;
    }
    m_globalChannelX = right + 6 * m_style.scale;
    const qreal laneRight = m_globalChannelX + m_m.channel + m_m.pad;
    for (GLane &lane : m_g.lanes)
        lane.rect.setRight(laneRight);

    // Objects MemScope sees but cannot draw: dashed boxes, in rows.
    qreal x = m_m.margin;
    qreal rowBottom = y;
    for (std::size_t fi = 0; fi < s.facts.size(); ++fi) {
        const MemoryFact &f = s.facts[fi];
        if (f.isSupported() && f.numel() > 0)
            continue;
        if (x > m_m.margin && x + m_m.varW > laneRight) {
            x = m_m.margin;
            y = rowBottom + 10 * m_style.scale;
        }
        GVariable v = variable(static_cast<int>(fi), -1, {x, y});
        rowBottom = std::max(rowBottom, v.box.bottom());
        x = v.box.right() + 12 * m_style.scale;
        m_g.variables.push_back(std::move(v));
    }
    y = rowBottom + 10 * m_style.scale;
    // The key last: the picture first, what its marks mean under it.
    legend(y, anyReadOnly, arrowKinds);
    route(arrows);

    QRectF bounds(0, 0, laneRight + m_m.margin, y + m_m.margin);
    for (const GText &t : m_g.captions)
        bounds |= t.rect.adjusted(0, 0, m_m.margin, 0);
    for (const GLegendItem &item : m_g.legend)
        bounds |= item.text.rect.adjusted(0, 0, m_m.margin, m_m.margin);
    m_g.bounds = bounds;
    return std::move(m_g);
}

void Layouter::route(const std::vector<const FactRelation *> &arrows)
{
    // Stubs into and out of a block at distinct heights within its first row.
    std::map<int, int> endsAt;
    for (const FactRelation *rel : arrows) {
        ++endsAt[m_drawnOfBuffer[m_s->bufferOf[static_cast<std::size_t>(rel->from)]]];
        ++endsAt[m_drawnOfBuffer[m_s->bufferOf[static_cast<std::size_t>(rel->to)]]];
    }
    std::map<int, int> used;
    auto stubY = [&](int bi) {
        const GBuffer &b = m_g.buffers[static_cast<std::size_t>(bi)];
        const int n = std::min(endsAt[bi], 5);
        const int i = used[bi]++ % 5;
        return b.block.top() + m_m.cellH * (i + 1) / (n + 1);
    };
    // Labels sit in the target's notes, in the order its relations came.
    std::map<int, int> labelsUsed;
    int slot = 0;
    for (const FactRelation *rel : arrows) {
        const int ai = m_drawnOfBuffer[m_s->bufferOf[static_cast<std::size_t>(rel->from)]];
        const int bi = m_drawnOfBuffer[m_s->bufferOf[static_cast<std::size_t>(rel->to)]];
        const GBuffer &a = m_g.buffers[static_cast<std::size_t>(ai)];
        const GBuffer &b = m_g.buffers[static_cast<std::size_t>(bi)];
        const qreal off = m_m.slot * (slot % kSlots + 1);
        ++slot;
        const qreal ys = stubY(ai);
        const qreal yt = stubY(bi);
        const Shelf &sa = m_shelves[static_cast<std::size_t>(a.shelf)];
        const Shelf &sb = m_shelves[static_cast<std::size_t>(b.shelf)];
        QPolygonF route;
        route << QPointF(a.block.right() + 2, ys) << QPointF(a.channelX + off, ys);
        const qreal below = sa.gutterBelow + off;
        route << QPointF(a.channelX + off, below);
        if (a.shelf == b.shelf) {
            route << QPointF(b.channelX + off, below);
        } else {
            const qreal above = sb.gutterAbove + off;
            route << QPointF(m_globalChannelX + off, below) << QPointF(m_globalChannelX + off, above)
                  << QPointF(b.channelX + off, above);
        }
        const qreal headLen = 11 * m_style.scale;
        const QPointF tip(b.block.right() + 2, yt);
        route << QPointF(b.channelX + off, yt) << tip + QPointF(headLen, 0);
        GArrow arrow;
        arrow.from = rel->from;
        arrow.to = rel->to;
        arrow.relation = rel->relation;
        arrow.direction = rel->direction;
        arrow.route = route;
        arrow.head << tip << tip + QPointF(headLen, -headLen * 0.55) << tip + QPointF(headLen, headLen * 0.55);
        arrow.text = firstLine(rel->statement) + QStringLiteral(": ") + convertSummary(*m_s, *rel);
        arrow.labelBuffer = bi;
        ++labelsUsed[bi];
        m_g.arrows.push_back(std::move(arrow));
    }
}

} // namespace

CanvasGeometry layoutCanvas(const Snapshot *snapshot, const CanvasStyle &style, const CanvasGeometry *previous)
{
    return Layouter(snapshot, style, previous).run();
}

} // namespace memscope::ui
