// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QObject>
#include <QPalette>

namespace memscope::ui {

/// Colours every panel draws with, for the light and the dark theme.
struct ThemeColors
{
    bool dark = false;
    QColor canvasBackground;
    QColor laneHost;
    QColor laneHostBorder;
    QColor laneDevice;
    QColor laneDeviceBorder;
    QColor text;
    QColor mutedText;
    QColor boxBackground;
    QColor changed; ///< flash of changed cells
    QColor changedText;
    QColor arrow;
    QColor transferArrow;
    QColor error; ///< tracebacks, refused edits
    QColor prompt;

    /// One colour per buffer (kGroupColors of them, then they cycle): lines
    /// and borders; the fill of its cells (text on it meets 4.5:1); and its
    /// colour for text on a box (also 4.5:1).
    static constexpr int kGroupColors = 12;
    QColor groupColor(int group) const;
    QColor groupFill(int group) const;
    QColor groupText(int group) const;
    /// Bytes moved in one direction (engine::Direction: H2H, H2D, D2H, D2D):
    /// the plot's bars and the canvas's transfer arrows share these.
    QColor directionColor(int direction) const;
    /// The value text of a changed cell (on `changed`).
    QColor changedCellText() const { return dark ? changedText : text; }
};

/// WCAG 2 contrast ratio of two colours, 1 to 21 (4.5 is the minimum for text).
double contrastRatio(const QColor &a, const QColor &b);

enum class ThemeChoice { System, Light, Dark };

/// Applies a theme to the application (palette) and tells panels to repaint.
class Theme : public QObject
{
    Q_OBJECT
public:
    explicit Theme(QObject *parent = nullptr);

    const ThemeColors &colors() const { return m_colors; }
    ThemeChoice choice() const { return m_choice; }
    void apply(ThemeChoice choice);

    static ThemeColors lightColors();
    static ThemeColors darkColors();

Q_SIGNALS:
    void changed();

private:
    ThemeChoice m_choice = ThemeChoice::System;
    ThemeColors m_colors;
    QPalette m_systemPalette;
};

} // namespace memscope::ui
