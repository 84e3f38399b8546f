// SPDX-License-Identifier: GPL-3.0-or-later
// The exporter's pictures and its folder: sizes as asked, text sizes on
// slides, pages cut between buffers, the same step giving the same bytes and
// changed memory a different picture, SVG text in pixels, and files that
// land only inside the folder, whole or not at all.

// moc (Qt 6.4) cannot parse GCC 12's <concepts>.
#ifndef Q_MOC_RUN
#include "engine/runtime.h"
#include "tests/engine/stepfixtures.h"
#include "ui/export/exportdialog.h"
#include "ui/export/exporter.h"
#include "ui/export/outputfolder.h"
#include "ui/export/steppicture.h"
#include "ui/mainwindow.h"
#endif
#include "ui/theme.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>

using namespace memscope;
using namespace memscope::engine;
using namespace memscope::ui;

namespace {

/// A document of one step per snapshot, made from host arrays.
struct Fixture
{
    SnapshotBuilder builder;
    ExportDocument doc;

    void addStep(std::vector<MemoryFact> facts, const std::string &code)
    {
        doc.timeline.push_back(test::makeStep(builder, std::move(facts), code));
        ExportStep s;
        s.number = int(doc.steps.size()) + 1;
        s.title = QStringLiteral("a step");
        s.code = QString::fromStdString(code);
        s.narration = QStringLiteral("Two names, **one** buffer.");
        s.verdicts.push_back({QStringLiteral("alias a b"), false, true, QStringLiteral("observed alias"), {}});
        s.timelineIndex = int(doc.timeline.size()) - 1;
        doc.steps.push_back(std::move(s));
    }
};

PictureSettings settings(ExportView view)
{
    PictureSettings s;
    s.view = view;
    s.colors = Theme::lightColors();
    return s;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // the dialog's settings stay the test's

    void canvasPageIsTheCanvas()
    {
        test::HostObjects objects(2, 4);
        Fixture f;
        f.addStep(objects.facts(), "o1 = o0.copy()");
        const StepPicture picture(f.doc, f.doc.steps[0], settings(ExportView::Canvas));
        QVERIFY(picture.refusal().isEmpty());
        QCOMPARE(picture.pageCount(), 1);
        QCOMPARE(picture.pageSize(0).width(), std::ceil(picture.canvas().bounds.width()));
        const QImage image = pageImage(picture, 0, 2.0, Qt::white);
        QCOMPARE(image.size(), (picture.pageSize(0) * 2).toSize()); // --scale 2: twice the pixels
    }

    void slideIsTheSizeAskedWithTextAtLeast24px()
    {
        test::HostObjects objects(3, 6);
        Fixture f;
        f.addStep(objects.facts(), "o2 = o1 + o0");
        for (const QSize size : {QSize(1920, 1080), QSize(1280, 720)}) {
            PictureSettings s = settings(ExportView::Slide);
            s.slideSize = size;
            const StepPicture picture(f.doc, f.doc.steps[0], s);
            QVERIFY(picture.pageCount() >= 1);
            for (int p = 0; p < picture.pageCount(); ++p)
                QCOMPARE(picture.pageSize(p), QSizeF(size));
            const qreal least = 24.0 * size.height() / 1080;
            for (const GText *t : picture.canvas().texts())
                QVERIFY2(picture.canvas().style.font(t->role).pixelSize() >= std::floor(least),
                         qPrintable(QStringLiteral("%1 at %2 px")
                                        .arg(t->text)
                                        .arg(picture.canvas().style.font(t->role).pixelSize())));
        }
    }

    void slideKeepsAStepOnOneSlideWhenItCan()
    {
        test::HostObjects objects(2, 4); // two small buffers: taller than the room under a long narration
        Fixture f;
        f.addStep(objects.facts(), "o2 = o1 + o0");
        ExportStep &step = f.doc.steps[0];
        step.narration = QString(QStringLiteral("A sentence that takes its room on a slide. ")).repeated(12);
        const StepPicture beside(f.doc, step, settings(ExportView::Slide));
        QVERIFY(beside.textsBeside());
        QCOMPARE(beside.pageCount(), 1);
        QCOMPARE(beside.canvasPart(0).second, std::ceil(beside.canvas().bounds.height())); // all of it
        step.narration = QStringLiteral("Short.");
        const StepPicture above(f.doc, step, settings(ExportView::Slide));
        QVERIFY(!above.textsBeside()); // room enough under the code: the usual layout
        QCOMPARE(above.pageCount(), 1);
    }

    void tallCanvasIsPagedBetweenBuffers()
    {
        test::HostObjects objects(40, 4);
        Fixture f;
        f.addStep(objects.facts(), "many");
        PictureSettings s = settings(ExportView::Canvas);
        s.maxPixels = 1400 * 600; // pages of at most ~600 rows
        const StepPicture picture(f.doc, f.doc.steps[0], s);
        QVERIFY2(picture.pageCount() > 3, qPrintable(QString::number(picture.pageCount())));
        const qreal rows = std::floor(qreal(s.maxPixels) / picture.pageSize(0).width());
        qreal expectTop = 0;
        for (int p = 0; p < picture.pageCount(); ++p) {
            const auto [top, bottom] = picture.canvasPart(p);
            QCOMPARE(top, expectTop); // pages follow each other: nothing lost
            QVERIFY(bottom - top <= rows);
            QVERIFY(picture.pageSize(p).width() * picture.pageSize(p).height() <= qreal(s.maxPixels));
            expectTop = bottom;
            for (const GBuffer &b : picture.canvas().buffers) // no buffer is cut
                QVERIFY2(!(b.cluster.top() < bottom && bottom < b.cluster.bottom()) || p == picture.pageCount() - 1,
                         qPrintable(QStringLiteral("page %1 ends at %2 inside a buffer %3-%4")
                                        .arg(p)
                                        .arg(bottom)
                                        .arg(b.cluster.top())
                                        .arg(b.cluster.bottom())));
        }
    }

    void sameStepSameBytesChangedMemoryDifferentPicture()
    {
        test::HostObjects objects(2, 4);
        Fixture f;
        f.addStep(objects.facts(), "x");
        objects.arrays[1][2] = -7.5; // the same names and shapes, one value changed
        f.addStep(objects.facts(), "x");
        f.doc.steps[1].number = 1; // the same title: only memory differs
        for (const ExportView view : {ExportView::Canvas, ExportView::CanvasCaption, ExportView::Slide}) {
            const StepPicture a(f.doc, f.doc.steps[0], settings(view));
            const StepPicture again(f.doc, f.doc.steps[0], settings(view));
            const StepPicture changed(f.doc, f.doc.steps[1], settings(view));
            const QByteArray png = pngBytes(pageImage(a, 0, 1, Qt::white));
            QCOMPARE(pngBytes(pageImage(again, 0, 1, Qt::white)), png);
            QCOMPARE(pageSvg(again, 0, QStringLiteral("t")), pageSvg(a, 0, QStringLiteral("t")));
            QVERIFY(pngBytes(pageImage(changed, 0, 1, Qt::white)) != png);
        }
    }

    void svgTextIsInPixels()
    {
        test::HostObjects objects(1, 4);
        Fixture f;
        f.addStep(objects.facts(), "x");
        const StepPicture picture(f.doc, f.doc.steps[0], settings(ExportView::Canvas));
        const QString svg = QString::fromUtf8(pageSvg(picture, 0, QStringLiteral("t")));
        // The title is 18 px on screen: 18 user units in the SVG, not 18 points scaled.
        QVERIFY(svg.contains(QLatin1String("font-size=\"18\"")));
        const QRegularExpression width(QStringLiteral("width=\"([0-9.]+)mm\""));
        const auto m = width.match(svg);
        QVERIFY(m.hasMatch());
        QCOMPARE(qRound(m.captured(1).toDouble() / 25.4 * 96), qRound(picture.pageSize(0).width()));
        QVERIFY(svg.contains(QStringLiteral("viewBox=\"0 0 %1 ").arg(picture.pageSize(0).width())));
        // A second reader of the file: Qt's SVG renderer draws it at its size.
        QSvgRenderer renderer(svg.toUtf8());
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBoxF().size(), picture.pageSize(0));
        QImage drawn(picture.pageSize(0).toSize(), QImage::Format_RGB32);
        drawn.fill(Qt::white);
        QPainter p(&drawn);
        renderer.render(&p);
        p.end();
        int dark = 0; // text and borders drawn, not an empty page
        for (int y = 0; y < drawn.height(); y += 2)
            for (int x = 0; x < drawn.width(); x += 2)
                dark += qGray(drawn.pixel(x, y)) < 128 ? 1 : 0;
        QVERIFY2(dark > 200, qPrintable(QString::number(dark)));
    }

    void skippedStepHasNoCanvasPicture()
    {
        Fixture f;
        ExportStep s;
        s.number = 1;
        s.skipped = QStringLiteral("needs cuda, not available here");
        f.doc.steps.push_back(s);
        const StepPicture canvas(f.doc, f.doc.steps[0], settings(ExportView::Canvas));
        QCOMPARE(canvas.pageCount(), 0);
        QVERIFY(canvas.refusal().contains(QLatin1String("needs cuda")));
        const StepPicture slide(f.doc, f.doc.steps[0], settings(ExportView::Slide)); // a slide says why
        QCOMPARE(slide.pageCount(), 1);
    }

    void sanitizedNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("id") << QStringLiteral("numpy-views") << QStringLiteral("numpy-views");
        QTest::newRow("dots") << QStringLiteral("../../etc/passwd") << QStringLiteral("etc-passwd");
        QTest::newRow("markup") << QStringLiteral("<script>x") << QStringLiteral("script-x");
        QTest::newRow("hidden") << QStringLiteral(".bashrc") << QStringLiteral("bashrc");
        QTest::newRow("empty") << QString() << QStringLiteral("export");
        QTest::newRow("only punctuation") << QStringLiteral("../..") << QStringLiteral("export");
        QTest::newRow("unicode") << QStringLiteral("Ünïcode ✓") << QStringLiteral("n-code");
    }
    void sanitizedNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(sanitizedFileName(name), expected);
        QVERIFY(sanitizedFileName(QString(500, QLatin1Char('a'))).size() <= 60);
    }

    void folderRefusesOccupiedWithoutOverwrite()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        QDir().mkpath(dir);
        QFile(dir + QStringLiteral("/notes.txt")).open(QIODevice::WriteOnly);
        OutputFolder out;
        QString error;
        QVERIFY(!out.open(dir, false, &error));
        QVERIFY(error.contains(QLatin1String("--force")));
        QVERIFY(out.open(dir, true, &error));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/notes.txt"))); // --force replaces, never clears
    }

    void writeRefusesNamesLeavingTheFolder()
    {
        QTemporaryDir root;
        OutputFolder out;
        QString error;
        QVERIFY(out.open(root.filePath(QStringLiteral("out")), false, &error));
        for (const QString &bad : {QStringLiteral("../x.png"), QStringLiteral("/tmp/x.png"), QStringLiteral(".x"),
                                   QStringLiteral("a/../../x"), QStringLiteral("a//b"), QString()}) {
            QVERIFY2(!out.write(bad, "x", &error), qPrintable(bad));
            QVERIFY(error.contains(QLatin1String("refusing")));
        }
        QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("x.png"))));
    }

    void commitReplacesLinksWithoutFollowing()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        QDir().mkpath(dir);
        const QString precious = root.filePath(QStringLiteral("precious.txt"));
        QFile p(precious);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write("keep");
        p.close();
        QVERIFY(QFile::link(precious, dir + QStringLiteral("/step-01.png")));
        OutputFolder out;
        QString error;
        QVERIFY(out.open(dir, true, &error));
        QVERIFY(out.write(QStringLiteral("step-01.png"), "new", &error));
        QVERIFY(out.commit(&error));
        QCOMPARE(readAll(precious), QByteArray("keep"));
        QVERIFY(!QFileInfo(dir + QStringLiteral("/step-01.png")).isSymLink());
        QCOMPARE(readAll(dir + QStringLiteral("/step-01.png")), QByteArray("new"));
        QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 1);
    }

    void failedMoveIsUndone()
    {
        // The third rename fails (as a full disk or a busy file would): the
        // two files already moved go back, the replaced one returns.
        struct Failing : OutputFolder
        {
            int calls = 0;
            bool renameFile(const QString &from, const QString &to) override
            {
                if (++calls == 3) {
                    errno = EBUSY;
                    return false;
                }
                return OutputFolder::renameFile(from, to);
            }
        };
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        QDir().mkpath(dir);
        QFile old(dir + QStringLiteral("/b.md"));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
        old.close();
        QString error;
        {
            Failing out;
            QVERIFY(out.open(dir, true, &error));
            QVERIFY(out.write(QStringLiteral("a.png"), "new a", &error));
            QVERIFY(out.write(QStringLiteral("b.md"), "new b", &error)); // moves b.md aside first: call 2, then 3 fails
            QVERIFY(out.write(QStringLiteral("c.svg"), "new c", &error));
            QVERIFY(!out.commit(&error));
            QVERIFY2(error.contains(QLatin1String("nothing was changed")), qPrintable(error));
        }
        QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList {QStringLiteral("b.md")});
        QCOMPARE(readAll(dir + QStringLiteral("/b.md")), QByteArray("old"));
    }

    void staleStagingIsNoObstacle()
    {
        // What an export killed by Ctrl+C leaves: its staging folder, named
        // after a process that is gone. It neither blocks nor stays.
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        const QString stale = dir + QStringLiteral("/.memscope-export-999999999-abcdef");
        QVERIFY(QDir().mkpath(stale));
        QFile(stale + QStringLiteral("/step-01.png")).open(QIODevice::WriteOnly);
        QVERIFY(OutputFolder::refusal(dir, false).isEmpty());
        OutputFolder out;
        QString error;
        QVERIFY(out.open(dir, false, &error));
        QVERIFY(!QFileInfo::exists(stale));
    }

    void failedExportRemovesTheFolderItMade()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("new/out"));
        {
            OutputFolder out;
            QString error;
            QVERIFY(out.open(dir, false, &error));
            QVERIFY(QFileInfo::exists(dir));
        }
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY(QFile::link(root.filePath(QStringLiteral("missing")), root.filePath(QStringLiteral("dangling"))));
        QVERIFY(OutputFolder::refusal(root.filePath(QStringLiteral("dangling")), true)
                    .contains(QLatin1String("does not exist")));
    }

    void linkedSubfolderMovesNothing()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        const QString elsewhere = root.filePath(QStringLiteral("elsewhere"));
        QDir().mkpath(dir);
        QDir().mkpath(elsewhere);
        QVERIFY(QFile::link(elsewhere, dir + QStringLiteral("/lesson")));
        OutputFolder out;
        QString error;
        QVERIFY(out.open(dir, true, &error));
        QVERIFY(out.write(QStringLiteral("first.md"), "a", &error));
        QVERIFY(out.write(QStringLiteral("lesson/step-01.png"), "b", &error));
        QVERIFY(!out.commit(&error));
        QVERIFY(error.contains(QLatin1String("symbolic link")));
        QVERIFY(QDir(elsewhere).isEmpty());
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/first.md"))); // checked before anything moved
    }

    void abandonedExportLeavesNothing()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(QStringLiteral("out"));
        {
            OutputFolder out;
            QString error;
            QVERIFY(out.open(dir, false, &error));
            QVERIFY(out.write(QStringLiteral("step-01.png"), "half", &error));
        } // never committed: a failure or a cancel
        QVERIFY(QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void cancelledExportWritesNothing()
    {
        test::HostObjects objects(1, 4);
        Fixture f;
        f.addStep(objects.facts(), "x");
        f.addStep(objects.facts(), "y");
        QTemporaryDir root;
        ExportOptions options;
        options.outDir = root.filePath(QStringLiteral("out"));
        int calls = 0;
        const ExportResult r = exportDocuments({f.doc}, options, [&calls](int done, int total, const QString &) {
            ++calls;
            return done < total / 2; // cancel halfway
        });
        QVERIFY(!r.ok);
        QVERIFY(r.error.contains(QLatin1String("cancelled")));
        QVERIFY(calls >= 1);
        QVERIFY(QDir(options.outDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void exportWritesEveryFormat()
    {
        test::HostObjects objects(1, 4);
        Fixture f;
        f.addStep(objects.facts(), "x");
        f.addStep(objects.facts(), "y");
        QTemporaryDir root;
        ExportOptions options;
        options.outDir = root.filePath(QStringLiteral("out"));
        options.formats.gif = true;
        options.firstStep = 2;
        const ExportResult r = exportDocuments({f.doc}, options);
        QVERIFY2(r.ok, qPrintable(r.error));
        // A page's PNG is written after its SVG: it compresses on a second thread meanwhile.
        QCOMPARE(r.files,
                 QStringList({QStringLiteral("step-02.svg"), QStringLiteral("step-02.png"), QStringLiteral("steps.gif"),
                              QStringLiteral("handout.html"), QStringLiteral("handout.md")}));
        QVERIFY(readAll(options.outDir + QStringLiteral("/steps.gif")).startsWith("GIF89a"));
    }

    void windowExportsWhatItShows()
    {
        engine::RuntimeOptions cpu;
        cpu.useCuda = false;
        engine::Runtime runtime(cpu);
        MainWindow window(runtime, nullptr);
        test::HostObjects objects(2, 4);
        Fixture f;
        f.addStep(objects.facts(), "o1 = o0.copy()");
        f.addStep(objects.facts(), "o1[0] = 5");
        engine::Recording recording;
        recording.steps = f.doc.timeline;
        recording.info.source = "/home/someone/demo.py";
        window.showRecording(recording, QStringLiteral("demo.msrec"));
        const ExportDocument doc = window.exportDocument();
        QCOMPARE(doc.kind, ExportDocument::Kind::Recording);
        QCOMPARE(doc.steps.size(), std::size_t(2));
        QCOMPARE(doc.title, QStringLiteral("demo.py")); // no home folder in a handout
        QCOMPARE(doc.steps[1].code, QStringLiteral("o1[0] = 5"));

        QTemporaryDir root;
        ExportOptions options;
        options.outDir = root.filePath(QStringLiteral("out"));
        options.view = ExportView::Window;
        options.slideSize = QSize(1280, 720);
        options.formats = {true, false, true, false, false};
        QString error;
        QVERIFY2(window.exportSteps(options, &error), qPrintable(error));
        const QImage shot(options.outDir + QStringLiteral("/step-02.png"));
        QCOMPARE(shot.size(), QSize(1280, 720));
        QVERIFY(QFileInfo::exists(options.outDir + QStringLiteral("/handout.html")));
        QVERIFY(!window.exportSteps(options, &error)); // the folder now holds files
        QVERIFY(error.contains(QLatin1String("--force")));
    }

    void dialogGivesTheOptionsShown()
    {
        ExportDialog dialog(7, false);
        ExportOptions o;
        o.outDir = QStringLiteral("/tmp/slides");
        o.view = ExportView::CanvasCaption;
        o.dark = true;
        o.scale = 3;
        o.slideSize = QSize(1280, 720);
        o.firstStep = 2;
        o.lastStep = 5;
        o.formats = {false, true, true, false, true};
        dialog.setOptions(o);
        const ExportOptions back = dialog.options();
        QCOMPARE(back.outDir, o.outDir);
        QCOMPARE(back.view, o.view);
        QCOMPARE(back.dark, true);
        QCOMPARE(back.scale, 3.0);
        QCOMPARE(back.slideSize, o.slideSize);
        QCOMPARE(back.firstStep, 2);
        QCOMPARE(back.lastStep, 5);
        QVERIFY(!back.formats.png && back.formats.svg && back.formats.html && !back.formats.md && back.formats.gif);
        dialog.remember();
        const ExportDialog next(7, false); // remembered, except the steps
        QCOMPARE(next.options().view, ExportView::CanvasCaption);
        QCOMPARE(next.options().outDir, o.outDir);
        QCOMPARE(next.options().lastStep, 7);
    }

    void optionParsing()
    {
        int first = 0, last = 0;
        QVERIFY(parseStepRange(QStringLiteral("3-7"), first, last) && first == 3 && last == 7);
        QVERIFY(parseStepRange(QStringLiteral("4"), first, last) && first == 4 && last == 4);
        QVERIFY(parseStepRange(QStringLiteral("2-"), first, last) && first == 2 && last > 1000);
        for (const char *bad : {"0", "7-3", "a", "-3", "1-2-3", ""})
            QVERIFY2(!parseStepRange(QString::fromLatin1(bad), first, last), bad);
        ExportFormats formats;
        QString error;
        QVERIFY(parseFormats(QStringLiteral("png,gif"), formats, &error));
        QVERIFY(formats.png && formats.gif && !formats.svg && !formats.html && !formats.md);
        QVERIFY(!parseFormats(QStringLiteral("png,jpeg"), formats, &error));
        QVERIFY(error.contains(QLatin1String("jpeg")));
        ExportView view = ExportView::Canvas;
        QVERIFY(parseView(QStringLiteral("canvas+caption"), view) && view == ExportView::CanvasCaption);
        QVERIFY(!parseView(QStringLiteral("poster"), view));
    }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
