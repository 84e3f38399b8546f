// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>

namespace memscope::ui {

/// The canvas's viewport: Ctrl+wheel zooms about the cursor, dragging pans.
class MemoryView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit MemoryView(QGraphicsScene *scene, QWidget *parent = nullptr);

    void zoomBy(qreal factor);
    /// Fits the whole scene in view, never enlarging beyond `maxScale`.
    void zoomToFit(qreal maxScale = 8.0);
    void resetZoom();
    qreal zoom() const { return transform().m11(); }

protected:
    void wheelEvent(QWheelEvent *event) override;
};

} // namespace memscope::ui
