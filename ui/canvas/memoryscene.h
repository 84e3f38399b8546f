// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#include "ui/canvas/canvaslayout.h"
#include "ui/canvas/canvaspainter.h"
#endif
#include "ui/theme.h"

#include <QGraphicsScene>
#include <QTimer>
#include <QVariantAnimation>

#include <memory>
#include <optional>

namespace memscope::ui {

class CanvasItem;

/// The memory canvas: one lane per address space; each buffer a strip of
/// cells in address order (or a scaled bar when large) with one map row per
/// view showing which bytes it touches; each variable a labelled box joined to
/// its element [0]; aliases share a colour; copies, conversions and transfers
/// are arrows labelled with the statement and the bytes moved; cells changed
/// by the last step are lit. Laid out by layoutCanvas() and painted by
/// paintCanvas(), so exports paint the very same picture.
class MemoryScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit MemoryScene(QObject *parent = nullptr);
    ~MemoryScene() override;
    /// Ends a running change flash at its steady highlight, so a picture taken
    /// now is the same on every run (screenshots, exports).
    void settle();

    /// Redraws for `snapshot`, outlining `selected` when given (one layout).
    void setSnapshot(std::shared_ptr<const engine::Snapshot> snapshot, std::optional<std::uint64_t> selected = {});
    void setColors(const ThemeColors &colors);
    const ThemeColors &colors() const { return m_colors; }
    void setRawAddresses(bool raw);
    bool rawAddresses() const { return m_style.rawAddresses; }
    /// Outlines one object and its cells (0: none).
    void setSelectedObject(std::uint64_t objectId);
    std::uint64_t selectedObject() const { return m_overlay.selectedObject; }
    /// One scale for every text on the canvas (1.0 = 100 %; presentation mode
    /// raises it). The layout reflows at the new size; it never shrinks text.
    void setTextScale(qreal scale);
    qreal textScale() const { return m_style.scale; }
    /// The width to reflow into, in scene pixels (the viewport's width).
    void setAvailableWidth(qreal width);
    /// Significant digits of floating-point values (0: shortest exact text).
    void setPrecision(int digits);
    int precision() const { return m_style.precision; }
    void setLegendVisible(bool visible);
    bool legendVisible() const { return m_style.legend; }
    /// The caption line above the lanes ("t2 = torch.tensor(a)").
    void setCaption(const QString &caption);

    const CanvasGeometry &geometry() const { return m_geometry; }
    const CanvasOverlay &overlay() const { return m_overlay; }
    const engine::Snapshot *snapshot() const { return m_snapshot.get(); }
    /// The hover text at a scene point, as plain text.
    QString tipAt(QPointF scenePos) const;
    /// The tooltip as shown: tipAt() escaped for Qt's rich-text guess (user
    /// names are never read as markup).
    QString shownTipAt(QPointF scenePos) const;

Q_SIGNALS:
    void objectClicked(std::uint64_t objectId);
    /// A new layout is in place (tests wait on it; the view refits).
    void laidOut();

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void helpEvent(QGraphicsSceneHelpEvent *event) override;

private:
    void relayout(bool newStep = false);
    void setHovered(int fact);

    std::shared_ptr<const engine::Snapshot> m_snapshot;
    ThemeColors m_colors;
    CanvasStyle m_style;
    CanvasGeometry m_geometry;
    CanvasOverlay m_overlay;
    CanvasItem *m_item = nullptr;
    /// Changed cells flash (strong colour fading to the steady highlight).
    QVariantAnimation *m_flash = nullptr;
    QTimer m_widthChange; ///< coalesces resizes into one layout
    qreal m_pendingWidth = 0;
};

} // namespace memscope::ui
