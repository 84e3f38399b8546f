// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/canvas/canvasgeometry.h"

#include <QString>

namespace memscope::engine {
struct Snapshot;
}

namespace memscope::ui {

/// The hover text for what `hit` found, as plain text (user names and code are
/// never read as markup): every name[index] that sees a cell, a view's element,
/// a value excerpt of a large buffer, an arrow's statement. Empty: no tip.
QString canvasTip(const engine::Snapshot &snapshot, const CanvasGeometry &geometry, const CanvasHit &hit, QPointF at);

} // namespace memscope::ui
