// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>

namespace memscope::ui {

class MemoryScene;

/// The canvas's viewport: Ctrl+wheel zooms about the cursor, dragging pans.
/// The scene reflows to the viewport's width; zooming out stops where the
/// smallest text would go under the style's minimum.
class MemoryView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit MemoryView(MemoryScene *scene, QWidget *parent = nullptr);

    void zoomBy(qreal factor);
    /// Fits the whole scene in view, never enlarging beyond `maxScale` and
    /// never shrinking (a larger scene reflows to the width and scrolls).
    void zoomToFit(qreal maxScale = 8.0);
    void resetZoom();
    qreal zoom() const { return transform().m11(); }
    /// The smallest zoom at which every text is at least the style's minimum.
    qreal minimumZoom() const;
    /// Fit on: every new layout (each step) is fitted again.
    void setFitMode(bool fit);
    bool fitMode() const { return m_fit; }

protected:
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void setZoom(qreal zoom);
    void reflow();

    MemoryScene *m_scene;
    bool m_fit = false;
};

} // namespace memscope::ui
