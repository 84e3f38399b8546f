// SPDX-License-Identifier: GPL-3.0-or-later
// The export's handouts: hostile lesson text stays text in both handouts,
// links and pictures resolve, fences hold their code, verdicts are worded as
// `memscope check` words them, the same input gives the same bytes.

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, which the engine's headers bring.
#ifndef Q_MOC_RUN
#include "ui/export/handout.h"
#endif

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <functional>

using namespace memscope::ui;

namespace {

const QString kHostile = QStringLiteral("<script>alert(1)</script><img src=x onerror=alert(2)>\"><b>x</b>' & done");

ExportStep makeStep(int number, const QString &title)
{
    ExportStep step;
    step.number = number;
    step.title = title;
    step.narration = QStringLiteral("A view of `a`.");
    step.code = QStringLiteral("v = a[2:6]");
    step.line = 10 + number;
    return step;
}

ExportDocument makeDocument()
{
    ExportDocument doc;
    doc.id = QStringLiteral("numpy-views");
    doc.title = QStringLiteral("NumPy views and copies");
    doc.summary = QStringLiteral("Which ones share memory, observed.");
    doc.sourceName = QStringLiteral("01-numpy-views.md");
    doc.versions = QStringLiteral("Python 3.11.2, NumPy 1.24.2");
    doc.devices = {QStringLiteral("cpu — host memory"), QStringLiteral("cuda:0 — emulated")};
    ExportStep first = makeStep(1, QStringLiteral("A slice is a view"));
    ExportPrediction p;
    p.question = QStringLiteral("Does `v` have its own copy?");
    p.choices = {QStringLiteral("Yes, slicing copies"), QStringLiteral("No, it reads a's bytes")};
    p.right = {false, true};
    first.prediction = p;
    first.verdicts.push_back({QStringLiteral("alias a v"), false, true, QStringLiteral("observed alias"),
                              QStringLiteral("a: float64 (12,) on cpu")});
    first.verdicts.push_back({QStringLiteral("copy a v"), false, false, QStringLiteral("observed alias"),
                              QStringLiteral("bytes buf 1 + 0x10")});
    first.verdicts.push_back({QStringLiteral("alias t n"), true, true, QStringLiteral("observed alias"), {}});
    first.verdicts.push_back({QStringLiteral("alias t m"), true, false, QStringLiteral("observed copy · 12 B · H2H"),
                              QStringLiteral("made by `n = t.numpy()` (step 4)")});
    first.output = QStringLiteral("[2. 3. 4. 5.]\n");
    doc.steps.push_back(first);
    ExportStep second = makeStep(2, QStringLiteral("Editing through a view"));
    second.raised = QStringLiteral("ZeroDivisionError: division by zero");
    doc.steps.push_back(second);
    ExportStep third = makeStep(4, QStringLiteral("On the GPU"));
    third.skipped = QStringLiteral("needs cuda, not available here");
    doc.steps.push_back(third);
    return doc;
}

HandoutImages makeImages()
{
    return {{QStringLiteral("step-01.png")},
            {QStringLiteral("step-02-1.png"), QStringLiteral("step-02-2.png")},
            {QStringLiteral("step-04.png")}};
}

QString html(const ExportDocument &doc, const HandoutImages &images = {}, bool dark = false)
{
    return QString::fromUtf8(htmlHandout(doc, images, HandoutOptions {dark}));
}

QString markdown(const ExportDocument &doc, const HandoutImages &images = {})
{
    return QString::fromUtf8(markdownHandout(doc, images));
}

QStringList captures(const QString &text, const QString &pattern)
{
    QStringList found;
    QRegularExpressionMatchIterator it = QRegularExpression(pattern).globalMatch(text);
    while (it.hasNext())
        found.append(it.next().captured(1));
    return found;
}

/// Every tag of the page is one the handout writes, with only its attributes;
/// links go to an anchor or to http(s). Escaped lesson text holds no '<', so
/// every '<' in the page opens markup.
void checkMarkup(const QString &page)
{
    static const QSet<QString> names {
        QStringLiteral("!DOCTYPE"),   QStringLiteral("html"),  QStringLiteral("head"),    QStringLiteral("meta"),
        QStringLiteral("title"),      QStringLiteral("style"), QStringLiteral("body"),    QStringLiteral("header"),
        QStringLiteral("nav"),        QStringLiteral("main"),  QStringLiteral("section"), QStringLiteral("h1"),
        QStringLiteral("h2"),         QStringLiteral("h3"),    QStringLiteral("h4"),      QStringLiteral("p"),
        QStringLiteral("div"),        QStringLiteral("ul"),    QStringLiteral("ol"),      QStringLiteral("li"),
        QStringLiteral("a"),          QStringLiteral("code"),  QStringLiteral("pre"),     QStringLiteral("figure"),
        QStringLiteral("figcaption"), QStringLiteral("img"),   QStringLiteral("span"),    QStringLiteral("strong"),
        QStringLiteral("em"),         QStringLiteral("br")};
    static const QSet<QString> attributes {
        QStringLiteral("class"),   QStringLiteral("id"),   QStringLiteral("href"),
        QStringLiteral("src"),     QStringLiteral("alt"),  QStringLiteral("lang"),
        QStringLiteral("charset"), QStringLiteral("name"), QStringLiteral("content")};
    // The style sheet is ours and holds no '<'.
    const qsizetype styleEnd = page.indexOf(QStringLiteral("</style>"));
    QVERIFY(styleEnd > 0);
    const QString body = page.mid(styleEnd);
    const QRegularExpression tagPattern(QStringLiteral("<(/?)([A-Za-z0-9!]+)([^<>]*)>"));
    const QRegularExpression attributePattern(QStringLiteral("\\s+([a-z-]+)=\"([^\"<>]*)\""));
    qsizetype tags = 0;
    QRegularExpressionMatchIterator it = tagPattern.globalMatch(body);
    while (it.hasNext()) {
        const QRegularExpressionMatch tag = it.next();
        ++tags;
        QVERIFY2(names.contains(tag.captured(2)), qPrintable(tag.captured(0)));
        QString rest = tag.captured(3);
        if (tag.captured(2) == QStringLiteral("!DOCTYPE"))
            continue;
        QRegularExpressionMatchIterator a = attributePattern.globalMatch(rest);
        while (a.hasNext()) {
            const QRegularExpressionMatch attribute = a.next();
            QVERIFY2(attributes.contains(attribute.captured(1)), qPrintable(tag.captured(0)));
            if (attribute.captured(1) == QStringLiteral("href")) {
                const QString url = attribute.captured(2);
                QVERIFY2(url.startsWith(QLatin1Char('#')) || url.startsWith(QStringLiteral("http://")) ||
                             url.startsWith(QStringLiteral("https://")),
                         qPrintable(url));
            }
        }
        rest.remove(attributePattern);
        QVERIFY2(rest.trimmed().isEmpty(), qPrintable(tag.captured(0)));
    }
    QCOMPARE(page.count(QLatin1Char('<')) - page.left(styleEnd).count(QLatin1Char('<')), tags);
    QVERIFY(!page.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(
        QRegularExpression(QStringLiteral("(href|src)=\"\\s*javascript:"), QRegularExpression::CaseInsensitiveOption)));
}

/// The Markdown without its code (fences and spans), where text is shown
/// literally anyway.
QString withoutCode(const QString &md)
{
    QStringList kept;
    qsizetype fence = 0;
    for (const QString &line : md.split(QLatin1Char('\n'))) {
        qsizetype run = 0;
        while (run < line.size() && line[run] == QLatin1Char('`'))
            ++run;
        if (fence == 0 && run >= 3) {
            fence = run;
            continue;
        }
        if (fence > 0) {
            if (run >= fence && line.trimmed().size() == run)
                fence = 0;
            continue;
        }
        kept.append(line);
    }
    QString text = kept.join(QLatin1Char('\n'));
    text.remove(QRegularExpression(QStringLiteral("(`+)[^`].*?\\1(?!`)")));
    return text;
}

} // namespace

class TestHandout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapes()
    {
        QCOMPARE(htmlEscaped(QStringLiteral("a&b<c>d\"e'f")), QStringLiteral("a&amp;b&lt;c&gt;d&quot;e&#39;f"));
        QCOMPARE(htmlEscaped(QStringLiteral("x\u0001y\tz")), QStringLiteral("x\uFFFDy\tz"));
    }

    void hostileTextStaysText_data()
    {
        using Setter = std::function<void(ExportDocument &)>;
        QTest::addColumn<Setter>("set");
        QTest::addColumn<QString>("shownAs"); // how the HTML shows it: escaped, maybe with a prefix
        const QString escaped = htmlEscaped(kHostile);
        const auto row = [&](const char *name, Setter set, const QString &shownAs) {
            QTest::newRow(name) << set << shownAs;
        };
        row(
            "title", [](ExportDocument &d) { d.title = kHostile; }, escaped);
        row(
            "summary", [](ExportDocument &d) { d.summary = kHostile; }, escaped);
        row(
            "source", [](ExportDocument &d) { d.sourceName = kHostile; }, escaped);
        row(
            "versions", [](ExportDocument &d) { d.versions = kHostile; }, QStringLiteral("Observed with ") + escaped);
        row(
            "device", [](ExportDocument &d) { d.devices.append(kHostile); }, escaped);
        row(
            "step title", [](ExportDocument &d) { d.steps[0].title = kHostile; }, escaped);
        row(
            "narration", [](ExportDocument &d) { d.steps[0].narration = kHostile; }, escaped);
        row(
            "code", [](ExportDocument &d) { d.steps[0].code = kHostile; }, escaped);
        row(
            "question", [](ExportDocument &d) { d.steps[0].prediction->question = kHostile; }, escaped);
        row(
            "choice", [](ExportDocument &d) { d.steps[0].prediction->choices[1] = kHostile; }, escaped);
        row(
            "expectation", [](ExportDocument &d) { d.steps[0].verdicts[0].expectation = kHostile; }, escaped);
        row(
            "observed", [](ExportDocument &d) { d.steps[0].verdicts[1].observed = kHostile; }, escaped);
        row(
            "evidence", [](ExportDocument &d) { d.steps[0].verdicts[1].evidence = kHostile; }, escaped);
        row(
            "raised", [](ExportDocument &d) { d.steps[1].raised = kHostile; }, escaped);
        row(
            "skipped", [](ExportDocument &d) { d.steps[2].skipped = kHostile; }, QStringLiteral("Skipped: ") + escaped);
        row(
            "output", [](ExportDocument &d) { d.steps[1].output = kHostile; }, escaped);
    }

    void hostileTextStaysText()
    {
        using Setter = std::function<void(ExportDocument &)>;
        QFETCH(Setter, set);
        QFETCH(QString, shownAs);
        ExportDocument doc = makeDocument();
        set(doc);
        const QString page = html(doc, makeImages());
        QVERIFY2(page.contains(shownAs), qPrintable(page));
        checkMarkup(page);
        QVERIFY(!page.contains(QStringLiteral("<img src=x"), Qt::CaseInsensitive));
        QVERIFY(!page.contains(QStringLiteral("<b>")));

        // Markdown: no raw HTML outside code, where a viewer shows it literally.
        const QString md = markdown(doc, makeImages());
        QVERIFY2(!withoutCode(md).contains(QLatin1Char('<')), qPrintable(withoutCode(md)));
        QVERIFY(md.contains(QStringLiteral("&lt;script&gt;")) || md.contains(QStringLiteral("<script>alert(1)")));
    }

    void narrationSubset()
    {
        ExportDocument doc = makeDocument();
        doc.steps[0].narration = QStringLiteral(
            "First **bold** and *italic* and `a[2:6] < b` and snake_case_name.\n"
            "Still the first paragraph.\n\n"
            "- one\n- two `x`\n\n"
            "```python\nif a < b and c:\n    **not bold**\n```\n\n"
            "[docs](https://numpy.org/doc?a=1&b=2) [bad](javascript:alert(1)) [Bad](JaVaScRiPt:alert(1)) "
            "[rel](step-02.png) [quote](https://x.org/\"onmouseover=alert(1))");
        const QString page = html(doc);
        checkMarkup(page);
        QVERIFY(page.contains(QStringLiteral("<p>First <strong>bold</strong> and <em>italic</em> and "
                                             "<code>a[2:6] &lt; b</code> and snake_case_name.\n"
                                             "Still the first paragraph.</p>")));
        QVERIFY(page.contains(QStringLiteral("<ul>\n<li>one</li>\n<li>two <code>x</code></li>\n</ul>")));
        QVERIFY(page.contains(QStringLiteral("<pre><code>if a &lt; b and c:\n    **not bold**</code></pre>")));
        QVERIFY(page.contains(QStringLiteral("<a href=\"https://numpy.org/doc?a=1&amp;b=2\">docs</a>")));
        QVERIFY(page.contains(QStringLiteral(" bad Bad rel ")));
        QVERIFY(!page.contains(QStringLiteral("href=\"javascript"), Qt::CaseInsensitive));
        QVERIFY(page.contains(QStringLiteral("<a href=\"https://x.org/&quot;onmouseover=alert(1)\">quote</a>")));

        // Markdown: links to anything but http(s) are broken into text.
        const QString md = markdown(doc);
        QVERIFY(md.contains(QStringLiteral("[docs](https://numpy.org/doc?a=1&amp;b=2)")));
        QVERIFY(md.contains(QStringLiteral("[bad]\\(javascript:alert(1))")));
        QVERIFY(md.contains(QStringLiteral("[Bad]\\(JaVaScRiPt:alert(1))")));
        QVERIFY(!md.contains(
            QRegularExpression(QStringLiteral("\\]\\(\\s*javascript"), QRegularExpression::CaseInsensitiveOption)));
        QVERIFY(md.contains(QStringLiteral("```python\nif a < b and c:\n    **not bold**\n```")));
        QVERIFY(md.contains(QStringLiteral("`a[2:6] < b`")));
    }

    void titlesBreakLinksInMarkdown()
    {
        // Headings and device lines are one-line texts, not narration: their
        // links are broken the same way (a review found them live).
        ExportDocument doc = makeDocument();
        doc.title = QStringLiteral("T [a](javascript:alert(1)) ![i](file:///etc/passwd)");
        doc.steps[0].title = QStringLiteral("S [b](javascript:alert(2))");
        doc.devices = {QStringLiteral("cpu [c](data:text/html,x)")};
        const QString md = markdown(doc);
        QVERIFY2(!md.contains(QRegularExpression(QStringLiteral("\\]\\((javascript|file|data):"),
                                                 QRegularExpression::CaseInsensitiveOption)),
                 qPrintable(md));
        QVERIFY(md.contains(QStringLiteral("[a]\\(javascript:alert(1))")));
    }

    void bidiOverridesAreShownAsReplacements()
    {
        ExportDocument doc = makeDocument();
        doc.title = QStringLiteral("access \u202Euser\u2066 level");
        doc.steps[0].code = QStringLiteral("ok = 1 # \u202E ;nimda\n");
        for (const QString &out : {html(doc), markdown(doc)}) {
            QVERIFY(!out.contains(QChar(0x202E)));
            QVERIFY(!out.contains(QChar(0x2066)));
            QVERIFY(out.contains(QChar(QChar::ReplacementCharacter)));
        }
    }

    void unclosedFenceIsClosed()
    {
        ExportDocument doc = makeDocument();
        doc.steps[0].narration = QStringLiteral("Text\n```\n<b>never closed");
        const QString md = markdown(doc);
        QVERIFY(md.contains(QStringLiteral("```\n<b>never closed\n```\n")));
        QVERIFY(html(doc).contains(QStringLiteral("<pre><code>&lt;b&gt;never closed</code></pre>")));
    }

    void contentsLinksResolve()
    {
        const ExportDocument doc = makeDocument();
        const QString page = html(doc, makeImages());
        const QStringList ids = captures(page, QStringLiteral("id=\"([^\"]*)\""));
        const QStringList links = captures(page, QStringLiteral("href=\"#([^\"]*)\""));
        QCOMPARE(ids, (QStringList {QStringLiteral("step-1"), QStringLiteral("step-2"), QStringLiteral("step-4")}));
        QCOMPARE(links, ids);
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
        QCOMPARE(
            captures(page, QStringLiteral("<h2>(Step [^<]*)</h2>")),
            (QStringList {QStringLiteral("Step 1 · A slice is a view"),
                          QStringLiteral("Step 2 · Editing through a view"), QStringLiteral("Step 4 · On the GPU")}));
        QVERIFY(
            page.startsWith(QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")));
        QVERIFY(page.contains(QStringLiteral("<title>NumPy views and copies</title>")));
        QVERIFY(page.contains(QStringLiteral("Observed with Python 3.11.2, NumPy 1.24.2")));
        QVERIFY(page.contains(QStringLiteral("<li>cuda:0 — emulated</li>")));
        QVERIFY(page.contains(QStringLiteral("<code>01-numpy-views.md</code>")));
        QVERIFY(page.contains(QStringLiteral("<figcaption>Line 11</figcaption>\n<pre><code>v = a[2:6]</code></pre>")));
        QVERIFY(!page.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
        QVERIFY(!page.contains(QStringLiteral("<link"), Qt::CaseInsensitive));
        checkMarkup(page);

        const QString md = markdown(doc, makeImages());
        QVERIFY(md.startsWith(QStringLiteral("# NumPy views and copies\n\n")));
        QCOMPARE(captures(md, QStringLiteral("\n## (Step [^\n]*)\n")).size(), 3);
    }

    void imagesInOrder()
    {
        const ExportDocument doc = makeDocument();
        const QString page = html(doc, makeImages());
        // Step 4 is skipped: its picture is left out, the reason shown instead.
        QCOMPARE(captures(page, QStringLiteral("<img src=\"([^\"]*)\"")),
                 (QStringList {QStringLiteral("step-01.png"), QStringLiteral("step-02-1.png"),
                               QStringLiteral("step-02-2.png")}));
        QCOMPARE(captures(page, QStringLiteral("alt=\"([^\"]*)\"")),
                 (QStringList {QStringLiteral("Step 1: memory after the step"),
                               QStringLiteral("Step 2: memory after the step (page 1 of 2)"),
                               QStringLiteral("Step 2: memory after the step (page 2 of 2)")}));
        QVERIFY(page.contains(QStringLiteral("<p class=\"skipped\">Skipped: needs cuda, not available here</p>")));
        // The picture comes after the code and before what was observed.
        const qsizetype picture = page.indexOf(QStringLiteral("step-01.png"));
        QVERIFY(page.indexOf(QStringLiteral("v = a[2:6]")) < picture);
        QVERIFY(picture < page.indexOf(QStringLiteral("<h3>Observed</h3>")));

        const QString md = markdown(doc, makeImages());
        QCOMPARE(captures(md, QStringLiteral("!\\[[^\\]]*\\]\\(([^)]*)\\)")),
                 (QStringList {QStringLiteral("step-01.png"), QStringLiteral("step-02-1.png"),
                               QStringLiteral("step-02-2.png")}));
        QVERIFY(md.contains(QStringLiteral("![Step 1: memory after the step](step-01.png)")));
        QVERIFY(md.contains(QStringLiteral("**Skipped: needs cuda, not available here**")));

        // Fewer picture lists than steps, and references that need escaping.
        const QString few = html(doc, {{QStringLiteral("a \"b\".png")}});
        QCOMPARE(captures(few, QStringLiteral("<img src=\"([^\"]*)\"")),
                 QStringList {QStringLiteral("a &quot;b&quot;.png")});
        QVERIFY(markdown(doc, {{QStringLiteral("my (1).png")}}).contains(QStringLiteral("](my%20%281%29.png)")));
    }

    void markdownFencesOutgrowCode()
    {
        ExportDocument doc = makeDocument();
        doc.steps[0].code = QStringLiteral("s = \"\"\"\n````\n```python\n\"\"\"");
        doc.steps[0].verdicts[0].expectation = QStringLiteral("value s == `x``");
        doc.steps[1].output = QStringLiteral("``````");
        const QString md = markdown(doc);
        QVERIFY(md.contains(QStringLiteral("\n`````python\ns = \"\"\"\n````\n```python\n\"\"\"\n`````\n")));
        QVERIFY(md.contains(QStringLiteral("``` value s == `x`` ```")));
        QVERIFY(md.contains(QStringLiteral("\n```````\n``````\n```````\n")));
        // The rest of the file is outside every fence again.
        QVERIFY(withoutCode(md).contains(QStringLiteral("## Step 4 · On the GPU")));
    }

    void predictionAndVerdicts()
    {
        const ExportDocument doc = makeDocument();
        const QString page = html(doc);
        QVERIFY(page.contains(QStringLiteral("<strong>Predict:</strong> Does <code>v</code> have its own copy?")));
        QVERIFY(page.contains(QStringLiteral("<li>A. Yes, slicing copies</li>")));
        QVERIFY(page.contains(QStringLiteral("<li class=\"right\">B. No, it reads a&#39;s bytes ✓</li>")));
        QVERIFY(page.contains(QStringLiteral("<strong>Answer:</strong> B</p>")));
        QCOMPARE(captures(page, QStringLiteral("<span class=\"verdict\">([^<]*)</span>")),
                 (QStringList {QStringLiteral("held"), QStringLiteral("NOT HELD"), QStringLiteral("claim held"),
                               QStringLiteral("claim NOT HELD")}));
        QVERIFY(page.contains(QStringLiteral("<span class=\"verdict\">NOT HELD</span> <code>copy a v</code> — "
                                             "observed alias<br>\n<span class=\"evidence\">evidence: bytes buf 1 + "
                                             "0x10</span>")));
        QVERIFY(page.contains(QStringLiteral("evidence: made by <code>n = t.numpy()</code> (step 4)")));
        QVERIFY(page.contains(QStringLiteral("<p class=\"raised\">Raised: ZeroDivisionError: division by zero</p>")));
        QVERIFY(page.contains(QStringLiteral("<pre class=\"output\">[2. 3. 4. 5.]</pre>")));

        const QString md = markdown(doc);
        QVERIFY(md.contains(QStringLiteral("**Predict:** Does `v` have its own copy?\n\n- A. Yes, slicing copies\n"
                                           "- B. No, it reads a's bytes ✓\n\n**Answer:** B\n")));
        QCOMPARE(captures(md, QStringLiteral("\n- \\*\\*([^*]*)\\*\\* `")),
                 (QStringList {QStringLiteral("held"), QStringLiteral("NOT HELD"), QStringLiteral("claim held"),
                               QStringLiteral("claim NOT HELD")}));
        QVERIFY(md.contains(QStringLiteral("- **claim NOT HELD** `alias t m` — observed copy · 12 B · H2H  \n"
                                           "  evidence: made by `n = t.numpy()` (step 4)\n")));
        QVERIFY(md.contains(QStringLiteral("**Raised:** `ZeroDivisionError: division by zero`")));
    }

    void untitledAndLeadingNewline()
    {
        ExportDocument doc = makeDocument();
        doc.title.clear();
        doc.steps[0].output = QStringLiteral("\nafter a blank line");
        const QString page = html(doc);
        QVERIFY(page.contains(QStringLiteral("<title>01-numpy-views.md</title>")));
        QVERIFY(page.contains(QStringLiteral("<h1>01-numpy-views.md</h1>")));
        // A parser drops the newline right after <pre>: the blank line needs two.
        QVERIFY(page.contains(QStringLiteral("<pre class=\"output\">\n\nafter a blank line</pre>")));
        QVERIFY(markdown(doc).startsWith(QStringLiteral("# 01-numpy-views.md\n")));
        doc.sourceName.clear();
        QVERIFY(html(doc).contains(QStringLiteral("<title>MemScope handout</title>")));
    }

    void outputIsAbridged()
    {
        ExportDocument doc = makeDocument();
        QStringList lines;
        for (int i = 1; i <= 100; ++i)
            lines.append(QStringLiteral("line %1").arg(i));
        doc.steps[0].output = lines.join(QLatin1Char('\n'));
        for (const QString &text : {html(doc), markdown(doc)}) {
            QVERIFY(text.contains(QStringLiteral("line 40\n… (60 more lines)")));
            QVERIFY(!text.contains(QStringLiteral("line 41")));
        }
    }

    void outputWithoutHeapAddresses()
    {
        ExportDocument doc = makeDocument();
        doc.steps[0].output = QStringLiteral("<torch._C.Generator object at 0x7f67a313e410>\nvalue 0x10");
        const QString page = html(doc);
        QVERIFY(page.contains(QStringLiteral("&lt;torch._C.Generator object at 0x…&gt;\nvalue 0x10</pre>")));
        QVERIFY(markdown(doc).contains(QStringLiteral("\n<torch._C.Generator object at 0x…>\nvalue 0x10\n```")));
    }

    void sameInputSameBytes()
    {
        const ExportDocument doc = makeDocument();
        QCOMPARE(htmlHandout(doc, makeImages()), htmlHandout(makeDocument(), makeImages()));
        QCOMPARE(htmlHandout(doc, makeImages(), {true}), htmlHandout(makeDocument(), makeImages(), {true}));
        QCOMPARE(markdownHandout(doc, makeImages()), markdownHandout(makeDocument(), makeImages()));
        QVERIFY(htmlHandout(doc, makeImages(), {true}) != htmlHandout(doc, makeImages(), {false}));
        // "\n" line ends only, whatever the lesson used.
        ExportDocument crlf = makeDocument();
        crlf.steps[0].narration = QStringLiteral("one\r\ntwo\rthree");
        crlf.steps[0].code = QStringLiteral("a = 1\r\nb = 2");
        QVERIFY(!htmlHandout(crlf, {}).contains('\r'));
        QVERIFY(!markdownHandout(crlf, {}).contains('\r'));
    }
};

QTEST_MAIN(TestHandout)
#include "tst_handout.moc"
