// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace memscope::engine {
class Runtime;
}

namespace memscope::app {

struct RunOptions
{
    QString script;
    QStringList arguments; ///< the script's sys.argv[1:]
    bool json = false;
    QString python; ///< another environment's interpreter; empty: the default
    /// Where to write the whole timeline as a recording (docs/RECORDING.md);
    /// empty: none. Written however the run ends, with the steps that ran.
    QString record;
};

/// `memscope run SCRIPT.py [ARG...] [--json] [--record FILE]`: runs the script as `python
/// SCRIPT.py ARG...` would, one step per top-level statement, and prints per
/// step the objects it created, their observed relations, changed elements
/// and copy traffic. Returns the process exit code: 0 when every statement
/// ran, 1 when one raised or the script does not compile (the message names
/// file and line), n after `sys.exit(n)`, 2 when the script or the
/// interpreter could not be used, or the recording could not be written.
int runScriptCommand(engine::Runtime &runtime, const RunOptions &options);

} // namespace memscope::app
