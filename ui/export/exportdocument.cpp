// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportdocument.h"

#include "engine/runtime.h"
#include "engine/step/recording.h"

namespace memscope::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

/// The traceback's last line: "ZeroDivisionError: division by zero".
QString lastLine(const std::string &traceback)
{
    const QStringList lines = q(traceback).trimmed().split(QLatin1Char('\n'));
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

} // namespace

ExportStep lessonExportStep(const engine::LessonStep &step, int number)
{
    ExportStep out;
    out.number = number;
    out.title = q(step.title);
    out.narration = q(step.narration);
    out.code = q(step.code);
    out.line = step.codeLine;
    if (step.prediction) {
        ExportPrediction p;
        p.question = q(step.prediction->question);
        for (const engine::Prediction::Choice &c : step.prediction->choices) {
            p.choices << q(c.text);
            p.right.push_back(c.right);
        }
        out.prediction = std::move(p);
    }
    return out;
}

ExportVerdict exportVerdict(const engine::Expectation &expectation, const engine::ExpectationResult &result)
{
    return {q(expectation.text), expectation.claim, result.held, q(result.observed), q(result.evidence)};
}

void addStatementSteps(ExportDocument &doc)
{
    for (std::size_t i = 0; i < doc.timeline.size(); ++i) {
        const engine::Step &s = *doc.timeline[i];
        ExportStep out;
        out.number = int(i) + 1;
        out.title = QStringLiteral("line %1").arg(s.range.line);
        out.code = q(s.code);
        out.line = s.range.line;
        out.output = q(s.output);
        if (s.status == engine::Step::Status::Error || s.status == engine::Step::Status::Interrupted)
            out.raised = lastLine(s.error);
        out.timelineIndex = s.snapshot ? int(i) : -1;
        doc.steps.push_back(std::move(out));
    }
}

QString recordingVersions(const engine::RecordingInfo &info)
{
    QStringList versions;
    if (!info.pythonVersion.empty())
        versions << QStringLiteral("Python %1").arg(q(info.pythonVersion));
    for (const auto &[name, version] : info.frameworks)
        versions << QStringLiteral("%1 %2").arg(q(name), q(version));
    return versions.join(QStringLiteral(", "));
}

QStringList deviceLines(const engine::Runtime &runtime)
{
    QStringList out;
    for (const engine::Device &d : runtime.devices())
        out << QStringLiteral("%1 — %2").arg(q(d.toString()), q(runtime.backend(d)->description()));
    return out;
}

} // namespace memscope::ui
