// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/export/exportdocument.h"

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

class LessonPanel;
class Session;

/// What File ▸ Export steps… exports: the open lesson's steps that have run
/// (each with its results and the statements it ran), else every step of the
/// timeline (console lines, a script, a recording) one statement each.
/// `environment` is the interpreter's description of itself (About box).
ExportDocument windowDocument(const Session &session, const LessonPanel *lessons, const QString &environment,
                              const QString &title, const engine::Runtime &runtime);

} // namespace memscope::ui
