// SPDX-License-Identifier: GPL-3.0-or-later
// The step pipeline inside the interpreter: a source is planned (parsed and
// compiled statement by statement, console.py), then each statement runs once
// in __main__ with the user's builtins and tracers in place, and becomes a Step.
#include "app/python/adapters.h"
#include "app/python/backendstate.h"
#include "app/python/pythonbackend.h"

#include <pybind11/stl.h>

#include <chrono>
#include <utility>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {
using Clock = std::chrono::steady_clock;
} // namespace

void PythonBackend::startCapture()
{
    std::lock_guard lock(m_outputMutex);
    m_capturing = true;
    m_captured.clear();
    m_capturedAbridged = false;
}

std::string PythonBackend::stopCapture(bool *abridged)
{
    std::lock_guard lock(m_outputMutex);
    m_capturing = false;
    *abridged = m_capturedAbridged;
    return std::exchange(m_captured, {});
}

void PythonBackend::dropPendingInterrupt()
{
    // An interrupt delivered just as user code returned is still pending on
    // this thread. Clearing it with PyThreadState_SetAsyncExc(id, NULL) would
    // leave CPython's eval breaker tripping on every call from then on (which
    // hangs scripts under a tracer); raising it in a function that does
    // nothing consumes it properly.
    PyThreadState *ts = PyThreadState_Get();
    for (int tries = 0; tries < 3 && ts->async_exc; ++tries) {
        PyObject *r = PyObject_CallNoArgs(m_py->consoleModule.attr("drain").ptr());
        if (r)
            Py_DECREF(r);
        else
            PyErr_Clear();
    }
}

void PythonBackend::execute(py::handle code, bool console, Step &step)
{
    PyState &st = *m_py;
    PyObject *builtins = st.builtins.ptr();
    // The user's builtins and tracers, exactly as the user left them.
    if (!st.userBuiltins.is_none()) {
        PyDict_Clear(builtins);
        PyDict_Update(builtins, st.userBuiltins.ptr());
    }
    if (st.traceFunc)
        PyEval_SetTrace(st.traceFunc, st.traceObj.ptr());
    if (st.profileFunc)
        PyEval_SetProfile(st.profileFunc, st.profileObj.ptr());

    m_inUserCode = true;
    PyObject *result = PyEval_EvalCode(code.ptr(), st.ns.ptr(), st.ns.ptr());
    m_inUserCode = false;
    PyObject *type = nullptr, *value = nullptr, *tb = nullptr;
    if (!result) {
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        if (tb && value)
            PyException_SetTraceback(value, tb);
    }
    Py_XDECREF(result);

    // MemScope's own work runs untraced, on the builtins it started with.
    PyThreadState *ts = PyThreadState_Get();
    st.traceFunc = ts->c_tracefunc;
    st.traceObj = py::reinterpret_borrow<py::object>(ts->c_traceobj ? ts->c_traceobj : Py_None);
    st.profileFunc = ts->c_profilefunc;
    st.profileObj = py::reinterpret_borrow<py::object>(ts->c_profileobj ? ts->c_profileobj : Py_None);
    if (st.traceFunc)
        PyEval_SetTrace(nullptr, nullptr);
    if (st.profileFunc)
        PyEval_SetProfile(nullptr, nullptr);
    st.userBuiltins = py::reinterpret_steal<py::object>(PyDict_Copy(builtins));
    PyDict_Clear(builtins);
    PyDict_Update(builtins, st.pristine.ptr());
    dropPendingInterrupt();

    if (!type)
        return;
    auto t = py::reinterpret_steal<py::object>(type);
    auto v = py::reinterpret_steal<py::object>(value ? value : Py_NewRef(Py_None));
    auto b = py::reinterpret_steal<py::object>(tb ? tb : Py_NewRef(Py_None));
    const py::tuple how = st.runner.attr("describe_exception")(t, v, b, console);
    const auto kind = how[0].cast<std::string>();
    step.error = utf8(how[1]);
    step.exitCode = how[2].cast<int>();
    step.status = kind == "exited" ? Step::Status::Exited
        : kind == "interrupted"    ? Step::Status::Interrupted
                                   : Step::Status::Error;
}

std::shared_ptr<const Snapshot> PythonBackend::takeSnapshot(const std::string &statement)
{
    try {
        StepInfo step;
        step.statement = statement;
        for (py::handle item : m_py->consoleModule.attr("assignments")(statement)) {
            auto pair = item.cast<py::tuple>();
            step.assignments.push_back({pair[0].cast<std::string>(), pair[1].cast<std::vector<std::string>>()});
        }
        // What the engine moved during the step; the log starts afresh, so it
        // never grows with the session.
        for (Direction d : {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D})
            step.engineTraffic[static_cast<std::size_t>(d)] = m_moduleState.events.totalBytes(d);
        m_moduleState.events.clear();
        std::vector<py::object> keep;
        auto facts = scanNamespace(m_py->ns, m_options.adapter, &keep, &step.notes);
        auto snapshot = m_py->builder->build(std::move(facts), step);
        m_py->keepAlive.swap(keep);
        return snapshot;
    } catch (const std::exception &e) {
        emitOutput(OutputStream::Stderr, std::string("MemScope could not read the namespace: ") + e.what() + "\n");
        return m_py->builder->latest();
    }
}

RunEnd PythonBackend::runStatements(const StepSource &source, const StepHandler &eachStep)
{
    RunEnd end;
    const bool console = source.mode == StepSource::Mode::Console;
    PyState &st = *m_py;
    st.runner.attr("restore_streams")();
    py::list plan;
    try {
        if (!console)
            st.runner.attr("enter_script")(source.filename, source.argv);
        const py::object code = console ? py::object(py::str(source.code)) : py::object(py::bytes(source.code));
        plan = st.runner.attr("plan")(code, source.filename, console);
    } catch (py::error_already_set &e) {
        // Nothing compiles, nothing runs, no step: the error names file and line.
        if (!e.matches(PyExc_SyntaxError) && !e.matches(PyExc_ValueError) && !e.matches(PyExc_OverflowError) &&
            !e.matches(PyExc_UnicodeDecodeError))
            throw;
        end.status = RunEnd::Status::SyntaxError;
        end.error = utf8(st.runner.attr("format_syntax_error")(e.type(), e.value()));
        emitOutput(OutputStream::Stderr, end.error);
        end.snapshot = latestSnapshot();
        return end;
    }
    for (std::size_t i = 0; i < plan.size(); ++i) {
        if (m_currentJob.load() <= m_interruptedUpTo.load()) {
            end.status = RunEnd::Status::Interrupted;
            end.error = "KeyboardInterrupt: the run was interrupted before line " +
                std::to_string(py::tuple(plan[i])[0].cast<int>()) + "\n";
            emitOutput(OutputStream::Stderr, end.error);
            break;
        }
        const py::tuple where = plan[i];
        Step step;
        step.code = utf8(where[4]);
        step.filename = source.filename;
        step.range = {where[0].cast<int>(), where[1].cast<int>(), where[2].cast<int>(), where[3].cast<int>()};
        startCapture();
        const auto started = Clock::now();
        execute(st.runner.attr("code_of")(i), console, step);
        step.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        step.snapshot = takeSnapshot(step.code);
        step.output = stopCapture(&step.outputAbridged);
        ++end.steps;
        if (eachStep)
            eachStep(step);
        if (step.status != Step::Status::Ok) {
            end.status = step.status == Step::Status::Exited ? RunEnd::Status::Exited
                : step.status == Step::Status::Interrupted   ? RunEnd::Status::Interrupted
                                                             : RunEnd::Status::Error;
            end.error = step.error;
            end.exitCode = step.exitCode;
            break;
        }
    }
    end.snapshot = latestSnapshot();
    return end;
}

void PythonBackend::runSource(StepSource source, StepHandler eachStep, RunFinished done)
{
    Failure fail = failRun(done);
    post(
        [this, source = std::move(source), eachStep = std::move(eachStep), done = std::move(done)] {
            const RunEnd end = runStatements(source, eachStep);
            return std::function<void()>([done, end] {
                if (done)
                    done(end);
            });
        },
        std::move(fail));
}

void PythonBackend::push(std::string line, StepHandler eachStep, RunFinished done)
{
    Failure fail = failRun(done);
    post(
        [this, line = std::move(line), eachStep = std::move(eachStep), done = std::move(done)] {
            const py::object complete = m_py->runner.attr("push_line")(line);
            RunEnd end;
            if (complete.is_none()) {
                end.status = RunEnd::Status::Incomplete;
                end.snapshot = latestSnapshot();
            } else {
                end = runStatements({utf8(complete), "<console>", StepSource::Mode::Console, {}}, eachStep);
            }
            return std::function<void()>([done, end] {
                if (done)
                    done(end);
            });
        },
        std::move(fail));
}

void PythonBackend::reset(std::function<void()> done)
{
    post(
        [this, done = std::move(done)] {
            PyState &st = *m_py;
            st.runner.attr("reset")();
            PyDict_Clear(st.builtins.ptr());
            PyDict_Update(st.builtins.ptr(), st.pristine.ptr());
            st.userBuiltins = py::none();
            st.traceFunc = st.profileFunc = nullptr;
            st.traceObj = st.profileObj = py::object();
            st.keepAlive.clear();
            st.builder = std::make_unique<SnapshotBuilder>(m_options.changes);
            return std::function<void()>([done] {
                if (done)
                    done();
            });
        },
        [done](std::string) {
            return std::function<void()>([done] {
                if (done)
                    done();
            });
        });
}

} // namespace memscope::python
