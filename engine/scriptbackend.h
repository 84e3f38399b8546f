// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/step/steprunner.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace memscope::engine {

/// What the window needs of the interpreter beyond running steps (without
/// including Python.h): console lines, completion, element edits and reads.
class ScriptBackend : public StepRunner
{
public:
    using Completions = std::function<void(std::vector<std::string>)>;
    /// An element edit: the new step, or the reason in `error` with nothing changed.
    using EditDone = std::function<void(std::shared_ptr<const Step> step, std::string error)>;

    /// One console line. While the statement is incomplete `done` reports
    /// Incomplete; a complete one runs as runSource in Console mode.
    virtual void push(std::string line, StepHandler eachStep, RunFinished done) = 0;
    /// Completions for the text before the cursor; empty while code is running.
    virtual void complete(std::string text, Completions done) = 0;
    /// Writes one element of the object `objectId` of the latest snapshot
    /// (flat C-order index), parsing `text` as its dtype; refuses read-only
    /// memory unless `force`. A written element is a step of its own.
    virtual void writeElement(std::uint64_t objectId, std::int64_t flatIndex, std::string text, bool force,
                              EditDone done) = 0;
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
};

} // namespace memscope::engine
