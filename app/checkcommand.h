// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace memscope::engine {
class Runtime;
}

namespace memscope::app {

struct CheckOptions
{
    QStringList lessons; ///< names of bundled lessons (ids or file names) or paths to .md files
    bool all = false; ///< every bundled lesson
    bool json = false;
    QString python; ///< another environment's interpreter; empty: the default
};

/// `memscope check NAME|FILE|--all [--json]`: runs lessons headless, each in a
/// fresh namespace, step by step, and prints expected vs observed per
/// expectation (claims as held / not held, with the evidence). Returns 0 when
/// every expectation held (claims never fail a lesson; steps skipped for a
/// missing framework or GPU are reported as skipped), 1 when one did not or a
/// step raised unexpectedly, 2 on a malformed lesson, a missing file or an
/// interpreter that would not start.
int checkLessonsCommand(engine::Runtime &runtime, const CheckOptions &options);

/// A lesson file's bytes, found by path, or a bundled one by file name or id.
struct LessonSource
{
    QByteArray text;
    QString file; ///< as it is named in messages (":/lessons/NAME.md" when bundled)
    QString error; ///< empty when found
};
/// The lookup `check` and `lesson` share: a path on disk, else a bundled
/// lesson by file name ("06-tensorflow-numpy") or id ("tensorflow-numpy").
LessonSource findLesson(const QString &nameOrPath);

/// The bundled lessons' resource paths (":/lessons/NAME.md"), sorted.
QStringList bundledLessons();

} // namespace memscope::app
