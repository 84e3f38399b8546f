// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <cmath>

namespace memscope::ui {

namespace {

// Twelve distinguishable hues, none of them the yellow of a changed cell
// (tst_theme checks the distances and the contrast of text on each).
constexpr QRgb kGroupHues[ThemeColors::kGroupColors] = {0x16a085, 0xe67e22, 0x8e44ad, 0x2980b9, 0xc0392b, 0x27ae60,
                                                        0x2c3e50, 0x7f8c8d, 0xd81b60, 0x795548, 0x3949ab, 0x00acc1};

double luminance(const QColor &c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

QColor ThemeColors::groupColor(int group) const
{
    const QColor c(kGroupHues[static_cast<unsigned>(group) % std::size(kGroupHues)]);
    return dark ? c.lighter(135) : c;
}

QColor ThemeColors::directionColor(int direction) const
{
    static const QColor kColors[] = {QColor(0x7f, 0x8c, 0x8d), QColor(0x3b, 0x6f, 0xd6), QColor(0xe6, 0x7e, 0x22),
                                     QColor(0x8e, 0x44, 0xad)};
    const QColor c = kColors[static_cast<unsigned>(direction) % std::size(kColors)];
    return dark ? c.lighter(130) : c;
}

QColor ThemeColors::groupFill(int group) const
{
    QColor c = groupColor(group);
    const int hue = std::max(0, c.hslHue()); // greys have no hue
    return dark ? QColor::fromHsl(hue, 70, 55) : QColor::fromHsl(hue, 150, 225);
}

QColor ThemeColors::groupText(int group) const
{
    // The buffer's colour, darkened (light theme) or lightened (dark) until it
    // reads on a box: orange on white is 2.6:1 as it is.
    QColor c = groupColor(group);
    for (int i = 0; i < 20 && contrastRatio(c, boxBackground) < 4.5; ++i)
        c = dark ? c.lighter(110) : c.darker(110);
    return c;
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

ThemeColors Theme::lightColors()
{
    ThemeColors c;
    c.dark = false;
    c.canvasBackground = QColor(0xfa, 0xfa, 0xfa);
    c.laneHost = QColor(0xee, 0xf2, 0xf7);
    c.laneHostBorder = QColor(0xc9, 0xd3, 0xe0);
    c.laneDevice = QColor(0xf4, 0xee, 0xfa);
    c.laneDeviceBorder = QColor(0xd8, 0xcc, 0xe6);
    c.text = QColor(0x22, 0x22, 0x22);
    c.mutedText = QColor(0x55, 0x55, 0x55);
    c.boxBackground = Qt::white;
    c.changed = QColor(0xfd, 0xe6, 0x8a);
    c.changedText = QColor(0x8a, 0x6d, 0x00);
    c.arrow = QColor(0x55, 0x55, 0x55);
    c.transferArrow = QColor(0x3b, 0x6f, 0xd6);
    c.error = QColor(0xb0, 0x20, 0x20);
    c.prompt = QColor(0x1f, 0x6f, 0xb5);
    return c;
}

ThemeColors Theme::darkColors()
{
    ThemeColors c;
    c.dark = true;
    c.canvasBackground = QColor(0x1e, 0x1f, 0x22);
    c.laneHost = QColor(0x27, 0x30, 0x3b);
    c.laneHostBorder = QColor(0x3e, 0x4b, 0x5c);
    c.laneDevice = QColor(0x33, 0x2a, 0x3d);
    c.laneDeviceBorder = QColor(0x55, 0x46, 0x66);
    c.text = QColor(0xe8, 0xe8, 0xe8);
    c.mutedText = QColor(0xa8, 0xa8, 0xa8);
    c.boxBackground = QColor(0x2b, 0x2d, 0x31);
    c.changed = QColor(0x5c, 0x4a, 0x00); // light text on it reads at 6.7:1
    c.changedText = QColor(0xff, 0xe0, 0x80);
    c.arrow = QColor(0xb0, 0xb0, 0xb0);
    c.transferArrow = QColor(0x7a, 0xa7, 0xff);
    c.error = QColor(0xff, 0x7b, 0x72);
    c.prompt = QColor(0x6c, 0xb6, 0xff);
    return c;
}

Theme::Theme(QObject *parent)
    : QObject(parent)
    , m_colors(lightColors())
    , m_systemPalette(QApplication::palette())
{ }

void Theme::apply(ThemeChoice choice)
{
    m_choice = choice;
    bool dark = choice == ThemeChoice::Dark;
    if (choice == ThemeChoice::System) // Qt 6.4 has no colour-scheme API: judge the system palette
        dark = m_systemPalette.color(QPalette::Window).lightness() < 128;
    m_colors = dark ? darkColors() : lightColors();
    if (choice == ThemeChoice::System)
        QApplication::setPalette(m_systemPalette);
    else {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    }
    Q_EMIT changed();
}

} // namespace memscope::ui
