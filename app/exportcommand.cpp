// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/exportcommand.h"

#include "app/checkcommand.h"
#include "app/exportsource.h"
#include "app/interrupts.h"
#include "app/python/pythonbackend.h"
#include "engine/runtime.h"
#include "ui/export/outputfolder.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <cstring>
#include <variant>

using namespace memscope::engine;

namespace memscope::app {

namespace {

void say(const QString &text)
{
    const QByteArray bytes = (QStringLiteral("memscope export: ") + text + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

/// One SOURCE argument, read and parsed before anything runs.
struct Source
{
    QString name;
    std::variant<Lesson, QByteArray, Recording> what; ///< a lesson, a script's bytes, a recording
};

bool isRecording(const QString &path)
{
    if (path.endsWith(QLatin1String(".msrec"), Qt::CaseInsensitive))
        return true;
    QFile f(path);
    return f.open(QIODevice::ReadOnly) &&
        f.read(sizeof kRecordingMagic) == QByteArray(kRecordingMagic, sizeof kRecordingMagic);
}

/// Reads a source; an empty `error` means it can be exported.
Source readSource(const QString &name, QString &error)
{
    if (name.endsWith(QLatin1String(".py"), Qt::CaseInsensitive)) {
        QFile f(name);
        if (QFileInfo(name).isDir() || !f.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read the script %1").arg(name);
            return {};
        }
        QByteArray bytes = f.read(StepSource::kMaxScriptBytes + 1);
        if (bytes.size() > StepSource::kMaxScriptBytes) {
            error = QStringLiteral("%1 is larger than %2 MiB; that is no script")
                        .arg(name)
                        .arg(StepSource::kMaxScriptBytes >> 20);
            return {};
        }
        return {name, std::move(bytes)};
    }
    if (QFileInfo(name).isFile() && isRecording(name)) {
        RecordingResult read = readRecording(QFile::encodeName(name).toStdString());
        if (!read.ok()) {
            error = QString::fromStdString(read.error);
            return {};
        }
        return {name, std::move(*read.recording)};
    }
    const LessonSource source = findLesson(name);
    if (!source.error.isEmpty()) {
        error = source.error;
        return {};
    }
    auto parsed = parseLesson(source.text.toStdString(), source.file.toStdString());
    if (const auto *bad = std::get_if<LessonError>(&parsed)) {
        error = QString::fromStdString(bad->toString()) + QStringLiteral("\nnothing ran.");
        return {};
    }
    return {name, std::move(std::get<Lesson>(parsed))};
}

int failedExpectations(const ui::ExportDocument &doc)
{
    int failed = 0;
    for (const ui::ExportStep &s : doc.steps)
        for (const ui::ExportVerdict &v : s.verdicts)
            failed += (!v.claim && !v.held) ? 1 : 0;
    return failed;
}

} // namespace

int exportCommand(Runtime &runtime, const ExportCommandOptions &options)
{
    const ui::ExportOptions &out = options.exportOptions;
    QStringList names = options.sources;
    if (options.all)
        names += bundledLessons();
    if (names.isEmpty()) {
        say(QStringLiteral("name a lesson, a script (.py) or a recording (.msrec), or --all"));
        return 2;
    }
    // Everything that can be refused is refused before anything runs.
    for (const QString &why : {ui::OutputFolder::refusal(out.outDir, out.force), ui::exportOptionsProblem(out)})
        if (!why.isEmpty()) {
            say(why);
            return 2;
        }
    std::vector<Source> sources;
    bool needsPython = false;
    for (const QString &name : names) {
        QString error;
        Source s = readSource(name, error);
        if (!error.isEmpty()) {
            say(error);
            return 2;
        }
        needsPython = needsPython || !std::holds_alternative<Recording>(s.what);
        // Lessons and recordings know their steps before anything runs.
        std::size_t steps = 0;
        if (const auto *lesson = std::get_if<Lesson>(&s.what))
            steps = lesson->steps.size();
        else if (const auto *recording = std::get_if<Recording>(&s.what))
            steps = recording->steps.size();
        if ((steps > 0 || !std::holds_alternative<QByteArray>(s.what)) && out.firstStep > int(steps)) {
            say(QStringLiteral("%1 has %2 step(s); --steps %3- selects none of them")
                    .arg(name)
                    .arg(steps)
                    .arg(out.firstStep));
            return 2;
        }
        sources.push_back(std::move(s));
    }

    blockInterrupts(); // before the interpreter's thread starts: Ctrl+C is taken by one thread
    std::unique_ptr<python::PythonBackend> backend;
    std::unique_ptr<InterruptOnSigint> sigint;
    ExportMachine machine;
    if (needsPython) {
        python::PythonBackendOptions backendOptions;
        backendOptions.executable = options.python.toStdString();
        backend = std::make_unique<python::PythonBackend>(runtime, backendOptions);

        if (const std::string error = backend->waitForStart(); !error.empty()) {
            say(QString::fromStdString(error));
            return 2;
        }
        backend->setOutputHandler([](OutputStream, std::string_view) {}); // prints go into the handout
        machine = describeExportMachine(*backend, runtime);
    }
    sigint = std::make_unique<InterruptOnSigint>(backend.get());
    // Ctrl+C: the running statement is interrupted, nothing more runs or is
    // written, and the staging folder goes (the export ends normally).
    const auto interrupted = [&sigint] { return sigint && sigint->interrupted(); };
    const RunProgress running = [&interrupted](const QString &what) {
        if (interrupted())
            return false;
        say(QStringLiteral("running %1").arg(what));
        return true;
    };
    std::vector<ui::ExportDocument> documents;
    for (const Source &s : sources) {
        if (const auto *lesson = std::get_if<Lesson>(&s.what)) {
            documents.push_back(lessonDocument(*backend, *lesson, machine, running));
            if (const int failed = failedExpectations(documents.back()); failed > 0)
                say(QStringLiteral("note: %1: %2 expectation(s) FAILED on this machine; the handout shows them")
                        .arg(documents.back().title)
                        .arg(failed));
        } else if (const auto *code = std::get_if<QByteArray>(&s.what)) {
            documents.push_back(scriptDocument(*backend, s.name, *code, machine, running));
            if (interrupted())
                break;
            if (documents.back().steps.empty()) {
                const QString why = documents.back().summary;
                say(QStringLiteral("%1 ran no statement%2")
                        .arg(s.name, why.isEmpty() ? QStringLiteral(": it has none") : QStringLiteral(": ") + why));
                return 1;
            }
        } else {
            documents.push_back(recordingDocument(std::get<Recording>(s.what), s.name));
        }
        if (interrupted())
            break;
    }
    const auto stopped = [] {
        say(QStringLiteral("interrupted; nothing was written"));
        return 130; // as a shell reports a program ended by Ctrl+C
    };
    if (interrupted())
        return stopped();
    const ui::ExportResult result = ui::exportDocuments(
        documents, out,
        [&interrupted, shown = -1](int done, int total, const QString &what) mutable {
            if (done != shown) // asked again on each page of a step: said once
                say(QStringLiteral("[%1/%2] %3").arg(done).arg(total).arg(what));
            shown = done;
            return !interrupted();
        },
        &runtime);
    if (interrupted())
        return stopped();
    if (!result.ok) {
        say(result.error);
        return 1;
    }
    say(QStringLiteral("wrote %1 file(s) to %2").arg(result.files.size()).arg(out.outDir));
    return 0;
}

} // namespace memscope::app
