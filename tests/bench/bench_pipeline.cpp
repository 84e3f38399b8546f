// SPDX-License-Identifier: GPL-3.0-or-later
// The step pipeline on scenes a script may hold (issue 7): wall time of one
// step (the statement, the namespace scan, the snapshot with alias groups,
// relations and change detection) in the embedded interpreter, median over
// repeats, and the process's resident memory after it.
// Usage: bench_pipeline [repeats, default 5]

#include "benchinterpreter.h"
#include "engine/runtime.h"
#include "runandwait.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <string>
#include <vector>

using namespace memscope;
using Clock = std::chrono::steady_clock;

namespace {

long residentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    long kb = 0;
    while (status >> key)
        if (key == "VmRSS:") {
            status >> kb;
            break;
        }
    return kb / 1024;
}

// Runs `setup` once, then `step` `repeats` times; prints the median step time.
void measure(engine::StepRunner &runner, const char *what, const std::string &setup, const std::string &step,
             int repeats)
{
    if (!setup.empty() && bench::runAndWait(runner, setup).status != engine::RunEnd::Status::Ok) {
        std::printf("%-58s setup failed\n", what);
        return;
    }
    std::vector<double> ms;
    engine::RunEnd last;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        last = bench::runAndWait(runner, step);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-58s %9.2f ms  (%zu objects, %zu relations, RSS %ld MiB)\n", what, ms[ms.size() / 2],
                last.snapshot ? last.snapshot->facts.size() : 0, last.snapshot ? last.snapshot->relations.size() : 0,
                residentMiB());
}

} // namespace

int main(int argc, char **argv)
{
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    bench::BenchInterpreter interpreter;
    if (!interpreter.start())
        return 1;
    python::PythonBackend &backend = interpreter.backend;
    backend.setOutputHandler([](engine::OutputStream, std::string_view) {});
    bench::runAndWait(backend, "import numpy as np");
    std::printf("step = statement + namespace scan + snapshot; median of %d\n", repeats);
    measure(backend, "x = 1 (nothing else held)", "", "x = 1", repeats);
    measure(backend, "b = np.broadcast_to(np.zeros(3), (10**12, 3))", "",
            "b = np.broadcast_to(np.zeros(3), (10**12, 3))", repeats);
    measure(backend, "base[999] += 1 under broadcast_to(base[:,None],(1000,10**7))",
            "del b; base = np.zeros(1000); v = np.broadcast_to(base[:, None], (1000, 10**7))", "base[999] += 1",
            repeats);
    measure(backend, "x = 1 with 3,000 views of one array",
            "del v, base; big = np.arange(4000.0)\nfor i in range(3000): globals()['w%d' % i] = big[i:i + 100]",
            "x = 1", repeats);
    return 0;
}
