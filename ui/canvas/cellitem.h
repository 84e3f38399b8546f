// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFont>
#include <QGraphicsRectItem>
#include <QString>

#include <functional>

namespace memscope::ui {

/// One memory cell on the canvas: box, value and byte offset painted by one
/// item (instead of three), and a tooltip composed only when the pointer rests
/// on it, so scenes with many cells rebuild fast.
class CellItem : public QGraphicsRectItem
{
public:
    /// Room under the box for the offset text.
    static constexpr qreal kOffsetHeight = 18;

    CellItem(const QRectF &rect, QString value, QString offset, QFont valueFont, QFont offsetFont, QColor text,
             QColor muted, std::function<QString()> tip);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QString m_value;
    QString m_offset;
    QFont m_valueFont;
    QFont m_offsetFont;
    QColor m_text;
    QColor m_muted;
    std::function<QString()> m_tip;
};

} // namespace memscope::ui
