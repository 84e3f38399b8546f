// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The one exporter behind `memscope export` and File ▸ Export steps…: turns
// ExportDocuments into per-step pictures (PNG, SVG), handouts (HTML,
// Markdown) and an animation (GIF), written safely into one folder.

#include "ui/export/exportdocument.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

enum class ExportView {
    Canvas, ///< the memory canvas alone
    CanvasCaption, ///< the canvas under the step's title and code, with its narration
    Slide, ///< 16:9: title, code, canvas, narration, held / not held
    Window, ///< the main window at that step
};

struct ExportFormats
{
    bool png = true;
    bool svg = true;
    bool html = true;
    bool md = true;
    bool gif = false;
};

struct ExportOptions
{
    QString outDir;
    ExportView view = ExportView::Canvas;
    bool dark = false;
    qreal scale = 1.0; ///< device pixels per pixel of PNG and GIF (2: high-DPI); 1 to 4
    QSize slideSize {1920, 1080}; ///< the slide view's resolution (and the window view's size)
    int firstStep = 1; ///< --steps 3-7, numbered as in the source, inclusive
    int lastStep = 1 << 30;
    ExportFormats formats;
    bool force = false; ///< write into a folder that already holds files
    bool rawAddresses = false; ///< heap addresses instead of offsets in each buffer (not reproducible)
    int precision = 0; ///< significant digits of values (0: shortest exact)
    int gifDelayMs = 2500; ///< how long each step shows in the animation
};

/// How far an export is: `done` of `total` units (one per step picture, one
/// per handout). Returning false cancels it (nothing is left behind).
using ExportProgress = std::function<bool(int done, int total, const QString &what)>;

struct ExportResult
{
    bool ok = false;
    QString error; ///< what failed and where; nothing was written when !ok
    QStringList files; ///< relative to outDir, in the order written
};

/// Pictures larger than this (device pixels) are paged, never allocated whole.
/// 32 Mi pixels: 128 MiB as a picture; with one page painting while the
/// previous one compresses, an export's pictures stay under ~300 MiB.
inline constexpr qint64 kMaxPicturePixels = qint64 {32} << 20;

/// Writes every document into options.outDir: with one document the files lie
/// in outDir itself (step-01.png, step-01.svg, handout.html, handout.md,
/// steps.gif); with several, each in a sub-folder named after its id. All files
/// are first written inside a staging folder in outDir and moved into place
/// only when everything succeeded, so a failed or cancelled export leaves
/// outDir as it was. The window view needs a QApplication and `runtime`.
ExportResult exportDocuments(const std::vector<ExportDocument> &documents, const ExportOptions &options,
                             const ExportProgress &progress = {}, engine::Runtime *runtime = nullptr);

/// Why these options cannot be exported with (a scale or slide size out of
/// range, a slide or window larger than one picture may be); empty when fine.
QString exportOptionsProblem(const ExportOptions &options);

/// "3-7", "4", "2-": parses --steps; false on anything else.
bool parseStepRange(const QString &text, int &first, int &last);
/// "png,svg,html,md,gif": parses --formats; an unknown name is named in `error`.
bool parseFormats(const QString &text, ExportFormats &formats, QString *error);
/// "canvas", "canvas+caption", "slide", "window".
bool parseView(const QString &text, ExportView &view);

} // namespace memscope::ui
