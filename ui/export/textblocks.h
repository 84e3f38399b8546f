// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The texts around an exported canvas (a step's title, code, narration and
// verdicts), laid out once at a width and painted anywhere: a PNG, an SVG, a
// slide. Built with QTextCursor from plain strings, so nothing a lesson
// writes is ever read as markup.

#include "ui/export/exportdocument.h"

#include <QColor>
#include <QPointF>
#include <QSizeF>

#include <memory>

class QPainter;
class QTextDocument;

namespace memscope::ui {

struct ThemeColors;

/// A laid-out text block.
class TextBlock
{
public:
    TextBlock();
    ~TextBlock();
    TextBlock(TextBlock &&) noexcept;
    TextBlock &operator=(TextBlock &&) noexcept;

    QSizeF size() const;
    /// The width the text needs (at most the width it was laid out in).
    qreal naturalWidth() const;
    bool isEmpty() const { return !m_doc; }
    void paint(QPainter &painter, QPointF topLeft) const;

    /// One bold line (wrapped when long).
    static TextBlock title(const QString &text, qreal px, qreal width, const QColor &color);
    /// Code in a monospace font on a tinted box, wrapped anywhere.
    static TextBlock code(const QString &code, qreal px, qreal width, const ThemeColors &colors);
    /// A lesson's Markdown narration (raw HTML in it shows as text).
    static TextBlock narration(const QString &markdown, qreal px, qreal width, const QColor &color);
    /// "held  copy t n — observed copy" per verdict, the raise, or why the step was skipped.
    /// With `collapseHeld` (slides), expectations that held are one line, "3 held":
    /// what did not hold, and every claim, keep a line each.
    static TextBlock verdicts(const ExportStep &step, qreal px, qreal width, const ThemeColors &colors,
                              bool collapseHeld = false);
    /// Lines cut after `maxHeight` (ending in "…"): a slide shows what fits.
    void clip(qreal maxHeight);

private:
    std::unique_ptr<QTextDocument> m_doc;
    QColor m_background; ///< invalid: none
    qreal m_pad = 0;
    qreal m_clip = 0; ///< 0: whole
    qreal m_ellipsisHeight = 0;
    QColor m_ellipsisColor;
};

} // namespace memscope::ui
