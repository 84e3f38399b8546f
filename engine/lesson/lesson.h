// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/lesson/expectation.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace memscope::engine {

/// What a lesson needs on this machine (front matter `requires:`).
enum class Requirement { NumPy, Torch, TensorFlow, Cuda, CudaOrEmulated };

/// A multiple-choice question shown before a step's code runs.
struct Prediction
{
    std::string question;
    struct Choice
    {
        std::string text;
        bool right = false; ///< marked with " (*)" in the file
    };
    std::vector<Choice> choices;
    int line = 0; ///< of the ```predict fence
};

/// One `## ` section of a lesson.
struct LessonStep
{
    std::string title; ///< the heading's text: the step's caption
    std::string narration; ///< Markdown, the fenced blocks taken out
    std::string code; ///< the ```python block: several top-level statements allowed
    int codeLine = 0; ///< file line of the code's first line (tracebacks name it)
    std::optional<Prediction> prediction;
    std::vector<Expectation> expectations; ///< from the ```expect block, claims included
    std::vector<Requirement> requires_; ///< a step may need more than the lesson (optional `requires` line in expect)
    int line = 0; ///< of the heading
};

struct Lesson
{
    std::string id;
    std::string title;
    std::string summary;
    std::vector<Requirement> requirements;
    std::vector<LessonStep> steps;
    std::string file; ///< where it was read from (a bundled one: ":/lessons/NAME.md")
};

/// Where and why a lesson could not be read: "numpy-views.md:14: unknown
/// expectation 'aliases' (expected alias, copy, convert, ...)".
struct LessonError
{
    std::string file;
    int line = 0; ///< 0: the file as a whole (empty, not UTF-8)
    std::string message;

    std::string toString() const;
};

/// Parses a lesson file (docs/LESSONS.md). Strict: anything malformed is an
/// error naming the line and what was expected, and nothing of the lesson is
/// returned (a lesson never half-runs):
/// - front matter between `---` lines at the very top, `key: value` lines with
///   `id`, `title` (required), `requires` (comma list of numpy, torch,
///   tensorflow, cuda, cuda-or-emulated), `summary`; unknown keys are errors;
/// - each `## ` heading starts a step; text before the first one is an error
///   unless blank;
/// - per step at most one ```python block (required), one ```predict and one
///   ```expect block; other fences (```text, ```) are narration;
/// - an unclosed fence, invalid UTF-8, a prediction without a right choice, an
///   expectation naming an object no step's code binds are errors. A path's
///   root counts (`lin` of `lin.weight`); a name is "bound" by this step's
///   code or an earlier step's when it is an `=` target (a plain identifier
///   or a tuple of them; `a[0] =`, `a.x =` and `a += ` bind nothing), a `for`
///   target, imported (`import NAME`, `import x as NAME`, `from m import
///   NAME`), a `with`/`except ... as NAME`, `NAME :=`, or a `def`/`class`
///   (engine/lesson/lessontext.h, boundNames). `raises` names an exception,
///   never checked.
std::variant<Lesson, LessonError> parseLesson(std::string_view text, std::string_view file);

std::string_view requirementName(Requirement r);

} // namespace memscope::engine
