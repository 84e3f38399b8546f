// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/pythonbackend.h"

#include "app/python/adapters.h"
#include "app/python/backendstate.h"
#include "consolesource.h"
#include "engine/error.h"
#include "engine/runtime.h"
#include "engine/scalar.h"
#include "engine/snapshot.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

void linkEmbeddedModule(); // embedded.cpp

namespace {

// sys.stdout / sys.stderr replacement: text goes to the backend's handler,
// from whichever Python thread writes it.
struct OutputSink
{
    std::function<void(std::string_view)> emit;
    OutputStream stream;
};

} // namespace

std::string utf8(py::handle text)
{
    PyObject *bytes = PyUnicode_AsEncodedString(text.ptr(), "utf-8", "replace");
    if (!bytes) {
        PyErr_Clear();
        return "<undecodable text>";
    }
    return py::reinterpret_steal<py::bytes>(bytes).cast<std::string>();
}

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
    // A step keeps what it wrote, up to a bound; the handler sees all of it.
    constexpr std::size_t kCaptureLimit = std::size_t {256} << 10;
    std::lock_guard lock(m_outputMutex);
    if (m_capturing) {
        const std::size_t room = kCaptureLimit - std::min(kCaptureLimit, m_captured.size());
        m_captured.append(text.substr(0, room));
        m_capturedAbridged = m_capturedAbridged || text.size() > room;
    }
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
        m_jobs.push_back({++m_posted, std::move(job), std::move(fail)});
    }
    m_wake.notify_one();
}

PythonBackend::Failure PythonBackend::failRun(RunFinished done)
{
    return [done](std::string message) {
        RunEnd end;
        end.status = RunEnd::Status::Failed;
        end.error = "MemScope internal error: " + message;
        return std::function<void()>([done, end] {
            if (done)
                done(end);
        });
    };
}

void PythonBackend::interrupt()
{
    if (m_pending.load() == 0)
        return; // idle: nothing to stop
    // Every job posted so far runs no further statement, started or not.
    const std::uint64_t upTo = m_posted.load();
    std::uint64_t was = m_interruptedUpTo.load();
    while (was < upTo && !m_interruptedUpTo.compare_exchange_weak(was, upTo)) { }
    const std::uint64_t job = m_currentJob.load();
    if (job == 0)
        return; // not started yet: it stops before its first statement
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
            // m_inUserCode changes only under the GIL, so it is exact here: the
            // exception lands in user code, never in MemScope's own.
            const PyGILState_STATE gil = PyGILState_Ensure();
            if (m_currentJob.load() == job && m_inUserCode.load())
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
            m_py->runner.attr("cancel_input")();
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

        py::module_ mainModule = py::module_::import("__main__");
        m_py->ns = mainModule.attr("__dict__");
        m_py->builtins = py::module_::import("builtins").attr("__dict__");
        m_py->pristine = py::reinterpret_steal<py::dict>(PyDict_Copy(m_py->builtins.ptr()));
        m_py->runner = m_py->consoleModule.attr("Runner")(mainModule, out, err);
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
        std::uint64_t number = 0;
        {
            py::gil_scoped_release release; // other Python threads run while we wait
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_quit || !m_jobs.empty(); });
            if (m_quit)
                break;
            number = m_jobs.front().number;
            job = std::move(m_jobs.front().job);
            fail = std::move(m_jobs.front().fail);
            m_jobs.pop_front();
        }
        std::function<void()> notify;
        if (usable) {
            m_currentJob = number;
            try {
                notify = job();
            } catch (const std::exception &e) {
                // Never leave the caller waiting: it gets an error result.
                const std::string message = e.what();
                emitOutput(OutputStream::Stderr, "MemScope internal error: " + message + "\n");
                try {
                    m_py->runner.attr("cancel_input")();
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
    bool finalize = false;
    try {
        finalize = py::module_::import("threading").attr("active_count")().cast<int>() <= 1;
    } catch (const std::exception &) {
        // A broken `threading` (sys.modules['threading'] = None): user threads cannot be told apart.
    }
    m_py.reset(); // while the GIL is held, whatever happened above
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
                out = m_py->runner.attr("complete")(text).cast<std::vector<std::string>>();
            } catch (const std::exception &) { }
            return [done, out = std::move(out)]() mutable {
                if (done)
                    done(std::move(out));
            };
        },
        std::move(fail));
}

} // namespace memscope::python
