// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/steppicture.h"

#include "ui/canvas/canvaslayout.h"
#include "ui/canvas/canvaspainter.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace memscope::ui {

namespace {

using Spans = std::vector<std::pair<qreal, qreal>>;

Spans merged(Spans spans)
{
    std::sort(spans.begin(), spans.end());
    Spans out;
    for (const auto &s : spans) {
        if (!out.empty() && s.first < out.back().second)
            out.back().second = std::max(out.back().second, s.second);
        else
            out.push_back(s);
    }
    return out;
}

/// Vertical spans of the canvas a page should not cut through. Coarse: each
/// buffer with its variable boxes, and every text. Fine (when one buffer is
/// taller than a page): each row of cells, map row, strip, box and text.
Spans solidSpans(const CanvasGeometry &g, bool fine)
{
    Spans spans;
    for (const GText *t : g.texts())
        spans.emplace_back(t->rect.top(), t->rect.bottom());
    for (const GVariable &v : g.variables)
        spans.emplace_back(v.box.top(), v.box.bottom());
    for (const GBuffer &b : g.buffers) {
        if (!fine) {
            spans.emplace_back(b.cluster.top(), b.cluster.bottom());
            continue;
        }
        for (const GCell &c : b.cells)
            spans.emplace_back(c.rect.top(), c.rect.bottom());
        for (const GMapRow &m : b.maps)
            spans.emplace_back(m.rect.top(), m.rect.bottom());
        for (const GStrip &s : b.strips)
            spans.emplace_back(s.rect.top(), s.rect.bottom());
        spans.emplace_back(b.block.top(), std::min(b.block.bottom(), b.block.top() + 1)); // the block's edge
    }
    return merged(std::move(spans));
}

/// Where a page from `top` that may reach `bottom` ends: above the span that
/// `bottom` would cut, unless that leaves the page nearly empty.
qreal cutAbove(const Spans &spans, qreal top, qreal bottom, qreal leastPart)
{
    for (const auto &[from, to] : spans)
        if (from < bottom && bottom < to)
            return from > top + leastPart ? std::floor(from) : -1;
    return bottom;
}

QString stepHeading(const ExportStep &step)
{
    return step.title.isEmpty() ? QObject::tr("Step %1").arg(step.number)
                                : QObject::tr("Step %1 · %2").arg(step.number).arg(step.title);
}

} // namespace

StepPicture::StepPicture(const ExportDocument &document, const ExportStep &step, const PictureSettings &settings)
    : m_settings(settings)
{
    const engine::Snapshot *snapshot = document.snapshotOf(step);
    switch (settings.view) {
    case ExportView::Slide:
        layoutSlide(document, step, snapshot);
        return;
    case ExportView::Canvas:
    case ExportView::CanvasCaption:
    case ExportView::Window:
        break;
    }
    if (!snapshot) {
        m_refusal = step.skipped.isEmpty() ? QObject::tr("nothing ran in this step")
                                           : QObject::tr("skipped: %1").arg(step.skipped);
        return;
    }
    if (settings.view == ExportView::CanvasCaption)
        layoutCaptionView(step, *snapshot);
    else
        layoutCanvasView(step, *snapshot);
}

void StepPicture::layoutCanvasView(const ExportStep &step, const engine::Snapshot &snapshot)
{
    CanvasStyle style;
    style.title = QObject::tr("Step %1").arg(step.number); // the handout's numbering, not the interpreter's
    style.rawAddresses = m_settings.rawAddresses;
    style.precision = m_settings.precision;
    m_canvas = layoutCanvas(&snapshot, style);
    m_hasCanvas = true;
    m_width = std::ceil(m_canvas.bounds.width());
    const qreal devicePixelsPerRow = m_width * m_settings.deviceScale * m_settings.deviceScale;
    pageCanvas(std::floor(qreal(m_settings.maxPixels) / devicePixelsPerRow));
}

void StepPicture::layoutCaptionView(const ExportStep &step, const engine::Snapshot &snapshot)
{
    CanvasStyle style;
    style.rawAddresses = m_settings.rawAddresses;
    style.precision = m_settings.precision;
    style.captions = false; // the title and code are written above it, whole
    m_canvas = layoutCanvas(&snapshot, style);
    m_hasCanvas = true;
    const ThemeColors &c = m_settings.colors;
    m_margin = 24;
    m_gap = 14;
    m_width = std::ceil(std::max<qreal>(m_canvas.bounds.width(), 900));
    const qreal textWidth = m_width - 2 * m_margin;
    m_title = TextBlock::title(stepHeading(step), 20, textWidth, c.text);
    m_code = TextBlock::code(step.code, 15, textWidth, c);
    m_narration = TextBlock::narration(step.narration, 15, textWidth, c.text);
    m_verdicts = TextBlock::verdicts(step, 14, textWidth, c);
    const qreal around = 2 * m_margin + m_title.size().height() + m_code.size().height() + m_narration.size().height() +
        m_verdicts.size().height() + 4 * m_gap;
    const qreal rows =
        std::floor(qreal(m_settings.maxPixels) / (m_width * m_settings.deviceScale * m_settings.deviceScale));
    pageCanvas(std::max<qreal>(rows - around, 400));
}

void StepPicture::layoutSlide(const ExportDocument &document, const ExportStep &step, const engine::Snapshot *snapshot)
{
    const ThemeColors &c = m_settings.colors;
    const qreal W = m_settings.slideSize.width();
    const qreal H = m_settings.slideSize.height();
    const qreal u = H / 1080.0; // every size is for 1080 lines and scales with the slide
    m_width = W;
    m_margin = std::round(48 * u);
    m_gap = std::round(18 * u);
    const qreal textWidth = W - 2 * m_margin;
    // Title across the top; under it a band with the code on the left and
    // the narration and verdicts on the right; the canvas gets the rest.
    m_title = TextBlock::title(stepHeading(step), 44 * u, textWidth, c.text);
    const bool twoColumns = !step.narration.trimmed().isEmpty() || !step.verdicts.empty() || !step.raised.isEmpty() ||
        !step.skipped.isEmpty();
    m_column = twoColumns ? std::floor((textWidth - 2 * m_gap) / 2) : textWidth;
    m_code = TextBlock::code(step.code, 26 * u, m_column, c);
    m_code.clip(0.34 * H);
    m_narration = TextBlock::narration(step.narration, 26 * u, m_column, c.text);
    m_verdicts = TextBlock::verdicts(step, 24 * u, m_column, c, true);
    m_verdicts.clip(0.2 * H);
    m_narration.clip(0.34 * H - m_verdicts.size().height() - (m_verdicts.isEmpty() ? 0 : m_gap));
    const qreal right = m_narration.size().height() + m_verdicts.size().height() +
        (m_narration.isEmpty() || m_verdicts.isEmpty() ? 0 : m_gap);
    m_band = std::max(m_code.size().height(), right);
    // What the step's statements made, changed or linked; older buffers are
    // named under the canvas instead of drawn (a slide has room for little).
    const std::vector<int> touched = snapshot ? document.touchedBuffers(step) : std::vector<int> {};
    if (!touched.empty()) {
        QStringList names;
        for (std::size_t b = 0; b < snapshot->buffers.size(); ++b) {
            if (std::binary_search(touched.begin(), touched.end(), int(b)))
                continue;
            for (const int f : snapshot->buffers[b].facts)
                for (const std::string &n : snapshot->facts[std::size_t(f)].names)
                    if (!names.contains(QString::fromStdString(n)))
                        names << QString::fromStdString(n);
        }
        if (!names.isEmpty())
            m_hidden = TextBlock::title(
                QObject::tr("Also in memory, from earlier steps: %1").arg(names.join(QStringLiteral(", "))), 24 * u,
                textWidth, c.mutedText);
        m_hidden.clip(2.2 * 34 * u);
    }
    const qreal hidden = m_hidden.isEmpty() ? 0 : m_hidden.size().height() + m_gap;
    m_canvasHeight = std::max<qreal>(H - 2 * m_margin - m_title.size().height() - m_band - 2 * m_gap - hidden, 0);
    if (!snapshot) {
        m_pages.push_back({});
        return;
    }
    // The smallest canvas text is 24 px on a 1080-line slide: readable from
    // the back of a room. The canvas reflows to the slide's width; what does
    // not fit below continues on the next slide.
    CanvasStyle style;
    style.scale = 24 * u / style.minTextPx;
    style.spacing = 1.3 * u; // large text, less air: two lanes fit under the code
    style.width = textWidth;
    style.rawAddresses = m_settings.rawAddresses;
    style.precision = m_settings.precision;
    style.captions = false;
    style.legend = false;
    style.onlyBuffers = touched;
    m_canvas = layoutCanvas(snapshot, style);
    m_hasCanvas = true;
    if (std::ceil(m_canvas.bounds.height()) > m_canvasHeight && sideBySide(step, u, hidden))
        return;
    pageCanvas(std::max<qreal>(m_canvasHeight, 160 * u));
    if (m_pages.size() > 1)
        m_continued = TextBlock::title(QObject::tr("continued"), 24 * u, textWidth, c.mutedText);
}

bool StepPicture::sideBySide(const ExportStep &step, qreal u, qreal hidden)
{
    // A canvas too tall for the room under the code, but narrow enough to
    // leave a column beside it: the whole height below the title goes to the
    // canvas, and the code, narration and verdicts stack on its right. One
    // slide instead of two.
    const ThemeColors &c = m_settings.colors;
    const qreal H = m_settings.slideSize.height();
    const qreal column = std::floor(m_width - 2 * m_margin - m_canvas.bounds.width() - 2 * m_gap);
    const qreal room = H - 2 * m_margin - m_title.size().height() - m_gap - hidden;
    if (column < 0.18 * m_width || std::ceil(m_canvas.bounds.height()) > room) // 0.18: ~25 characters a line
        return false;
    m_side = true;
    m_column = column;
    m_code = TextBlock::code(step.code, 26 * u, column, c);
    m_code.clip(0.45 * room);
    m_verdicts = TextBlock::verdicts(step, 24 * u, column, c, true);
    m_verdicts.clip(0.3 * room);
    m_narration = TextBlock::narration(step.narration, 26 * u, column, c.text);
    m_narration.clip(room - m_code.size().height() - m_verdicts.size().height() - 2 * m_gap);
    m_pages.push_back({0, std::ceil(m_canvas.bounds.height())});
    return true;
}

void StepPicture::pageCanvas(qreal height)
{
    const qreal total = std::ceil(m_canvas.bounds.height());
    const Spans coarse = solidSpans(m_canvas, false);
    const Spans fine = solidSpans(m_canvas, true);
    const Spans &spans = coarse;
    qreal top = 0;
    while (top < total) {
        qreal bottom = top + height;
        // Only blank lane below: no page of its own, the lane's edge is cut.
        const bool more =
            std::any_of(spans.begin(), spans.end(), [bottom](const auto &s) { return s.second > bottom; });
        if (bottom >= total || !more) {
            m_pages.push_back({top, std::min(bottom, total)});
            break;
        }
        // A cut moves up to the buffer it would cut; when that buffer fills
        // the page, to the row of cells it would cut; else it cuts.
        qreal cut = cutAbove(coarse, top, bottom, height * 0.25);
        if (cut < 0)
            cut = cutAbove(fine, top, bottom, height * 0.1);
        if (cut > top)
            bottom = cut;
        m_pages.push_back({top, bottom});
        top = bottom;
    }
}

QSizeF StepPicture::pageSize(int page) const
{
    if (page < 0 || page >= pageCount())
        return {};
    if (m_settings.view == ExportView::Slide)
        return QSizeF(m_settings.slideSize);
    const Page &p = m_pages[std::size_t(page)];
    if (m_settings.view == ExportView::CanvasCaption) {
        qreal h = 2 * m_margin + (p.bottom - p.top);
        if (page == 0)
            h += m_title.size().height() + m_code.size().height() + 2 * m_gap;
        if (page == pageCount() - 1)
            h += m_narration.size().height() + m_verdicts.size().height() + 2 * m_gap;
        return {m_width, std::ceil(h)};
    }
    return {m_width, p.bottom - p.top};
}

void StepPicture::paintCanvasPart(QPainter &painter, const Page &page, QPointF at) const
{
    if (!m_hasCanvas || page.bottom <= page.top)
        return;
    painter.save();
    painter.translate(at.x(), at.y() - page.top);
    const QRectF part(0, page.top, m_canvas.bounds.width(), page.bottom - page.top);
    painter.setClipRect(part);
    paintCanvas(painter, m_canvas, m_settings.colors, CanvasOverlay {}, part);
    painter.restore();
}

void StepPicture::paint(QPainter &painter, int page) const
{
    if (page < 0 || page >= pageCount())
        return;
    const QSizeF size = pageSize(page);
    painter.fillRect(QRectF(QPointF(0, 0), size), m_settings.colors.canvasBackground);
    const Page &p = m_pages[std::size_t(page)];
    if (m_settings.view == ExportView::Canvas) {
        paintCanvasPart(painter, p, {0, 0});
        return;
    }
    const bool slide = m_settings.view == ExportView::Slide;
    qreal y = m_margin;
    auto place = [&](const TextBlock &b) {
        if (b.isEmpty())
            return;
        b.paint(painter, {m_margin, y});
        y += b.size().height() + m_gap;
    };
    if (slide || page == 0) {
        place(m_title);
        if (!m_side)
            place(m_code);
    }
    if (slide && m_side) {
        const qreal top = m_margin + m_title.size().height() + m_gap;
        paintCanvasPart(painter, p, {m_margin, top});
        qreal ry = top;
        for (const TextBlock *b : {&m_code, &m_narration, &m_verdicts})
            if (!b->isEmpty()) {
                b->paint(painter, {m_width - m_margin - m_column, ry});
                ry += b->size().height() + m_gap;
            }
        m_hidden.paint(painter, {m_margin, size.height() - m_margin - m_hidden.size().height()});
        return;
    }
    if (slide) {
        // Under the title and code: the narration and verdicts on the right,
        // then the canvas across the slide, centred; "continued" marks every
        // slide of a step after the first.
        qreal ry = m_margin + m_title.size().height() + m_gap;
        const qreal rx = m_margin + m_column + 2 * m_gap;
        for (const TextBlock *b : {&m_narration, &m_verdicts})
            if (!b->isEmpty()) {
                b->paint(painter, {rx, ry});
                ry += b->size().height() + m_gap;
            }
        y = m_margin + m_title.size().height() + m_band + 2 * m_gap;
        const qreal x = std::max<qreal>(m_margin, (m_width - m_canvas.bounds.width()) / 2);
        paintCanvasPart(painter, p, {x, y});
        if (page > 0 && !m_continued.isEmpty())
            m_continued.paint(painter, {m_width - m_margin - m_continued.naturalWidth(), m_margin});
        m_hidden.paint(painter, {m_margin, size.height() - m_margin - m_hidden.size().height()});
        return;
    }
    paintCanvasPart(painter, p, {0, y});
    y += (p.bottom - p.top) + m_gap;
    if (page == pageCount() - 1) {
        place(m_narration);
        place(m_verdicts);
    }
}

} // namespace memscope::ui
