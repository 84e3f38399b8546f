// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvasstyle.h"

#include <algorithm>
#include <cmath>

namespace memscope::ui {

namespace {

// Pixel sizes at 100 %: none below the 11 px minimum, so scaling keeps the
// order of sizes and never produces text a projector cannot show.
qreal basePx(TextRole role)
{
    switch (role) {
    case TextRole::Title:
        return 18;
    case TextRole::Statement:
    case TextRole::Name:
        return 16;
    case TextRole::LaneTitle:
        return 15;
    case TextRole::Value:
        return 13;
    case TextRole::Header:
    case TextRole::Detail:
    case TextRole::Note:
    case TextRole::Hint:
    case TextRole::Legend:
    case TextRole::MapLabel:
        return 12;
    case TextRole::Offset:
    case TextRole::MapIndex:
    case TextRole::Badge:
        return 11;
    }
    return 12;
}

} // namespace

qreal CanvasStyle::textPx(TextRole role) const
{
    if (!std::isfinite(scale) || scale <= 0) // a damaged setting: the sizes at 100 %
        return std::max(basePx(role), minTextPx);
    return std::max(basePx(role) * scale, minPx());
}

bool CanvasStyle::isMono(TextRole role) const
{
    switch (role) {
    case TextRole::Statement:
    case TextRole::Name:
    case TextRole::Value:
    case TextRole::Offset:
    case TextRole::MapIndex:
    case TextRole::MapLabel:
        return true;
    default:
        return false;
    }
}

QFont canvasFont(qreal px, bool mono, bool bold)
{
    // Fonts named, not left to the platform: the same step lays out the same
    // everywhere this runs (the DejaVu families compiled into the program).
    QFont f(mono ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
    if (mono)
        f.setStyleHint(QFont::Monospace);
    // Whole pixels, rounded up: fractional sizes measure differently from how
    // they render, and rounding down could go under the minimum.
    f.setPixelSize(static_cast<int>(std::ceil(px - 1e-6)));
    f.setBold(bold);
    return f;
}

QFont CanvasStyle::font(TextRole role) const
{
    return canvasFont(textPx(role), isMono(role),
                      role == TextRole::Title || role == TextRole::Name || role == TextRole::LaneTitle ||
                          role == TextRole::Badge);
}

} // namespace memscope::ui
