// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/variableitem.h"

#include <QFontMetricsF>
#include <QPainter>

namespace memscope::ui {

VariableItem::VariableItem(const QRectF &rect, Text text, QFont nameFont, QFont smallFont, QColor textColor,
                           QColor accent, QColor muted)
    : QGraphicsRectItem(rect)
    , m_text(std::move(text))
    , m_nameFont(std::move(nameFont))
    , m_smallFont(std::move(smallFont))
    , m_textColor(textColor)
    , m_accent(accent)
    , m_muted(muted)
{ }

void VariableItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    QGraphicsRectItem::paint(p, option, widget);
    const QRectF r = rect();
    const QFontMetricsF name(m_nameFont);
    const QFontMetricsF small(m_smallFont);
    p->setFont(m_nameFont);
    p->setPen(m_textColor);
    const QPointF namePos(r.left() + 10, r.top() + 6 + name.ascent());
    p->drawText(namePos, m_text.name);
    p->setFont(m_smallFont);
    p->setPen(m_accent);
    const QPointF frameworkPos(namePos.x() + name.horizontalAdvance(m_text.name) + 10, namePos.y());
    p->drawText(frameworkPos, m_text.framework);
    if (m_text.readOnly) {
        // A badge the app draws: outlined "RO" in the text colour.
        const QString ro = QStringLiteral("RO");
        const QRectF badge(frameworkPos.x() + small.horizontalAdvance(m_text.framework) + 8,
                           frameworkPos.y() - small.ascent() - 1, small.horizontalAdvance(ro) + 8, small.height() + 2);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(QPen(m_textColor, 1.2));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(badge, 3, 3);
        p->drawText(badge, Qt::AlignCenter, ro);
        p->restore();
    }
    p->setPen(m_muted);
    // The detail line shrinks rather than spill out of the box.
    const qreal width = small.horizontalAdvance(m_text.detail);
    const qreal room = r.width() - 16;
    const QPointF detailPos(r.left() + 10, r.top() + 33 + small.ascent());
    if (width > room) {
        p->save();
        p->translate(detailPos);
        p->scale(room / width, room / width);
        p->drawText(QPointF(0, 0), m_text.detail);
        p->restore();
    } else {
        p->drawText(detailPos, m_text.detail);
    }
}

} // namespace memscope::ui
