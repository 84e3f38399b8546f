// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/windowdocument.h"

#include "engine/lesson/environment.h"
#include "engine/runtime.h"
#include "engine/step/recording.h"
#include "ui/export/outputfolder.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/session.h"

#include <QFileInfo>

namespace memscope::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

/// The lesson's steps that ran or were skipped, with what they showed.
void addLessonSteps(ExportDocument &doc, const LessonPanel &panel)
{
    const engine::Lesson &lesson = *panel.lesson();
    doc.kind = ExportDocument::Kind::Lesson;
    doc.id = q(lesson.id);
    doc.title = q(lesson.title);
    doc.summary = q(lesson.summary);
    doc.sourceName = QFileInfo(q(lesson.file)).fileName();
    // A step's statements run from its first timeline index to the next run step's.
    std::vector<int> firsts;
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const auto &o = panel.outcome(int(i));
        firsts.push_back(o && !o->skipped ? o->firstTimelineIndex : -1);
    }
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const auto &outcome = panel.outcome(int(i));
        if (!outcome)
            continue;
        const engine::LessonStep &step = lesson.steps[i];
        ExportStep out = lessonExportStep(step, int(i) + 1);
        if (outcome->skipped) {
            out.skipped = outcome->skipReason;
        } else {
            for (std::size_t e = 0; e < step.expectations.size() && e < outcome->results.size(); ++e)
                out.verdicts.push_back(exportVerdict(step.expectations[e], outcome->results[e]));
            if (!outcome->observed.raised.empty())
                out.raised = q(outcome->observed.raisedMessage);
            int end = int(doc.timeline.size());
            for (std::size_t n = i + 1; n < firsts.size(); ++n)
                if (firsts[n] >= 0) {
                    end = firsts[n];
                    break;
                }
            out.timelineIndex = std::min(end, int(doc.timeline.size())) - 1;
            out.timelineFirst = outcome->firstTimelineIndex;
            if (out.timelineIndex < outcome->firstTimelineIndex)
                out.timelineIndex = -1;
        }
        doc.steps.push_back(std::move(out));
    }
}

} // namespace

ExportDocument windowDocument(const Session &session, const LessonPanel *lessons, const QString &environment,
                              const QString &title, const engine::Runtime &runtime)
{
    ExportDocument doc;
    for (int i = 0; i < session.stepCount(); ++i)
        doc.timeline.push_back(session.stepAt(i));
    if (const engine::RecordingInfo *info = session.recordingInfo()) {
        doc.versions = recordingVersions(*info);
        for (const std::string &d : info->devices)
            doc.devices << q(d);
    } else {
        doc.versions = q(engine::lessonEnvironment(environment.toStdString(), runtime.hasRealCuda()).versions);
        doc.devices = deviceLines(runtime);
    }
    if (lessons && lessons->lesson()) {
        addLessonSteps(doc, *lessons);
        if (!doc.steps.empty())
            return doc;
    }
    doc.kind = session.isRecording() ? ExportDocument::Kind::Recording : ExportDocument::Kind::Script;
    doc.title = title;
    doc.id = sanitizedFileName(title, QStringLiteral("memscope"));
    doc.sourceName = title;
    addStatementSteps(doc);
    return doc;
}

} // namespace memscope::ui
