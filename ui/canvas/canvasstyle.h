// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QString>

#include <vector>

namespace memscope::ui {

/// What a text on the canvas is: it decides the font (and nothing else; the
/// colour is the painter's business).
enum class TextRole {
    Title, ///< "Step 4"
    Statement, ///< the step's code
    Hint, ///< "addresses relative to each buffer"
    LaneTitle,
    Header, ///< "buf 1 · 64 B · NumPy · shared by a, e"
    Name, ///< a variable's names
    Detail, ///< framework, dtype, shape, strides
    Badge, ///< "RO"
    Value, ///< a cell's value
    Offset, ///< "+0x8" under a cell
    MapIndex, ///< a view's element index on its map row
    MapLabel, ///< the view's name at the end of its map row
    Note, ///< "changed by this step: a[1]", incoming arrow labels
    Legend,
};

/// DejaVu Sans or Sans Mono at a whole pixel size (`px` rounded up): the
/// canvas's fonts, and the texts exports draw around it.
QFont canvasFont(qreal px, bool mono, bool bold = false);

/// How the canvas is laid out: one text scale, the smallest text allowed and
/// the width to reflow into. Every size on the canvas derives from these, so
/// presentation mode is one number.
struct CanvasStyle
{
    qreal scale = 1.0; ///< text scale: 1.0 = 100 %
    qreal minTextPx = 11; ///< at 100 %; no text is ever drawn smaller
    /// Width to reflow into, in scene pixels (the viewport); 0: a default of
    /// about one laptop screen.
    qreal width = 0;
    bool rawAddresses = false;
    /// Significant digits of floating-point values in cells; 0: the shortest
    /// text that reads back exactly (trimmed to the cell when it does not fit).
    int precision = 0;
    QString caption; ///< overrides the step's statement when not empty
    QString title; ///< overrides "Step N" when not empty (an export numbers a lesson's steps its own way)
    bool legend = true;
    /// The "Step N  statement" line on top; off where the picture puts the
    /// step's title and code around the canvas itself (slides, captions).
    bool captions = true;
    /// Indices into the snapshot's buffers to draw, sorted; empty: all. A
    /// slide shows what its step touched, not everything still in memory.
    std::vector<int> onlyBuffers;

    /// Pixel size of a role's font (never below minPx()).
    qreal textPx(TextRole role) const;
    qreal minPx() const { return minTextPx * scale; }
    QFont font(TextRole role) const;
    bool isMono(TextRole role) const;
    /// Every length on the canvas scales with the text.
    qreal px(qreal atFullSize) const { return atFullSize * scale; }
    /// Margins, paddings and gutters: with the text, unless `spacing` says
    /// otherwise (a slide's large text needs less air than it would get).
    qreal space(qreal atFullSize) const { return atFullSize * (spacing > 0 ? spacing : scale); }
    qreal spacing = 0; ///< scale of the space between things; 0: the text scale
    qreal layoutWidth() const { return width > 0 ? width : 1400.0; }

    bool operator==(const CanvasStyle &) const = default;
};

} // namespace memscope::ui
