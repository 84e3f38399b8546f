// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvaspainter.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QStaticText>

#include <algorithm>

namespace memscope::ui {

namespace {

class Painter
{
public:
    Painter(QPainter &painter, const CanvasGeometry &geometry, const ThemeColors &colors, const CanvasOverlay &overlay,
            const QRectF &exposedRect)
        : p(painter)
        , g(geometry)
        , c(colors)
        , o(overlay)
        , exposed(exposedRect)
    {
        for (int r = 0; r <= static_cast<int>(TextRole::Legend); ++r)
            fonts.push_back(g.style.font(static_cast<TextRole>(r)));
        offsetHeight = QFontMetricsF(fonts[static_cast<std::size_t>(TextRole::Offset)]).height();
        // The selected object's facts, found once (not per cell).
        if (o.selectedObject)
            for (const GVariable &v : g.variables)
                if (v.objectId == o.selectedObject)
                    selectedFacts.push_back(v.fact);
    }

    void run();

private:
    bool visible(const QRectF &r) const { return exposed.isEmpty() || exposed.intersects(r); }
    void text(const GText &t, const QColor &color) { drawText(t.text, t.role, t.rect, color, false); }
    /// Plain text (never markup) from a cache of laid-out texts: cell values,
    /// indices and names repeat across cells and steps, and laying text out
    /// again on every paint was most of a paint's time.
    void drawText(const QString &text, TextRole role, const QRectF &r, const QColor &color, bool centred);
    bool selectedFact(int fact) const
    {
        return std::find(selectedFacts.begin(), selectedFacts.end(), fact) != selectedFacts.end();
    }
    QColor changedFill() const
    {
        const QColor from = c.dark ? QColor(0xff, 0xb3, 0x00) : QColor(0xff, 0x9f, 0x1a);
        const QColor to = c.changed;
        const double t = std::clamp<double>(o.flash, 0, 1);
        return QColor::fromRgbF(from.redF() + (to.redF() - from.redF()) * t,
                                from.greenF() + (to.greenF() - from.greenF()) * t,
                                from.blueF() + (to.blueF() - from.blueF()) * t);
    }
    QPen arrowPen(engine::Relation relation, engine::Direction direction) const;
    void legendSymbol(const GLegendItem &item);
    void buffer(const GBuffer &b);
    void variable(const GVariable &v);

    QPainter &p;
    const CanvasGeometry &g;
    const ThemeColors &c;
    const CanvasOverlay &o;
    const QRectF exposed;
    std::vector<QFont> fonts;
    std::vector<int> selectedFacts;
    qreal offsetHeight = 0;
};

void Painter::drawText(const QString &text, TextRole role, const QRectF &r, const QColor &color, bool centred)
{
    if (text.isEmpty())
        return;
    const QFont &font = fonts[static_cast<std::size_t>(role)];
    static thread_local QHash<QString, QStaticText> cache;
    const QString key = QString::number(font.pixelSize()) + QLatin1Char(font.bold() ? 'b' : 'n') +
        QLatin1Char(g.style.isMono(role) ? 'm' : 's') + text;
    auto it = cache.find(key);
    if (it == cache.end()) {
        if (cache.size() > 50000) // bounded over a long session
            cache.clear();
        QStaticText st(text);
        st.setTextFormat(Qt::PlainText);
        st.setPerformanceHint(QStaticText::AggressiveCaching);
        st.prepare(QTransform(), font);
        it = cache.insert(key, st);
    }
    const QSizeF size = it->size();
    const qreal x = centred ? r.center().x() - size.width() / 2 : r.left();
    p.setFont(font);
    p.setPen(color);
    p.drawStaticText(QPointF(x, r.center().y() - size.height() / 2), *it);
}

QPen Painter::arrowPen(engine::Relation relation, engine::Direction direction) const
{
    using engine::Relation;
    if (relation == Relation::Transfer) // the plot's colour for the same direction
        return QPen(c.directionColor(static_cast<int>(direction)), 2.5, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin);
    return QPen(c.arrow, 2.0, relation == Relation::Convert ? Qt::DotLine : Qt::DashLine, Qt::FlatCap, Qt::MiterJoin);
}

void Painter::legendSymbol(const GLegendItem &item)
{
    const QRectF r = item.swatch;
    p.save();
    switch (item.symbol) {
    case LegendSymbol::Buffer:
        p.setPen(QPen(c.groupColor(0), 1.5));
        p.setBrush(c.groupFill(0));
        p.drawRect(r.adjusted(0, 0, -r.width() / 2, 0));
        p.setPen(QPen(c.groupColor(1), 1.5));
        p.setBrush(c.groupFill(1));
        p.drawRect(r.adjusted(r.width() / 2, 0, 0, 0));
        break;
    case LegendSymbol::Map:
        p.setPen(QPen(c.groupColor(0), 1));
        p.setBrush(c.groupFill(0));
        p.drawRect(r.adjusted(0, r.height() / 4, -r.width() * 0.55, -r.height() / 4));
        p.drawRect(r.adjusted(r.width() * 0.55, r.height() / 4, 0, -r.height() / 4));
        break;
    case LegendSymbol::Changed:
        p.setPen(QPen(c.groupColor(0), 1.5));
        p.setBrush(c.changed);
        p.drawRect(r);
        break;
    case LegendSymbol::Offset:
        p.setFont(fonts[static_cast<std::size_t>(TextRole::Offset)]);
        p.setPen(c.mutedText);
        p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("+0x8"));
        break;
    case LegendSymbol::Copy:
    case LegendSymbol::Convert:
    case LegendSymbol::TransferToDevice:
    case LegendSymbol::TransferToHost:
    case LegendSymbol::TransferOther: {
        const auto relation = item.symbol == LegendSymbol::Copy ? engine::Relation::Copy
            : item.symbol == LegendSymbol::Convert              ? engine::Relation::Convert
                                                                : engine::Relation::Transfer;
        const auto direction = item.symbol == LegendSymbol::TransferToDevice ? engine::Direction::H2D
            : item.symbol == LegendSymbol::TransferToHost                    ? engine::Direction::D2H
            : item.symbol == LegendSymbol::TransferOther                     ? engine::Direction::D2D
                                                                             : engine::Direction::H2H;
        const QPen pen = arrowPen(relation, direction);
        p.setPen(pen);
        p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right() - 6, r.center().y()));
        p.setPen(Qt::NoPen);
        p.setBrush(pen.color());
        p.drawPolygon(QPolygonF {QPointF(r.right(), r.center().y()), QPointF(r.right() - 8, r.center().y() - 5),
                                 QPointF(r.right() - 8, r.center().y() + 5)});
        break;
    }
    case LegendSymbol::ReadOnly:
        p.setPen(QPen(c.text, 1.2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r, 3, 3);
        p.setFont(fonts[static_cast<std::size_t>(TextRole::Badge)]);
        p.drawText(r, Qt::AlignCenter, QStringLiteral("RO"));
        break;
    }
    p.restore();
}

void Painter::buffer(const GBuffer &b)
{
    const QColor color = c.groupColor(b.group);
    const QColor fill = c.groupFill(b.group);
    text(b.header, c.mutedText);
    for (const GText &t : b.notes)
        text(t, t.emphasis ? c.text : c.mutedText);
    const QColor lit = changedFill();
    const bool anyHover = o.hoveredFact >= 0;
    if (!b.bar) {
        for (const GCell &cell : b.cells) {
            const bool selected =
                std::any_of(cell.facts.begin(), cell.facts.end(), [&](int f) { return selectedFact(f); });
            p.setPen(QPen(selected ? c.text : color, selected ? 2.5 : 1.5));
            p.setBrush(cell.changed ? lit : (cell.facts.empty() ? c.boxBackground : fill));
            p.drawRect(cell.rect);
            drawText(cell.value.isEmpty() ? QStringLiteral("·") : cell.value, TextRole::Value, cell.rect,
                     cell.changed ? c.changedCellText() : c.text, true);
            if (!cell.offsetText.isEmpty())
                drawText(cell.offsetText, TextRole::Offset,
                         QRectF(cell.rect.left() + 2, cell.rect.bottom() + 1, cell.rect.width(), offsetHeight),
                         c.mutedText, false);
        }
        for (const GMapRow &row : b.maps) {
            const bool dim = anyHover && row.fact != o.hoveredFact;
            const bool strong = (anyHover && row.fact == o.hoveredFact) || selectedFact(row.fact);
            p.setOpacity(dim ? 0.3 : 1.0);
            for (const GMark &m : row.marks) {
                p.setPen(QPen(strong ? c.text : color, strong ? 2.0 : 1.0));
                p.setBrush(m.changed ? lit : fill);
                p.drawRect(m.rect);
                if (!m.text.isEmpty()) {
                    drawText(m.text, TextRole::MapIndex, m.rect, m.changed ? c.changedCellText() : c.text, true);
                }
            }
            text(row.label, c.mutedText);
            p.setOpacity(1.0);
        }
    } else {
        p.setPen(QPen(color, 1.5));
        p.setBrush(fill);
        p.drawRect(b.block);
        p.setPen(QPen(c.changedCellText(), 1));
        p.setBrush(lit);
        for (qreal x : b.changedX) // changed elements, as lit ticks on the bar
            p.drawRect(QRectF(x - 2, b.block.top(), 4, b.block.height()));
        text(b.barText, c.text);
        for (const GStrip &s : b.strips) {
            const bool dim = anyHover && s.fact != o.hoveredFact;
            p.setOpacity(dim ? 0.3 : 1.0);
            p.setPen(Qt::NoPen);
            p.setBrush(color);
            if (s.density >= 0.999) {
                p.drawRect(s.rect);
            } else { // sparse: dots, as sparse as a bar's pixels allow
                const qreal step = std::max<qreal>(4, s.rect.height());
                const int dots = static_cast<int>(std::clamp(s.rect.width() / step, 0.0, 10000.0)) + 1;
                for (int k = 0; k < dots; ++k) {
                    const qreal x = s.rect.left() + k * step;
                    p.drawRect(QRectF(x, s.rect.top(), std::min<qreal>(2, s.rect.right() - x + 1), s.rect.height()));
                }
            }
            p.setBrush(lit);
            p.setPen(QPen(c.changedCellText(), 1));
            for (qreal x : s.changedX)
                p.drawRect(QRectF(x - 2, s.rect.top() - 2, 4, s.rect.height() + 4));
            text(s.label, c.mutedText);
            p.setOpacity(1.0);
        }
    }
}

void Painter::variable(const GVariable &v)
{
    const bool selected = o.selectedObject && v.objectId == o.selectedObject;
    if (v.group < 0) {
        p.setPen(QPen(c.mutedText, 1.5, Qt::DashLine));
    } else {
        p.setPen(QPen(c.groupColor(v.group), selected ? 4.0 : 2.5));
    }
    p.setBrush(c.boxBackground);
    p.drawRect(v.box);
    if (selected) { // the selection: an outline in the text colour around the box
        p.setPen(QPen(c.text, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(v.box.adjusted(-4, -4, 4, 4));
    }
    text(v.name, c.text);
    for (std::size_t i = 0; i < v.details.size(); ++i)
        text(v.details[i], i == 0 && v.group >= 0 ? c.groupText(v.group) : c.mutedText);
    if (!v.badge.isEmpty()) { // drawn by the app: no emoji font needed
        p.setPen(QPen(c.text, 1.2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(v.badge, 3, 3);
        p.setFont(fonts[static_cast<std::size_t>(TextRole::Badge)]);
        p.drawText(v.badge, Qt::AlignCenter, QStringLiteral("RO"));
    }
}

void Painter::run()
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    for (const GLane &lane : g.lanes) {
        if (!visible(lane.rect))
            continue;
        const bool host = lane.device.isCpu();
        p.setPen(QPen(host ? c.laneHostBorder : c.laneDeviceBorder, 1.5));
        p.setBrush(host ? c.laneHost : c.laneDevice);
        p.drawRect(lane.rect);
        text(lane.title, c.text);
    }
    for (const GText &t : g.captions)
        text(t, t.role == TextRole::Hint && !t.emphasis ? c.mutedText : c.text);
    for (const GLegendItem &item : g.legend) {
        legendSymbol(item);
        text(item.text, c.mutedText);
    }
    for (const GBuffer &b : g.buffers)
        if (visible(b.cluster))
            buffer(b);
    p.setBrush(Qt::NoBrush);
    for (const GConnector &conn : g.connectors) {
        if (!visible(conn.path.boundingRect().adjusted(-3, -3, 3, 3)))
            continue;
        const bool dim = o.hoveredFact >= 0 && conn.fact != o.hoveredFact;
        p.setOpacity(dim ? 0.3 : 1.0);
        p.setPen(QPen(c.groupColor(conn.group), 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawPath(conn.path);
        p.setOpacity(1.0);
    }
    for (const GVariable &v : g.variables)
        if (visible(v.box.adjusted(-5, -5, 5, 5)))
            variable(v);
    for (const GArrow &a : g.arrows) {
        if (!visible(a.route.boundingRect().adjusted(-8, -8, 8, 8)))
            continue;
        const QPen pen = arrowPen(a.relation, a.direction);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPolyline(a.route);
        p.setPen(Qt::NoPen);
        p.setBrush(pen.color());
        p.drawPolygon(a.head);
    }
    p.restore();
}

} // namespace

void paintCanvas(QPainter &painter, const CanvasGeometry &geometry, const ThemeColors &colors,
                 const CanvasOverlay &overlay, const QRectF &exposed)
{
    Painter(painter, geometry, colors, overlay, exposed).run();
}

} // namespace memscope::ui
