// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/lesson/environment.h"

#include <algorithm>

namespace memscope::engine {

bool LessonEnvironment::has(Requirement r) const
{
    switch (r) {
    case Requirement::NumPy:
        return numpy;
    case Requirement::Torch:
        return torch;
    case Requirement::TensorFlow:
        return tensorflow;
    case Requirement::Cuda:
        return realCuda;
    case Requirement::CudaOrEmulated:
        return true; // the emulated device is always there
    }
    return false;
}

std::string LessonEnvironment::missing(const std::vector<Requirement> &needs) const
{
    std::vector<Requirement> seen;
    std::string out;
    for (Requirement r : needs) {
        if (has(r) || std::find(seen.begin(), seen.end(), r) != seen.end())
            continue;
        seen.push_back(r);
        out += (out.empty() ? "" : ", ") + std::string(requirementName(r));
    }
    return out;
}

LessonEnvironment lessonEnvironment(std::string_view description, bool realCuda)
{
    LessonEnvironment env;
    env.realCuda = realCuda;
    while (!description.empty()) {
        const auto nl = description.find('\n');
        std::string_view line = description.substr(0, nl);
        description = nl == std::string_view::npos ? std::string_view() : description.substr(nl + 1);
        if (line.empty())
            continue;
        if (line.starts_with("Python ")) // "Python 3.11.2 (/path)": the version, not the path
            line = line.substr(0, line.find(' ', 7));
        env.numpy = env.numpy || line.starts_with("NumPy ");
        env.torch = env.torch || line.starts_with("PyTorch ");
        env.tensorflow = env.tensorflow || line.starts_with("TensorFlow ");
        env.versions += (env.versions.empty() ? "" : ", ") + std::string(line);
    }
    return env;
}

} // namespace memscope::engine
