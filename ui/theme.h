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

    /// One colour per alias group; groups cycle through them.
    QColor groupColor(int group) const;
    QColor groupFill(int group) const;
};

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
