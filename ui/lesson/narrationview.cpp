// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/lesson/narrationview.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QTextDocument>

#include <cmath>

namespace memscope::ui {

NarrationView::NarrationView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("lessonNarration"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setSearchPaths({});
    setFrameShape(QFrame::NoFrame);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    viewport()->setAutoFillBackground(false);
    connect(document(), &QTextDocument::contentsChanged, this, &NarrationView::fitHeight);
}

void NarrationView::setNarration(const QString &markdown)
{
    setMarkdown(markdown);
    fitHeight();
}

QVariant NarrationView::loadResource(int, const QUrl &)
{
    return {}; // no file, no network: an image shows as its alt text
}

QSize NarrationView::sizeHint() const
{
    return {QTextBrowser::sizeHint().width(), height()};
}

QSize NarrationView::minimumSizeHint() const
{
    return {50, height()};
}

void NarrationView::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    fitHeight();
}

void NarrationView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        document()->setDefaultFont(font());
        fitHeight();
    }
}

void NarrationView::fitHeight()
{
    document()->setDefaultFont(font());
    document()->setTextWidth(viewport()->width());
    // Half a line of slack: the last line is never cut by rounding.
    const int h = int(std::ceil(document()->documentLayout()->documentSize().height())) + 2 * frameWidth() +
        fontMetrics().lineSpacing() / 2;
    if (h != height())
        setFixedHeight(h);
}

} // namespace memscope::ui
