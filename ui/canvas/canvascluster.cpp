// SPDX-License-Identifier: GPL-3.0-or-later
// One buffer as the canvas lays it out: its cells in address order, one map
// row per view, a bar when large, and its variables joined to element [0].
#include "engine/scalar.h"
#include "ui/byteslabel.h"
#include "ui/canvas/canvaslayout.h"
#include "ui/canvas/elementmap.h"
#include "ui/canvas/layouter.h"
#include "ui/models/objectsmodel.h"

#include <QLocale>

#include <algorithm>

using namespace memscope::engine;

namespace memscope::ui::layout {

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
    // What made this buffer, above its cells: the arrow's label, never on a
    // line. What was moved comes first and the statement last, so a label cut
    // to the cells' width keeps "transfer · 24 B · H2D" (an exported picture
    // has no hover to show the rest; its code is beside it).
    for (const FactRelation *rel : incoming) {
        const int fromBuffer = m_s->bufferOf[static_cast<std::size_t>(rel->from)];
        const QString text = tr("← from buf %1 · %2: %3")
                                 .arg(m_s->buffers[static_cast<std::size_t>(fromBuffer)].number)
                                 .arg(convertSummary(*m_s, *rel), firstLine(rel->statement));
        b.notes.push_back(m_measure.text(text, TextRole::Note, {x, y}, maxBlockW, true));
        y += m_measure.height(TextRole::Note);
    }
    y += 4 * m_style.scale;
    if (d.cellCount > kMaxCanvasCells)
        bar(c, d, x, y, maxBlockW);
    else
        cells(c, d, x, y, maxBlockW);
    changeNotes(c, d, x, y, maxBlockW);
    // Notes (what changed, where a copy came from) are cut to the width of
    // the cells and their labels: a step's change never widens the buffer
    // and so never moves the buffers placed after it.
    qreal core = std::max(b.block.right(), b.header.rect.right());
    for (const GMapRow &m : b.maps)
        core = std::max(core, m.label.rect.right());
    for (const GStrip &st : b.strips)
        core = std::max(core, st.label.rect.right());
    core = std::max(core, x + 300 * m_style.scale);
    for (GText &t : b.notes)
        if (t.rect.right() > core)
            t = m_measure.text(t.whole(), t.role, t.rect.topLeft(), core - t.rect.left(), t.emphasis);
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
                    if (k.index == 0 && !zero) { // the first piece: where element [0] starts
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
            } else if (!b.cells.empty()) { // a view without a map row (many views): the cell of its [0]
                const std::int64_t off = static_cast<std::int64_t>(f.data - b.lo);
                const auto k = static_cast<std::size_t>(
                    std::clamp<std::int64_t>(off / b.cellBytes, 0, static_cast<std::int64_t>(b.cells.size()) - 1));
                const QRectF &cell = b.cells[k].rect;
                landing = QPointF(x - 2 * m_style.scale, cell.top() + 1);
                end = QPointF(cell.center().x(), cell.top() + 1);
            } else {
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
    // Values are monospaced: how many characters a cell holds.
    const int maxValueChars = static_cast<int>((cellW - 6 * m_style.scale) /
                                               m_measure.metrics(TextRole::Value).horizontalAdvance(QLatin1Char('0')));
    const qreal pxPerByte = cellW / static_cast<qreal>(d.cellBytes);
    // Rows of 64 bytes (8 float64, 16 float32) where they fit, fewer where not:
    // memory is a strip in address order, never the shape of one of its views.
    const qreal labelRoom = 90 * m_style.scale;
    int cols = static_cast<int>(std::max<std::int64_t>(1, 64 / d.cellBytes));
    while (cols > 1 && cols * cellW + labelRoom > maxBlockW)
        --cols;
    cols = static_cast<int>(std::min<std::int64_t>(cols, d.cellCount));
    // Rows as even as the width allows: 6 cells in 3 + 3, not 5 + 1.
    const std::int64_t rowCount = (d.cellCount + cols - 1) / cols;
    cols = static_cast<int>((d.cellCount + rowCount - 1) / rowCount);
    const auto regionBytes = static_cast<std::int64_t>(b.hi - b.lo);
    const std::int64_t rowBytes = cols * d.cellBytes;
    b.cells.resize(static_cast<std::size_t>(d.cellCount));
    for (std::size_t k = 0; k < b.cells.size(); ++k)
        b.cells[k].offset = k * static_cast<std::uint64_t>(d.cellBytes);

    // Each view's element starts; the primary first, so its values win.
    std::vector<int> order = d.facts;
    std::stable_partition(order.begin(), order.end(), [&](int i) { return i == d.primary; });
    std::map<int, std::vector<std::pair<std::int64_t, std::int64_t>>> starts;
    // Sorted (the snapshot lists them in increasing order): searched, never copied.
    auto changedIn = [&](int fi, std::int64_t e) {
        const auto &ch = s.changed[static_cast<std::size_t>(fi)];
        return std::binary_search(ch.begin(), ch.end(), e);
    };
    for (int fi : order) {
        const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
        starts[fi] = elementStarts(f, b.lo, regionBytes);
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
                    // "—": an element starts here but its value was not kept (device
                    // memory, or a step whose values the timeline dropped); "·": none starts here.
                    cell.value =
                        f.valuesCaptured ? valueText(f, e, m_style.precision, maxValueChars) : QStringLiteral("—");
                if (changedIn(fi, e))
                    cell.changed = true;
            }
        }
    }
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
        int shown = 0;
        int hidden = 0;
        for (int fi : d.facts) {
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            if (shown == kMaxMapRows) { // the rest are counted, not drawn: a hundred views make no picture
                hidden += std::any_of(starts[fi].begin(), starts[fi].end(), [&](const auto &start) {
                    return start.first + f.itemSize() > rowLo && start.first < rowHi;
                });
                continue;
            }
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
                mark.changed = changedIn(fi, e);
                const QString t = QString::number(e);
                if (off >= rowLo && t.size() * indexCharW <= mark.rect.width() - 2)
                    mark.text = t;
                row.marks.push_back(std::move(mark));
            }
            if (row.marks.empty())
                continue;
            // A broadcast view visits its bytes many times: say how many.
            QString name = q(f.label());
            if (const auto distinct = static_cast<std::int64_t>(starts[fi].size());
                distinct > 0 && f.numel() / distinct > 1)
                name += QStringLiteral(" ×") + QLocale().toString(static_cast<qlonglong>(f.numel() / distinct));
            row.label = m_measure.text(
                name, TextRole::MapLabel,
                {x + cols * cellW + m_m.labelGap,
                 row.rect.top() + 3 * m_style.scale + (m_m.mapH - m_measure.height(TextRole::MapLabel)) / 2},
                std::max<qreal>(40, maxBlockW - cols * cellW - m_m.labelGap));
            y = row.rect.bottom();
            b.maps.push_back(std::move(row));
            ++shown;
        }
        if (hidden > 0) {
            b.notes.push_back(
                m_measure.text(tr("+ %1 more views of these bytes (hover a cell for every name)").arg(hidden),
                               TextRole::MapLabel, {x, y + 2 * m_style.scale}, maxBlockW));
            y = b.notes.back().rect.bottom();
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
    // Clamped: a fact is always inside its buffer, but x stays finite whatever comes.
    auto xOf = [&](double offset) { return x + width * std::clamp(offset / span, 0.0, 1.0); };
    y += m_m.cellH + 6 * m_style.scale;
    std::set<qreal> barChanged;
    int hidden = 0;
    for (int fi : d.facts) {
        const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
        // Every view's changes are ticked on the bar, drawn as a strip or not.
        std::vector<qreal> changedX;
        const auto &ch = s.changed[static_cast<std::size_t>(fi)];
        // Spread over the whole list (a bar has a few hundred pixels): `big[:] += 1`
        // ticks the whole bar, not its first 256 elements.
        const std::size_t every = std::max<std::size_t>(1, ch.size() / 2048);
        for (std::size_t k = 0; k < ch.size(); k += every) {
            changedX.push_back(xOf(static_cast<double>(elementOffset(f, b.lo, ch[k]))));
            barChanged.insert(std::round(changedX.back()));
        }
        if (static_cast<int>(b.strips.size()) == kMaxMapRows) {
            ++hidden;
            continue;
        }
        GStrip strip;
        strip.fact = fi;
        strip.changedX = std::move(changedX);
        const auto [lo, hi] = f.extent();
        const qreal x0 = xOf(static_cast<double>(lo - b.lo));
        const qreal x1 = xOf(static_cast<double>(hi - b.lo));
        strip.rect = QRectF(x0, y, std::max<qreal>(2, x1 - x0), std::ceil(m_m.mapH * 0.6));
        // A sparse view is drawn sparse: big[::1000] touches 1 byte in 1,000 of its span.
        const double spanned = std::max<double>(1, static_cast<double>(hi - lo));
        strip.density = std::min(1.0, static_cast<double>(f.nbytes()) / spanned);
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
    if (hidden > 0) {
        b.notes.push_back(m_measure.text(tr("+ %1 more views of this buffer (hover the bar)").arg(hidden),
                                         TextRole::MapLabel, {x, y}, maxBlockW));
        y = b.notes.back().rect.bottom() + 2 * m_style.scale;
    }
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
        const bool exact =
            m_s->changesExact.size() <= static_cast<std::size_t>(fi) || m_s->changesExact[static_cast<std::size_t>(fi)];
        const QString count = QLocale().toString(static_cast<qlonglong>(total));
        changedIn << where.join(QStringLiteral(", ")) +
                (total > 3 ? (exact ? tr(" … (%1 in all)").arg(count) : tr(" … (at least %1)").arg(count)) : QString());
    }
    // The line is kept when nothing changed, so a step with a change does not
    // move what lies below.
    if (changedIn.isEmpty()) {
        y += m_measure.height(TextRole::Note) + 4 * m_style.scale;
        return;
    }
    c.buffer.notes.push_back(m_measure.text(tr("changed by this step: ") + changedIn.join(QStringLiteral("; ")),
                                            TextRole::Note, {x, y}, maxW, true));
    y += m_measure.height(TextRole::Note) + 4 * m_style.scale;
}

} // namespace memscope::ui::layout
