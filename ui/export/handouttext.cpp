// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/handouttext.h"

#include <QRegularExpression>

namespace memscope::ui::handout {

bool isBidiControl(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
}

QString normalizedLines(const QString &text)
{
    QString lines = text;
    lines.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    lines.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    for (QChar &c : lines)
        if (isBidiControl(c))
            c = QChar(QChar::ReplacementCharacter);
    return lines;
}

QString stepHeading(const ExportStep &step)
{
    QString heading = QStringLiteral("Step %1").arg(step.number);
    if (!step.title.isEmpty())
        heading += QStringLiteral(" · ") + step.title;
    return heading;
}

QString stepAnchor(const ExportStep &step)
{
    return QStringLiteral("step-%1").arg(step.number);
}

QString imageAlt(const ExportStep &step, int page, int pages)
{
    QString alt = QStringLiteral("Step %1: memory after the step").arg(step.number);
    if (pages > 1)
        alt += QStringLiteral(" (page %1 of %2)").arg(page + 1).arg(pages);
    return alt;
}

QString verdictWord(const ExportVerdict &verdict)
{
    const QString word = verdict.held ? QStringLiteral("held") : QStringLiteral("NOT HELD");
    return verdict.claim ? QStringLiteral("claim ") + word : word;
}

QString skippedText(const ExportStep &step)
{
    return QStringLiteral("Skipped: ") + step.skipped;
}

QString abridgedOutput(const QString &output)
{
    QString text = normalizedLines(output);
    // A default repr ("<torch._C.Generator object at 0x7f67a313e410>") names a
    // heap address that differs on every run and tells a reader nothing: the
    // same lesson must give the same handout.
    static const QRegularExpression address(QStringLiteral("( at 0x)[0-9a-fA-F]+>"));
    text.replace(address, QStringLiteral("\\1…>"));
    while (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.size() <= kOutputLines)
        return text;
    // The start of the output usually says what the rest is; a handout page
    // has no room for thousands of lines.
    const qsizetype rest = lines.size() - kOutputLines;
    lines.resize(kOutputLines);
    lines.append(QStringLiteral("… (%1 more lines)").arg(rest));
    return lines.join(QLatin1Char('\n'));
}

QString observedWith(const ExportDocument &doc)
{
    return doc.versions.isEmpty() ? QString() : QStringLiteral("Observed with ") + doc.versions;
}

QString choiceLabel(int index)
{
    if (index >= 0 && index < 26)
        return QString(QChar(u'A' + index));
    return QString::number(index + 1);
}

QString answerText(const ExportPrediction &prediction)
{
    QStringList labels;
    for (int i = 0; i < int(prediction.choices.size()); ++i) {
        if (std::size_t(i) < prediction.right.size() && prediction.right[std::size_t(i)])
            labels.append(choiceLabel(i));
    }
    return labels.isEmpty() ? QStringLiteral("none of the choices") : labels.join(QStringLiteral(", "));
}

} // namespace memscope::ui::handout
