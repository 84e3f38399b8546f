// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/memoryscene.h"

#include "ui/canvas/canvastips.h"

#include <QGraphicsItem>
#include <QGraphicsSceneHelpEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTextDocument>
#include <QToolTip>

#include <algorithm>
#include <cmath>

using namespace memscope::engine;

namespace memscope::ui {

/// The whole canvas as one item: the painter draws only what is exposed, so a
/// thousand objects cost one item, not tens of thousands.
class CanvasItem : public QGraphicsItem
{
public:
    explicit CanvasItem(const MemoryScene *scene)
        : m_scene(scene)
    {
        setFlag(QGraphicsItem::ItemUsesExtendedStyleOption);
    }
    QRectF boundingRect() const override { return m_scene->geometry().bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        paintCanvas(*painter, m_scene->geometry(), m_scene->colors(), m_scene->overlay(), option->exposedRect);
    }
    void geometryChanging() { prepareGeometryChange(); }

private:
    const MemoryScene *m_scene;
};

MemoryScene::MemoryScene(QObject *parent)
    : QGraphicsScene(parent)
    , m_colors(Theme::lightColors())
{
    // One item, moving never: an index would only cost time.
    setItemIndexMethod(QGraphicsScene::NoIndex);
    m_item = new CanvasItem(this);
    addItem(m_item);
    m_widthChange.setSingleShot(true);
    m_widthChange.setInterval(0);
    connect(&m_widthChange, &QTimer::timeout, this, [this] {
        if (std::abs(m_pendingWidth - m_style.width) >= 1) {
            m_style.width = m_pendingWidth;
            relayout();
        }
    });
    relayout();
}

MemoryScene::~MemoryScene() = default;

void MemoryScene::settle()
{
    if (m_flash && m_flash->state() == QAbstractAnimation::Running) {
        m_flash->stop();
        m_overlay.flash = 1.0; // the steady highlight
        m_item->update();
    }
}

void MemoryScene::setSnapshot(std::shared_ptr<const Snapshot> snapshot, std::optional<std::uint64_t> selected)
{
    m_snapshot = std::move(snapshot);
    if (selected)
        m_overlay.selectedObject = *selected;
    relayout(true);
}

void MemoryScene::setColors(const ThemeColors &colors)
{
    m_colors = colors;
    setBackgroundBrush(m_colors.canvasBackground);
    m_item->update();
}

void MemoryScene::setRawAddresses(bool raw)
{
    m_style.rawAddresses = raw;
    relayout();
}

void MemoryScene::setSelectedObject(std::uint64_t objectId)
{
    // An overlay: the layout stays as it is.
    m_overlay.selectedObject = objectId;
    m_item->update();
}

void MemoryScene::setTextScale(qreal scale)
{
    // Never under 100 %: the minimum text size is a floor, not a ratio.
    m_style.scale = std::isfinite(scale) ? std::clamp<qreal>(scale, 1.0, 4.0) : 1.0;
    relayout();
}

void MemoryScene::setAvailableWidth(qreal width)
{
    m_pendingWidth = std::max<qreal>(0, width);
    m_widthChange.start();
}

void MemoryScene::setPrecision(int digits)
{
    m_style.precision = std::clamp(digits, 0, 17);
    relayout();
}

void MemoryScene::setLegendVisible(bool visible)
{
    m_style.legend = visible;
    relayout();
}

void MemoryScene::setCaption(const QString &caption)
{
    m_style.caption = caption;
    relayout();
}

QString MemoryScene::tipAt(QPointF scenePos) const
{
    if (!m_snapshot)
        return {};
    try {
        return canvasTip(*m_snapshot, m_geometry, hitTest(m_geometry, scenePos), scenePos);
    } catch (const std::exception &e) { // a hover never ends the session
        return QString::fromUtf8(e.what());
    }
}

QString MemoryScene::shownTipAt(QPointF scenePos) const
{
    const QString tip = tipAt(scenePos);
    // Plain text: a name like '<h1>BIG</h1><img src=...>' shows as typed, spaces kept.
    return tip.isEmpty() ? tip : Qt::convertFromPlainText(tip, Qt::WhiteSpacePre);
}

void MemoryScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    const CanvasHit hit = hitTest(m_geometry, event->scenePos());
    if (hit.fact >= 0 && m_snapshot && static_cast<std::size_t>(hit.fact) < m_snapshot->facts.size() &&
        hit.kind != CanvasHit::Kind::Arrow)
        Q_EMIT objectClicked(m_snapshot->facts[static_cast<std::size_t>(hit.fact)].objectId);
    QGraphicsScene::mousePressEvent(event);
}

void MemoryScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    // Hovering a view (its box or its map row) picks out its cells.
    const CanvasHit hit = hitTest(m_geometry, event->scenePos());
    const bool view = hit.kind == CanvasHit::Kind::Variable || hit.kind == CanvasHit::Kind::Mark ||
        hit.kind == CanvasHit::Kind::Strip;
    setHovered(view ? hit.fact : -1);
    QGraphicsScene::mouseMoveEvent(event);
}

void MemoryScene::setHovered(int fact)
{
    if (m_overlay.hoveredFact == fact)
        return;
    m_overlay.hoveredFact = fact;
    m_item->update();
}

void MemoryScene::helpEvent(QGraphicsSceneHelpEvent *event)
{
    const QString tip = shownTipAt(event->scenePos());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->screenPos(), tip);
    event->accept();
}

void MemoryScene::relayout(bool newStep)
{
    if (m_flash) {
        m_flash->stop();
        delete m_flash;
        m_flash = nullptr;
    }
    m_item->geometryChanging();
    m_geometry = layoutCanvas(m_snapshot.get(), m_style, &m_geometry);
    m_overlay.hoveredFact = -1;
    setBackgroundBrush(m_colors.canvasBackground);
    setSceneRect(m_geometry.bounds);
    m_item->update();
    // Changed cells flash once, then keep the steady highlight until the next step.
    const bool anyChanged = std::any_of(m_geometry.buffers.begin(), m_geometry.buffers.end(), [](const GBuffer &b) {
        return !b.changedX.empty() ||
            std::any_of(b.cells.begin(), b.cells.end(), [](const GCell &c) { return c.changed; });
    });
    m_overlay.flash = 1.0;
    // Only a new step flashes; a resize, zoom or setting repaints it steady.
    if (anyChanged && newStep) {
        m_flash = new QVariantAnimation(this);
        m_flash->setDuration(700);
        m_flash->setStartValue(0.0);
        m_flash->setEndValue(1.0);
        connect(m_flash, &QVariantAnimation::valueChanged, this, [this](const QVariant &v) {
            m_overlay.flash = v.toDouble();
            m_item->update();
        });
        m_overlay.flash = 0.0;
        m_flash->start();
    }
    Q_EMIT laidOut();
}

} // namespace memscope::ui
