// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFont>
#include <QGraphicsRectItem>
#include <QString>

namespace memscope::ui {

/// A variable's box on the canvas — name, framework (in its group's colour),
/// dtype, shape, strides and device — painted by one item instead of a box
/// and three text items, so scenes with many objects rebuild fast.
class VariableItem : public QGraphicsRectItem
{
public:
    struct Text
    {
        QString name;
        QString framework;
        QString detail;
        bool readOnly = false; ///< drawn as an "RO" badge (drawn by the app: no emoji font needed)
    };
    VariableItem(const QRectF &rect, Text text, QFont nameFont, QFont smallFont, QColor textColor, QColor accent,
                 QColor muted);

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    const Text &text() const { return m_text; }

private:
    Text m_text;
    QFont m_nameFont;
    QFont m_smallFont;
    QColor m_textColor;
    QColor m_accent;
    QColor m_muted;
};

} // namespace memscope::ui
