// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The benchmarks' interpreter: a runtime that leaves real GPUs alone (an
// emulated cuda:0 of 16 MiB, so figures do not depend on the machine's GPU)
// and the embedded Python, started.

#include "app/python/pythonbackend.h"
#include "engine/runtime.h"

#include <cstdio>

namespace memscope::bench {

struct BenchInterpreter
{
    static engine::RuntimeOptions options()
    {
        engine::RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = std::size_t {16} << 20;
        return o;
    }

    /// False, with the reason on stderr, when Python did not start.
    bool start()
    {
        if (const auto error = backend.waitForStart(); !error.empty()) {
            std::fprintf(stderr, "%s\n", error.c_str());
            return false;
        }
        return true;
    }

    engine::Runtime runtime {options()};
    python::PythonBackend backend {runtime};
};

} // namespace memscope::bench
