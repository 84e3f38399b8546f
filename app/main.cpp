// SPDX-License-Identifier: GPL-3.0-or-later
// Composition root: command line, the engine runtime, the main window.

#include "app/checkcommand.h"
#include "app/exportcommand.h"
#include "app/python/pythonbackend.h"
#include "app/runcommand.h"
#include "engine/error.h"
#include "engine/lesson/lesson.h"
#include "engine/runtime.h"
#include "engine/step/recording.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/console/consolewidget.h"
#include "ui/export/bundledfonts.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#include "ui/theme.h"

#include <QFile>
#include <QStringDecoder>

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QSize>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

namespace {

/// The command word ("run", "export", ...) wherever it stands among the
/// options: the first argument that is neither an option nor an option's value.
const char *commandOf(int argc, char **argv)
{
    static const char *const withValue[] = {"--out",   "--view",   "--formats", "--steps",       "--scale",
                                            "--theme", "--size",   "--python",  "--script",      "--run-script",
                                            "--step",  "--record", "--present", "--lesson-step", "--screenshot"};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0)
            return nullptr;
        if (argv[i][0] != '-')
            return argv[i];
        if (std::strchr(argv[i], '=') == nullptr)
            for (const char *option : withValue)
                if (std::strcmp(argv[i], option) == 0) {
                    ++i; // its value
                    break;
                }
    }
    return nullptr;
}

bool isCommand(int argc, char **argv, const char *name)
{
    const char *command = commandOf(argc, argv);
    return command && std::strcmp(command, name) == 0;
}

/// "1280x720" as a size; nothing when it is not two numbers around an x.
std::optional<QSize> parseSize(const QString &text)
{
    const QStringList wh = text.split(QLatin1Char('x'));
    bool okW = false, okH = false;
    const QSize s(wh.value(0).toInt(&okW), wh.value(1).toInt(&okH));
    if (wh.size() != 2 || !okW || !okH)
        return std::nullopt;
    return s;
}

// Commands that print and exit must work without a display.
bool wantsHeadless(int argc, char **argv)
{
    if (isCommand(argc, argv, "run") || isCommand(argc, argv, "check"))
        return true;
    for (int i = 1; i < argc; ++i)
        for (const char *flag : {"--version", "-v", "--devices", "--help", "-h"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

int printDevices(const memscope::engine::Runtime &runtime)
{
    for (const auto &d : runtime.devices())
        std::printf("%-20s %s\n", d.toString().c_str(), runtime.backend(d)->description().c_str());
    std::printf("%s\n", runtime.cudaStatus().c_str());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    // `memscope export` draws without a display, and the same way wherever it
    // runs: the offscreen platform, whatever DISPLAY says.
    if (isCommand(argc, argv, "export"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // `memscope open FILE`: the file is checked before any window system is
    // needed, so a damaged recording is refused with its reason even where
    // no display is available.
    std::optional<memscope::engine::Recording> opened;
    if (argc > 2 && std::strcmp(argv[1], "open") == 0 && argv[2][0] != '-') {
        memscope::engine::RecordingResult read = memscope::engine::readRecording(argv[2]);
        if (!read.ok()) {
            std::fprintf(stderr, "memscope open: %s\n", read.error.c_str()); // the error names the file
            return 2;
        }
        opened = std::move(read.recording);
    }
    // `memscope lesson NAME|FILE`: found and parsed before any window, so a
    // missing or malformed lesson is refused (file:line) without a display.
    std::optional<memscope::engine::Lesson> lesson;
    if (argc > 2 && std::strcmp(argv[1], "lesson") == 0 && argv[2][0] != '-') {
        const memscope::app::LessonSource source = memscope::app::findLesson(QString::fromLocal8Bit(argv[2]));
        if (!source.error.isEmpty()) {
            std::fprintf(stderr, "memscope lesson: %s\n", qPrintable(source.error));
            return 2;
        }
        auto parsed = memscope::engine::parseLesson(source.text.toStdString(), source.file.toStdString());
        if (const auto *error = std::get_if<memscope::engine::LessonError>(&parsed)) {
            std::fprintf(stderr, "memscope lesson: %s\nnothing ran.\n", error->toString().c_str());
            return 2;
        }
        lesson = std::move(std::get<memscope::engine::Lesson>(parsed));
    }
    std::unique_ptr<QCoreApplication> app = wantsHeadless(argc, argv) ? std::make_unique<QCoreApplication>(argc, argv)
                                                                      : std::make_unique<QApplication>(argc, argv);
    if (qobject_cast<QGuiApplication *>(app.get()) && !memscope::ui::loadBundledFonts())
        std::fprintf(stderr, "memscope: the bundled DejaVu fonts did not load; the system's are used\n");
    QCoreApplication::setApplicationName(QStringLiteral("MemScope"));
    QCoreApplication::setOrganizationName(QStringLiteral("MemScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MEMSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Shows which arrays and tensors share memory.\n\n"
        "Commands:\n"
        "  run SCRIPT.py [ARG...] [--json]   run a script as `python SCRIPT.py ARG...` would, statement\n"
        "                           by statement, and print per step the objects, their observed\n"
        "                           relations and the copy traffic (script options go after --)\n"
        "  open FILE.msrec          show a recording (made with run --record or File > Save\n"
        "                           recording), scrubbable and read-only; nothing runs\n"
        "  check NAME|FILE... [--json] | check --all\n"
        "                           run lessons headless and print expected vs observed per step;\n"
        "                           exit 0 when every expectation held, 1 when one did not, 2 on a\n"
        "                           malformed lesson (docs/LESSONS.md)\n"
        "  lesson NAME|FILE [--lesson-step N]\n"
        "                           open the window with a lesson in the Lesson panel (a bundled one\n"
        "                           by id or file name, or a path); --lesson-step runs steps 1..N\n"
        "  export SOURCE... --out DIR [--view canvas|canvas+caption|slide|window] [--formats\n"
        "         png,svg,html,md,gif] [--steps 3-7] [--theme light|dark] [--scale 2] [--size WxH]\n"
        "         [--force] | export --all --out DIR\n"
        "                           write each step of a lesson, script (.py) or recording (.msrec)\n"
        "                           as pictures, and a handout (HTML, Markdown); docs/EXPORT.md"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption devices(QStringLiteral("devices"), QStringLiteral("List memory devices and exit."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the main window to <file> (PNG) and exit."),
                                        QStringLiteral("file"));
    const QCommandLineOption noCuda(QStringLiteral("no-cuda"),
                                    QStringLiteral("Do not use real GPUs; emulate a cuda device."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("With run or check: print JSON instead of text."));
    const QCommandLineOption python(QStringLiteral("python"),
                                    QStringLiteral("Use the Python environment of <python> (same version MemScope "
                                                   "was built for). Default: $MEMSCOPE_PYTHON, else the build's."),
                                    QStringLiteral("python"));
    const QCommandLineOption script(QStringLiteral("script"),
                                    QStringLiteral("Type the lines of <file> into the console at start."),
                                    QStringLiteral("file"));
    const QCommandLineOption runScript(QStringLiteral("run-script"),
                                       QStringLiteral("Run <file> at start as `python <file>` would, one step per "
                                                      "statement (File > Run script)."),
                                       QStringLiteral("file"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                                   QStringLiteral("theme"));
    const QCommandLineOption step(QStringLiteral("step"),
                                  QStringLiteral("With --screenshot: show step <n> of the timeline (1 is the first; "
                                                 "default: the live step)."),
                                  QStringLiteral("n"));
    const QCommandLineOption record(QStringLiteral("record"),
                                    QStringLiteral("With run: write the whole timeline to <file> (memscope open "
                                                   "<file> shows it, without running anything)."),
                                    QStringLiteral("file"));
    const QCommandLineOption present(QStringLiteral("present"),
                                     QStringLiteral("Start in presentation mode with text at <percent> (100-300)."),
                                     QStringLiteral("percent"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size <width>x<height> (for screenshots, e.g. 1280x720)."),
                                  QStringLiteral("size"));
    const QCommandLineOption all(QStringLiteral("all"), QStringLiteral("With check: every bundled lesson."));
    const QCommandLineOption lessonStep(QStringLiteral("lesson-step"),
                                        QStringLiteral("With lesson: run steps 1..<n> and show step <n> checked."),
                                        QStringLiteral("n"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("With export: the folder to write into."),
                                 QStringLiteral("dir"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  QStringLiteral("With export: canvas (default), canvas+caption, slide or window."),
                                  QStringLiteral("view"));
    const QCommandLineOption formats(
        QStringLiteral("formats"), QStringLiteral("With export: any of png,svg,html,md,gif (default png,svg,html,md)."),
        QStringLiteral("list"));
    const QCommandLineOption steps(QStringLiteral("steps"),
                                   QStringLiteral("With export: only steps <range> (3-7, 4, 2-)."),
                                   QStringLiteral("range"));
    const QCommandLineOption scale(
        QStringLiteral("scale"), QStringLiteral("With export: pixels per point of PNG and GIF, 1 to 4 (2: high-DPI)."),
        QStringLiteral("factor"));
    const QCommandLineOption force(QStringLiteral("force"),
                                   QStringLiteral("With export: write into a folder that already holds files."));
    const QCommandLineOption rawAddresses(QStringLiteral("raw-addresses"),
                                          QStringLiteral("With export: heap addresses instead of offsets (not "
                                                         "reproducible from run to run)."));
    parser.addOptions({devices, screenshot, noCuda,  json,    python, script, runScript,
                       theme,   step,       record,  present, size,   all,    lessonStep,
                       out,     view,       formats, steps,   scale,  force,  rawAddresses});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("run"),
                                 QStringLiteral("[run SCRIPT.py [ARG...]]"));
    parser.process(*app);

    try {
        memscope::engine::RuntimeOptions options;
        options.useCuda = !parser.isSet(noCuda);
        memscope::engine::Runtime runtime(options);
        if (parser.isSet(devices))
            return printDevices(runtime);
        const QStringList args = parser.positionalArguments();
        if (!args.isEmpty() && args.first() == QLatin1String("run")) {
            if (args.size() < 2) {
                std::fprintf(stderr,
                             "memscope: usage: memscope run SCRIPT.py [ARG...] [--json] [--python PATH] "
                             "(arguments starting with - go after --)\n");
                return 2;
            }
            memscope::app::RunOptions run;
            run.script = args.at(1);
            run.arguments = args.mid(2);
            run.json = parser.isSet(json);
            run.python = parser.value(python);
            run.record = parser.value(record);
            return memscope::app::runScriptCommand(runtime, run);
        }
        if (!args.isEmpty() && args.first() == QLatin1String("export")) {
            const auto usage = [](const QString &why) {
                std::fprintf(stderr, "memscope export: %s\n", qPrintable(why));
                return 2;
            };
            memscope::app::ExportCommandOptions exp;
            exp.sources = args.mid(1);
            exp.all = parser.isSet(all);
            exp.python = parser.value(python);
            memscope::ui::ExportOptions &o = exp.exportOptions;
            o.outDir = parser.value(out);
            if (o.outDir.isEmpty())
                return usage(QStringLiteral("--out DIR is required (the folder the files go to)"));
            if (parser.isSet(view) && !memscope::ui::parseView(parser.value(view), o.view))
                return usage(QStringLiteral("--view wants canvas, canvas+caption, slide or window, not '%1'")
                                 .arg(parser.value(view)));
            QString why;
            if (parser.isSet(formats) && !memscope::ui::parseFormats(parser.value(formats), o.formats, &why))
                return usage(QStringLiteral("--formats: %1").arg(why));
            if (parser.isSet(steps) && !memscope::ui::parseStepRange(parser.value(steps), o.firstStep, o.lastStep))
                return usage(
                    QStringLiteral("--steps wants a range such as 3-7, 4 or 2-, not '%1'").arg(parser.value(steps)));
            // Only the syntax here: the ranges are exportOptionsProblem()'s, checked
            // before anything runs (the window's dialog goes through it too).
            bool ok = true;
            if (parser.isSet(scale) && (o.scale = parser.value(scale).toDouble(&ok), !ok))
                return usage(QStringLiteral("--scale wants a number from 1 to 4, not '%1'").arg(parser.value(scale)));
            if (parser.isSet(size)) {
                const std::optional<QSize> s = parseSize(parser.value(size));
                if (!s)
                    return usage(QStringLiteral("--size wants <width>x<height> such as 1920x1080, not '%1'")
                                     .arg(parser.value(size)));
                o.slideSize = *s;
            }
            if (parser.isSet(theme)) {
                const QString t = parser.value(theme);
                if (t != QLatin1String("light") && t != QLatin1String("dark"))
                    return usage(QStringLiteral("--theme wants light or dark, not '%1'").arg(t));
                o.dark = t == QLatin1String("dark");
            }
            o.force = parser.isSet(force);
            o.rawAddresses = parser.isSet(rawAddresses);
            return memscope::app::exportCommand(runtime, exp);
        }
        if (!args.isEmpty() && args.first() == QLatin1String("check")) {
            memscope::app::CheckOptions check;
            check.lessons = args.mid(1);
            check.all = parser.isSet(all);
            check.json = parser.isSet(json);
            check.python = parser.value(python);
            if (check.all == !check.lessons.isEmpty()) {
                std::fprintf(stderr, "memscope: usage: memscope check NAME|FILE... [--json] | memscope check --all\n");
                return 2;
            }
            return memscope::app::checkLessonsCommand(runtime, check);
        }
        // A recording is read (and refused with its reason) before any window opens.
        if (!args.isEmpty() && args.first() == QLatin1String("open")) {
            if (args.size() != 2) {
                std::fprintf(stderr, "memscope: usage: memscope open FILE.msrec\n");
                return 2;
            }
            if (!opened) { // options before the file: read here
                memscope::engine::RecordingResult read = memscope::engine::readRecording(args.at(1).toStdString());
                if (!read.ok()) {
                    std::fprintf(stderr, "memscope open: %s\n", read.error.c_str());
                    return 2;
                }
                opened = std::move(read.recording);
            }
        }
        if (!args.isEmpty() && args.first() == QLatin1String("lesson") && (args.size() != 2 || !lesson)) {
            std::fprintf(stderr,
                         "memscope: usage: memscope lesson NAME|FILE [--lesson-step N] (options after the "
                         "lesson)\n");
            return 2;
        }
        int lessonSteps = 0;
        if (parser.isSet(lessonStep)) {
            bool ok = false;
            lessonSteps = parser.value(lessonStep).toInt(&ok);
            if (!lesson || !ok || lessonSteps < 1) {
                std::fprintf(stderr,
                             "memscope: --lesson-step wants `memscope lesson NAME` and a step from 1, not '%s'\n",
                             qPrintable(parser.value(lessonStep)));
                return 2;
            }
        }
        if (!args.isEmpty() && !opened && !lesson) {
            std::fprintf(stderr, "memscope: unknown command '%s' (see memscope --help)\n", qPrintable(args.first()));
            return 2;
        }

        // The interpreter starts on its own thread; its start-up error, if any,
        // shows in the console instead of ending the app. A recording needs none.
        std::unique_ptr<memscope::python::PythonBackend> backend;
        std::string startError;
        if (!opened) {
            memscope::python::PythonBackendOptions pythonOptions;
            pythonOptions.executable = parser.value(python).toStdString();
            backend = std::make_unique<memscope::python::PythonBackend>(runtime, pythonOptions);
            startError = backend->waitForStart();
            if (!startError.empty())
                backend.reset();
        }
        memscope::ui::MainWindow window(runtime, backend.get());
        if (opened)
            window.showRecording(*opened, args.at(1));
        // Named on the command line by the person running it: trusted as
        // `memscope run FILE` is.
        if (lesson)
            window.lessonPanel()->setLesson(std::move(*lesson));
        if (!startError.empty())
            window.statusBar()->showMessage(
                QObject::tr("Python did not start: %1").arg(QString::fromStdString(startError)));
        if (parser.isSet(theme)) {
            const QString t = parser.value(theme);
            window.theme()->apply(t == QLatin1String("dark")        ? memscope::ui::ThemeChoice::Dark
                                      : t == QLatin1String("light") ? memscope::ui::ThemeChoice::Light
                                                                    : memscope::ui::ThemeChoice::System);
        }
        window.show();
        if (parser.isSet(script)) {
            // Typed into the console line by line, as a person would; a final
            // blank line closes a block the file leaves open.
            QFile f(parser.value(script));
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "memscope: cannot read %s\n", qPrintable(parser.value(script)));
                return 2;
            }
            QStringDecoder utf8(QStringDecoder::Utf8);
            QString text = utf8(f.read(memscope::engine::StepSource::kMaxScriptBytes));
            if (utf8.hasError()) {
                std::fprintf(stderr, "memscope: %s is not UTF-8 text\n", qPrintable(parser.value(script)));
                return 2;
            }
            while (!text.isEmpty() && text.back().isSpace())
                text.chop(1);
            window.console()->submitInput(text + QLatin1Char('\n'));
        }
        if (parser.isSet(runScript)) {
            QString error;
            if (!window.runScriptFile(parser.value(runScript), &error)) {
                std::fprintf(stderr, "memscope: %s\n", qPrintable(error));
                return 2;
            }
        }
        if (parser.isSet(present)) {
            bool ok = false;
            const int percent = parser.value(present).toInt(&ok);
            if (!ok || percent < 100 || percent > 300) {
                std::fprintf(stderr, "memscope: --present wants a text size from 100 to 300 (%%), not '%s'\n",
                             qPrintable(parser.value(present)));
                return 2;
            }
            window.setPresenting(true);
            window.setTextScale(percent / 100.0);
        }
        if (parser.isSet(size)) {
            const QSize s = parseSize(parser.value(size)).value_or(QSize());
            const int w = s.width();
            const int h = s.height();
            if (w < 320 || h < 240 || w > 8192 || h > 8192) {
                std::fprintf(stderr, "memscope: --size wants <width>x<height> such as 1280x720, not '%s'\n",
                             qPrintable(parser.value(size)));
                return 2;
            }
            // A window of exactly this size, full screen or not (a slide's frame).
            window.showNormal();
            window.resize(w, h);
        }
        int shownStep = 0;
        if (parser.isSet(step)) {
            bool ok = false;
            shownStep = parser.value(step).toInt(&ok);
            if (!ok || shownStep < 1) {
                std::fprintf(stderr, "memscope: --step wants a step number from 1, not '%s'\n",
                             qPrintable(parser.value(step)));
                return 2;
            }
        }
        if (lessonSteps > 0)
            window.lessonPanel()->runThrough(lessonSteps);
        if (parser.isSet(screenshot)) {
            // Once the console is idle (the script, if any, has run), grab the window.
            const QString file = parser.value(screenshot);
            auto *poll = new QTimer(&window);
            QObject::connect(poll, &QTimer::timeout, &window, [&window, file, poll, shownStep] {
                if (window.session()->hasBackend() && !window.console()->isIdle())
                    return;
                if (window.lessonPanel()->isBusy())
                    return;
                poll->stop();
                if (shownStep > window.session()->stepCount())
                    std::fprintf(stderr, "memscope: --step %d: the timeline has %d step(s); showing the last\n",
                                 shownStep, window.session()->stepCount());
                if (shownStep > 0)
                    window.session()->setCursor(shownStep - 1);
                QCoreApplication::processEvents(); // the plots' queued replot
                window.canvas()->zoomToFit(
                    1.0); // the whole canvas where it fits, never enlarged, never shrunk below legible
                // The same picture on every run: no flash caught mid-fade, no blinking caret.
                window.scene()->settle();
                window.console()->setCursorWidth(0);
                const bool ok = window.grab().save(file);
                if (!ok)
                    std::fprintf(stderr, "memscope: could not write %s\n", qPrintable(file));
                QCoreApplication::exit(ok ? 0 : 1);
            });
            poll->start(200);
        }
        const int rc = app->exec();
        // The interpreter goes first (it joins its thread and finalises Python),
        // so no callback can reach the window after this.
        window.session()->detachBackend();
        backend.reset();
        return rc;
    } catch (const memscope::engine::Error &e) {
        std::fprintf(stderr, "memscope: %s\n", e.what());
        return 1;
    } catch (const std::exception &e) { // out of memory, no thread to start: said, not an abort
        std::fprintf(stderr, "memscope: %s\n", e.what());
        return 1;
    }
}
