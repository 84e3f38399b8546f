// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/runcommand.h"

#include "app/python/pythonbackend.h"
#include "app/snapshotjson.h"
#include "engine/runtime.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <future>
#include <mutex>

using namespace memscope::engine;

namespace memscope::app {

namespace {

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

} // namespace

int runScriptCommand(Runtime &runtime, const QString &path, bool json, const QString &python)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        print(stderr, QStringLiteral("memscope run: cannot read %1: %2\n").arg(path, file.errorString()));
        return 2;
    }
    const std::string source = file.readAll().toStdString();

    // Declared before the backend, so they outlive it: output written while
    // the interpreter shuts down still finds them.
    std::mutex outputMutex;
    QString stepOutput; // JSON mode: Python's output, per step

    python::PythonBackendOptions options;
    options.executable = python.toStdString();
    python::PythonBackend backend(runtime, options);
    if (const std::string error = backend.waitForStart(); !error.empty()) {
        print(stderr, QStringLiteral("memscope run: %1\n").arg(QString::fromStdString(error)));
        return 2;
    }

    if (json) {
        backend.setOutputHandler([&](OutputStream, std::string_view text) {
            std::lock_guard lock(outputMutex);
            stepOutput += QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        });
    }

    QJsonArray steps;
    std::shared_ptr<const Snapshot> previous;
    std::promise<std::pair<bool, std::string>> finished;
    backend.runScript(
        source, QFileInfo(path).filePath().toStdString(),
        [&](const ExecutionResult &r) {
            // On the interpreter thread; the main thread only waits.
            if (json) {
                QJsonObject step = r.snapshot ? snapshotToJson(*r.snapshot) : QJsonObject();
                step[QStringLiteral("line")] = r.firstLine;
                step[QStringLiteral("statement")] = QString::fromStdString(r.source).trimmed();
                step[QStringLiteral("status")] =
                    r.status == ExecutionResult::Status::Ok ? QStringLiteral("ok") : QStringLiteral("error");
                step[QStringLiteral("seconds")] = r.seconds;
                if (!r.error.empty())
                    step[QStringLiteral("error")] = QString::fromStdString(r.error);
                std::lock_guard lock(outputMutex);
                step[QStringLiteral("output")] = stepOutput;
                stepOutput.clear();
                steps.append(step);
                return;
            }
            print(stdout,
                  QStringLiteral("[%1] line %2: %3\n")
                      .arg(r.snapshot ? r.snapshot->step : 0)
                      .arg(r.firstLine)
                      .arg(firstLine(r.source)));
            if (r.snapshot) {
                const QString text = snapshotToText(*r.snapshot, previous.get());
                if (!text.isEmpty())
                    print(stdout, text + QLatin1Char('\n'));
                previous = r.snapshot;
            }
        },
        [&](bool ok, std::string error) {
            finished.set_value({ok, std::move(error)});
        });
    const auto [ok, error] = finished.get_future().get();

    if (json) {
        QJsonObject doc;
        doc[QStringLiteral("script")] = path;
        doc[QStringLiteral("python")] = QString::fromStdString(backend.environment());
        doc[QStringLiteral("cuda")] = QString::fromStdString(runtime.cudaStatus());
        doc[QStringLiteral("ok")] = ok;
        if (!ok)
            doc[QStringLiteral("error")] = QString::fromStdString(error);
        doc[QStringLiteral("steps")] = steps;
        print(stdout, QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)));
    } else if (!ok && steps.isEmpty() && !error.empty() && !previous) {
        print(stderr,
              QStringLiteral("memscope run: %1 has a syntax error; nothing ran.\n%2")
                  .arg(path, QString::fromStdString(error)));
    }
    return ok ? 0 : 1;
}

} // namespace memscope::app
