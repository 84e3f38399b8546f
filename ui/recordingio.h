// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs none of these.
#ifndef Q_MOC_RUN
#include "engine/step/recording.h"
#endif

#include <QString>

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

/// What a recording says about where it was made: this MemScope's version,
/// the Python and framework versions of `environment` (the interpreter's own
/// description: "Python 3.11.2 (/usr/bin/python3)", then "NumPy 1.24.2" ...),
/// the runtime's devices, and `source` (a script's path, or "console").
engine::RecordingInfo recordingInfo(const QString &environment, const engine::Runtime &runtime, const QString &source);

/// One line for the window and the console: "recorded 2026-11-28T09:15:02Z
/// with Python 3.11.2, NumPy 1.24.2, PyTorch 2.0.1 on cpu, cuda:0".
QString describeRecording(const engine::RecordingInfo &info);

} // namespace memscope::ui
