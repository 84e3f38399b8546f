// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/canvas/canvasgeometry.h"
#include "ui/theme.h"

class QPainter;

namespace memscope::ui {

/// What changes without a new layout: the selection, the view under the
/// mouse and the change flash. A step with the default overlay always paints
/// the same pixels.
struct CanvasOverlay
{
    std::uint64_t selectedObject = 0; ///< 0: none
    int hoveredFact = -1; ///< its marks stand out, other views' dim
    qreal flash = 1.0; ///< 0: the strong flash colour, 1: the steady highlight
};

/// Paints a laid-out canvas: the one painter of the scene and the exporters.
/// `exposed` limits the work to what is visible (empty: everything).
void paintCanvas(QPainter &painter, const CanvasGeometry &geometry, const ThemeColors &colors,
                 const CanvasOverlay &overlay = {}, const QRectF &exposed = {});

} // namespace memscope::ui
