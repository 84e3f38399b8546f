// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/cellitem.h"

#include <QFontMetricsF>
#include <QPainter>

namespace memscope::ui {

CellItem::CellItem(const QRectF &rect, QString value, QString offset, QFont valueFont, QFont offsetFont, QColor text,
                   QColor muted, std::function<QString()> tip)
    : QGraphicsRectItem(rect)
    , m_value(std::move(value))
    , m_offset(std::move(offset))
    , m_valueFont(std::move(valueFont))
    , m_offsetFont(std::move(offsetFont))
    , m_text(text)
    , m_muted(muted)
    , m_tip(std::move(tip))
{
    setAcceptHoverEvents(true);
}

QRectF CellItem::boundingRect() const
{
    return QGraphicsRectItem::boundingRect().adjusted(0, 0, 0, kOffsetHeight);
}

void CellItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    QGraphicsRectItem::paint(p, option, widget);
    const QRectF r = rect();
    p->setPen(m_text);
    p->setFont(m_valueFont);
    const qreal width = QFontMetricsF(m_valueFont).horizontalAdvance(m_value);
    if (width > r.width() - 6) { // long values shrink to fit their cell
        p->save();
        const qreal s = (r.width() - 6) / width;
        p->translate(r.center());
        p->scale(s, s);
        p->drawText(QRectF(-width / 2, -r.height() / 2 / s, width, r.height() / s), Qt::AlignCenter, m_value);
        p->restore();
    } else {
        p->drawText(r, Qt::AlignCenter, m_value);
    }
    p->setPen(m_muted);
    p->setFont(m_offsetFont);
    p->drawText(QPointF(r.left() + 3, r.bottom() + 12), m_offset);
}

void CellItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    if (toolTip().isEmpty() && m_tip)
        setToolTip(m_tip());
    QGraphicsRectItem::hoverEnterEvent(event);
}

} // namespace memscope::ui
