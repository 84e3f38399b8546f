// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/memoryview.h"

#include "ui/canvas/memoryscene.h"

#include <QResizeEvent>
#include <QWheelEvent>

namespace memscope::ui {

MemoryView::MemoryView(MemoryScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setObjectName(QStringLiteral("memoryView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_scene, &MemoryScene::laidOut, this, [this] {
        if (m_fit)
            zoomToFit();
    });
}

qreal MemoryView::minimumZoom() const
{
    const CanvasStyle &style = m_scene->geometry().style;
    qreal smallest = style.textPx(TextRole::Offset);
    for (int r = 0; r <= static_cast<int>(TextRole::Legend); ++r)
        smallest = std::min(smallest, style.textPx(static_cast<TextRole>(r)));
    return std::min<qreal>(1.0, style.minTextPx / smallest);
}

void MemoryView::setZoom(qreal zoom)
{
    const qreal next = std::clamp(zoom, minimumZoom(), 8.0);
    if (!qFuzzyCompare(next, this->zoom()))
        setTransform(QTransform::fromScale(next, next));
    reflow();
}

void MemoryView::zoomBy(qreal factor)
{
    setZoom(zoom() * factor);
}

void MemoryView::zoomToFit(qreal maxScale)
{
    const QRectF r = m_scene->sceneRect();
    if (r.isEmpty())
        return;
    const QSize v = viewport()->size();
    const qreal fit = std::min(v.width() / r.width(), v.height() / r.height());
    // Fit never shrinks: a scene larger than the view reflows and scrolls
    // (zooming out by hand may go down to the minimum text size).
    const qreal next = std::clamp(fit, 1.0, std::max(maxScale, 1.0));
    if (!qFuzzyCompare(next, zoom()))
        setTransform(QTransform::fromScale(next, next));
    if (!m_fit)
        reflow();
}

void MemoryView::resetZoom()
{
    setZoom(1.0);
}

void MemoryView::setFitMode(bool fit)
{
    m_fit = fit;
    reflow();
    if (fit)
        zoomToFit();
}

void MemoryView::reflow()
{
    // Fit lays out at the viewport's own width (then scales the picture up);
    // otherwise the layout fills what the zoom leaves visible.
    const qreal width = m_fit ? viewport()->width() : viewport()->width() / zoom();
    m_scene->setAvailableWidth(width - 4);
}

void MemoryView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    reflow();
    if (m_fit)
        zoomToFit();
}

void MemoryView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

} // namespace memscope::ui
