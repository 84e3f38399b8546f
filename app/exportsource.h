// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What `memscope export` exports, gathered by running it: a lesson (checked
// step by step, as `memscope check` does), a script (one step per
// statement, as `memscope run` does) or a recording (read, nothing runs).

#include "engine/lesson/environment.h"
#include "engine/lesson/lesson.h"
#include "engine/step/recording.h"
#include "ui/export/exportdocument.h"

#include <QString>

#include <functional>

namespace memscope::engine {
class Runtime;
class ScriptBackend;
class StepRunner;
} // namespace memscope::engine

namespace memscope::app {

/// "lesson 3/9: step 2/5" lines for stderr while sources run; false stops
/// the run (Ctrl+C) before its next step.
using RunProgress = std::function<bool(const QString &what)>;

/// Python's and each framework's version, and the devices, without any home path.
struct ExportMachine
{
    engine::LessonEnvironment environment;
    QStringList devices; ///< "cpu — host memory"
};
ExportMachine describeExportMachine(engine::ScriptBackend &backend, const engine::Runtime &runtime);

/// Runs every step of `lesson` in a fresh namespace and records what each
/// showed and how its expectations came out. Steps this machine cannot run
/// (a framework or a GPU missing) are kept, marked skipped.
ui::ExportDocument lessonDocument(engine::StepRunner &runner, const engine::Lesson &lesson,
                                  const ExportMachine &machine, const RunProgress &progress = {});

/// Runs `code` as the script `path` (one step per top-level statement) in a
/// fresh namespace. A statement that raises ends the run, as under `python`;
/// the steps before it are kept and the last one says what was raised.
ui::ExportDocument scriptDocument(engine::StepRunner &runner, const QString &path, const QByteArray &code,
                                  const ExportMachine &machine, const RunProgress &progress = {});

/// A recording's steps; its header names the machine it was made on.
ui::ExportDocument recordingDocument(const engine::Recording &recording, const QString &path);

} // namespace memscope::app
