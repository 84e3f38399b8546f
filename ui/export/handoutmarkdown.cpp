// SPDX-License-Identifier: GPL-3.0-or-later
// The Markdown handout, for pasting into notes and course pages. Markdown
// viewers pass raw HTML through, so lesson text has its & < > written as
// entities outside code; code goes into fences and spans longer than any
// backtick run it holds, where a viewer shows it literally.

#include "ui/export/handout.h"
#include "ui/export/handouttext.h"

namespace memscope::ui {

namespace {

qsizetype longestRun(const QString &text, QChar c)
{
    qsizetype longest = 0;
    qsizetype run = 0;
    for (const QChar x : text) {
        run = x == c ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

/// & < > as entities: raw HTML in a lesson stays text in any viewer.
QString entities(const QString &text)
{
    QString escaped;
    for (const QChar c : text) {
        if (c == u'&')
            escaped += QLatin1String("&amp;");
        else if (c == u'<')
            escaped += QLatin1String("&lt;");
        else if (c == u'>')
            escaped += QLatin1String("&gt;");
        else
            escaped += c;
    }
    return escaped;
}

/// Lesson text outside code: entities, and links whose target is not
/// http(s) (javascript:, data:, files) broken into plain text, as in HTML.
QString plainText(const QString &text)
{
    QString out = entities(text);
    for (qsizetype at = out.indexOf(QLatin1String("](")); at >= 0; at = out.indexOf(QLatin1String("]("), at + 2)) {
        QString target = out.mid(at + 2, 16).trimmed();
        if (target.startsWith(QLatin1String("&lt;")))
            target = target.mid(4);
        if (!target.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) &&
            !target.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
            out.insert(at + 1, QLatin1Char('\\')); // "]\(": no link
    }
    return out;
}

/// One line of lesson Markdown with entities outside its code spans (inside
/// them a viewer would show "&lt;" literally, and cannot make markup anyway).
QString inlineEntities(const QString &line)
{
    // "[label]: javascript:…" would define a link target: kept as text.
    if (line.trimmed().startsWith(QLatin1Char('[')) && line.contains(QLatin1String("]:")))
        return inlineEntities(QString(line).insert(line.indexOf(QLatin1Char('[')), QLatin1Char('\\')));
    QString out;
    qsizetype i = 0;
    while (i < line.size()) {
        if (line[i] != u'`') {
            const qsizetype next = line.indexOf(QLatin1Char('`'), i);
            const qsizetype end = next < 0 ? line.size() : next;
            out += plainText(line.mid(i, end - i));
            i = end;
            continue;
        }
        qsizetype n = 0;
        while (i + n < line.size() && line[i + n] == u'`')
            ++n;
        const QString fence(n, QLatin1Char('`'));
        qsizetype close = i + n;
        while ((close = line.indexOf(fence, close)) >= 0) {
            qsizetype m = 0;
            while (close + m < line.size() && line[close + m] == u'`')
                ++m;
            if (m == n)
                break;
            close += m;
        }
        if (close < 0) { // not a code span: plain backticks
            out += fence;
            i += n;
            continue;
        }
        out += line.mid(i, close + n - i);
        i = close + n;
    }
    return out;
}

/// Lesson Markdown with entities everywhere but in fenced blocks and code spans.
QString narrationMarkdown(const QString &markdown)
{
    QStringList lines = handout::normalizedLines(markdown).split(QLatin1Char('\n'));
    qsizetype fence = 0; // the open fence's length; 0 outside fenced blocks
    for (QString &line : lines) {
        const QString t = line.trimmed();
        qsizetype run = 0;
        while (run < t.size() && t[run] == u'`')
            ++run;
        const bool isFence = run >= 3;
        if (fence == 0 && isFence) {
            fence = run;
            continue;
        }
        if (fence > 0) {
            if (isFence && run >= fence && t.size() == run)
                fence = 0;
            continue;
        }
        line = inlineEntities(line);
    }
    // A fence left open would swallow the rest of the handout.
    if (fence > 0)
        lines.append(QString(fence, QLatin1Char('`')));
    return lines.join(QLatin1Char('\n'));
}

/// `text` without line breaks (a list item or a heading holds one line).
QString oneLineRaw(const QString &text)
{
    return handout::normalizedLines(text).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

/// One line of plain text (titles, devices): entities, no line breaks.
QString oneLine(const QString &text)
{
    return plainText(oneLineRaw(text)); // links broken here too: a title can hold [x](javascript:…)
}

/// `text` as a code span whose backtick fence is longer than any run inside.
QString codeSpan(const QString &text)
{
    const QString body = handout::normalizedLines(text).replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QString fence(longestRun(body, QLatin1Char('`')) + 1, QLatin1Char('`'));
    // A space keeps a backtick at either end from joining the fence.
    const bool pad = body.startsWith(QLatin1Char('`')) || body.endsWith(QLatin1Char('`'));
    const QString space = pad ? QStringLiteral(" ") : QString();
    return fence + space + body + space + fence;
}

/// A fenced block whose fence is longer than any backtick run inside.
QString codeBlock(const QString &code, const QString &info = {})
{
    QString body = handout::normalizedLines(code);
    while (body.endsWith(QLatin1Char('\n')))
        body.chop(1);
    const QString fence(std::max<qsizetype>(3, longestRun(body, QLatin1Char('`')) + 1), QLatin1Char('`'));
    return fence + info + QLatin1Char('\n') + body + QLatin1Char('\n') + fence + QStringLiteral("\n\n");
}

/// A picture reference as a link destination: spaces, brackets and angle
/// brackets percent-encoded so the reference cannot end early.
QString destination(const QString &reference)
{
    QString out;
    for (const QChar c : reference) {
        if (c == u' ' || c == u'(' || c == u')' || c == u'<' || c == u'>' || c == u'\n' || c == u'\r')
            out += QLatin1Char('%') + QString::number(c.unicode(), 16).toUpper().rightJustified(2, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

void writeStep(QString &md, const ExportStep &step, const QStringList &images)
{
    md += QStringLiteral("## ") + oneLine(handout::stepHeading(step)) + QStringLiteral("\n\n");
    if (!step.narration.trimmed().isEmpty())
        md += narrationMarkdown(step.narration).trimmed() + QStringLiteral("\n\n");
    if (step.prediction) {
        const ExportPrediction &p = *step.prediction;
        md += QStringLiteral("**Predict:** ") + inlineEntities(oneLineRaw(p.question)) + QStringLiteral("\n\n");
        for (int i = 0; i < int(p.choices.size()); ++i) {
            const bool right = std::size_t(i) < p.right.size() && p.right[std::size_t(i)];
            md += QStringLiteral("- ") + handout::choiceLabel(i) + QStringLiteral(". ") +
                inlineEntities(oneLineRaw(p.choices[i])) + (right ? QStringLiteral(" ✓") : QString()) +
                QLatin1Char('\n');
        }
        md += QStringLiteral("\n**Answer:** ") + handout::answerText(p) + QStringLiteral("\n\n");
    }
    if (!step.code.isEmpty()) {
        if (step.line > 0)
            md += QStringLiteral("Line %1:\n\n").arg(step.line);
        md += codeBlock(step.code, QStringLiteral("python"));
    }
    if (!step.skipped.isEmpty()) {
        md += QStringLiteral("**") + oneLine(handout::skippedText(step)) + QStringLiteral("**\n\n");
    } else {
        for (int page = 0; page < int(images.size()); ++page)
            md += QStringLiteral("![") + handout::imageAlt(step, page, int(images.size())) + QStringLiteral("](") +
                destination(images[page]) + QStringLiteral(")\n\n");
    }
    if (!step.verdicts.empty()) {
        md += QStringLiteral("**Observed**\n\n");
        for (const ExportVerdict &v : step.verdicts) {
            md += QStringLiteral("- **") + handout::verdictWord(v) + QStringLiteral("** ") + codeSpan(v.expectation);
            if (!v.observed.isEmpty())
                md += QStringLiteral(" — ") + inlineEntities(oneLineRaw(v.observed));
            if (!v.evidence.isEmpty())
                md += QStringLiteral("  \n  evidence: ") + inlineEntities(oneLineRaw(v.evidence));
            md += QLatin1Char('\n');
        }
        md += QLatin1Char('\n');
    }
    if (!step.raised.isEmpty())
        md += QStringLiteral("**Raised:** ") + codeSpan(step.raised) + QStringLiteral("\n\n");
    if (!step.output.isEmpty())
        md += QStringLiteral("Output:\n\n") + codeBlock(handout::abridgedOutput(step.output));
}

} // namespace

QByteArray markdownHandout(const ExportDocument &doc, const HandoutImages &images)
{
    QString title = doc.title.trimmed().isEmpty() ? doc.sourceName : doc.title;
    if (title.trimmed().isEmpty())
        title = QStringLiteral("MemScope handout"); // as the HTML page's title
    QString md = QStringLiteral("# ") + oneLine(title) + QStringLiteral("\n\n");
    if (!doc.summary.isEmpty())
        md += inlineEntities(oneLineRaw(doc.summary)) + QStringLiteral("\n\n");
    if (!doc.sourceName.isEmpty())
        md += QStringLiteral("Source: ") + codeSpan(doc.sourceName) + QStringLiteral("\n\n");
    const QString observed = handout::observedWith(doc);
    if (!observed.isEmpty())
        md += oneLine(observed) + QStringLiteral("\n\n");
    if (!doc.devices.isEmpty()) {
        md += QStringLiteral("Devices:\n\n");
        for (const QString &device : doc.devices)
            md += QStringLiteral("- ") + oneLine(device) + QLatin1Char('\n');
        md += QLatin1Char('\n');
    }
    for (std::size_t i = 0; i < doc.steps.size(); ++i)
        writeStep(md, doc.steps[i], i < images.size() ? images[i] : QStringList());
    while (md.endsWith(QStringLiteral("\n\n")))
        md.chop(1);
    return md.toUtf8();
}

} // namespace memscope::ui
