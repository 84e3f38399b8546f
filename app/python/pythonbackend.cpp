// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/pythonbackend.h"

#include "app/python/adapters.h"
#include "consolesource.h"
#include "engine/error.h"
#include "engine/runtime.h"
#include "engine/scalar.h"
#include "engine/snapshot.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

void linkEmbeddedModule(); // embedded.cpp

namespace {

using Clock = std::chrono::steady_clock;

// sys.stdout / sys.stderr replacement: text goes to the backend's handler,
// from whichever Python thread writes it.
struct OutputSink
{
    std::function<void(std::string_view)> emit;
    OutputStream stream;
};

// Text for C++: UTF-8 with undecodable characters (lone surrogates) replaced,
// so odd output or tracebacks never make a job fail.
std::string utf8(py::handle text)
{
    PyObject *bytes = PyUnicode_AsEncodedString(text.ptr(), "utf-8", "replace");
    if (!bytes) {
        PyErr_Clear();
        return "<undecodable text>";
    }
    return py::reinterpret_steal<py::bytes>(bytes).cast<std::string>();
}

HostBytes hostReader()
{
    // Called on the interpreter thread with the GIL held, while every object in
    // the snapshot is referenced: the memory cannot be freed under us.
    return [](const Device &d, Address base, std::uint64_t size) {
        return d.isCpu() ? std::span(reinterpret_cast<const std::byte *>(base), size) : std::span<const std::byte>();
    };
}

} // namespace

struct PythonBackend::PyState
{
    py::object console;
    py::object consoleModule;
    py::dict ns;
    std::vector<py::object> keepAlive; // objects of the latest snapshot
    std::unique_ptr<SnapshotBuilder> builder;
};

std::string PythonBackend::defaultExecutable()
{
    if (const char *env = std::getenv("MEMSCOPE_PYTHON"); env && *env)
        return env;
    return MEMSCOPE_DEFAULT_PYTHON;
}

std::string PythonBackend::checkInterpreter(const std::string &executable)
{
    const std::string command =
        "'" + executable + "' -c 'import sys; print(sys.version_info[0], sys.version_info[1])' 2>/dev/null";
    if (executable.find('\'') != std::string::npos)
        return "the Python path '" + executable + "' contains a quote character";
    FILE *p = popen(command.c_str(), "r");
    int major = 0, minor = 0;
    const int got = p ? std::fscanf(p, "%d %d", &major, &minor) : 0;
    const int status = p ? pclose(p) : -1;
    if (got != 2 || status != 0)
        return "no working Python interpreter at '" + executable + "'";
    if (major != PY_MAJOR_VERSION || minor != PY_MINOR_VERSION)
        return "'" + executable + "' is Python " + std::to_string(major) + "." + std::to_string(minor) +
            ", but MemScope was built against Python " + std::to_string(PY_MAJOR_VERSION) + "." +
            std::to_string(PY_MINOR_VERSION) + ": choose an environment of Python " + std::to_string(PY_MAJOR_VERSION) +
            "." + std::to_string(PY_MINOR_VERSION);
    return {};
}

PythonBackend::PythonBackend(Runtime &runtime, PythonBackendOptions options)
    : m_runtime(runtime)
    , m_options(std::move(options))
{
    linkEmbeddedModule();
    if (m_options.executable.empty())
        m_options.executable = defaultExecutable();
    m_moduleState.runtime = &m_runtime;
    m_moduleState.adapter = m_options.adapter;
    m_thread = std::thread([this] { threadMain(); });
    m_interrupter = std::thread([this] { interrupterMain(); });
}

PythonBackend::~PythonBackend()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_jobs.clear();
    }
    interrupt(); // a running statement must end for the thread to stop
    {
        std::lock_guard lock(m_interruptMutex);
        m_interrupterQuit = true;
    }
    m_interruptCv.notify_all();
    m_interrupter.join(); // after delivering the interrupt, before Python is finalised
    m_wake.notify_all();
    m_thread.join();
}

std::string PythonBackend::waitForStart()
{
    std::unique_lock lock(m_mutex);
    m_startedCv.wait(lock, [this] { return m_started; });
    return m_startError;
}

std::string PythonBackend::environment() const
{
    std::lock_guard lock(m_mutex);
    return m_environment;
}

void PythonBackend::setOutputHandler(OutputHandler handler)
{
    std::lock_guard lock(m_outputMutex);
    m_output = std::move(handler);
}

void PythonBackend::emitOutput(OutputStream stream, std::string_view text)
{
    std::lock_guard lock(m_outputMutex);
    if (m_output)
        m_output(stream, text);
    else
        std::fwrite(text.data(), 1, text.size(), stream == OutputStream::Stdout ? stdout : stderr);
}

void PythonBackend::post(Job job, Failure fail)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_quit)
            return;
        ++m_pending;
        m_jobs.emplace_back(std::move(job), std::move(fail));
    }
    m_wake.notify_one();
}

PythonBackend::Failure PythonBackend::failWith(Finished done)
{
    return [done](std::string message) {
        ExecutionResult r;
        r.status = ExecutionResult::Status::Error;
        r.error = "MemScope internal error: " + message;
        return std::function<void()>([done, r] {
            if (done)
                done(r);
        });
    };
}

void PythonBackend::interrupt()
{
    const std::uint64_t job = m_currentJob.load();
    if (job == 0)
        return;
    {
        std::lock_guard lock(m_interruptMutex);
        m_interruptRequest = job;
    }
    m_interruptCv.notify_one();
}

void PythonBackend::interrupterMain()
{
    std::unique_lock lock(m_interruptMutex);
    for (;;) {
        m_interruptCv.wait(lock, [this] { return m_interruptRequest != 0 || m_interrupterQuit; });
        if (m_interruptRequest == 0)
            return; // quit, nothing left to deliver
        const std::uint64_t job = std::exchange(m_interruptRequest, 0);
        lock.unlock();
        // A job number is non-zero only while Python is initialised and running it.
        if (m_currentJob.load() == job) {
            // Waits for the GIL until the running code's next switch interval (5 ms),
            // or until a C call holding it returns. Pending calls (Py_AddPendingCall)
            // would not do: they run only on the thread CPython considers main.
            const PyGILState_STATE gil = PyGILState_Ensure();
            if (m_currentJob.load() == job)
                PyThreadState_SetAsyncExc(m_pythonThread, PyExc_KeyboardInterrupt);
            PyGILState_Release(gil);
        }
        lock.lock();
    }
}

void PythonBackend::cancelInput()
{
    post(
        [this] {
            m_py->console.attr("resetbuffer")();
            return std::function<void()>();
        },
        {});
}

void PythonBackend::threadMain()
{
    const std::string problem = checkInterpreter(m_options.executable);
    if (!problem.empty()) {
        std::lock_guard lock(m_mutex);
        m_startError = problem;
        m_started = true;
        m_startedCv.notify_all();
        return;
    }
    if (!std::getenv("TF_CPP_MIN_LOG_LEVEL"))
        setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0); // TensorFlow's C++ start-up chatter, not the user's output

    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.install_signal_handlers = 0; // Ctrl+C belongs to the GUI
    config.parse_argv = 0;
    PyConfig_SetBytesString(&config, &config.program_name, m_options.executable.c_str());
    PyConfig_SetBytesString(&config, &config.executable, m_options.executable.c_str());
    try {
        py::initialize_interpreter(&config, 0, nullptr, false);
    } catch (const std::exception &e) {
        std::lock_guard lock(m_mutex);
        m_startError = std::string("Python did not start: ") + e.what();
        m_started = true;
        m_startedCv.notify_all();
        return;
    }

    m_pythonThread = PyThread_get_thread_ident();
    m_py = std::make_unique<PyState>();
    try {
        py::module_ memscope = py::module_::import("memscope");
        installModuleState(memscope, &m_moduleState);
        py::class_<OutputSink>(memscope, "_OutputSink")
            .def("write",
                 [](OutputSink &s, py::str text) {
                     s.emit(utf8(text));
                     return py::len(text);
                 })
            .def("flush", [](OutputSink &) {})
            .def("isatty", [](OutputSink &) { return false; })
            .def("writable", [](OutputSink &) { return true; })
            .def_property_readonly("encoding", [](OutputSink &) { return "utf-8"; })
            .def_property_readonly("errors", [](OutputSink &) { return "replace"; });
        auto makeSink = [this](OutputStream stream) {
            return py::cast(OutputSink {[this, stream](std::string_view t) { emitOutput(stream, t); }, stream});
        };
        py::object out = makeSink(OutputStream::Stdout);
        py::object err = makeSink(OutputStream::Stderr);
        py::module_ sys = py::module_::import("sys");
        sys.attr("stdout") = out;
        sys.attr("stderr") = err;

        py::module_ types = py::module_::import("types");
        m_py->consoleModule = types.attr("ModuleType")("memscope._console");
        py::exec(kConsoleSource, m_py->consoleModule.attr("__dict__"));
        sys.attr("modules")["memscope._console"] = m_py->consoleModule;

        m_py->ns["__name__"] = "__main__";
        m_py->ns["__builtins__"] = py::module_::import("builtins");
        m_py->console = m_py->consoleModule.attr("Console")(m_py->ns, out, err);
        m_py->builder = std::make_unique<SnapshotBuilder>(m_options.changes);

        std::lock_guard lock(m_mutex);
        m_environment = "Python " + sys.attr("version").cast<std::string>().substr(0, 6) + " at " +
            sys.attr("executable").cast<std::string>() + " (prefix " + sys.attr("prefix").cast<std::string>() + ")";
    } catch (const std::exception &e) {
        std::lock_guard lock(m_mutex);
        m_startError = std::string("MemScope's console did not start: ") + e.what();
    }
    {
        std::lock_guard lock(m_mutex);
        m_started = true;
        m_startedCv.notify_all();
    }

    const bool usable = m_startError.empty();
    for (;;) {
        Job job;
        Failure fail;
        {
            py::gil_scoped_release release; // other Python threads run while we wait
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
            if (m_quit)
                break;
            std::tie(job, fail) = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        std::function<void()> notify;
        if (usable) {
            PyThreadState_SetAsyncExc(m_pythonThread, nullptr); // drop an interrupt meant for an earlier job
            m_currentJob = ++m_jobCounter;
            try {
                notify = job();
            } catch (const std::exception &e) {
                // Never leave the caller waiting: it gets an error result.
                const std::string message = e.what();
                emitOutput(OutputStream::Stderr, "MemScope internal error: " + message + "\n");
                try {
                    m_py->console.attr("resetbuffer")();
                } catch (const std::exception &) { }
                if (fail)
                    notify = fail(message);
            }
            m_currentJob = 0;
        }
        // Idle before the caller hears of the result, so isBusy() is false in its callback.
        --m_pending;
        if (notify)
            notify();
    }

    // Shut down with the GIL held. Finalising waits for non-daemon threads, so
    // it is skipped when user code left some running (the process is ending).
    bool finalize = true;
    try {
        finalize = py::module_::import("threading").attr("active_count")().cast<int>() <= 1;
        m_py.reset();
    } catch (const std::exception &) {
        finalize = false;
    }
    if (finalize) {
        py::finalize_interpreter();
        return;
    }
    // Threads that go on must not reach this backend, which is about to go.
    try {
        py::module_ sys = py::module_::import("sys");
        sys.attr("stdout") = sys.attr("__stdout__");
        sys.attr("stderr") = sys.attr("__stderr__");
        py::module_::import("memscope").attr("__dict__").attr("pop")("_state", py::none());
    } catch (const std::exception &) { }
    PyEval_SaveThread(); // leave the GIL to the remaining threads
}

std::shared_ptr<const Snapshot> PythonBackend::latestSnapshot() const
{
    return m_py->builder->latest();
}

ExecutionResult PythonBackend::resultOfLastStatement(const std::string &fallbackSource)
{
    py::object console = m_py->console;
    const py::object source = console.attr("last_source");
    const py::object error = console.attr("error");
    const bool interrupted = console.attr("interrupted").cast<bool>();
    ExecutionResult r = resultOfLastStatementFor(source.is_none() ? fallbackSource : utf8(source));
    if (!error.is_none()) {
        r.error = utf8(error);
        r.status = interrupted ? ExecutionResult::Status::Interrupted : ExecutionResult::Status::Error;
    }
    return r;
}

ExecutionResult PythonBackend::resultOfLastStatementFor(const std::string &statement)
{
    // User code is over: an interrupt from now on would only hit MemScope's own reading.
    m_currentJob = 0;
    PyThreadState_SetAsyncExc(m_pythonThread, nullptr);
    ExecutionResult r;
    r.source = statement;
    // The snapshot of the namespace after the statement.
    try {
        StepInfo step;
        step.statement = r.source;
        for (py::handle item : m_py->consoleModule.attr("assignments")(r.source)) {
            auto pair = item.cast<py::tuple>();
            step.assignments.push_back({pair[0].cast<std::string>(), pair[1].cast<std::vector<std::string>>()});
        }
        std::vector<py::object> keep;
        auto facts = scanNamespace(m_py->ns, m_options.adapter, &keep);
        r.snapshot = m_py->builder->build(std::move(facts), step, hostReader());
        m_py->keepAlive.swap(keep);
    } catch (const std::exception &e) {
        emitOutput(OutputStream::Stderr, std::string("MemScope could not read the namespace: ") + e.what() + "\n");
    }
    return r;
}

void PythonBackend::push(std::string line, Finished done)
{
    Failure fail = failWith(done);
    post(
        [this, line = std::move(line), done = std::move(done)] {
            const auto started = Clock::now();
            const bool more = m_py->console.attr("push_line")(line).cast<bool>();
            ExecutionResult r;
            if (more) {
                r.status = ExecutionResult::Status::Incomplete;
            } else if (m_py->console.attr("last_source").is_none() && m_py->console.attr("error").is_none()) {
                r.snapshot = m_py->builder->latest(); // a blank line or a comment: nothing ran, no new step
            } else {
                r = resultOfLastStatement(line);
            }
            r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
            return [done, r] {
                if (done)
                    done(r);
            };
        },
        std::move(fail));
}

void PythonBackend::run(std::string source, std::string filename, Finished done)
{
    Failure fail = failWith(done);
    post(
        [this, source = std::move(source), filename = std::move(filename), done = std::move(done)] {
            const auto started = Clock::now();
            m_py->console.attr("run_block")(source, filename);
            ExecutionResult r = resultOfLastStatement(source);
            r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
            return [done, r] {
                if (done)
                    done(r);
            };
        },
        std::move(fail));
}

void PythonBackend::runScript(std::string source, std::string filename, Finished eachStep,
                              std::function<void(bool, std::string)> allDone)
{
    Failure fail = [allDone](std::string m) {
        return std::function<void()>([allDone, m] {
            if (allDone)
                allDone(false, "MemScope internal error: " + m);
        });
    };
    post(
        [this, source = std::move(source), filename = std::move(filename), eachStep = std::move(eachStep),
         allDone = std::move(allDone)] {
            std::vector<std::pair<int, std::string>> statements;
            try {
                for (py::handle item : m_py->consoleModule.attr("split_statements")(source, filename)) {
                    auto pair = item.cast<py::tuple>();
                    statements.emplace_back(pair[0].cast<int>(), pair[1].cast<std::string>());
                }
            } catch (py::error_already_set &e) {
                // A syntax error anywhere: report it with file and line, run nothing.
                const std::string text =
                    py::str("")
                        .attr("join")(
                            py::module_::import("traceback").attr("format_exception_only")(e.type(), e.value()))
                        .cast<std::string>();
                return std::function<void()>([allDone, text] {
                    if (allDone)
                        allDone(false, text);
                });
            }
            for (const auto &[line, statement] : statements) {
                const auto started = Clock::now();
                m_py->console.attr("run_block")(statement, filename, line);
                ExecutionResult r = resultOfLastStatement(statement);
                r.firstLine = line;
                r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
                if (eachStep)
                    eachStep(r);
                if (r.status != ExecutionResult::Status::Ok)
                    return std::function<void()>([allDone, error = r.error] {
                        if (allDone)
                            allDone(false, error);
                    });
            }
            return std::function<void()>([allDone] {
                if (allDone)
                    allDone(true, {});
            });
        },
        std::move(fail));
}

void PythonBackend::describeEnvironment(std::function<void(std::string)> done)
{
    Failure fail = [done](std::string m) {
        return std::function<void()>([done, m] {
            if (done)
                done("versions unavailable: " + m);
        });
    };
    post(
        [this, done = std::move(done)] {
            std::string text;
            try {
                text = m_py->consoleModule.attr("versions")().cast<std::string>();
            } catch (const std::exception &e) {
                text = std::string("versions unavailable: ") + e.what();
            }
            return [done, text] {
                if (done)
                    done(text);
            };
        },
        std::move(fail));
}

void PythonBackend::complete(std::string text, Completions done)
{
    if (isBusy()) {
        if (done)
            done({});
        return;
    }
    Failure fail = [done](std::string) {
        return std::function<void()>([done] {
            if (done)
                done({});
        });
    };
    post(
        [this, text = std::move(text), done = std::move(done)] {
            std::vector<std::string> out;
            try {
                out = m_py->console.attr("complete")(text).cast<std::vector<std::string>>();
            } catch (const std::exception &) { }
            return [done, out = std::move(out)]() mutable {
                if (done)
                    done(std::move(out));
            };
        },
        std::move(fail));
}

} // namespace memscope::python
