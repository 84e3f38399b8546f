// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/textblocks.h"

#include "ui/canvas/canvasstyle.h"
#include "ui/theme.h"

#include <QAbstractTextDocumentLayout>
#include <QPainter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>

namespace memscope::ui {

namespace {

std::unique_ptr<QTextDocument> newDocument(const QFont &font, qreal width)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->setDefaultFont(font);
    doc->setDocumentMargin(0);
    doc->setTextWidth(width);
    QTextOption option = doc->defaultTextOption();
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    doc->setDefaultTextOption(option);
    return doc;
}

QTextCharFormat coloured(const QFont &font, const QColor &color)
{
    QTextCharFormat f;
    f.setFont(font);
    f.setForeground(color);
    return f;
}

struct VerdictColors
{
    QColor held, failed, claim, muted;
};

// The lesson panel's colours, lightened on a dark background to keep 4.5:1.
VerdictColors verdictColors(const ThemeColors &colors)
{
    if (colors.dark)
        return {QColor(0x81, 0xc7, 0x84), QColor(0xef, 0x9a, 0x9a), QColor(0xff, 0xb7, 0x4d), colors.mutedText};
    return {QColor(0x2e, 0x7d, 0x32), QColor(0xc6, 0x28, 0x28), QColor(0xb2, 0x6a, 0x00), colors.mutedText};
}

} // namespace

TextBlock::TextBlock() = default;
TextBlock::~TextBlock() = default;
TextBlock::TextBlock(TextBlock &&) noexcept = default;
TextBlock &TextBlock::operator=(TextBlock &&) noexcept = default;

QSizeF TextBlock::size() const
{
    if (!m_doc)
        return {};
    const QSizeF s = m_doc->size();
    const qreal h = m_clip > 0 ? m_clip + m_ellipsisHeight : s.height();
    return {s.width() + 2 * m_pad, h + 2 * m_pad};
}

qreal TextBlock::naturalWidth() const
{
    return m_doc ? std::min(m_doc->idealWidth(), m_doc->textWidth()) + 2 * m_pad : 0;
}

void TextBlock::paint(QPainter &painter, QPointF topLeft) const
{
    if (!m_doc)
        return;
    painter.save();
    if (m_background.isValid()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(m_background);
        painter.drawRoundedRect(QRectF(topLeft, size()), m_pad / 2, m_pad / 2);
    }
    painter.translate(topLeft + QPointF(m_pad, m_pad));
    QAbstractTextDocumentLayout::PaintContext context;
    if (m_clip > 0) {
        context.clip = QRectF(0, 0, m_doc->textWidth(), m_clip);
        painter.setClipRect(context.clip);
    }
    m_doc->documentLayout()->draw(&painter, context);
    if (m_clip > 0) {
        painter.setClipping(false);
        painter.setFont(m_doc->defaultFont());
        painter.setPen(m_ellipsisColor);
        painter.drawText(QRectF(0, m_clip, m_doc->textWidth(), m_ellipsisHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("…"));
    }
    painter.restore();
}

void TextBlock::clip(qreal maxHeight)
{
    if (!m_doc || m_doc->size().height() <= maxHeight)
        return;
    // Whole lines only, leaving room for the "…" line that says text was cut.
    const qreal ellipsisHeight = QFontMetricsF(m_doc->defaultFont()).height();
    qreal cut = 0;
    for (QTextBlock b = m_doc->begin(); b.isValid(); b = b.next()) {
        const QRectF r = m_doc->documentLayout()->blockBoundingRect(b);
        const QTextLayout *layout = b.layout();
        for (int i = 0; layout && i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            const qreal bottom = r.top() + line.y() + line.height();
            if (bottom + ellipsisHeight > maxHeight) {
                m_clip = std::max<qreal>(cut, 1);
                m_ellipsisHeight = ellipsisHeight;
                return;
            }
            cut = bottom;
        }
    }
}

TextBlock TextBlock::title(const QString &text, qreal px, qreal width, const QColor &color)
{
    TextBlock b;
    const QFont font = canvasFont(px, false, true);
    b.m_doc = newDocument(font, width);
    QTextCursor(b.m_doc.get()).insertText(text, coloured(font, color));
    return b;
}

TextBlock TextBlock::code(const QString &code, qreal px, qreal width, const ThemeColors &colors)
{
    TextBlock b;
    const QFont font = canvasFont(px, true);
    b.m_pad = std::round(px * 0.5);
    b.m_doc = newDocument(font, width - 2 * b.m_pad);
    QString text = code;
    while (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    QTextCursor(b.m_doc.get()).insertText(text, coloured(font, colors.text));
    b.m_background = colors.boxBackground;
    return b;
}

TextBlock TextBlock::narration(const QString &markdown, qreal px, qreal width, const QColor &color)
{
    TextBlock b;
    const QFont font = canvasFont(px, false);
    b.m_doc = newDocument(font, width);
    b.m_ellipsisColor = color;
    // MarkdownNoHTML: a lesson's raw HTML is shown as the text it is.
    b.m_doc->setMarkdown(
        markdown.trimmed(),
        QTextDocument::MarkdownFeatures(QTextDocument::MarkdownNoHTML | QTextDocument::MarkdownDialectGitHub));
    // Markdown sets its own fonts on code spans and headings; colour and base
    // size are ours.
    QTextCursor all(b.m_doc.get());
    all.select(QTextCursor::Document);
    QTextCharFormat f;
    f.setForeground(color);
    all.mergeCharFormat(f);
    if (b.m_doc->isEmpty())
        return {};
    return b;
}

TextBlock TextBlock::verdicts(const ExportStep &step, qreal px, qreal width, const ThemeColors &colors,
                              bool collapseHeld)
{
    const VerdictColors vc = verdictColors(colors);
    TextBlock b;
    const QFont font = canvasFont(px, false);
    const QFont bold = canvasFont(px, false, true);
    b.m_doc = newDocument(font, width);
    QTextCursor c(b.m_doc.get());
    bool first = true;
    auto line = [&](const QString &badge, const QColor &badgeColor, const QString &text) {
        if (!first)
            c.insertBlock();
        first = false;
        c.insertText(badge + QStringLiteral("  "), coloured(bold, badgeColor));
        c.insertText(text, coloured(font, colors.text));
    };
    if (!step.skipped.isEmpty())
        line(QObject::tr("skipped"), vc.muted, step.skipped);
    int heldQuietly = 0;
    for (const ExportVerdict &v : step.verdicts) {
        if (collapseHeld && v.held && !v.claim) {
            ++heldQuietly;
            continue;
        }
        const QString badge = v.claim ? (v.held ? QObject::tr("claim held") : QObject::tr("claim NOT HELD"))
                                      : (v.held ? QObject::tr("held") : QObject::tr("FAILED"));
        const QColor color = v.held ? vc.held : (v.claim ? vc.claim : vc.failed);
        line(badge, color, v.observed.isEmpty() ? v.expectation : v.expectation + QStringLiteral(" — ") + v.observed);
    }
    if (heldQuietly > 0) {
        const auto expectations =
            std::count_if(step.verdicts.begin(), step.verdicts.end(), [](const ExportVerdict &v) { return !v.claim; });
        line(QObject::tr("held"), vc.held,
             heldQuietly == 1                  ? QObject::tr("1 expectation")
                 : heldQuietly == expectations ? QObject::tr("all %1 expectations").arg(heldQuietly)
                                               : QObject::tr("%1 expectations").arg(heldQuietly));
    }
    if (!step.raised.isEmpty())
        line(QObject::tr("raised"), vc.failed, step.raised);
    if (first)
        return {};
    return b;
}

} // namespace memscope::ui
