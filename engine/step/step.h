// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/snapshot.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace memscope::engine {

/// Where a statement sits in its source: lines count from 1, columns are
/// UTF-8 byte offsets from 0 (as Python's `ast` reports them); the end is
/// exclusive. Two statements on one line differ in their columns.
struct SourceRange
{
    int line = 0;
    int column = 0;
    int endLine = 0;
    int endColumn = 0;

    bool operator==(const SourceRange &) const = default;
};

/// The one result of one step: a top-level statement that ran (or an element
/// edit). Immutable once made and plain data (the snapshot holds facts, not
/// live objects), so it can be kept in a timeline, written to a file, or come
/// from another process.
struct Step
{
    enum class Status {
        Ok, ///< ran to the end
        Error, ///< raised; the traceback is in `error`
        Interrupted, ///< KeyboardInterrupt
        Exited, ///< SystemExit in a script: the run ends with `exitCode`
    };
    Status status = Status::Ok;
    std::string code; ///< the statement's own text, exactly as in the source
    std::string filename; ///< "<console>", a script's path, a lesson's
    SourceRange range;
    std::string output; ///< what the step wrote to stdout and stderr (abridged beyond a limit)
    bool outputAbridged = false;
    std::string error; ///< traceback text when status is Error or Interrupted
    int exitCode = 0; ///< when status is Exited
    double seconds = 0;
    /// The namespace after the step: facts, relations, changes, traffic.
    std::shared_ptr<const Snapshot> snapshot;

    int number() const { return snapshot ? snapshot->step : 0; }
    const std::vector<FactRelation> &relations() const;
    const std::array<std::uint64_t, 4> &traffic() const;
};

/// How a run of several steps ended.
struct RunEnd
{
    enum class Status {
        Ok, ///< every statement ran
        Incomplete, ///< console input that needs more lines (an open block): nothing ran
        SyntaxError, ///< the source does not compile: nothing ran, no step was made
        Error, ///< a step raised; the steps after it did not run
        Interrupted,
        Exited, ///< a script called sys.exit(exitCode)
        Failed, ///< MemScope itself could not run it (the reason is in `error`)
    };
    Status status = Status::Ok;
    std::string error;
    int exitCode = 0;
    int steps = 0; ///< steps made by this run
    /// The latest snapshot after the run (unchanged when nothing ran).
    std::shared_ptr<const Snapshot> snapshot;
};

std::string_view stepStatusName(Step::Status s);
std::string_view runStatusName(RunEnd::Status s);

} // namespace memscope::engine
