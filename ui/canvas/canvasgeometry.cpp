// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvasgeometry.h"

#include <QLineF>

namespace memscope::ui {

std::vector<const GText *> CanvasGeometry::texts() const
{
    std::vector<const GText *> out;
    for (const GText &t : captions)
        out.push_back(&t);
    for (const GLegendItem &i : legend)
        out.push_back(&i.text);
    for (const GLane &l : lanes)
        out.push_back(&l.title);
    for (const GBuffer &b : buffers) {
        out.push_back(&b.header);
        if (b.bar)
            out.push_back(&b.barText);
        for (const GText &t : b.notes)
            out.push_back(&t);
        for (const GMapRow &m : b.maps)
            out.push_back(&m.label);
        for (const GStrip &s : b.strips)
            out.push_back(&s.label);
    }
    for (const GVariable &v : variables) {
        out.push_back(&v.name);
        for (const GText &t : v.details)
            out.push_back(&t);
    }
    return out;
}

const GVariable *CanvasGeometry::variableOf(int fact) const
{
    for (const GVariable &v : variables)
        if (v.fact == fact)
            return &v;
    return nullptr;
}

namespace {

qreal distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const qreal len2 = QPointF::dotProduct(ab, ab);
    const qreal t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    return QLineF(p, a + t * ab).length();
}

} // namespace

CanvasHit hitTest(const CanvasGeometry &g, QPointF at)
{
    using Kind = CanvasHit::Kind;
    for (std::size_t i = 0; i < g.variables.size(); ++i)
        if (g.variables[i].box.contains(at))
            return {Kind::Variable, -1, static_cast<int>(i), -1, g.variables[i].fact};
    for (std::size_t bi = 0; bi < g.buffers.size(); ++bi) {
        const GBuffer &b = g.buffers[bi];
        if (!b.cluster.adjusted(-2, -2, 2, 2).contains(at))
            continue;
        const int buffer = static_cast<int>(bi);
        for (std::size_t r = 0; r < b.maps.size(); ++r) {
            const GMapRow &row = b.maps[r];
            if (!row.rect.contains(at) && !row.label.rect.contains(at))
                continue;
            for (std::size_t k = 0; k < row.marks.size(); ++k)
                if (row.marks[k].rect.adjusted(-1, 0, 1, 0).contains(at))
                    return {Kind::Mark, buffer, static_cast<int>(k), static_cast<int>(r), row.fact};
            return {Kind::Mark, buffer, -1, static_cast<int>(r), row.fact}; // its row: the view
        }
        for (std::size_t k = 0; k < b.cells.size(); ++k)
            if (b.cells[k].rect.contains(at))
                return {Kind::Cell, buffer, static_cast<int>(k), -1,
                        b.cells[k].facts.empty() ? -1 : b.cells[k].facts.front()};
        for (std::size_t k = 0; k < b.strips.size(); ++k)
            if (b.strips[k].rect.adjusted(0, -3, 0, 3).contains(at) || b.strips[k].label.rect.contains(at))
                return {Kind::Strip, buffer, static_cast<int>(k), -1, b.strips[k].fact};
        if (b.bar && b.block.contains(at))
            return {Kind::Bar, buffer, -1, -1, b.primary};
        for (std::size_t k = 0; k < b.notes.size(); ++k)
            if (b.notes[k].rect.contains(at))
                return {Kind::Note, buffer, static_cast<int>(k), -1, -1};
        if (b.header.rect.contains(at))
            return {Kind::Header, buffer, -1, -1, -1};
    }
    for (std::size_t i = 0; i < g.arrows.size(); ++i) {
        const QPolygonF &r = g.arrows[i].route;
        for (int k = 0; k + 1 < r.size(); ++k)
            if (distanceToSegment(at, r[k], r[k + 1]) <= 4)
                return {Kind::Arrow, -1, static_cast<int>(i), -1, g.arrows[i].to};
        if (g.arrows[i].head.containsPoint(at, Qt::OddEvenFill))
            return {Kind::Arrow, -1, static_cast<int>(i), -1, g.arrows[i].to};
    }
    return {};
}

} // namespace memscope::ui
