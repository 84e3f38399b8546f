// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/step/step.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

enum class OutputStream { Stdout, Stderr };

/// Code to run step by step, and how.
struct StepSource
{
    /// A file larger than this is refused unread as a script (`/dev/zero` must
    /// not eat the machine's memory): one limit for every consumer.
    static constexpr std::int64_t kMaxScriptBytes = std::int64_t {64} << 20;

    enum class Mode {
        /// As `python script.py`: the source is the file's bytes (a BOM or a
        /// `# coding:` line is honoured), `__file__` and `sys.argv` are set,
        /// the script's folder is importable, `sys.exit(n)` ends the run.
        Script,
        /// As typed at a prompt: expression statements echo their value,
        /// `sys.exit()` is reported and ignored.
        Console,
    };
    std::string code; ///< raw bytes for Script, UTF-8 text for Console
    std::string filename = "<console>";
    Mode mode = Mode::Console;
    std::vector<std::string> argv; ///< sys.argv[1:] for Script
};

/// The one way every consumer (console, `memscope run`, lessons, check,
/// export) runs code: the source is parsed, and each top-level statement runs
/// exactly once as one step, on the runner's own thread. Every call returns
/// at once; results arrive through the callbacks on the runner's thread
/// (callers marshal them to their own). Qt-free and Python-free, so a runner
/// in another process can stand behind it.
class StepRunner
{
public:
    using OutputHandler = std::function<void(OutputStream, std::string_view)>;
    using StepHandler = std::function<void(const Step &)>;
    using RunFinished = std::function<void(const RunEnd &)>;

    virtual ~StepRunner() = default;

    /// Receives stdout and stderr text as it is written, from any thread.
    virtual void setOutputHandler(OutputHandler handler) = 0;
    /// Runs `source` statement by statement: `eachStep` after every statement,
    /// then `done`. It stops after the first statement that fails; a source
    /// that does not compile runs nothing and makes no step.
    virtual void runSource(StepSource source, StepHandler eachStep, RunFinished done) = 0;
    /// A fresh namespace and step numbering from 1; `done` follows.
    virtual void reset(std::function<void()> done) = 0;
    /// Raises KeyboardInterrupt in the running statement, whichever step of a
    /// run it is; a run interrupted between statements runs no more of them.
    /// Does nothing when idle.
    virtual void interrupt() = 0;
    virtual bool isBusy() const = 0;
};

} // namespace memscope::engine
