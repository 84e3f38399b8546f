// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvaslayout.h"

#include "engine/scalar.h"
#include "engine/text/wording.h"
#include "ui/byteslabel.h"
#include "ui/canvas/layouter.h"
#include "ui/models/objectsmodel.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

using namespace memscope::engine;

namespace memscope::ui {

namespace layout {

QString tr(const char *text)
{
    return QCoreApplication::translate("MemoryCanvas", text);
}

Measure::Measure(const CanvasStyle &style)
{
    // Kept for the GUI thread's next layouts; a handful of scales in a session.
    static thread_local std::map<std::pair<qreal, qreal>, Fonts> cache;
    Fonts &fonts = cache[{style.scale, style.minTextPx}];
    if (fonts.metrics.empty()) {
        for (int r = 0; r <= static_cast<int>(TextRole::Legend); ++r) {
            fonts.metrics.emplace_back(style.font(static_cast<TextRole>(r)));
            fonts.heights.push_back(std::ceil(fonts.metrics.back().height()));
        }
        fonts.widths.resize(fonts.metrics.size());
    }
    m_fonts = &fonts;
}

qreal Measure::width(TextRole role, const QString &text) const
{
    QHash<QString, qreal> &widths = m_fonts->widths[static_cast<std::size_t>(role)];
    if (const auto it = widths.constFind(text); it != widths.cend())
        return *it;
    if (widths.size() > 50000) // bounded: a long session of ever new names
        widths.clear();
    const qreal w = metrics(role).horizontalAdvance(text);
    widths.insert(text, w);
    return w;
}

GText Measure::text(const QString &s, TextRole role, QPointF pos, qreal maxWidth, bool emphasis) const
{
    QString shown = s;
    qreal w = width(role, s);
    if (maxWidth > 0 && w > maxWidth) {
        shown = metrics(role).elidedText(s, Qt::ElideRight, maxWidth);
        w = width(role, shown);
    }
    return {QRectF(pos, QSizeF(std::ceil(w), height(role))), shown, role, emphasis, shown == s ? QString() : s};
}

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

QString valueText(const MemoryFact &f, std::int64_t element, int precision, int maxChars)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    const auto at = static_cast<std::size_t>(element) * item;
    if (!f.valuesCaptured || at + item > f.values.size())
        return {};
    const Scalar v = loadScalar(f.dtype, f.values.data() + at);
    const double *d = std::get_if<double>(&v);
    if (precision > 0 && d && std::isfinite(*d))
        return QString::number(*d, 'g', precision);
    const QString exact = q(formatScalar(f.dtype, v));
    if (exact.size() <= maxChars)
        return exact;
    if (const bool *flag = std::get_if<bool>(&v)) // True/False in a 1-byte cell
        return *flag ? QStringLiteral("T") : QStringLiteral("F");
    if (!d || !std::isfinite(*d))
        return exact;
    // Too wide for its cell: as many significant digits as fit (one font
    // size per buffer; the tooltip and the element editor have them all).
    for (int digits = 6; digits >= 1; --digits)
        if (const QString shorter = QString::number(*d, 'g', digits); shorter.size() <= maxChars)
            return shorter;
    return exact;
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
    QStringList lines {first, tr("strides %1").arg(shapeString(f.strides))};
    // A module's weights are told from plain tensors (a line of their own: never cut).
    QStringList third;
    if (f.typeName.ends_with(".Parameter"))
        third << tr("Parameter");
    if (std::find(f.flags.begin(), f.flags.end(), "requires_grad") != f.flags.end())
        third << tr("requires_grad");
    if (!third.isEmpty())
        lines << third.join(QStringLiteral(" · "));
    return lines;
}

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
    if (!m_style.captions)
        return;
    GText step =
        m_measure.text(m_style.title.isEmpty() ? tr("Step %1").arg(m_s->step) : m_style.title, TextRole::Title, {x, y});
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
        if (!m_style.onlyBuffers.empty() &&
            !std::binary_search(m_style.onlyBuffers.begin(), m_style.onlyBuffers.end(), static_cast<int>(bi)))
            continue;
        Drawn d;
        d.buffer = static_cast<int>(bi);
        for (int fi : s.buffers[bi].facts) {
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            if (f.isSupported() && f.numel() > 0)
                d.facts.push_back(fi);
        }
        if (d.facts.empty() || s.buffers[bi].hi <= s.buffers[bi].lo)
            continue; // nothing to draw (a damaged recording can say lo >= hi)
        d.primary = *std::max_element(d.facts.begin(), d.facts.end(), [&](int a, int b) {
            // Bytes it spans, not elements times items: a broadcast view repeats bytes.
            const auto reach = [&](int i) {
                const MemoryFact &f = s.facts[static_cast<std::size_t>(i)];
                const auto [lo, hi] = f.extent();
                return std::min<std::uint64_t>(static_cast<std::uint64_t>(f.nbytes()), hi - lo);
            };
            return reach(a) < reach(b);
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
    m_m.channel = m_style.space(10) + m_m.slot * (slots + 1);
    m_m.gutter = arrows.empty() ? m_style.space(14) : m_style.space(8) + m_m.slot * (slots + 1);
    const qreal contentLeft = m_m.margin + m_m.pad;
    const qreal contentRight = m_style.layoutWidth() - m_m.margin - m_m.pad - m_m.channel;
    qreal clusterMax = std::max<qreal>(contentRight - contentLeft - m_m.channel, 400 * m_style.scale);
    // Many buffers use the width: rows of cells wrap sooner so that two
    // buffers (and their boxes) sit side by side, when both stay legible.
    const qreal half = (contentRight - contentLeft) / 2 - m_m.channel;
    if (drawn.size() >= 4 && half >= 520 * m_style.scale)
        clusterMax = half;

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
        y = lane.title.rect.bottom() + m_style.space(4);
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
            right = std::max({right, c.bounds.right(), lane.title.rect.right()});
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
        y += m_style.space(12);
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

} // namespace layout

CanvasGeometry layoutCanvas(const Snapshot *snapshot, const CanvasStyle &style, const CanvasGeometry *previous)
{
    return layout::Layouter(snapshot, style, previous).run();
}

} // namespace memscope::ui
