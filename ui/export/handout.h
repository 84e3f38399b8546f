// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The handouts a teacher prints or pastes: one HTML file and one Markdown file
// per exported source, with every step's narration, prediction, code,
// picture(s) and verdicts. Lesson text is untrusted: everything a lesson
// wrote is escaped before any markup is added, so it shows as written.

#include "ui/export/exportdocument.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace memscope::ui {

/// One picture reference per page of a step's picture: a relative file name
/// beside the handout ("step-03.png") or a data: URI; empty list: no picture.
using HandoutImages = std::vector<QStringList>; // parallel to doc.steps

struct HandoutOptions
{
    bool dark = false;
};

/// One self-contained HTML5 file (inline style, no script): the same bytes
/// for the same input.
QByteArray htmlHandout(const ExportDocument &doc, const HandoutImages &images, const HandoutOptions &options = {});
/// The same content as Markdown, with the narration's raw HTML neutralised.
QByteArray markdownHandout(const ExportDocument &doc, const HandoutImages &images);
/// Escapes text for HTML element content and attribute values (& < > " ').
QString htmlEscaped(const QString &text);

} // namespace memscope::ui
