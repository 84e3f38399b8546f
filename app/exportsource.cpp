// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/exportsource.h"

#include "engine/lesson/lessonrunner.h"
#include "engine/runtime.h"
#include "engine/scriptbackend.h"

#include <QFileInfo>

#include <future>

using namespace memscope::engine;

namespace memscope::app {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

void freshNamespace(StepRunner &runner)
{
    std::promise<void> reset;
    runner.reset([&reset] { reset.set_value(); });
    reset.get_future().get();
}

} // namespace

ExportMachine describeExportMachine(ScriptBackend &backend, const Runtime &runtime)
{
    std::promise<std::string> text;
    backend.describeEnvironment([&text](std::string t) { text.set_value(std::move(t)); });
    ExportMachine machine;
    machine.environment = lessonEnvironment(text.get_future().get(), runtime.hasRealCuda());
    machine.devices = ui::deviceLines(runtime);
    return machine;
}

ui::ExportDocument lessonDocument(StepRunner &runner, const Lesson &given, const ExportMachine &machine,
                                  const RunProgress &progress)
{
    // Tracebacks in a handout name the lesson's file, not the folder it sits in.
    Lesson lesson = given;
    lesson.file = QFileInfo(q(given.file)).fileName().toStdString();
    ui::ExportDocument doc;
    doc.kind = ui::ExportDocument::Kind::Lesson;
    doc.id = q(lesson.id);
    doc.title = q(lesson.title);
    doc.summary = q(lesson.summary);
    doc.sourceName = QFileInfo(q(lesson.file)).fileName();
    doc.versions = q(machine.environment.versions);
    doc.devices = machine.devices;
    freshNamespace(runner);
    const std::string lessonMissing = machine.environment.missing(lesson.requirements);
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const LessonStep &step = lesson.steps[i];
        ui::ExportStep out = ui::lessonExportStep(step, int(i) + 1);
        if (progress && !progress(QStringLiteral("%1: step %2/%3").arg(doc.id).arg(i + 1).arg(lesson.steps.size())))
            break;
        const std::string missing = lessonMissing.empty() ? machine.environment.missing(step.requires_) : lessonMissing;
        if (!missing.empty()) {
            out.skipped = QStringLiteral("needs %1, not available here").arg(q(missing));
            doc.steps.push_back(std::move(out));
            continue;
        }
        std::promise<StepObservation> done;
        runLessonStep(runner, lesson, step, [&done](StepObservation o) { done.set_value(std::move(o)); });
        StepObservation observed = done.get_future().get();
        observed.versions = machine.environment.versions;
        for (const Expectation &e : step.expectations)
            out.verdicts.push_back(ui::exportVerdict(e, checkExpectation(e, observed)));
        if (!observed.raised.empty())
            out.raised = q(observed.raisedMessage.empty() ? observed.raised : observed.raisedMessage);
        for (const Step &s : observed.steps) {
            out.output += q(s.output);
            doc.timeline.push_back(std::make_shared<const Step>(s));
        }
        out.timelineIndex = observed.steps.empty() ? -1 : int(doc.timeline.size()) - 1;
        out.timelineFirst = observed.steps.empty() ? -1 : int(doc.timeline.size() - observed.steps.size());
        doc.steps.push_back(std::move(out));
    }
    return doc;
}

ui::ExportDocument scriptDocument(StepRunner &runner, const QString &path, const QByteArray &code,
                                  const ExportMachine &machine, const RunProgress &progress)
{
    ui::ExportDocument doc;
    doc.kind = ui::ExportDocument::Kind::Script;
    doc.id = QFileInfo(path).completeBaseName();
    doc.title = QFileInfo(path).fileName();
    doc.sourceName = QFileInfo(path).fileName();
    doc.versions = q(machine.environment.versions);
    doc.devices = machine.devices;
    freshNamespace(runner);
    StepSource source;
    source.code = code.toStdString();
    // The file's name only: tracebacks in a handout name no home folder.
    source.filename = doc.sourceName.toStdString();
    source.mode = StepSource::Mode::Script;
    std::promise<RunEnd> finished;
    runner.runSource(
        std::move(source),
        [&](const Step &step) {
            doc.timeline.push_back(std::make_shared<const Step>(step));
            if (progress)
                progress(QStringLiteral("%1: statement %2").arg(doc.id).arg(doc.timeline.size()));
            // Ctrl+C interrupts the running statement itself (InterruptOnSigint).
        },
        [&](const RunEnd &end) { finished.set_value(end); });
    const RunEnd end = finished.get_future().get();
    ui::addStatementSteps(doc);
    if (doc.steps.empty() && !end.error.empty()) // it did not compile: the export says why
        doc.summary = q(end.error).trimmed().section(QLatin1Char('\n'), -1);
    return doc;
}

ui::ExportDocument recordingDocument(const Recording &recording, const QString &path)
{
    ui::ExportDocument doc;
    doc.kind = ui::ExportDocument::Kind::Recording;
    doc.id = QFileInfo(path).completeBaseName();
    doc.title = recording.info.title.empty() ? QFileInfo(path).fileName() : q(recording.info.title);
    doc.sourceName = QFileInfo(path).fileName();
    doc.versions = ui::recordingVersions(recording.info);
    for (const std::string &d : recording.info.devices)
        doc.devices << q(d);
    doc.summary = QStringLiteral("Recorded from %1 with MemScope %2.")
                      .arg(QFileInfo(q(recording.info.source)).fileName(), q(recording.info.memscopeVersion));
    doc.timeline = recording.steps;
    ui::addStatementSteps(doc);
    return doc;
}

} // namespace memscope::app
