// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/memoryview.h"

#include <QWheelEvent>

namespace memscope::ui {

MemoryView::MemoryView(QGraphicsScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
{
    setObjectName(QStringLiteral("memoryView"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
}

void MemoryView::zoomBy(qreal factor)
{
    const qreal next = std::clamp(zoom() * factor, 0.1, 8.0);
    scale(next / zoom(), next / zoom());
}

void MemoryView::zoomToFit(qreal maxScale)
{
    if (!scene())
        return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > maxScale)
        setTransform(QTransform::fromScale(maxScale, maxScale));
}

void MemoryView::resetZoom()
{
    setTransform(QTransform());
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
