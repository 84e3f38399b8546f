// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/lesson/lesson.h"

#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

/// What a lesson can count on here, read from the interpreter's description
/// of itself ("Python 3.11.2 (/path/python)\nNumPy 1.24.2\nPyTorch 1.13.0\n...",
/// one line per installed framework) and whether a real GPU is in use.
struct LessonEnvironment
{
    std::string versions; ///< "Python 3.11.2, NumPy 1.24.2, PyTorch 1.13.0, TensorFlow 2.16.2": evidence names them
    bool numpy = false;
    bool torch = false;
    bool tensorflow = false;
    bool realCuda = false;

    bool has(Requirement r) const;
    /// What of `needs` is missing, by name: "tensorflow, cuda" (empty: nothing).
    std::string missing(const std::vector<Requirement> &needs) const;
};

/// The interpreter's path is left out of `versions`: it names a home folder
/// and belongs in no screenshot or handout.
LessonEnvironment lessonEnvironment(std::string_view description, bool realCuda);

} // namespace memscope::engine
