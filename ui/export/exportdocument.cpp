// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportdocument.h"

#include "engine/runtime.h"
#include "engine/step/recording.h"

#include <set>

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

std::vector<int> ExportDocument::touchedBuffers(const ExportStep &step) const
{
    const engine::Snapshot *last = snapshotOf(step);
    if (!last || step.timelineFirst < 0 || step.timelineFirst > step.timelineIndex)
        return {};
    std::set<std::uint64_t> before; // objects that existed before the step
    if (step.timelineFirst > 0 && timeline[std::size_t(step.timelineFirst - 1)]->snapshot)
        for (const engine::MemoryFact &f : timeline[std::size_t(step.timelineFirst - 1)]->snapshot->facts)
            before.insert(f.objectId);
    std::set<std::uint64_t> touched;
    int firstNumber = 1 << 30;
    for (int i = step.timelineFirst; i <= step.timelineIndex; ++i) {
        const engine::Snapshot *s = timeline[std::size_t(i)]->snapshot.get();
        if (!s)
            continue;
        firstNumber = std::min(firstNumber, s->step);
        for (std::size_t f = 0; f < s->facts.size() && f < s->changedCount.size(); ++f)
            if (s->changedCount[f] > 0)
                touched.insert(s->facts[f].objectId);
    }
    for (const engine::FactRelation &r : last->relations)
        if (!r.statement.empty() && r.step >= firstNumber && r.step <= last->step) {
            touched.insert(last->facts[std::size_t(r.from)].objectId);
            touched.insert(last->facts[std::size_t(r.to)].objectId);
        }
    std::set<int> buffers;
    for (std::size_t f = 0; f < last->facts.size() && f < last->bufferOf.size(); ++f) {
        const bool isNew = !before.count(last->facts[f].objectId);
        if ((isNew || touched.count(last->facts[f].objectId)) && last->bufferOf[f] >= 0)
            buffers.insert(last->bufferOf[f]);
    }
    if (buffers.size() == last->buffers.size())
        return {};
    return {buffers.begin(), buffers.end()};
}

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
        else if (s.status == engine::Step::Status::Exited) // sys.exit(n): the script ends here
            out.raised = QStringLiteral("SystemExit: the script ended here with status %1").arg(s.exitCode);
        out.timelineIndex = s.snapshot ? int(i) : -1;
        out.timelineFirst = out.timelineIndex;
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
