// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Benchmarks run console code and wait for the end of the run.

#include "engine/step/steprunner.h"

#include <future>
#include <string>

namespace memscope::bench {

inline engine::RunEnd runAndWait(engine::StepRunner &runner, const std::string &code)
{
    std::promise<engine::RunEnd> done;
    engine::StepSource source;
    source.code = code;
    source.filename = "<bench>";
    runner.runSource(source, {}, [&done](const engine::RunEnd &r) { done.set_value(r); });
    return done.get_future().get();
}

} // namespace memscope::bench
