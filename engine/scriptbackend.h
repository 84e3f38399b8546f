// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/snapshot.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

enum class OutputStream { Stdout, Stderr };

struct ExecutionResult
{
    enum class Status {
        Ok, ///< ran to the end
        Incomplete, ///< the console needs more lines (an open block)
        Error, ///< raised; the traceback went to stderr and is in `error`
        Interrupted, ///< KeyboardInterrupt
    };
    Status status = Status::Ok;
    std::string source; ///< the complete statement that ran
    int firstLine = 0; ///< its first line in the script, when run from one
    std::string error; ///< traceback text when status is Error or Interrupted
    double seconds = 0;
    /// The namespace after the statement (null for Incomplete).
    std::shared_ptr<const Snapshot> snapshot;
};

/// How the UI and the command line reach the interpreter without including
/// Python.h: an interpreter that runs code on its own thread. Every call
/// returns at once; results arrive through the callbacks, on the
/// interpreter's thread (callers marshal them to their own).
class ScriptBackend
{
public:
    using OutputHandler = std::function<void(OutputStream, std::string_view)>;
    using Finished = std::function<void(const ExecutionResult &)>;
    using Completions = std::function<void(std::vector<std::string>)>;

    virtual ~ScriptBackend() = default;

    /// Receives stdout and stderr text as it is written, from any Python thread.
    virtual void setOutputHandler(OutputHandler handler) = 0;
    /// One console line; Python's `code` module decides whether the statement is complete.
    virtual void push(std::string line, Finished done) = 0;
    /// A whole block of code (a script, a lesson step) under `filename` for tracebacks.
    virtual void run(std::string source, std::string filename, Finished done) = 0;
    /// Completions for the text before the cursor; empty while code is running.
    virtual void complete(std::string text, Completions done) = 0;
    /// Writes one element of the object `objectId` of the latest snapshot
    /// (flat C-order index), parsing `text` as its dtype; refuses read-only
    /// memory unless `force`. The result carries the new snapshot, or the
    /// reason in `error` (status Error) with nothing changed.
    virtual void writeElement(std::uint64_t objectId, std::int64_t flatIndex, std::string text, bool force,
                              Finished done) = 0;
    /// Packed bytes of elements [first, first + count) (flat C order) of the
    /// object `objectId` of the latest snapshot, read while it is alive; for
    /// objects too large to have their values in the snapshot. Empty with an
    /// error message when the object is gone.
    using ElementsRead = std::function<void(std::vector<std::byte> bytes, std::string error)>;
    virtual void readElements(std::uint64_t objectId, std::int64_t first, std::int64_t count, ElementsRead done) = 0;
    /// Versions of the interpreter and the frameworks (read without importing
    /// them), one "name version" per line, for the About box.
    virtual void describeEnvironment(std::function<void(std::string)> done) = 0;
    /// Forgets the lines of an unfinished block (Ctrl+C at a "..." prompt).
    virtual void cancelInput() = 0;
    /// Raises KeyboardInterrupt in the running statement (within milliseconds
    /// for Python code); does nothing when idle.
    virtual void interrupt() = 0;
    virtual bool isBusy() const = 0;
};

} // namespace memscope::engine
