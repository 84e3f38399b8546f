// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Synchronous helpers over the asynchronous step runner, for tests.

#include "app/python/pythonbackend.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace memscope::testing {

/// Collects everything the interpreter writes; tests wait on it instead of sleeping.
struct OutputCollector
{
    std::mutex mutex;
    std::condition_variable grew;
    std::string out;
    std::string err;

    void attach(engine::StepRunner &backend)
    {
        backend.setOutputHandler([this](engine::OutputStream s, std::string_view text) {
            {
                std::lock_guard lock(mutex);
                (s == engine::OutputStream::Stdout ? out : err).append(text);
            }
            grew.notify_all();
        });
    }
    void clear()
    {
        std::lock_guard lock(mutex);
        out.clear();
        err.clear();
    }
    std::string stdoutText()
    {
        std::lock_guard lock(mutex);
        return out;
    }
    std::string stderrText()
    {
        std::lock_guard lock(mutex);
        return err;
    }
    /// Waits until stdout contains `text` (a bound, not a timing assertion).
    bool waitForStdout(const std::string &text, std::chrono::seconds bound = std::chrono::seconds(120))
    {
        std::unique_lock lock(mutex);
        return grew.wait_for(lock, bound, [&] { return out.find(text) != std::string::npos; });
    }
};

/// What one run (a console line, a script) produced.
struct Ran
{
    engine::RunEnd::Status status = engine::RunEnd::Status::Failed;
    std::string error;
    int exitCode = 0;
    std::shared_ptr<const engine::Snapshot> snapshot;
    std::vector<engine::Step> steps;
};

/// Collects steps and the end of a run; `future` becomes ready at the end.
struct RunWaiter
{
    std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
    std::shared_ptr<std::vector<engine::Step>> steps = std::make_shared<std::vector<engine::Step>>();
    std::shared_ptr<std::promise<engine::RunEnd>> promise = std::make_shared<std::promise<engine::RunEnd>>();
    std::future<engine::RunEnd> future = promise->get_future();

    engine::StepRunner::StepHandler onStep()
    {
        return [m = mutex, s = steps](const engine::Step &step) {
            std::lock_guard lock(*m);
            s->push_back(step);
        };
    }
    engine::StepRunner::RunFinished onEnd()
    {
        return [p = promise](const engine::RunEnd &end) { p->set_value(end); };
    }
    std::optional<Ran> wait(std::chrono::seconds bound = std::chrono::seconds(120))
    {
        if (future.wait_for(bound) != std::future_status::ready)
            return std::nullopt;
        const engine::RunEnd end = future.get();
        std::lock_guard lock(*mutex);
        return Ran {end.status, end.error, end.exitCode, end.snapshot, *steps};
    }
};

inline Ran timedOut()
{
    Ran r;
    r.error = "timed out";
    return r;
}

/// Pushes one console line and waits for its result.
inline std::optional<Ran> pushLine(engine::ScriptBackend &backend, const std::string &line)
{
    RunWaiter w;
    backend.push(line, w.onStep(), w.onEnd());
    return w.wait();
}

/// Types a statement line by line (a blank line closes an open block) and
/// returns what the last line completed.
inline Ran runStatement(engine::ScriptBackend &backend, const std::string &code)
{
    std::optional<Ran> last;
    std::size_t start = 0;
    while (start <= code.size()) {
        const auto end = code.find('\n', start);
        last = pushLine(backend, code.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!last)
            return timedOut();
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    if (last->status == engine::RunEnd::Status::Incomplete)
        last = pushLine(backend, "");
    return last ? *last : timedOut();
}

/// Runs a script (its file's bytes) and waits for the end of the run.
inline Ran runScript(engine::StepRunner &backend, const std::string &bytes, const std::string &filename,
                     std::vector<std::string> argv = {})
{
    engine::StepSource source;
    source.code = bytes;
    source.filename = filename;
    source.mode = engine::StepSource::Mode::Script;
    source.argv = std::move(argv);
    RunWaiter w;
    backend.runSource(std::move(source), w.onStep(), w.onEnd());
    const auto r = w.wait();
    return r ? *r : timedOut();
}

/// Whether the interpreter can import `name` (a pip or conda environment may
/// lack a framework); clears `output` before and after.
inline bool hasModule(engine::ScriptBackend &backend, OutputCollector &output, const std::string &name)
{
    output.clear();
    runStatement(backend, "import importlib.util as _u; print(_u.find_spec('" + name + "') is not None)");
    const bool found = output.stdoutText() == "True\n";
    output.clear();
    return found;
}

/// A fresh namespace, builtins and step numbering; waits until done.
inline void resetBackend(engine::StepRunner &backend)
{
    std::promise<void> done;
    backend.reset([&done] { done.set_value(); });
    done.get_future().wait();
}

/// Starts the interpreter a test class shares (no real GPU: an emulated
/// cuda:0 of 64 MiB) and collects its output. Returns the start-up error, or
/// empty.
inline std::string startBackend(std::unique_ptr<engine::Runtime> &runtime,
                                std::unique_ptr<python::PythonBackend> &backend, OutputCollector &output)
{
    engine::RuntimeOptions o;
    o.useCuda = false;
    o.emulatedCapacity = std::size_t {64} << 20;
    runtime = std::make_unique<engine::Runtime>(o);
    backend = std::make_unique<python::PythonBackend>(*runtime);
    if (std::string error = backend->waitForStart(); !error.empty())
        return error;
    output.attach(*backend);
    return {};
}

/// After every case the console must still run statements: why it cannot,
/// or empty.
inline std::string stillRuns(engine::ScriptBackend &backend, OutputCollector &output)
{
    if (runStatement(backend, "_alive = 6 * 7").status != engine::RunEnd::Status::Ok)
        return "`_alive = 6 * 7` did not run";
    runStatement(backend, "print(_alive)");
    if (!output.stdoutText().ends_with("42\n"))
        return "`print(_alive)` did not print 42";
    if (backend.isBusy())
        return "the interpreter is still busy";
    return {};
}

} // namespace memscope::testing

/// In a test class holding `m_backend` and `m_output`: a framework this
/// environment lacks is a visible skip.
#define requireModule(name)                                                                                            \
    do {                                                                                                               \
        if (!memscope::testing::hasModule(*m_backend, m_output, name))                                                 \
            QSKIP(name " is not installed in this environment");                                                       \
    } while (false)
