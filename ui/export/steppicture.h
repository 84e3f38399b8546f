// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/canvas/canvasgeometry.h"
#include "ui/export/exporter.h"
#include "ui/export/pagedpicture.h"
#include "ui/export/textblocks.h"
#include "ui/theme.h"

#include <QSizeF>

#include <vector>

class QPainter;

namespace memscope::ui {

/// How a step is drawn (ExportOptions without the file business).
struct PictureSettings
{
    ExportView view = ExportView::Canvas;
    ThemeColors colors;
    QSize slideSize {1920, 1080};
    qreal deviceScale = 1.0; ///< device pixels per pixel, for the size limit
    bool rawAddresses = false;
    int precision = 0;
    qint64 maxPixels = kMaxPicturePixels; ///< device pixels in one page at most
};

/// One step's picture (canvas, canvas with caption, or slide), laid out once
/// and painted a page at a time. A canvas too tall for one picture of at most
/// kMaxPicturePixels is cut into pages between buffers, never through one;
/// slides that cannot hold the whole canvas continue on further slides.
class StepPicture : public PagedPicture
{
public:
    StepPicture(const ExportDocument &document, const ExportStep &step, const PictureSettings &settings);

    /// Why there is no picture ("skipped: needs cuda"; a buffer wider than the
    /// limit); empty when there is one.
    QString refusal() const { return m_refusal; }
    int pageCount() const override { return int(m_pages.size()); }
    QSizeF pageSize(int page) const override;
    void paint(QPainter &painter, int page) const override;
    /// Slides: the code and narration stand beside the canvas, not above it.
    bool textsBeside() const { return m_side; }
    /// The canvas as laid out (empty when the step has no memory to show).
    const CanvasGeometry &canvas() const { return m_canvas; }
    /// The part of the canvas on a page: [top, bottom) in canvas pixels.
    std::pair<qreal, qreal> canvasPart(int page) const
    {
        const Page &p = m_pages.at(std::size_t(page));
        return {p.top, p.bottom};
    }

private:
    struct Page
    {
        qreal top = 0; ///< of the canvas part shown
        qreal bottom = 0;
    };
    void layoutCanvasView(const ExportStep &step, const engine::Snapshot &snapshot);
    void layoutCaptionView(const ExportStep &step, const engine::Snapshot &snapshot);
    void layoutSlide(const ExportDocument &document, const ExportStep &step, const engine::Snapshot *snapshot);
    /// Cuts [0, geometry height) into pages of at most `height` between buffers.
    void pageCanvas(qreal height);
    /// Slides: the canvas on the left, the texts in a column on its right,
    /// when that fits it on one slide; false (nothing changed) when not.
    bool sideBySide(const ExportStep &step, qreal u, qreal hidden);
    void paintCanvasPart(QPainter &painter, const Page &page, QPointF at) const;

    PictureSettings m_settings;
    CanvasGeometry m_canvas;
    bool m_hasCanvas = false;
    std::vector<Page> m_pages;
    QString m_refusal;
    // Texts around the canvas: above it (title, code) and below (narration, verdicts).
    TextBlock m_title, m_code, m_narration, m_verdicts, m_continued;
    TextBlock m_hidden; ///< slides: the names in buffers the step did not touch, not drawn
    qreal m_width = 0; ///< of every page (captions, slides)
    qreal m_margin = 0;
    qreal m_gap = 0;
    qreal m_canvasHeight = 0; ///< slides: the room the canvas has on each slide
    qreal m_column = 0; ///< slides: the width of the code, and of the narration beside it
    qreal m_band = 0; ///< slides: the height of the code and narration band
    bool m_side = false; ///< slides: texts beside the canvas instead of above it
};

} // namespace memscope::ui
