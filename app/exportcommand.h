// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/export/exporter.h"

#include <QString>
#include <QStringList>

namespace memscope::engine {
class Runtime;
}

namespace memscope::app {

struct ExportCommandOptions
{
    QStringList sources; ///< lessons (names or .md files), scripts (.py), recordings (.msrec)
    bool all = false; ///< every bundled lesson
    QString python; ///< another environment's interpreter; empty: the default
    ui::ExportOptions exportOptions;
};

/// `memscope export SOURCE... --out DIR [...]`: runs each source headless and
/// writes its pictures and handouts (docs/EXPORT.md). Progress goes to
/// stderr. Returns 0 when everything was written, 1 when writing failed
/// (nothing is left behind), 2 for a bad argument, a malformed lesson, a
/// missing source, an output folder that holds files (without --force) or an
/// interpreter that would not start; in those cases nothing ran.
int exportCommand(engine::Runtime &runtime, const ExportCommandOptions &options);

} // namespace memscope::app
