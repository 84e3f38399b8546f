// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What PythonBackend keeps inside the interpreter, shared by its source files
// (pythonbackend.cpp: thread and jobs; steps.cpp: running statements;
// elementaccess.cpp: element edits). Interpreter thread only.

#include "app/python/pythonbackend.h"
#include "engine/snapshot.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

namespace memscope::python {

struct PythonBackend::PyState
{
    pybind11::object runner; // console.Runner
    pybind11::object consoleModule;
    pybind11::dict ns; // __main__.__dict__: user code runs there, as under `python`
    pybind11::dict builtins; // builtins.__dict__
    pybind11::dict pristine; // the builtins as MemScope started with them
    pybind11::object userBuiltins = pybind11::none(); // the user's builtins while MemScope works, or None
    // The user's tracer and profiler, held while MemScope's own code runs.
    Py_tracefunc traceFunc = nullptr;
    pybind11::object traceObj;
    Py_tracefunc profileFunc = nullptr;
    pybind11::object profileObj;
    std::vector<pybind11::object> keepAlive; // objects of the latest snapshot
    std::unique_ptr<engine::SnapshotBuilder> builder;
};

/// Text for C++: UTF-8 with undecodable characters (lone surrogates) replaced,
/// so odd output or tracebacks never make a job fail.
std::string utf8(pybind11::handle text);

} // namespace memscope::python
