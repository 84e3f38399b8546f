// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; nothing here needs moc.
#include "engine/device.h"
#include "engine/memoryfact.h"
#include "engine/relation.h"
#include "ui/canvas/canvasstyle.h"

#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <vector>

namespace memscope::ui {

/// One text as laid out: its box is what the font measured, so tests can
/// check that nothing overlaps it.
struct GText
{
    QRectF rect;
    QString text;
    TextRole role = TextRole::Note;
    bool emphasis = false; ///< drawn in the strong text colour (else muted where the role is)
    QString full; ///< the whole text when `text` was cut to fit (for the tooltip); empty otherwise

    const QString &whole() const { return full.isEmpty() ? text : full; }
};

/// One element-sized cell of a buffer, in address order.
struct GCell
{
    QRectF rect;
    std::uint64_t offset = 0; ///< bytes from the buffer's first byte
    QString value; ///< empty: no view starts an element of this size here
    QString offsetText; ///< empty where it would not fit
    bool changed = false;
    std::vector<int> facts; ///< facts whose bytes cover the cell
    /// (fact, flat element) of each view element starting in the cell, for the hover text.
    std::vector<std::pair<int, std::int64_t>> views;
};

/// One element of a view on its map row: the bytes it covers, and its index.
struct GMark
{
    QRectF rect;
    std::int64_t index = 0; ///< flat (C-order) index in the view: the view's traversal order
    QString text; ///< the index, empty when it does not fit the mark
    bool changed = false;
};

/// The row under a row of cells that shows which bytes one view touches.
struct GMapRow
{
    int fact = -1;
    QRectF rect;
    std::vector<GMark> marks;
    GText label; ///< the view's name, after the row
};

/// A bar-mode view strip: the view's extent, solid or dotted by how densely it
/// touches it.
struct GStrip
{
    int fact = -1;
    QRectF rect;
    double density = 1.0; ///< bytes touched / bytes spanned
    std::vector<qreal> changedX; ///< where changed elements sit on the bar
    GText label;
};

struct GBuffer
{
    int number = 0; ///< "buf N"
    int group = 0; ///< colour index (number - 1)
    engine::Device device;
    engine::Address lo = 0;
    engine::Address hi = 0;
    int primary = -1; ///< the fact whose elements the cells follow
    std::int64_t cellBytes = 1;
    QRectF block; ///< cells or bar
    QRectF bounds; ///< header, cells, maps, notes: everything of this buffer
    QRectF cluster; ///< the buffer with its variable boxes
    GText header;
    std::vector<GText> notes; ///< changes, incoming arrow labels
    bool bar = false;
    // Cell mode:
    std::vector<GCell> cells;
    std::vector<GMapRow> maps;
    // Bar mode:
    GText barText;
    std::vector<GStrip> strips;
    std::vector<qreal> changedX; ///< changed elements on the bar itself
    int shelf = 0; ///< the row of clusters it sits in (for routing)
    qreal channelX = 0; ///< the free column right of the cluster where its arrows run
};

struct GVariable
{
    int fact = -1;
    std::uint64_t objectId = 0;
    int group = -1; ///< -1: no bytes to draw (dashed box)
    QRectF box;
    GText name;
    std::vector<GText> details;
    QRectF badge; ///< "RO"; empty when writable
    QString label; ///< the fact's label (tests, hit testing)
};

/// Joins a variable box to element [0] of its view: a curve through the free
/// column between boxes and buffers, then along the view's own map row.
struct GConnector
{
    int fact = -1;
    int group = 0;
    QPainterPath path;
    QPointF end;
};

/// A copy, conversion or transfer: routed through free columns and gutters
/// only, so it crosses no text; its label sits above the target's cells.
struct GArrow
{
    int from = -1;
    int to = -1;
    engine::Relation relation = engine::Relation::Copy;
    engine::Direction direction = engine::Direction::H2H;
    QPolygonF route; ///< straight segments, source stub first
    QPolygonF head;
    QString text; ///< "t2 = torch.tensor(a): copy · 48 B · H2H"
    int labelBuffer = -1; ///< index into buffers of the one whose notes hold the label
};

struct GLane
{
    engine::Device device;
    QRectF rect;
    GText title;
};

enum class LegendSymbol {
    Buffer,
    Map,
    Changed,
    Offset,
    Copy,
    Convert,
    TransferToDevice,
    TransferToHost,
    TransferOther,
    ReadOnly
};

struct GLegendItem
{
    LegendSymbol symbol;
    QRectF swatch;
    GText text;
};

/// The whole canvas for one step, in scene pixels: what the scene paints,
/// what exporters paint, what tests measure.
struct CanvasGeometry
{
    QRectF bounds;
    std::vector<GText> captions; ///< step, statement, hint, empty-canvas text
    std::vector<GLegendItem> legend;
    std::vector<GLane> lanes;
    std::vector<GBuffer> buffers;
    std::vector<GVariable> variables;
    std::vector<GConnector> connectors;
    std::vector<GArrow> arrows;
    qreal varWidth = 0; ///< kept by the next step's layout so boxes do not jump
    CanvasStyle style;

    /// Every text, for overlap and size checks.
    std::vector<const GText *> texts() const;
    const GVariable *variableOf(int fact) const;
};

/// What is under a point of the canvas (for tooltips, clicks and hover).
struct CanvasHit
{
    enum class Kind { None, Variable, Cell, Mark, Bar, Strip, Arrow, Note, Header };
    Kind kind = Kind::None;
    int buffer = -1; ///< index into CanvasGeometry::buffers
    int index = -1; ///< the cell, mark, strip, note, variable or arrow
    int row = -1; ///< the map row of a mark
    int fact = -1; ///< the fact it belongs to, when one does
};
CanvasHit hitTest(const CanvasGeometry &geometry, QPointF at);

} // namespace memscope::ui
