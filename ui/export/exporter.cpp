// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exporter.h"

#include "ui/export/gifencoder.h"
#include "ui/export/handout.h"
#include "ui/export/outputfolder.h"
#include "ui/export/pagedpicture.h"
#include "ui/export/steppicture.h"
#include "ui/export/windowpicture.h"

#include <QImage>

#include <cmath>
#include <future>
#include <optional>

namespace memscope::ui {

namespace {

/// "step-03.png", "step-003.png" when there are a hundred steps or more, so
/// names sort in step order.
QString pageName(const ExportStep &step, int page, const char *suffix, int digits)
{
    QString name = QStringLiteral("step-%1").arg(step.number, digits, 10, QLatin1Char('0'));
    if (page > 0)
        name += QStringLiteral("-%1").arg(page + 1);
    return name + QLatin1Char('.') + QLatin1String(suffix);
}

/// The folder prefix of each document: none for one, its sanitised id (made
/// unique) for several.
QStringList prefixes(const std::vector<ExportDocument> &documents)
{
    QStringList out;
    if (documents.size() == 1)
        return {QString()};
    for (std::size_t i = 0; i < documents.size(); ++i) {
        const QString base = sanitizedFileName(documents[i].id, QStringLiteral("source-%1").arg(i + 1));
        QString name = base;
        for (int n = 2; out.contains(name + QLatin1Char('/')); ++n)
            name = base + QStringLiteral("-%1").arg(n);
        out << name + QLatin1Char('/');
    }
    return out;
}

class Export
{
public:
    Export(const ExportOptions &options, const ExportProgress &progress, engine::Runtime *runtime)
        : m_options(options)
        , m_progress(progress)
        , m_runtime(runtime)
    {
        m_settings.view = options.view;
        m_settings.colors = options.dark ? Theme::darkColors() : Theme::lightColors();
        m_settings.slideSize = options.slideSize;
        m_settings.deviceScale = options.scale;
        m_settings.rawAddresses = options.rawAddresses;
        m_settings.precision = options.precision;
    }

    bool run(const std::vector<ExportDocument> &documents, ExportResult &result)
    {
        std::vector<ExportDocument> chosen;
        for (const ExportDocument &d : documents) {
            ExportDocument c = d;
            c.steps.clear();
            for (const ExportStep &s : d.steps)
                if (s.number >= m_options.firstStep && s.number <= m_options.lastStep)
                    c.steps.push_back(s);
            if (c.steps.empty())
                return fail(QStringLiteral("%1 has no step in %2-%3 (it has %4 steps)")
                                .arg(d.sourceName)
                                .arg(m_options.firstStep)
                                .arg(m_options.lastStep >= (1 << 30) ? QString() : QString::number(m_options.lastStep))
                                .arg(d.steps.size()));
            m_total += int(c.steps.size()) + (m_options.formats.html ? 1 : 0) + (m_options.formats.md ? 1 : 0);
            chosen.push_back(std::move(c));
        }
        if (m_options.view == ExportView::Window && !m_runtime)
            return fail(QStringLiteral("the window view needs the application's runtime"));
        if (!m_out.open(m_options.outDir, m_options.force, &m_error))
            return false;
        const QStringList prefix = prefixes(chosen);
        for (std::size_t i = 0; i < chosen.size(); ++i)
            if (!exportDocument(chosen[i], prefix.at(qsizetype(i))))
                return false;
        if (!m_out.commit(&m_error))
            return false;
        result.files = m_out.staged();
        return true;
    }

    QString error() const { return m_error; }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    bool tick(const QString &what)
    {
        ++m_done;
        if (m_progress && !m_progress(m_done, m_total, what))
            return fail(QStringLiteral("cancelled; nothing was written"));
        return true;
    }

    bool write(const QString &name, const QByteArray &bytes) { return m_out.write(name, bytes, &m_error); }

    bool exportDocument(const ExportDocument &doc, const QString &prefix)
    {
        const ExportFormats &f = m_options.formats;
        std::unique_ptr<WindowPicture> window;
        if (m_options.view == ExportView::Window)
            window = std::make_unique<WindowPicture>(doc, m_options.slideSize, m_options.dark, *m_runtime);
        std::unique_ptr<GifEncoder> gif;
        if (f.gif) {
            // Every step skipped here (a GPU lesson without a GPU): no animation,
            // the rest of the export goes on.
            const QSize frame = gifFrameSize(doc, window.get());
            if (!frame.isEmpty())
                gif = std::make_unique<GifEncoder>(frame, m_settings.colors.canvasBackground, m_options.gifDelayMs);
        }
        const int digits = std::max(2, int(QString::number(doc.steps.empty() ? 1 : doc.steps.back().number).size()));
        HandoutImages images;
        for (const ExportStep &step : doc.steps) {
            std::unique_ptr<StepPicture> own;
            const PagedPicture &pages = pictureOf(doc, step, window.get(), own);
            images.emplace_back();
            for (int page = 0; page < pages.pageCount(); ++page) {
                // Asked again on every page: a cancel need not wait for a long step's last page.
                if (page > 0 && m_progress &&
                    !m_progress(m_done, m_total, QStringLiteral("%1: step %2").arg(doc.title).arg(step.number)))
                    return fail(QStringLiteral("cancelled; nothing was written"));
                const QString title = QStringLiteral("%1 — step %2").arg(doc.title).arg(step.number);
                const bool needPng = f.png || f.html || f.md || (gif && page == 0);
                if (needPng) {
                    const QImage image = pageImage(pages, page, m_options.scale, m_settings.colors.canvasBackground);
                    // One page compresses on a second thread while the next is painted.
                    if (!flushPng(prefix, images))
                        return false;
                    images.back() << QString();
                    m_pending.emplace(PendingPng {std::async(std::launch::async, [image] { return pngBytes(image); }),
                                                  pageName(step, page, "png", digits), images.size() - 1,
                                                  images.back().size() - 1});
                    if (gif && page == 0 && !gif->addFrame(image))
                        return fail(QStringLiteral("%1: the animation: %2").arg(doc.sourceName, gif->error()));
                }
                if (f.svg && !write(prefix + pageName(step, page, "svg", digits), pageSvg(pages, page, title)))
                    return false;
            }
            if (!tick(QStringLiteral("%1: step %2").arg(doc.title).arg(step.number)))
                return false;
        }
        if (!flushPng(prefix, images))
            return false;
        if (gif) {
            const QByteArray bytes = gif->finish();
            if (bytes.isEmpty())
                return fail(QStringLiteral("%1: the animation: %2").arg(doc.sourceName, gif->error()));
            if (!write(prefix + QStringLiteral("steps.gif"), bytes))
                return false;
        }
        if (f.html) {
            if (!write(prefix + QStringLiteral("handout.html"),
                       htmlHandout(doc, images, HandoutOptions {m_options.dark})) ||
                !tick(QStringLiteral("%1: handout.html").arg(doc.title)))
                return false;
        }
        if (f.md) {
            if (!write(prefix + QStringLiteral("handout.md"), markdownHandout(doc, images)) ||
                !tick(QStringLiteral("%1: handout.md").arg(doc.title)))
                return false;
        }
        return true;
    }

    /// Writes the page whose PNG is being compressed, and puts its name (or,
    /// when no PNG is written, its bytes) where the handout shows it.
    bool flushPng(const QString &prefix, HandoutImages &images)
    {
        if (!m_pending)
            return true;
        const QByteArray png = m_pending->bytes.get();
        const PendingPng done = std::move(*m_pending);
        m_pending.reset();
        if (png.isEmpty())
            return fail(QStringLiteral("could not encode %1").arg(done.name));
        if (m_options.formats.png && !write(prefix + done.name, png))
            return false;
        // Handouts link the pictures beside them, or carry them when none are written.
        images[done.step][done.ref] = m_options.formats.png
            ? done.name
            : QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
        return true;
    }

    /// The step's picture: the window moved to it, or a picture of its own in `own`.
    const PagedPicture &pictureOf(const ExportDocument &doc, const ExportStep &step, WindowPicture *window,
                                  std::unique_ptr<StepPicture> &own) const
    {
        if (window) {
            window->show(step);
            return *window;
        }
        own = std::make_unique<StepPicture>(doc, step, m_settings);
        return *own;
    }

    /// Every frame of an animation has one size: the largest first page.
    QSize gifFrameSize(const ExportDocument &doc, WindowPicture *window) const
    {
        // Slides and windows have one size: known without laying out (or
        // moving the window through) every step a second time.
        const QSize fixed = (QSizeF(m_options.slideSize) * m_options.scale).toSize();
        if (m_options.view == ExportView::Slide)
            return fixed;
        if (window)
            return std::any_of(doc.steps.begin(), doc.steps.end(),
                               [](const ExportStep &s) { return s.timelineIndex >= 0; })
                ? fixed
                : QSize();
        QSizeF largest;
        for (const ExportStep &step : doc.steps) {
            std::unique_ptr<StepPicture> own;
            const PagedPicture &pages = pictureOf(doc, step, window, own);
            if (pages.pageCount() > 0)
                largest = largest.expandedTo(pages.pageSize(0));
        }
        return (largest * m_options.scale).toSize();
    }

    const ExportOptions &m_options;
    const ExportProgress &m_progress;
    engine::Runtime *m_runtime;
    PictureSettings m_settings;
    OutputFolder m_out;
    struct PendingPng
    {
        std::future<QByteArray> bytes;
        QString name;
        std::size_t step = 0; ///< where its reference goes in the handout's images
        qsizetype ref = 0;
    };
    std::optional<PendingPng> m_pending;
    QString m_error;
    int m_done = 0;
    int m_total = 0;
};

} // namespace

ExportResult exportDocuments(const std::vector<ExportDocument> &documents, const ExportOptions &options,
                             const ExportProgress &progress, engine::Runtime *runtime)
{
    ExportResult result;
    if (documents.empty()) {
        result.error = QStringLiteral("nothing to export");
        return result;
    }
    if (const QString why = exportOptionsProblem(options); !why.isEmpty()) {
        result.error = why;
        return result;
    }
    Export run(options, progress, runtime);
    result.ok = run.run(documents, result);
    if (!result.ok)
        result.error = run.error();
    return result;
}

QString exportOptionsProblem(const ExportOptions &options)
{
    if (!(options.scale >= 1 && options.scale <= 4))
        return QStringLiteral("--scale wants 1 to 4, not %1").arg(options.scale);
    const QSize s = options.slideSize;
    if (s.width() < 320 || s.height() < 240 || s.width() > 7680 || s.height() > 4320)
        return QStringLiteral("--size wants 320x240 to 7680x4320, not %1x%2").arg(s.width()).arg(s.height());
    // Slides and windows are one page each: their size decides the pixels.
    const double pixels = double(s.width()) * s.height() * options.scale * options.scale;
    if ((options.view == ExportView::Slide || options.view == ExportView::Window) && pixels > double(kMaxPicturePixels))
        return QStringLiteral("a %1x%2 picture at --scale %3 is %4 million pixels, more than the %5 million one "
                              "picture may have; lower --size or --scale")
            .arg(s.width())
            .arg(s.height())
            .arg(options.scale)
            .arg(qRound(pixels / 1e6))
            .arg(kMaxPicturePixels / 1000000);
    return {};
}

bool parseStepRange(const QString &text, int &first, int &last)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('-'));
    bool ok1 = false, ok2 = true;
    if (parts.size() == 1) {
        first = last = parts.at(0).toInt(&ok1);
    } else if (parts.size() == 2) {
        first = parts.at(0).toInt(&ok1);
        last = parts.at(1).isEmpty() ? (1 << 30) : parts.at(1).toInt(&ok2);
    }
    return ok1 && ok2 && first >= 1 && last >= first;
}

bool parseFormats(const QString &text, ExportFormats &formats, QString *error)
{
    formats = ExportFormats {false, false, false, false, false};
    const QStringList names = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : names) {
        const QString n = raw.trimmed().toLower();
        if (n == QLatin1String("png"))
            formats.png = true;
        else if (n == QLatin1String("svg"))
            formats.svg = true;
        else if (n == QLatin1String("html"))
            formats.html = true;
        else if (n == QLatin1String("md") || n == QLatin1String("markdown"))
            formats.md = true;
        else if (n == QLatin1String("gif"))
            formats.gif = true;
        else {
            if (error)
                *error = QStringLiteral("unknown format '%1' (png, svg, html, md, gif)").arg(raw.trimmed());
            return false;
        }
    }
    if (names.isEmpty() && error)
        *error = QStringLiteral("no format named (png, svg, html, md, gif)");
    return !names.isEmpty();
}

bool parseView(const QString &text, ExportView &view)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("canvas"))
        view = ExportView::Canvas;
    else if (t == QLatin1String("canvas+caption"))
        view = ExportView::CanvasCaption;
    else if (t == QLatin1String("slide"))
        view = ExportView::Slide;
    else if (t == QLatin1String("window"))
        view = ExportView::Window;
    else
        return false;
    return true;
}

} // namespace memscope::ui
