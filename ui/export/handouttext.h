// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The wording both handouts share (headings, alt text, verdicts, abridged
// output), so the HTML and the Markdown file say the same things. Internal to
// ui/export.

#include "ui/export/exportdocument.h"

#include <QString>
#include <QStringList>

namespace memscope::ui::handout {

/// "Step 3 · A slice is a view" (plain text, not escaped).
QString stepHeading(const ExportStep &step);
/// "step-3": the section's id and the contents' link target.
QString stepAnchor(const ExportStep &step);
/// "Step 3: memory after the step", "Step 3: memory after the step (page 2 of 3)".
QString imageAlt(const ExportStep &step, int page, int pages);
/// "held" / "NOT HELD" / "claim held" / "claim NOT HELD".
QString verdictWord(const ExportVerdict &verdict);
/// "Skipped: needs cuda, not available here".
QString skippedText(const ExportStep &step);
/// At most kOutputLines lines of printed output, the rest counted in a last
/// line; heap addresses in default reprs (" at 0x7f…>") as " at 0x…>".
QString abridgedOutput(const QString &output);
inline constexpr int kOutputLines = 40;
/// "Observed with Python 3.11.2, NumPy 1.24.2" (empty without versions).
QString observedWith(const ExportDocument &doc);
/// The choices' letters "A", "B", … (past Z: "27", …).
QString choiceLabel(int index);
/// "B, C" : the right choices' labels ("none" when no choice is right).
QString answerText(const ExportPrediction &prediction);

/// The small Markdown subset lesson narration uses (paragraphs, `code`,
/// **bold**, *italic*, "- " lists, ``` blocks, [links](http…)) as HTML. The
/// text is escaped first; markup is only added around escaped text, and a
/// link keeps its target only when it is http:// or https://.
QString narrationHtml(const QString &markdown);
/// One line's inline Markdown (`code`, **bold**, *italic*, links) as HTML,
/// escaped the same way: for questions, choices and evidence.
QString inlineHtml(const QString &markdown);
/// "\r\n" and "\r" as "\n": the handouts end lines with "\n" only.
QString normalizedLines(const QString &text);
/// The characters that reorder text on screen (U+202A-202E, U+2066-2069): a
/// handout shows U+FFFD for them, as for control characters.
bool isBidiControl(QChar c);

} // namespace memscope::ui::handout
