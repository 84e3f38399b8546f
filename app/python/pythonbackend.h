// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/python/modulestate.h"
#include "engine/changetracker.h"
#include "engine/scriptbackend.h"
#include "engine/step/step.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace memscope::engine {
class Runtime;
}

namespace memscope::python {

struct PythonBackendOptions
{
    /// The Python whose environment (sys.prefix, site-packages) the embedded
    /// interpreter uses. Empty: $MEMSCOPE_PYTHON, else the build's default.
    std::string executable;
    AdapterOptions adapter;
    engine::ChangeOptions changes;
};

/// The embedded CPython interpreter, on a thread of its own that holds the GIL
/// while code runs. After every statement it reads the namespace through the
/// adapters and builds a Snapshot. Nothing here blocks the caller except
/// waitForStart().
class PythonBackend final : public engine::ScriptBackend
{
public:
    explicit PythonBackend(engine::Runtime &runtime, PythonBackendOptions options = {});
    ~PythonBackend() override;
    PythonBackend(const PythonBackend &) = delete;
    PythonBackend &operator=(const PythonBackend &) = delete;

    /// Waits until the interpreter has started. Returns why it could not
    /// (wrong Python version, missing interpreter), or an empty string.
    std::string waitForStart();
    /// "Python 3.11.2 at /path/venv/bin/python (prefix /path/venv)", once started.
    std::string environment() const;

    void setOutputHandler(OutputHandler handler) override;
    void runSource(engine::StepSource source, StepHandler eachStep, RunFinished done) override;
    void reset(std::function<void()> done) override;
    void push(std::string line, StepHandler eachStep, RunFinished done) override;
    void complete(std::string text, Completions done) override;
    void writeElement(std::uint64_t objectId, std::int64_t flatIndex, std::string text, bool force,
                      EditDone done) override;
    void describeEnvironment(std::function<void(std::string)> done) override;
    void readElements(std::uint64_t objectId, std::int64_t first, std::int64_t count, ElementsRead done) override;
    void interrupt() override;
    void cancelInput() override;
    bool isBusy() const override { return m_pending.load() > 0; }

    /// "" when `executable` runs and is the Python version MemScope was built
    /// against; else a message naming the path and both versions.
    static std::string checkInterpreter(const std::string &executable);
    static std::string defaultExecutable();

private:
    struct PyState;
    /// Runs on the interpreter thread; returns what to tell the caller, which
    /// runs after the backend is idle again.
    using Job = std::function<std::function<void()>()>;
    /// What to tell the caller when a job fails with an exception (never silence).
    using Failure = std::function<std::function<void()>(std::string message)>;
    static Failure failRun(RunFinished done);

    void threadMain();
    void interrupterMain();
    void post(Job job, Failure fail);
    void emitOutput(engine::OutputStream stream, std::string_view text);
    /// Parses `source` and runs its statements one step each (interpreter thread).
    engine::RunEnd runStatements(const engine::StepSource &source, const StepHandler &eachStep);
    /// Runs one compiled statement in __main__ with the user's builtins and
    /// tracers in place; fills status, error and exit code of `step`.
    void execute(pybind11::handle code, bool console, engine::Step &step);
    /// A fresh snapshot of the namespace after `statement` (interpreter thread).
    std::shared_ptr<const engine::Snapshot> takeSnapshot(const std::string &statement);
    std::shared_ptr<const engine::Snapshot> latestSnapshot() const; ///< interpreter thread only
    void writeFactElement(const engine::MemoryFact &fact, std::int64_t flatIndex, const std::string &text, bool force);
    /// A pending KeyboardInterrupt meant for user code that has already
    /// returned is raised and dropped here, never in MemScope's own code.
    void dropPendingInterrupt();
    void startCapture();
    std::string stopCapture(bool *abridged);

    engine::Runtime &m_runtime;
    PythonBackendOptions m_options;
    ModuleState m_moduleState;

    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    struct Queued
    {
        std::uint64_t number; ///< in the order posted, from 1
        Job job;
        Failure fail;
    };
    std::deque<Queued> m_jobs;
    bool m_quit = false;
    bool m_started = false;
    std::string m_startError;
    std::string m_environment;
    std::condition_variable m_startedCv;

    std::mutex m_outputMutex;
    OutputHandler m_output;
    bool m_capturing = false; ///< collecting a step's output (under m_outputMutex)
    std::string m_captured;
    bool m_capturedAbridged = false;

    std::atomic<int> m_pending {0};
    /// The number of the job being run (0 when idle) and whether user code of
    /// it runs now: interrupts are delivered only into user code. Jobs
    /// numbered up to m_interruptedUpTo run no further statement, so an
    /// interrupt also stops a job that was posted but had not started.
    std::atomic<std::uint64_t> m_currentJob {0};
    std::atomic<bool> m_inUserCode {false};
    std::atomic<std::uint64_t> m_interruptedUpTo {0};
    std::atomic<std::uint64_t> m_posted {0}; ///< the number of the last job posted
    unsigned long m_pythonThread = 0; ///< PyThread ident of the interpreter thread

    // Interrupts are delivered from a thread of their own: taking the GIL can
    // take as long as a C call that holds it, and the GUI must not wait.
    std::thread m_interrupter;
    std::mutex m_interruptMutex;
    std::condition_variable m_interruptCv;
    std::uint64_t m_interruptRequest = 0;
    bool m_interrupterQuit = false;

    std::unique_ptr<PyState> m_py; // touched only on the interpreter thread
};

} // namespace memscope::python
