// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/lesson/lessonrunner.h"

#include <algorithm>
#include <memory>

namespace memscope::engine {

std::string raisedName(std::string_view traceback)
{
    // The last non-empty line names the exception.
    while (!traceback.empty() && (traceback.back() == '\n' || traceback.back() == ' '))
        traceback.remove_suffix(1);
    const auto nl = traceback.rfind('\n');
    std::string_view last = nl == std::string_view::npos ? traceback : traceback.substr(nl + 1);
    const auto colon = last.find(':');
    std::string_view name = colon == std::string_view::npos ? last : last.substr(0, colon);
    while (!name.empty() && name.front() == ' ')
        name.remove_prefix(1);
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos)
        name = name.substr(dot + 1);
    return std::string(name);
}

StepSource lessonStepSource(const Lesson &lesson, const LessonStep &step)
{
    StepSource source;
    // Blank lines up to the code's own line: tracebacks and step ranges then
    // point into the lesson file.
    source.code = std::string(static_cast<std::size_t>(std::max(0, step.codeLine - 1)), '\n') + step.code;
    source.filename = lesson.file;
    source.mode = StepSource::Mode::Console;
    return source;
}

void recordRunEnd(StepObservation &observed, const RunEnd &end)
{
    if (end.status == RunEnd::Status::Error || end.status == RunEnd::Status::SyntaxError ||
        end.status == RunEnd::Status::Interrupted) {
        // The failing statement's traceback, or the compiler's message.
        const std::string &text =
            !observed.steps.empty() && !observed.steps.back().error.empty() ? observed.steps.back().error : end.error;
        observed.raised = end.status == RunEnd::Status::SyntaxError ? "SyntaxError" : raisedName(text);
        const auto last = text.find_last_not_of("\n ");
        const std::string trimmed = last == std::string::npos ? text : text.substr(0, last + 1);
        const auto nl = trimmed.rfind('\n');
        observed.raisedMessage = nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
    } else if (end.status == RunEnd::Status::Failed) {
        observed.raised = "MemScopeError";
        observed.raisedMessage = end.error;
    }
}

void runLessonStep(StepRunner &runner, const Lesson &lesson, const LessonStep &step,
                   std::function<void(StepObservation)> done)
{
    auto observed = std::make_shared<StepObservation>();
    runner.runSource(
        lessonStepSource(lesson, step), [observed](const Step &s) { observed->steps.push_back(s); },
        [observed, done = std::move(done)](const RunEnd &end) {
            recordRunEnd(*observed, end);
            done(std::move(*observed));
        });
}

} // namespace memscope::engine
