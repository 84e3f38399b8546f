// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/runcommand.h"

#include "app/interrupts.h"
#include "app/python/pythonbackend.h"
#include "app/snapshotjson.h"
#include "engine/runtime.h"
#include "engine/step/recording.h"
#include "engine/step/timeline.h"
#include "ui/recordingio.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <future>

using namespace memscope::engine;

namespace memscope::app {

namespace {

constexpr qint64 kMaxScriptBytes = StepSource::kMaxScriptBytes;

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    std::fflush(stream);
}

QString firstLine(const std::string &statement)
{
    QString s = QString::fromStdString(statement).trimmed();
    const auto nl = s.indexOf(QLatin1Char('\n'));
    return nl < 0 ? s : s.left(nl) + QStringLiteral(" ...");
}

QString where(const Step &step)
{
    return step.range.column > 0 ? QStringLiteral("line %1, col %2").arg(step.range.line).arg(step.range.column + 1)
                                 : QStringLiteral("line %1").arg(step.range.line);
}

QJsonObject stepToJson(const Step &step)
{
    QJsonObject o = step.snapshot ? snapshotToJson(*step.snapshot) : QJsonObject();
    o[QStringLiteral("line")] = step.range.line;
    o[QStringLiteral("range")] =
        QJsonArray {step.range.line, step.range.column, step.range.endLine, step.range.endColumn};
    o[QStringLiteral("statement")] = QString::fromStdString(step.code);
    o[QStringLiteral("status")] = QString::fromLatin1(stepStatusName(step.status).data());
    o[QStringLiteral("seconds")] = step.seconds;
    if (!step.error.empty())
        o[QStringLiteral("error")] = QString::fromStdString(step.error);
    if (step.status == Step::Status::Exited)
        o[QStringLiteral("exit_code")] = step.exitCode;
    o[QStringLiteral("output")] = QString::fromStdString(step.output);
    if (step.outputAbridged)
        o[QStringLiteral("output_abridged")] = true;
    return o;
}

// The script's bytes, or an error message.
std::pair<QByteArray, QString> readScript(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).isDir())
        return {{}, QStringLiteral("%1 is a folder, not a script").arg(path)};
    if (!file.open(QIODevice::ReadOnly))
        return {{}, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    QByteArray bytes = file.read(kMaxScriptBytes + 1);
    if (bytes.size() > kMaxScriptBytes)
        return {{}, QStringLiteral("%1 is larger than %2 MiB; that is no script").arg(path).arg(kMaxScriptBytes >> 20)};
    return {bytes, {}};
}

} // namespace

int runScriptCommand(Runtime &runtime, const RunOptions &options)
{
    const QString &path = options.script;
    const auto [bytes, problem] = readScript(path);
    if (!problem.isEmpty()) {
        print(stderr, QStringLiteral("memscope run: %1\n").arg(problem));
        return 2;
    }

    blockInterrupts();
    python::PythonBackendOptions backendOptions;
    backendOptions.executable = options.python.toStdString();
    python::PythonBackend backend(runtime, backendOptions);
    InterruptOnSigint sigint(&backend);
    if (const std::string error = backend.waitForStart(); !error.empty()) {
        print(stderr, QStringLiteral("memscope run: %1\n").arg(QString::fromStdString(error)));
        return 2;
    }
    if (options.json) // the output is in each step's JSON, not mixed into it
        backend.setOutputHandler([](OutputStream, std::string_view) {});

    StepSource source;
    source.code = bytes.toStdString();
    source.filename = QFileInfo(path).filePath().toStdString();
    source.mode = StepSource::Mode::Script;
    for (const QString &a : options.arguments)
        source.argv.push_back(a.toStdString());

    // Steps arrive on the interpreter thread; this thread only waits.
    QJsonArray steps;
    std::shared_ptr<const Snapshot> previous;
    Timeline timeline; // what --record writes: values shared between steps, within the budget
    timeline.setPacker(recordingPacker());
    std::promise<RunEnd> finished;
    backend.runSource(
        std::move(source),
        [&](const Step &step) {
            if (!options.record.isEmpty())
                timeline.append(std::make_shared<const Step>(step));
            if (options.json) {
                steps.append(stepToJson(step));
                return;
            }
            print(stdout, QStringLiteral("[%1] %2: %3\n").arg(step.number()).arg(where(step), firstLine(step.code)));
            if (step.snapshot) {
                const QString text = snapshotToText(*step.snapshot, previous.get());
                if (!text.isEmpty())
                    print(stdout, text + QLatin1Char('\n'));
                previous = step.snapshot;
            }
        },
        [&](const RunEnd &end) { finished.set_value(end); });
    const RunEnd end = finished.get_future().get();

    const bool ok = end.status == RunEnd::Status::Ok || (end.status == RunEnd::Status::Exited && end.exitCode == 0);
    if (!options.record.isEmpty()) {
        std::promise<std::string> versions; // Python's and each framework's, from package metadata
        backend.describeEnvironment([&versions](std::string text) { versions.set_value(std::move(text)); });
        const RecordingInfo info = ui::recordingInfo(QString::fromStdString(versions.get_future().get()), runtime,
                                                     QFileInfo(path).absoluteFilePath());
        if (const std::string why = writeRecording(options.record.toStdString(), timeline.steps(), info);
            !why.empty()) {
            print(stderr,
                  QStringLiteral("memscope run: cannot write the recording %1: %2\n")
                      .arg(options.record, QString::fromStdString(why)));
            return 2;
        }
        print(stderr,
              QStringLiteral("memscope run: recorded %1 step(s) in %2 (memscope open %2 shows them)\n")
                  .arg(timeline.size())
                  .arg(options.record));
    }
    if (options.json) {
        QJsonObject doc;
        doc[QStringLiteral("script")] = path;
        doc[QStringLiteral("python")] = QString::fromStdString(backend.environment());
        doc[QStringLiteral("cuda")] = QString::fromStdString(runtime.cudaStatus());
        doc[QStringLiteral("ok")] = ok;
        doc[QStringLiteral("status")] = QString::fromLatin1(runStatusName(end.status).data());
        doc[QStringLiteral("exit_code")] = end.exitCode;
        if (!end.error.empty())
            doc[QStringLiteral("error")] = QString::fromStdString(end.error);
        doc[QStringLiteral("steps")] = steps;
        print(stdout, QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)));
    } else if (end.status == RunEnd::Status::SyntaxError) {
        print(stderr, QStringLiteral("memscope run: %1 does not compile; nothing ran.\n").arg(path));
    } else if (end.status == RunEnd::Status::Failed) {
        print(stderr, QStringLiteral("memscope run: %1\n").arg(QString::fromStdString(end.error)));
    }
    switch (end.status) {
    case RunEnd::Status::Ok:
        return 0;
    case RunEnd::Status::Exited:
        return end.exitCode;
    case RunEnd::Status::Failed:
        return 2;
    case RunEnd::Status::Interrupted:
        return 130; // as a shell reports a Python killed by Ctrl+C
    default:
        return 1;
    }
}

} // namespace memscope::app
