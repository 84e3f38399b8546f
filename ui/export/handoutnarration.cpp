// SPDX-License-Identifier: GPL-3.0-or-later
// Lesson narration (a small Markdown subset) as HTML for the HTML handout.
// Lessons come from anyone: the text is escaped first (htmlEscaped), and
// markup is only ever added around pieces of that escaped text, so whatever a
// lesson writes shows as written. Escaping leaves the Markdown punctuation
// (` * _ [ ] ( ) - #) alone, so parsing the escaped text is the same as
// parsing the original.

#include "ui/export/handout.h"
#include "ui/export/handouttext.h"

namespace memscope::ui::handout {

namespace {

qsizetype runLength(const QString &text, qsizetype at, QChar c)
{
    qsizetype n = 0;
    while (at + n < text.size() && text[at + n] == c)
        ++n;
    return n;
}

bool isWordChar(const QString &text, qsizetype at)
{
    return at >= 0 && at < text.size() && text[at].isLetterOrNumber();
}

bool isSafeUrl(const QString &url)
{
    return url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
        url.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

QString inlineEscaped(const QString &text, bool inLink);

/// The closing delimiter `delim` for an emphasis opened just before `from`:
/// not right after a space, and (for `_`) not inside a word.
qsizetype emphasisEnd(const QString &text, qsizetype from, const QString &delim)
{
    if (from >= text.size() || text[from].isSpace())
        return -1;
    for (qsizetype end = text.indexOf(delim, from + 1); end > from; end = text.indexOf(delim, end + 1)) {
        if (text[end - 1].isSpace())
            continue;
        if (delim.startsWith(QLatin1Char('_')) && isWordChar(text, end + delim.size()))
            continue;
        return end;
    }
    return -1;
}

/// Inline Markdown over already escaped text. Each construct wraps the
/// recursively converted text between its delimiters, so tags always nest.
QString inlineEscaped(const QString &text, bool inLink)
{
    QString html;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') && i + 1 < text.size() && text[i + 1].isPunct()) {
            html += text[i + 1];
            i += 2;
            continue;
        }
        if (c == QLatin1Char('`')) {
            const qsizetype n = runLength(text, i, c);
            // The closing run has exactly as many backticks.
            qsizetype end = i + n;
            while ((end = text.indexOf(QString(n, c), end)) >= 0 && runLength(text, end, c) != n)
                end += runLength(text, end, c);
            if (end < 0) {
                html += QString(n, c);
                i += n;
                continue;
            }
            html += QStringLiteral("<code>") + text.mid(i + n, end - i - n).trimmed() + QStringLiteral("</code>");
            i = end + n;
            continue;
        }
        if (c == QLatin1Char('*') || c == QLatin1Char('_')) {
            const bool strong = i + 1 < text.size() && text[i + 1] == c;
            const QString delim = strong ? QString(2, c) : QString(c);
            const bool opens = c == QLatin1Char('*') || !isWordChar(text, i - 1);
            const qsizetype end = opens ? emphasisEnd(text, i + delim.size(), delim) : -1;
            if (end > 0) {
                const QString tag = strong ? QStringLiteral("strong") : QStringLiteral("em");
                html += QLatin1Char('<') + tag + QLatin1Char('>') +
                    inlineEscaped(text.mid(i + delim.size(), end - i - delim.size()), inLink) + QStringLiteral("</") +
                    tag + QLatin1Char('>');
                i = end + delim.size();
                continue;
            }
            html += delim;
            i += delim.size();
            continue;
        }
        if (c == QLatin1Char('[') && !inLink) {
            const qsizetype close = text.indexOf(QLatin1Char(']'), i + 1);
            if (close > 0 && close + 1 < text.size() && text[close + 1] == QLatin1Char('(')) {
                // The target ends at the ")" that balances its "(" (URLs hold brackets too).
                qsizetype paren = close + 2;
                for (int depth = 0; paren < text.size(); ++paren) {
                    if (text[paren] == QLatin1Char('('))
                        ++depth;
                    else if (text[paren] == QLatin1Char(')') && depth-- == 0)
                        break;
                }
                if (paren < text.size()) {
                    const QString label = inlineEscaped(text.mid(i + 1, close - i - 1), true);
                    const QString url = text.mid(close + 2, paren - close - 2).trimmed();
                    // Anything but http(s) (javascript:, data:, file paths) keeps only its text.
                    if (isSafeUrl(url) && !url.contains(QLatin1Char(' ')))
                        html +=
                            QStringLiteral("<a href=\"") + url + QStringLiteral("\">") + label + QStringLiteral("</a>");
                    else
                        html += label;
                    i = paren + 1;
                    continue;
                }
            }
        }
        html += c;
        ++i;
    }
    return html;
}

bool isFence(const QString &line, qsizetype *length = nullptr)
{
    const QString t = line.trimmed();
    const qsizetype n = runLength(t, 0, QLatin1Char('`'));
    if (length)
        *length = n;
    return n >= 3;
}

/// "- item", "* item", "1. item": the item's text after its marker, or a null string.
QString listItem(const QString &line, bool *ordered)
{
    const QString t = line.trimmed();
    if ((t.startsWith(QLatin1String("- ")) || t.startsWith(QLatin1String("* ")))) {
        *ordered = false;
        return t.mid(2);
    }
    qsizetype digits = 0;
    while (digits < t.size() && t[digits].isDigit())
        ++digits;
    if (digits > 0 && digits + 1 < t.size() && (t[digits] == QLatin1Char('.') || t[digits] == QLatin1Char(')')) &&
        t[digits + 1] == QLatin1Char(' ')) {
        *ordered = true;
        return t.mid(digits + 2);
    }
    return {};
}

} // namespace

QString inlineHtml(const QString &markdown)
{
    return inlineEscaped(htmlEscaped(normalizedLines(markdown)), false);
}

QString narrationHtml(const QString &markdown)
{
    const QStringList lines = htmlEscaped(normalizedLines(markdown)).split(QLatin1Char('\n'));
    QString html;
    QStringList paragraph;
    QString listTag; // "ul" / "ol" while a list is open
    QStringList items;

    const auto flushParagraph = [&] {
        if (!paragraph.isEmpty())
            html += QStringLiteral("<p>") + inlineEscaped(paragraph.join(QLatin1Char('\n')), false) +
                QStringLiteral("</p>\n");
        paragraph.clear();
    };
    const auto flushList = [&] {
        if (listTag.isEmpty())
            return;
        html += QLatin1Char('<') + listTag + QStringLiteral(">\n");
        for (const QString &item : std::as_const(items))
            html += QStringLiteral("<li>") + inlineEscaped(item, false) + QStringLiteral("</li>\n");
        html += QStringLiteral("</") + listTag + QStringLiteral(">\n");
        listTag.clear();
        items.clear();
    };

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        qsizetype fence = 0;
        if (isFence(line, &fence)) {
            flushParagraph();
            flushList();
            QStringList code;
            qsizetype closing = 0;
            // Up to a fence at least as long as the opening one, or the end.
            for (++i; i < lines.size(); ++i) {
                if (isFence(lines[i], &closing) && closing >= fence && lines[i].trimmed().size() == closing)
                    break;
                code.append(lines[i]);
            }
            html += QStringLiteral("<pre><code>") + code.join(QLatin1Char('\n')) + QStringLiteral("</code></pre>\n");
            continue;
        }
        if (line.trimmed().isEmpty()) {
            flushParagraph();
            flushList();
            continue;
        }
        bool ordered = false;
        const QString item = listItem(line, &ordered);
        if (!item.isNull()) {
            flushParagraph();
            const QString tag = ordered ? QStringLiteral("ol") : QStringLiteral("ul");
            if (listTag != tag)
                flushList();
            listTag = tag;
            items.append(item);
            continue;
        }
        if (!listTag.isEmpty() && (line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t')))) {
            items.last() += QLatin1Char('\n') + line.trimmed(); // an item's continuation line
            continue;
        }
        flushList();
        const qsizetype hashes = runLength(line, 0, QLatin1Char('#'));
        if (hashes > 0 && hashes <= 6 && line.size() > hashes && line[hashes] == QLatin1Char(' ')) {
            flushParagraph();
            html += QStringLiteral("<h4>") + inlineEscaped(line.mid(hashes + 1).trimmed(), false) +
                QStringLiteral("</h4>\n");
            continue;
        }
        paragraph.append(line.trimmed());
    }
    flushParagraph();
    flushList();
    return html;
}

} // namespace memscope::ui::handout
