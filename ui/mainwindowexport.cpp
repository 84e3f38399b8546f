// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's exports: the canvas as one picture (File ▸ Export canvas) and
// the steps as pictures and handouts (File ▸ Export steps…, the exporter
// `memscope export` uses).
#include "ui/mainwindow.h"

#include "ui/canvas/memoryscene.h"
#include "ui/export/exportdialog.h"
#include "ui/export/exporter.h"
#include "ui/export/outputfolder.h"
#include "ui/export/pagedpicture.h"
#include "ui/export/windowdocument.h"
#include "ui/plainmessage.h"
#include "ui/session.h"
#include "ui/theme.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSaveFile>
#include <QStatusBar>

namespace memscope::ui {

namespace {

/// The live canvas as a one-page picture.
class ScenePicture : public PagedPicture
{
public:
    explicit ScenePicture(MemoryScene &scene)
        : m_scene(scene)
        , m_source(scene.sceneRect())
    { }
    int pageCount() const override { return 1; }
    QSizeF pageSize(int) const override { return m_source.size(); }
    void paint(QPainter &painter, int) const override
    {
        m_scene.render(&painter, QRectF(QPointF(0, 0), m_source.size()), m_source);
    }

private:
    MemoryScene &m_scene;
    QRectF m_source;
};

} // namespace

bool MainWindow::exportCanvas(const QString &path, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (QFileInfo(path).isSymLink())
        return fail(tr("%1 is a symbolic link; an export does not follow links").arg(path));
    if (QFileInfo(path).isDir())
        return fail(tr("%1 is a folder").arg(path));
    m_scene->settle(); // the steady highlight, not a flash mid-fade
    const ScenePicture picture(*m_scene);
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive);
    QByteArray bytes;
    if (svg) {
        bytes = pageSvg(picture, 0, tr("MemScope canvas"));
    } else {
        const qreal dpr = 2.0; // crisp on slides and handouts
        const QSizeF px = picture.pageSize(0) * dpr;
        // Refused before allocating: a 10,000-object canvas once took 14 GB here.
        if (px.width() * px.height() > qreal(kMaxPicturePixels))
            return fail(tr("the canvas is %1 × %2 pixels at 2×, more than %3 million; export it as SVG, or with "
                           "File ▸ Export steps…, which cuts it into pages")
                            .arg(qRound(px.width()))
                            .arg(qRound(px.height()))
                            .arg(kMaxPicturePixels / 1000000));
        bytes = pngBytes(pageImage(picture, 0, dpr, m_theme->colors().canvasBackground));
    }
    // Whole or not at all: a failed write leaves an existing file as it was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(tr("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

void MainWindow::exportCanvasInteractively(const QString &suffix)
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export canvas"), QStringLiteral("memscope.") + suffix,
                                     suffix == QLatin1String("svg") ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCanvas(path, &error))
        warnPlain(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Canvas written to %1").arg(path), 5000);
}

ExportDocument MainWindow::exportDocument() const
{
    const engine::RecordingInfo *info = m_session->recordingInfo();
    const QString title = info && !info->source.empty() ? QFileInfo(QString::fromStdString(info->source)).fileName()
                                                        : tr("MemScope session");
    return windowDocument(*m_session, m_lessonPanel, m_environment, title, m_runtime);
}

bool MainWindow::exportSteps(const ExportOptions &options, QString *error)
{
    const ExportDocument doc = exportDocument();
    if (doc.steps.empty()) {
        if (error)
            *error = tr("Nothing to export yet: run a statement, a script or a lesson step first.");
        return false;
    }
    QProgressDialog progress(tr("Exporting…"), tr("Cancel"), 0, 1, this);
    progress.setWindowTitle(tr("Export steps"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    ExportResult result;
    try { // nothing may escape into the event loop: out of memory is a message
        result = exportDocuments(
            {doc}, options,
            [&progress](int done, int total, const QString &what) {
                progress.setMaximum(total);
                progress.setLabelText(what);
                progress.setValue(done); // a modal progress dialog handles events here (Cancel)
                return !progress.wasCanceled();
            },
            &m_runtime);
    } catch (const std::exception &e) {
        result.ok = false;
        result.error = tr("the export stopped: %1; nothing was written").arg(QString::fromLocal8Bit(e.what()));
    }
    progress.reset();
    if (!result.ok) {
        if (error)
            *error = result.error;
        return false;
    }
    statusBar()->showMessage(tr("Exported %n file(s) to %1", nullptr, int(result.files.size())).arg(options.outDir),
                             8000);
    return true;
}

void MainWindow::exportStepsInteractively()
{
    const ExportDocument doc = exportDocument();
    if (doc.steps.empty()) {
        warnPlain(this, tr("Export steps"),
                  tr("Nothing to export yet: run a statement, a script or a lesson step first."));
        return;
    }
    ExportDialog dialog(doc.steps.back().number, m_theme->colors().dark, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.remember();
    ExportOptions options = dialog.options();
    if (!OutputFolder::refusal(options.outDir, false).isEmpty() &&
        OutputFolder::refusal(options.outDir, true).isEmpty()) {
        QMessageBox ask(QMessageBox::Question, tr("Export steps"),
                        tr("%1 already holds files. Replace the files of the same names in it?").arg(options.outDir),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
        ask.setTextFormat(Qt::PlainText);
        if (ask.exec() != QMessageBox::Yes)
            return;
        options.force = true;
    }
    QString error;
    if (!exportSteps(options, &error))
        warnPlain(this, tr("Export steps"), error);
}

} // namespace memscope::ui
