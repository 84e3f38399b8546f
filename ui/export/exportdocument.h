// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What an export shows, gathered once from a lesson, a script or a recording
// (app/exportsource.cpp runs them; the window fills it from what it shows),
// then written as pictures and handouts by ui/export/exporter.h. Plain data:
// everything here is text as the user wrote it (never escaped yet) and the
// engine's steps.

#include "engine/lesson/lesson.h"
#include "engine/step/step.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace memscope::engine {
class Runtime;
struct RecordingInfo;
} // namespace memscope::engine

namespace memscope::ui {

/// One expectation's verdict (lessons only).
struct ExportVerdict
{
    QString expectation; ///< as written: "alias t n"
    bool claim = false; ///< a `claim` line: shown held / not held, never a failure
    bool held = false;
    QString observed; ///< "observed copy"
    QString evidence; ///< byte ranges relative to each buffer, dtypes, versions
};

/// A question asked before the step ran, and its answer.
struct ExportPrediction
{
    QString question;
    QStringList choices;
    std::vector<bool> right; ///< one per choice
};

/// One exported step: one picture (or one set of pages) and one handout section.
struct ExportStep
{
    int number = 0; ///< 1-based in its source: names the files (step-03.png) and the handout's sections
    QString title; ///< a lesson step's heading; for scripts "Line 4" (the statement's line)
    QString narration; ///< Markdown (lessons); empty for scripts and recordings
    QString code; ///< the code the step ran
    int line = 0; ///< where the code starts in its source
    std::optional<ExportPrediction> prediction;
    std::vector<ExportVerdict> verdicts;
    QString skipped; ///< not empty: did not run here ("needs cuda, not available here"); no picture
    QString raised; ///< the traceback's last line when the code raised ("ZeroDivisionError: division by zero")
    QString output; ///< what it printed (abridged by the engine)
    /// Index into ExportDocument::timeline of the step's last statement: the
    /// memory the picture shows. -1: none (skipped, or nothing ran).
    int timelineIndex = -1;
    int timelineFirst = -1; ///< of the step's first statement (what the step touched starts there)
};

/// Everything exported for one source.
struct ExportDocument
{
    enum class Kind { Lesson, Script, Recording };
    Kind kind = Kind::Lesson;
    /// File-system friendly name (the lesson id, the script's base name); the
    /// exporter sanitises it again before it names anything.
    QString id;
    QString title;
    QString summary; ///< a lesson's front-matter summary
    QString sourceName; ///< "06-tensorflow-numpy.md", "demo.py": a file name, never a home path
    QString versions; ///< "Python 3.11.2, NumPy 1.24.2, PyTorch 1.13.0, TensorFlow 2.16.2"
    QStringList devices; ///< "cpu — host memory", "cuda:0 — emulated"
    /// Every statement that ran, oldest first (each with its snapshot): the
    /// pictures' memory, and the window view's timeline.
    std::vector<std::shared_ptr<const engine::Step>> timeline;
    std::vector<ExportStep> steps;

    /// The buffers of the step's picture that its own statements made,
    /// changed or linked (sorted indices into its snapshot's buffers); the
    /// rest was there before. Empty: no way to tell, or all of them.
    std::vector<int> touchedBuffers(const ExportStep &step) const;

    const engine::Snapshot *snapshotOf(const ExportStep &step) const
    {
        if (step.timelineIndex < 0 || step.timelineIndex >= int(timeline.size()))
            return nullptr;
        return timeline[std::size_t(step.timelineIndex)]->snapshot.get();
    }
};

/// A lesson step's words (title, narration, code, prediction), numbered from 1;
/// its verdicts and memory are the caller's to add.
ExportStep lessonExportStep(const engine::LessonStep &step, int number);
ExportVerdict exportVerdict(const engine::Expectation &expectation, const engine::ExpectationResult &result);
/// One exported step per statement of doc.timeline (scripts, console lines, recordings).
void addStatementSteps(ExportDocument &doc);
/// "Python 3.11.2, numpy 1.24.2, torch 1.13.0" from a recording's header.
QString recordingVersions(const engine::RecordingInfo &info);
/// "cpu — host memory", "cuda:0 — emulated device ..." for each of the runtime's devices.
QStringList deviceLines(const engine::Runtime &runtime);

} // namespace memscope::ui
