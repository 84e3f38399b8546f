// SPDX-License-Identifier: GPL-3.0-or-later
// The HTML handout: one self-contained page (inline style, no script, no
// external resource but the pictures handed in). Every piece of document
// text goes through htmlEscaped (directly or in handout::narrationHtml /
// inlineHtml) before it meets markup.

#include "ui/export/handout.h"
#include "ui/export/handouttext.h"

namespace memscope::ui {

QString htmlEscaped(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            escaped += QLatin1String("&amp;");
            break;
        case u'<':
            escaped += QLatin1String("&lt;");
            break;
        case u'>':
            escaped += QLatin1String("&gt;");
            break;
        case u'"':
            escaped += QLatin1String("&quot;");
            break;
        case u'\'':
            escaped += QLatin1String("&#39;");
            break;
        default:
            // Control characters other than tab and line ends are not allowed in
            // HTML: shown as the replacement character.
            // So are the bidirectional overrides (U+202A-202E, U+2066-2069),
            // which can make code read other than it runs ("Trojan Source").
            if ((c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r') || handout::isBidiControl(c))
                escaped += QChar(QChar::ReplacementCharacter);
            else
                escaped += c;
        }
    }
    return escaped;
}

namespace {

// System fonts; light or dark on screen, always dark ink on white paper.
constexpr char kStyleCommon[] =
    R"(body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; max-width: 52em; margin: 0 auto; padding: 1em 1.5em; background: var(--bg); color: var(--fg); }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
h2 { font-size: 1.35em; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
a { color: var(--link); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
pre { background: var(--code-bg); border: 1px solid var(--rule); padding: 0.6em 0.8em; overflow-x: auto; white-space: pre-wrap; }
figure { margin: 1em 0; }
figcaption { font-size: 0.85em; color: var(--muted); }
img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
.meta, .source { color: var(--muted); }
.summary { font-size: 1.1em; }
.contents ol { padding-left: 1.5em; }
.prediction { border-left: 4px solid var(--accent); padding: 0.2em 0 0.2em 0.8em; }
.choices { list-style: none; padding-left: 0.5em; }
.right { font-weight: bold; }
.verdicts { padding-left: 1.2em; }
.verdict { font-weight: bold; }
.held .verdict { color: var(--good); }
.not-held .verdict { color: var(--bad); }
.evidence { color: var(--muted); font-size: 0.9em; }
.raised, .skipped { font-weight: bold; color: var(--bad); }
@media print {
  body { max-width: none; background: #fff; color: #000; --muted: #444; --code-bg: #f6f6f6; --rule: #bbb; --link: #000; }
  .contents { display: none; }
  h2, h3 { break-after: avoid; }
  figure, pre, .prediction { break-inside: avoid; }
}
)";
constexpr char kStyleLight[] = ":root { --bg: #ffffff; --fg: #1d1f21; --muted: #5c6370; --code-bg: #f5f6f8; "
                               "--rule: #d7dae0; --link: #1a5fb4; --accent: #1a5fb4; --good: #26752f; --bad: #b3261e; "
                               "color-scheme: light; }\n";
constexpr char kStyleDark[] = ":root { --bg: #1e2127; --fg: #dcdfe4; --muted: #9da5b4; --code-bg: #272b33; "
                              "--rule: #3e4451; --link: #7fb2f0; --accent: #7fb2f0; --good: #8fd19e; --bad: #ff8a80; "
                              "color-scheme: dark; }\n";

QString tag(const char *name, const QString &escapedContent, const char *cssClass = nullptr)
{
    const QString n = QLatin1String(name);
    QString html = QLatin1Char('<') + n;
    if (cssClass)
        html += QStringLiteral(" class=\"") + QLatin1String(cssClass) + QLatin1Char('"');
    return html + QLatin1Char('>') + escapedContent + QStringLiteral("</") + n + QStringLiteral(">\n");
}

/// The page's title: a valid page has one that is not empty.
QString pageTitle(const ExportDocument &doc)
{
    const QString title = doc.title.trimmed().isEmpty() ? doc.sourceName : doc.title;
    return title.trimmed().isEmpty() ? QStringLiteral("MemScope handout") : title;
}

void writeHeader(QString &html, const ExportDocument &doc)
{
    html += tag("h1", htmlEscaped(pageTitle(doc)));
    if (!doc.summary.isEmpty())
        html += tag("p", handout::inlineHtml(doc.summary), "summary");
    if (!doc.sourceName.isEmpty())
        html += tag("p", QStringLiteral("Source: <code>") + htmlEscaped(doc.sourceName) + QStringLiteral("</code>"),
                    "source");
    const QString observed = handout::observedWith(doc);
    if (!observed.isEmpty())
        html += tag("p", htmlEscaped(observed), "meta");
    if (!doc.devices.isEmpty()) {
        html += QStringLiteral("<p class=\"meta\">Devices:</p>\n<ul class=\"devices\">\n");
        for (const QString &device : doc.devices)
            html += tag("li", htmlEscaped(device));
        html += QStringLiteral("</ul>\n");
    }
}

void writeContents(QString &html, const ExportDocument &doc)
{
    if (doc.steps.empty())
        return;
    html += QStringLiteral("<nav class=\"contents\">\n<h2>Steps</h2>\n<ol>\n");
    for (const ExportStep &step : doc.steps)
        html += QStringLiteral("<li><a href=\"#") + handout::stepAnchor(step) + QStringLiteral("\">") +
            htmlEscaped(handout::stepHeading(step)) + QStringLiteral("</a></li>\n");
    html += QStringLiteral("</ol>\n</nav>\n");
}

void writePrediction(QString &html, const ExportPrediction &prediction)
{
    html += QStringLiteral("<div class=\"prediction\">\n");
    html += tag("p", QStringLiteral("<strong>Predict:</strong> ") + handout::inlineHtml(prediction.question));
    html += QStringLiteral("<ul class=\"choices\">\n");
    for (int i = 0; i < int(prediction.choices.size()); ++i) {
        const bool right = std::size_t(i) < prediction.right.size() && prediction.right[std::size_t(i)];
        html += tag("li",
                    handout::choiceLabel(i) + QStringLiteral(". ") + handout::inlineHtml(prediction.choices[i]) +
                        (right ? QStringLiteral(" ✓") : QString()),
                    right ? "right" : nullptr);
    }
    html += QStringLiteral("</ul>\n");
    html +=
        tag("p", QStringLiteral("<strong>Answer:</strong> ") + htmlEscaped(handout::answerText(prediction)), "answer");
    html += QStringLiteral("</div>\n");
}

void writeVerdicts(QString &html, const std::vector<ExportVerdict> &verdicts)
{
    html += QStringLiteral("<h3>Observed</h3>\n<ul class=\"verdicts\">\n");
    for (const ExportVerdict &v : verdicts) {
        QString item = QStringLiteral("<span class=\"verdict\">") + htmlEscaped(handout::verdictWord(v)) +
            QStringLiteral("</span> <code>") + htmlEscaped(v.expectation) + QStringLiteral("</code>");
        if (!v.observed.isEmpty())
            item += QStringLiteral(" — ") + handout::inlineHtml(v.observed);
        if (!v.evidence.isEmpty())
            item += QStringLiteral("<br>\n<span class=\"evidence\">evidence: ") + handout::inlineHtml(v.evidence) +
                QStringLiteral("</span>");
        html += tag("li", item, v.held ? "held" : "not-held");
    }
    html += QStringLiteral("</ul>\n");
}

void writeStep(QString &html, const ExportStep &step, const QStringList &images)
{
    html += QStringLiteral("<section class=\"step\" id=\"") + handout::stepAnchor(step) + QStringLiteral("\">\n");
    html += tag("h2", htmlEscaped(handout::stepHeading(step)));
    if (!step.narration.isEmpty())
        html += QStringLiteral("<div class=\"narration\">\n") + handout::narrationHtml(step.narration) +
            QStringLiteral("</div>\n");
    if (step.prediction)
        writePrediction(html, *step.prediction);
    if (!step.code.isEmpty()) {
        html += QStringLiteral("<figure class=\"code\">\n");
        if (step.line > 0)
            html += tag("figcaption", QStringLiteral("Line %1").arg(step.line));
        QString code = handout::normalizedLines(step.code);
        while (code.endsWith(QLatin1Char('\n'))) // no blank last line in the box
            code.chop(1);
        html += QStringLiteral("<pre><code>") + htmlEscaped(code) + QStringLiteral("</code></pre>\n</figure>\n");
    }
    if (!step.skipped.isEmpty()) {
        html += tag("p", htmlEscaped(handout::skippedText(step)), "skipped");
    } else {
        for (int page = 0; page < int(images.size()); ++page)
            html += QStringLiteral("<figure class=\"picture\"><img src=\"") + htmlEscaped(images[page]) +
                QStringLiteral("\" alt=\"") + htmlEscaped(handout::imageAlt(step, page, int(images.size()))) +
                QStringLiteral("\"></figure>\n");
    }
    if (!step.verdicts.empty())
        writeVerdicts(html, step.verdicts);
    if (!step.raised.isEmpty())
        html += tag("p", QStringLiteral("Raised: ") + htmlEscaped(step.raised), "raised");
    if (!step.output.isEmpty()) {
        html += QStringLiteral("<h3>Output</h3>\n");
        QString output = htmlEscaped(handout::abridgedOutput(handout::normalizedLines(step.output)));
        if (output.startsWith(QLatin1Char('\n')))
            output.prepend(QLatin1Char('\n')); // a parser drops one newline right after <pre>
        html += tag("pre", output, "output");
    }
    html += QStringLiteral("</section>\n");
}

} // namespace

QByteArray htmlHandout(const ExportDocument &doc, const HandoutImages &images, const HandoutOptions &options)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html += tag("title", htmlEscaped(pageTitle(doc)));
    html += QStringLiteral("<style>\n") + QLatin1String(options.dark ? kStyleDark : kStyleLight) +
        QLatin1String(kStyleCommon) + QStringLiteral("</style>\n</head>\n<body>\n<header>\n");
    writeHeader(html, doc);
    html += QStringLiteral("</header>\n");
    writeContents(html, doc);
    html += QStringLiteral("<main>\n");
    for (std::size_t i = 0; i < doc.steps.size(); ++i)
        writeStep(html, doc.steps[i], i < images.size() ? images[i] : QStringList());
    html += QStringLiteral("</main>\n</body>\n</html>\n");
    return html.toUtf8();
}

} // namespace memscope::ui
