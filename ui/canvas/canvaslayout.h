// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/canvas/canvasgeometry.h"

namespace memscope::engine {
struct Snapshot;
}

namespace memscope::ui {

/// Buffers with more cells than this are drawn as a scaled bar.
inline constexpr std::int64_t kMaxCanvasCells = 64;

/// The canvas for one step, as plain geometry: a pure function of the
/// snapshot, the style and the previous step's layout (kept widths, so boxes
/// do not jump while scrubbing). One buffer per cluster: variable boxes at
/// the left, the buffer's cells in address order at the right, one map row per
/// view under each row of cells; clusters fill the width in creation order
/// and wrap into shelves; arrows run only in the free column right of each
/// cluster and in the gutters between shelves, so they cross no text.
/// `snapshot` may be null (no step yet).
CanvasGeometry layoutCanvas(const engine::Snapshot *snapshot, const CanvasStyle &style,
                            const CanvasGeometry *previous = nullptr);

} // namespace memscope::ui
