// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace memscope::engine {
class Runtime;
}

namespace memscope::app {

/// `memscope run SCRIPT.py [--json]`: runs each top-level statement of the
/// script in the embedded interpreter and prints, per step, the objects it
/// created, their observed relations, changed elements and copy traffic.
/// Returns the process exit code: 0 when every statement ran, 1 when one
/// raised (the traceback names file and line), 2 when the script or the
/// interpreter could not be used.
int runScriptCommand(engine::Runtime &runtime, const QString &path, bool json, const QString &python);

} // namespace memscope::app
