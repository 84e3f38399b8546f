// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/lesson/lesson.h"
#include "engine/step/steprunner.h"

#include <functional>
#include <string>

namespace memscope::engine {

/// The exception's name from a traceback's last line: "ZeroDivisionError"
/// from "ZeroDivisionError: division by zero", "InvalidArgumentError" from
/// "tensorflow.python.framework.errors_impl.InvalidArgumentError: ...".
std::string raisedName(std::string_view traceback);

/// The source a lesson step runs: its code, placed at its own lines of the
/// lesson file (blank lines before it), so a traceback names the lesson's
/// file and line.
StepSource lessonStepSource(const Lesson &lesson, const LessonStep &step);

/// Records in `observed` how a step's run ended: the exception it raised
/// (its name and the traceback's last line), if any.
void recordRunEnd(StepObservation &observed, const RunEnd &end);

/// Runs one lesson step on `runner` (every statement of its code, each one
/// step) and hands what it did to `done`, on the runner's thread. A statement
/// that raises ends the step; the lesson goes on with the next one.
void runLessonStep(StepRunner &runner, const Lesson &lesson, const LessonStep &step,
                   std::function<void(StepObservation)> done);

} // namespace memscope::engine
