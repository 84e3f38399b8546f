// SPDX-License-Identifier: GPL-3.0-or-later
// Lessons: the file format (every malformed case names its line and what was
// expected), one expect line parsed per keyword, and each expectation checked
// against snapshots the real SnapshotBuilder made from facts over real host
// memory.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/lesson/environment.h"
#include "engine/lesson/expectation.h"
#include "engine/lesson/lesson.h"
#include "engine/lesson/lessontext.h"
#include "engine/snapshot.h"
#include "stepfixtures.h"
#include <cstring>
#include <string>
#include <vector>
#endif

using namespace memscope::engine;
using memscope::test::addressOf;

namespace {

template<typename T> using Buffer = memscope::test::HostBuffer<T>;

/// A view of `base`, `offset` bytes in, its values captured in C order.
template<typename T>
MemoryFact view(const Buffer<T> &base, std::vector<std::string> names, DType dtype, std::int64_t offset,
                std::vector<std::int64_t> shape, std::vector<std::int64_t> strides)
{
    return memscope::test::captureValues(
        memscope::test::hostView(base, std::move(names), dtype, offset, std::move(shape), std::move(strides)));
}

template<typename T> MemoryFact whole(const Buffer<T> &base, std::string name, DType dtype)
{
    return view(base, {std::move(name)}, dtype, 0, {static_cast<std::int64_t>(base.data.size())},
                {static_cast<std::int64_t>(sizeof(T))});
}

Step makeStep(SnapshotBuilder &builder, std::vector<MemoryFact> facts, const std::string &code,
              std::vector<Assignment> assignments = {}, std::array<std::uint64_t, 4> traffic = {})
{
    Step step;
    step.code = code;
    step.filename = "lesson.md";
    step.snapshot = builder.build(std::move(facts), StepInfo {code, std::move(assignments), traffic, {}});
    return step;
}

Expectation expectation(const std::string &line)
{
    auto parsed = parseExpectation(line);
    if (auto *message = std::get_if<std::string>(&parsed))
        qFatal("'%s' did not parse: %s", line.c_str(), message->c_str());
    return std::get<Expectation>(parsed);
}

ExpectationResult check(const std::string &line, const StepObservation &o)
{
    return checkExpectation(expectation(line), o);
}

QString describe(const ExpectationResult &r)
{
    return QStringLiteral("held=%1 observed='%2' evidence='%3'")
        .arg(r.held)
        .arg(QString::fromStdString(r.observed), QString::fromStdString(r.evidence));
}

#define EXPECT_RESULT(line, obs, wantHeld, observedPart)                                                               \
    do {                                                                                                               \
        const ExpectationResult r_ = check(line, obs);                                                                 \
        QVERIFY2(r_.held == (wantHeld), qPrintable(QStringLiteral(line " -> ") + describe(r_)));                       \
        QVERIFY2(r_.observed.find(observedPart) != std::string::npos,                                                  \
                 qPrintable(QStringLiteral(line " -> ") + describe(r_)));                                              \
    } while (false)

const char kValidLesson[] = R"(---
id: views
title: NumPy views and copies
requires: numpy, torch
summary: What slicing shares.
---

## Slicing shares memory

A slice is a *view*: no bytes are copied.

```python
import numpy as np
a = np.arange(6.0)
s = a[1:3]
```

```predict
Does `s` share memory with `a`?
- yes (*)
- no
```

Some other block stays in the narration:

```text
a[1:3]
```

```expect
# the view
alias a s
shared a s 16   # two float64
claim copy a s
```

## Copy

```python
c, (d, e) = a.copy(), (1, 2)
import torch
from numpy import float32 as f32, int8
```

```expect
requires: cuda-or-emulated
copy a c
dtype c float64
```
)";

} // namespace

class TestLesson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesAValidLesson()
    {
        const auto parsed = parseLesson(kValidLesson, "views.md");
        if (const auto *error = std::get_if<LessonError>(&parsed))
            QFAIL(error->toString().c_str());
        const Lesson &l = std::get<Lesson>(parsed);
        QCOMPARE(l.id, std::string("views"));
        QCOMPARE(l.title, std::string("NumPy views and copies"));
        QCOMPARE(l.summary, std::string("What slicing shares."));
        QCOMPARE(l.file, std::string("views.md"));
        QCOMPARE(l.requirements, (std::vector<Requirement> {Requirement::NumPy, Requirement::Torch}));
        QCOMPARE(l.steps.size(), std::size_t(2));

        const LessonStep &s1 = l.steps[0];
        QCOMPARE(s1.title, std::string("Slicing shares memory"));
        QCOMPARE(s1.line, 8);
        QCOMPARE(s1.codeLine, 13);
        QCOMPARE(s1.code, std::string("import numpy as np\na = np.arange(6.0)\ns = a[1:3]\n"));
        QCOMPARE(s1.narration,
                 std::string("A slice is a *view*: no bytes are copied.\n\nSome other block stays in the "
                             "narration:\n\n```text\na[1:3]\n```"));
        QVERIFY(s1.prediction.has_value());
        QCOMPARE(s1.prediction->line, 18);
        QCOMPARE(s1.prediction->question, std::string("Does `s` share memory with `a`?"));
        QCOMPARE(s1.prediction->choices.size(), std::size_t(2));
        QCOMPARE(s1.prediction->choices[0].text, std::string("yes"));
        QVERIFY(s1.prediction->choices[0].right);
        QCOMPARE(s1.prediction->choices[1].text, std::string("no"));
        QVERIFY(!s1.prediction->choices[1].right);
        QCOMPARE(s1.expectations.size(), std::size_t(3));
        QCOMPARE(s1.expectations[0].kind, Expectation::Kind::Alias);
        QCOMPARE(s1.expectations[0].line, 32);
        QVERIFY(!s1.expectations[0].claim);
        QCOMPARE(s1.expectations[1].kind, Expectation::Kind::Shared);
        QCOMPARE(s1.expectations[1].bytes, std::uint64_t(16));
        QCOMPARE(s1.expectations[1].line, 33);
        QCOMPARE(s1.expectations[2].kind, Expectation::Kind::Copy);
        QVERIFY(s1.expectations[2].claim);
        QCOMPARE(s1.expectations[2].text, std::string("copy a s"));
        QVERIFY(s1.requires_.empty());

        const LessonStep &s2 = l.steps[1];
        QCOMPARE(s2.title, std::string("Copy"));
        QCOMPARE(s2.line, 37);
        QCOMPARE(s2.codeLine, 40);
        QVERIFY(s2.narration.empty());
        QVERIFY(!s2.prediction.has_value());
        QCOMPARE(s2.requires_, std::vector<Requirement> {Requirement::CudaOrEmulated});
        QCOMPARE(s2.expectations.size(), std::size_t(2));
        QCOMPARE(s2.expectations[1].kind, Expectation::Kind::DTypeIs);
        QCOMPARE(s2.expectations[1].dtype, DType::Float64);
        QCOMPARE(s2.expectations[1].line, 48);
    }

    void windowsLineEndingsAndNoFinalNewline()
    {
        const std::string text =
            "---\r\nid: x\r\ntitle: T\r\n---\r\n## One\r\n```python\r\nx = 1\r\n```\r\n```expect\r\n"
            "value x == 1\r\n```";
        const auto parsed = parseLesson(text, "crlf.md");
        if (const auto *error = std::get_if<LessonError>(&parsed))
            QFAIL(error->toString().c_str());
        const Lesson &l = std::get<Lesson>(parsed);
        QCOMPARE(l.steps.size(), std::size_t(1));
        QCOMPARE(l.steps[0].code, std::string("x = 1\n"));
        QCOMPARE(l.steps[0].expectations[0].line, 10);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        const QByteArray head = "---\nid: x\ntitle: T\n---\n"; // lines 1-4
        const QByteArray step = "## S\n```python\na = [1]\n```\n"; // lines 5-8 after head

        QTest::newRow("no front matter") << QByteArray("## S\n```python\na = 1\n```\n") << 1
                                         << "the first line must be '---'";
        QTest::newRow("front matter not closed")
            << QByteArray("---\nid: x\ntitle: T\n") << 1 << "front matter is not closed (expected a '---'";
        QTest::newRow("unknown key") << QByteArray("---\nid: x\nautor: me\ntitle: T\n---\n") + step << 3
                                     << "unknown front matter key 'autor' (expected id, title, requires or summary)";
        QTest::newRow("not key: value") << QByteArray("---\nid: x\njust text\n---\n") + step << 3
                                        << "expected 'key: value'";
        QTest::newRow("missing title") << QByteArray("---\nid: x\nsummary: s\n---\n") + step << 4
                                       << "front matter has no title (expected 'title: ...'";
        QTest::newRow("missing id") << QByteArray("---\ntitle: T\n---\n") + step << 3 << "front matter has no id";
        QTest::newRow("key twice") << QByteArray("---\nid: x\ntitle: T\ntitle: U\n---\n") + step << 4 << "given twice";
        QTest::newRow("unknown requirement") << QByteArray("---\nid: x\ntitle: T\nrequires: numpy, jax\n---\n") +
                step << 4 << "unknown requirement 'jax' (expected numpy, torch, tensorflow, cuda or cuda-or-emulated)";
        QTest::newRow("text before the first step")
            << head + "\nIntro text\n" + step << 6 << "text before the first step (expected a '## ' heading";
        QTest::newRow("unknown expectation") << head + step + "```expect\nalias a a\naliases a a\n```\n"
                                             << 11
                                             << "unknown expectation 'aliases' (expected alias, copy, convert, "
                                                "transfer, same, unrelated, shared, readonly, writable, device, "
                                                "dtype, shape, value, changed, unchanged, traffic, raises)";
        QTest::newRow("bad expectation arguments") << head + step + "```expect\n\nshared a a\n```\n"
                                                   << 11 << "shared wants two names and a byte count";
        QTest::newRow("name no step creates") << head + step + "```expect\n# c is never made\nalias a c\n```\n"
                                              << 11 << "'c' is not created by this step's code or an earlier step's";
        QTest::newRow("name only a later step creates")
            << head + step + "```expect\nsame a b\n```\n## T\n```python\nb = a\n```\n"
            << 10 << "'b' is not created by this step's code or an earlier step's";
        QTest::newRow("root of a path not created") << head + step + "```expect\ndtype lin.weight float32\n```\n"
                                                    << 10 << "'lin' is not created";
        QTest::newRow("element assignment binds nothing") << head +
                "## S\n```python\nq[0] = 1\n```\n```expect\n"
                "unchanged q\n```\n" << 10 << "'q' is not created";
        QTest::newRow("unclosed python fence") << head + "## S\ntext\n```python\na = 1\n"
                                               << 7 << "unclosed ```python fence (expected a closing ``` line)";
        QTest::newRow("unclosed expect fence") << head + step + "\n```expect\nalias a a\n"
                                               << 10 << "unclosed ```expect fence";
        QTest::newRow("unclosed narration fence") << head + step + "```text\nhello\n" << 9 << "unclosed ```text fence";
        QTest::newRow("two python blocks") << head + step + "more\n```python\nb = 2\n```\n"
                                           << 10 << "second ```python block in step 'S' (expected one per step)";
        QTest::newRow("two expect blocks") << head + step + "```expect\n```\n```expect\n```\n"
                                           << 11 << "second ```expect block";
        QTest::newRow("invalid UTF-8") << head + step + "caf\xC3\x28 au lait\n"
                                       << 9 << "invalid UTF-8 (expected a UTF-8 text file)";
        QTest::newRow("invalid UTF-8, overlong") << QByteArray("---\n\xC0\xAF\n") << 2 << "invalid UTF-8";
        QTest::newRow("invalid UTF-8, truncated at the end") << head + "\xE2\x82" << 5 << "invalid UTF-8";
        QTest::newRow("step without python")
            << head + "## S\nJust words.\n" + step << 5 << "step 'S' has no ```python block (expected one per step)";
        QTest::newRow("last step without python") << head + step + "## Last\n```text\nx\n```\n"
                                                  << 9 << "step 'Last' has no ```python block";
        QTest::newRow("predict without a right choice")
            << head + step + "```predict\nWhich?\n- one\n- two\n```\n"
            << 9 << "```predict block without a right choice (expected ' (*)' at the end of one)";
        QTest::newRow("predict without choices") << head + step + "```predict\nWhich?\n```\n" << 9 << "without choices";
        QTest::newRow("predict line not a choice") << head + step + "```predict\nWhich?\n- one (*)\ntwo\n```\n"
                                                   << 12 << "expected a choice line starting with '- '";
        QTest::newRow("heading without title") << head + "## \n" << 5 << "step heading without a title";
        QTest::newRow("no steps") << head << 4 << "lesson without steps";
        QTest::newRow("empty python block") << head + "## S\n```python\n\n```\n" << 6 << "empty ```python block";
        QTest::newRow("requires in expect") << head + step + "```expect\nrequires: gpu\n```\n"
                                            << 10 << "unknown requirement 'gpu'";
    }

    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        const auto parsed = parseLesson(std::string_view(text.constData(), std::size_t(text.size())), "bad.md");
        QVERIFY2(std::holds_alternative<LessonError>(parsed), "the malformed lesson was accepted");
        const LessonError &e = std::get<LessonError>(parsed);
        QCOMPARE(e.file, std::string("bad.md"));
        QVERIFY2(QString::fromStdString(e.message).contains(message), e.toString().c_str());
        QCOMPARE(e.line, line);
        QVERIFY(e.toString().starts_with("bad.md:" + std::to_string(line) + ": "));
    }

    void everyPrefixIsALessonOrAnError()
    {
        // Cut anywhere (mid-fence, mid-character, mid-line): a lesson or one
        // error on a line that exists, never a crash.
        const std::string_view full = kValidLesson;
        for (std::size_t n = 0; n <= full.size(); ++n) {
            const std::string_view text = full.substr(0, n);
            const auto parsed = parseLesson(text, "cut.md");
            if (const auto *e = std::get_if<LessonError>(&parsed)) {
                const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
                QVERIFY2(e->line >= 0 && e->line <= lines, e->toString().c_str());
                QVERIFY(!e->message.empty());
            }
        }
        for (const char *line : {"[", "alias sd['", "value x[ == 1", "value [1] == 2", "shape a ((", "claim claim",
                                 "changed x[1,,2]", "'", "traffic", "value x[99999999999999999999] == 1"})
            QVERIFY(std::holds_alternative<std::string>(parseExpectation(line)) ||
                    !std::get<Expectation>(parseExpectation(line)).text.empty());
    }

    void errorText()
    {
        QCOMPARE((LessonError {"a.md", 14, "unknown expectation"}).toString(),
                 std::string("a.md:14: unknown expectation"));
        QCOMPARE((LessonError {"a.md", 0, "empty lesson"}).toString(), std::string("a.md: empty lesson"));
        const auto empty = parseLesson("\n  \n", "e.md");
        QVERIFY(std::holds_alternative<LessonError>(empty));
        QCOMPARE(std::get<LessonError>(empty).line, 0);
        QVERIFY(std::get<LessonError>(empty).toString().starts_with("e.md: empty lesson"));
    }

    void requirementNames()
    {
        QCOMPARE(requirementName(Requirement::NumPy), std::string_view("numpy"));
        QCOMPARE(requirementName(Requirement::TensorFlow), std::string_view("tensorflow"));
        QCOMPARE(requirementName(Requirement::CudaOrEmulated), std::string_view("cuda-or-emulated"));
    }

    void boundNamesOfCode()
    {
        const std::set<std::string> bound = boundNames(R"(import numpy as np, os.path
import torch
from collections import (OrderedDict as OD,
                         deque)
a = np.arange(6)  # b = 1 in a comment binds nothing
x, (y, *z) = 1, (2, 3, 4)
p = q = 3
r: int = 4
s += 1
t[0] = 5
u.v = 6
w == 7
f(kw=8)
s2 = "k = 9"
for i, j in enumerate(a): k = i
with open('f') as fh, open('g') as (g1, g2):
    pass
try:
    pass
except ValueError as err:
    pass
if (n := 3) > 2: m = 1
def fn(arg=1):
    return arg
class Cls:
    pass
lam = lambda d=1: d
call(1,
     cont=2)
)");
        const std::set<std::string> want {"np",  "os", "torch", "OD", "deque", "a",   "x",  "y",  "z",
                                          "p",   "q",  "r",     "i",  "j",     "k",   "fh", "g1", "g2",
                                          "err", "n",  "m",     "fn", "Cls",   "lam", "s2"};
        QCOMPARE(bound, want);
    }

    void pathsAndTokens()
    {
        QVERIFY(isNamePath("lin.weight"));
        QVERIFY(isNamePath("sd['bias']"));
        QVERIFY(isNamePath("sd['a b'].x[0]"));
        QVERIFY(isNamePath("params[1]"));
        QVERIFY(!isNamePath("3x"));
        QVERIFY(!isNamePath("a."));
        QVERIFY(!isNamePath("a[0"));
        QVERIFY(!isNamePath("a[]"));
        QCOMPARE(pathRoot("sd['bias']"), std::string_view("sd"));
        QCOMPARE(splitTopLevel("alias sd['a b']  t", ' '), (std::vector<std::string_view> {"alias", "sd['a b']", "t"}));
    }

    void parseEveryKeyword()
    {
        using K = Expectation::Kind;
        Expectation e = expectation("alias a t");
        QCOMPARE(e.kind, K::Alias);
        QCOMPARE(e.a, std::string("a"));
        QCOMPARE(e.b, std::string("t"));
        QVERIFY(!e.claim);
        QCOMPARE(e.text, std::string("alias a t"));
        QCOMPARE(expectation("copy a b").kind, K::Copy);
        QCOMPARE(expectation("convert a b").kind, K::Convert);
        QCOMPARE(expectation("transfer a b").kind, K::Transfer);
        QCOMPARE(expectation("same a b").kind, K::Same);
        QCOMPARE(expectation("unrelated a b").kind, K::Unrelated);

        e = expectation("  claim   copy lin.weight sd['a b']  ");
        QVERIFY(e.claim);
        QCOMPARE(e.kind, K::Copy);
        QCOMPARE(e.a, std::string("lin.weight"));
        QCOMPARE(e.b, std::string("sd['a b']"));
        QCOMPARE(e.text, std::string("copy lin.weight sd['a b']"));
        QCOMPARE(e.names(), (std::vector<std::string> {"lin.weight", "lin", "sd['a b']", "sd"}));

        e = expectation("shared a e 48");
        QCOMPARE(e.kind, K::Shared);
        QCOMPARE(e.bytes, std::uint64_t(48));
        QCOMPARE(expectation("readonly a").kind, K::ReadOnly);
        QCOMPARE(expectation("writable a").kind, K::Writable);

        e = expectation("device g cuda:1");
        QCOMPARE(e.kind, K::OnDevice);
        QCOMPARE(e.device, std::string("cuda:1"));
        QCOMPARE(expectation("device g cuda").device, std::string("cuda"));
        QCOMPARE(expectation("device g cpu").device, std::string("cpu"));

        e = expectation("dtype a float32");
        QCOMPARE(e.kind, K::DTypeIs);
        QCOMPARE(e.dtype, DType::Float32);
        QCOMPARE(expectation("dtype a bool").dtype, DType::Bool);

        e = expectation("shape a (2, 3)");
        QCOMPARE(e.kind, K::ShapeIs);
        QCOMPARE(e.shape, (std::vector<std::int64_t> {2, 3}));
        QCOMPARE(expectation("shape a ()").shape, std::vector<std::int64_t> {});
        QCOMPARE(expectation("shape a (5,)").shape, std::vector<std::int64_t> {5});

        e = expectation("value sd['bias'][1, -2] == 7.5");
        QCOMPARE(e.kind, K::ValueIs);
        QCOMPARE(e.a, std::string("sd['bias']"));
        QCOMPARE(e.index, (std::vector<std::int64_t> {1, -2}));
        QCOMPARE(e.value, std::string("7.5"));
        QVERIFY(!e.notEqual);
        QCOMPARE(e.names(), (std::vector<std::string> {"sd['bias']", "sd"}));
        e = expectation("value x != True");
        QVERIFY(e.notEqual);
        QVERIFY(e.index.empty());
        QCOMPARE(e.a, std::string("x"));
        QCOMPARE(e.value, std::string("True"));
        QCOMPARE(expectation("value sd['k'] == 1").a, std::string("sd['k']")); // not integers: no index

        e = expectation("changed m[0, 1]");
        QCOMPARE(e.kind, K::Changed);
        QCOMPARE(e.a, std::string("m"));
        QCOMPARE(e.index, (std::vector<std::int64_t> {0, 1}));
        e = expectation("unchanged lin.weight");
        QCOMPARE(e.kind, K::Unchanged);
        QCOMPARE(e.a, std::string("lin.weight"));
        QVERIFY(e.index.empty());

        e = expectation("traffic D2H 4096");
        QCOMPARE(e.kind, K::Traffic);
        QCOMPARE(e.direction, Direction::D2H);
        QCOMPARE(e.bytes, std::uint64_t(4096));
        QVERIFY(e.names().empty());
        for (const char *d : {"H2H", "H2D", "D2D"})
            QCOMPARE(directionName(expectation(std::string("traffic ") + d + " 1").direction), std::string_view(d));

        e = expectation("raises torch.cuda.OutOfMemoryError");
        QCOMPARE(e.kind, K::Raises);
        QCOMPARE(e.a, std::string("torch.cuda.OutOfMemoryError"));
        QVERIFY(e.names().empty());

        QCOMPARE(expectationKindName(K::DTypeIs), std::string_view("dtype"));
        QCOMPARE(expectationKindName(K::OnDevice), std::string_view("device"));
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << "aliases a b"
                                 << "unknown expectation 'aliases' (expected alias, copy, convert";
        QTest::newRow("empty") << "   "
                               << "empty expectation (expected alias";
        QTest::newRow("claim alone") << "claim"
                                     << "claim without an expectation";
        QTest::newRow("alias one name") << "alias a"
                                        << "alias wants two names (alias X Y)";
        QTest::newRow("same three names") << "same a b c"
                                          << "same wants two names";
        QTest::newRow("shared no count") << "shared a b"
                                         << "shared wants two names and a byte count";
        QTest::newRow("shared bad count") << "shared a b 4x"
                                          << "shared wants two names and a byte count";
        QTest::newRow("readonly two") << "readonly a b"
                                      << "readonly wants one name";
        QTest::newRow("device gpu") << "device a gpu"
                                    << "'gpu' is not a device (expected cpu, cuda or cuda:N)";
        QTest::newRow("device cuda:x") << "device a cuda:x"
                                       << "'cuda:x' is not a device";
        QTest::newRow("dtype bad") << "dtype a flaot32"
                                   << "'flaot32' is not a dtype (expected a NumPy dtype name";
        QTest::newRow("shape no parens") << "shape a 2,3"
                                         << "'2,3' is not a shape (expected a tuple like (2, 3)";
        QTest::newRow("shape int") << "shape a (5)"
                                   << "'(5)' is not a shape";
        QTest::newRow("shape negative") << "shape a (-1, 2)"
                                        << "is not a shape";
        QTest::newRow("value no op") << "value a 3"
                                     << "value wants a name, == or != and a value";
        QTest::newRow("value bad op") << "value a = 3"
                                      << "value wants a name, == or != and a value";
        QTest::newRow("changed nothing") << "changed"
                                         << "changed wants one name";
        QTest::newRow("traffic bad direction") << "traffic H2X 16"
                                               << "'H2X' is not a direction (expected H2H, H2D, D2H or D2D)";
        QTest::newRow("traffic bad count") << "traffic H2D lots"
                                           << "'lots' is not a byte count";
        QTest::newRow("traffic one arg") << "traffic H2D"
                                         << "traffic wants a direction and a byte count";
        QTest::newRow("raises nothing") << "raises"
                                        << "raises wants one exception name";
        QTest::newRow("raises bad") << "raises 3rror"
                                    << "'3rror' is not an exception name";
        QTest::newRow("bad name") << "alias 3a b"
                                  << "'3a' is not a name (expected a Python name or path";
        QTest::newRow("unclosed bracket") << "readonly sd['a"
                                          << "is not a name";
    }

    void parseErrors()
    {
        QFETCH(QString, line);
        QFETCH(QString, message);
        const auto parsed = parseExpectation(line.toStdString());
        QVERIFY2(std::holds_alternative<std::string>(parsed), "accepted");
        const QString got = QString::fromStdString(std::get<std::string>(parsed));
        QVERIFY2(got.contains(message), qPrintable(got));
    }

    void checkRelations()
    {
        Buffer<double> a(12);
        Buffer<double> c(12); // equal values, other bytes: a copy
        Buffer<float> f(12); // equal values in float32: a conversion
        Buffer<double> u(12, 100.0); // other values: unrelated
        SnapshotBuilder builder;
        MemoryFact fa = whole(a, "a", DType::Float64);
        fa.names = {"a", "b"}; // b = a: one object, two names
        const MemoryFact fe = view(a, {"e"}, DType::Float64, 0, {6}, {16}); // a[::2]
        const MemoryFact fc = whole(c, "c", DType::Float64);
        const MemoryFact ff = whole(f, "f", DType::Float32);
        const MemoryFact fu = whole(u, "u", DType::Float64);
        StepObservation o;
        o.steps.push_back(makeStep(builder, {fa, fe}, "e = a[::2]", {{"e", {"a"}}}));
        o.steps.push_back(makeStep(builder, {fa, fe, fc, ff, fu}, "c = a.copy(); f = a.astype('f4'); u = a + 100",
                                   {{"c", {"a"}}, {"f", {"a"}}, {"u", {"a"}}}));
        o.versions = "numpy 1.24.2";

        EXPECT_RESULT("alias a e", o, true, "observed alias, 48 B shared");
        EXPECT_RESULT("copy a e", o, false, "observed alias, 48 B shared");
        EXPECT_RESULT("unrelated a e", o, false, "alias");
        EXPECT_RESULT("shared a e 48", o, true, "observed 48 B shared");
        EXPECT_RESULT("shared a e 96", o, false, "observed 48 B shared");
        EXPECT_RESULT("shared a c 0", o, true, "observed no byte shared");

        EXPECT_RESULT("copy a c", o, true, "observed copy · 96 B · H2H");
        EXPECT_RESULT("alias a c", o, false, "observed copy");
        EXPECT_RESULT("convert a c", o, false, "observed copy");
        EXPECT_RESULT("unrelated a c", o, false, "observed copy");
        EXPECT_RESULT("convert a f", o, true, "observed convert");
        EXPECT_RESULT("copy a f", o, false, "observed convert");
        // Computed from a with other values: no byte and no value in common.
        EXPECT_RESULT("unrelated a u", o, true, "observed derived");
        EXPECT_RESULT("copy a u", o, false, "observed derived");
        // No provenance links c and f: the one decider says how they relate.
        EXPECT_RESULT("convert c f", o, true, "observed convert");
        EXPECT_RESULT("unrelated c u", o, true, "observed unrelated");

        EXPECT_RESULT("same a b", o, true, "observed the same object");
        EXPECT_RESULT("alias a b", o, true, "the same object");
        EXPECT_RESULT("same a c", o, false, "observed two objects (copy");
        EXPECT_RESULT("same a e", o, false, "observed two objects (alias");

        const ExpectationResult copy = check("copy a c", o);
        QVERIFY2(copy.evidence.find("made by `c = a.copy(); f = a.astype('f4'); u = a + 100` (step 2)") !=
                     std::string::npos,
                 copy.evidence.c_str());
        // Byte ranges relative to each buffer (as on the canvas): the same words on every run.
        QVERIFY2(copy.evidence.find("a: float64 (12,) on cpu, bytes buf 1 + 0x0 … buf 1 + 0x60") != std::string::npos,
                 copy.evidence.c_str());
        QVERIFY2(copy.evidence.find("bytes 0x7") == std::string::npos, copy.evidence.c_str()); // no heap address
        QVERIFY2(copy.evidence.find("(96 B)") != std::string::npos, copy.evidence.c_str());
        QVERIFY2(copy.evidence.find("no byte in common") != std::string::npos, copy.evidence.c_str());
        QVERIFY2(copy.evidence.ends_with("numpy 1.24.2"), copy.evidence.c_str());
        const ExpectationResult alias = check("alias a e", o);
        QVERIFY2(alias.evidence.find("ranges overlap at a+0 … a+88, 48 B shared") != std::string::npos,
                 alias.evidence.c_str());
    }

    void checkTransferAndDevices()
    {
        Buffer<double> h(4);
        Buffer<double> d(4); // stands for device memory: never read by the builder
        SnapshotBuilder builder;
        MemoryFact fg = whole(d, "g", DType::Float64);
        fg.device = Device::cuda(0, true);
        StepObservation o;
        o.steps.push_back(makeStep(builder, {whole(h, "h", DType::Float64)}, "h = ..."));
        o.steps.push_back(makeStep(builder, {whole(h, "h", DType::Float64), fg}, "g = h.to('cuda')", {{"g", {"h"}}}));
        EXPECT_RESULT("transfer h g", o, true, "observed transfer · 32 B · H2D");
        EXPECT_RESULT("copy h g", o, false, "observed transfer");
        EXPECT_RESULT("alias h g", o, false, "observed transfer");
        EXPECT_RESULT("device g cuda", o, true, "on cuda:0 (emulated)");
        EXPECT_RESULT("device g cuda:0", o, true, "on cuda:0 (emulated)");
        EXPECT_RESULT("device g cuda:1", o, false, "on cuda:0 (emulated)");
        EXPECT_RESULT("device g cpu", o, false, "on cuda:0");
        EXPECT_RESULT("device h cpu", o, true, "on cpu");
        EXPECT_RESULT("device h cuda", o, false, "on cpu");
        // The transfer's bytes count as this step's traffic.
        EXPECT_RESULT("traffic H2D 32", o, true, "observed 32 B H2D");
    }

    void checkProperties()
    {
        Buffer<float> a(6);
        SnapshotBuilder builder;
        MemoryFact m = view(a, {"m"}, DType::Float32, 0, {2, 3}, {12, 4});
        MemoryFact r = view(a, {"r"}, DType::Float32, 0, {3, 2}, {4, 12}); // m.T
        r.readOnly = true;
        StepObservation o;
        o.steps.push_back(makeStep(builder, {m, r}, "m = ...; r = m.T"));
        EXPECT_RESULT("readonly r", o, true, "observed read-only");
        EXPECT_RESULT("writable r", o, false, "observed read-only");
        EXPECT_RESULT("writable m", o, true, "observed writable");
        EXPECT_RESULT("readonly m", o, false, "observed writable");
        EXPECT_RESULT("dtype m float32", o, true, "dtype float32");
        EXPECT_RESULT("dtype m float64", o, false, "dtype float32");
        EXPECT_RESULT("shape m (2, 3)", o, true, "shape (2, 3)");
        EXPECT_RESULT("shape r (2, 3)", o, false, "shape (3, 2)");
        EXPECT_RESULT("shape r (6,)", o, false, "shape (3, 2)");
        const ExpectationResult dt = check("dtype m float64", o);
        QVERIFY2(dt.evidence.find("m: float32 (2, 3) on cpu") != std::string::npos, dt.evidence.c_str());
    }

    void checkValues()
    {
        Buffer<double> a(6); // 0 .. 5
        Buffer<std::int64_t> z(1, 3);
        Buffer<float> bias(4, 0.5f);
        SnapshotBuilder builder;
        const MemoryFact m = view(a, {"m"}, DType::Float64, 0, {2, 3}, {24, 8});
        const MemoryFact x = view(z, {"x"}, DType::Int64, 0, {}, {}); // 0-d
        const MemoryFact sb = whole(bias, "sd['bias']", DType::Float32);
        const MemoryFact p0 = whole(z, "params[0]", DType::Int64); // shape (1,)
        const MemoryFact p1 = view(z, {"params[1]"}, DType::Int64, 0, {}, {}); // 0-d
        StepObservation o;
        o.steps.push_back(makeStep(builder, {m, x, sb, p0, p1}, "..."));
        EXPECT_RESULT("value m[1, 2] == 5", o, true, "m[1, 2] is 5");
        EXPECT_RESULT("value m[1, 2] != 5", o, false, "m[1, 2] is 5");
        EXPECT_RESULT("value m[1, 2] == 4", o, false, "m[1, 2] is 5");
        EXPECT_RESULT("value m[1, 2] != 4", o, true, "m[1, 2] is 5");
        EXPECT_RESULT("value m[-1, 0] == 3.0", o, true, "m[-1, 0] is 3");
        EXPECT_RESULT("value m[2, 0] == 0", o, false, "no element [2, 0] in shape (2, 3)");
        EXPECT_RESULT("value m[0] == 0", o, false, "no element [0] in shape (2, 3)");
        EXPECT_RESULT("value x == 3", o, true, "x is 3");
        EXPECT_RESULT("value x == 3.5", o, false, "x is 3"); // not an int64: said in the evidence
        EXPECT_RESULT("value sd['bias'][3] == 3.5", o, true, "sd['bias'][3] is 3.5");
        // `params[1]` is a container path, not element 1 of `params`.
        EXPECT_RESULT("value params[0][0] == 3", o, true, "params[0][0] is 3");
        EXPECT_RESULT("value params[1] == 3", o, true, "params[1] is 3");
        EXPECT_RESULT("value params[1] != 4", o, true, "params[1] is 3");
        EXPECT_RESULT("value params[0] == 3", o, false, "no element [] in shape (1,)");
        const ExpectationResult bad = check("value x == 3.5", o);
        QVERIFY2(bad.evidence.find("3.5") != std::string::npos, bad.evidence.c_str());
    }

    void checkChanges()
    {
        Buffer<double> a(12);
        Buffer<double> other(4);
        SnapshotBuilder builder;
        MemoryFact fa = whole(a, "a", DType::Float64);
        const MemoryFact fo = whole(other, "o", DType::Float64);
        MemoryFact fm = view(a, {"m"}, DType::Float64, 0, {2, 6}, {48, 8}); // a.reshape(2, 6)
        StepObservation before;
        before.steps.push_back(makeStep(builder, {fa, fm, fo}, "a = ...; m = a.reshape(2, 6)"));
        // The same objects seen again after each write.
        const auto again = [&] {
            MemoryFact fa2 = whole(a, "a", DType::Float64);
            fa2.objectId = fa.objectId;
            MemoryFact fm2 = view(a, {"m"}, DType::Float64, 0, {2, 6}, {48, 8});
            fm2.objectId = fm.objectId;
            return std::vector<MemoryFact> {fa2, fm2, fo};
        };
        StepObservation o;
        a.data[3] = 99;
        o.steps.push_back(makeStep(builder, again(), "a[3] = 99"));
        a.data[8] = -1;
        o.steps.push_back(makeStep(builder, again(), "a[8] = -1"));

        EXPECT_RESULT("unchanged a", before, true, "observed a unchanged");
        EXPECT_RESULT("changed a", before, false, "observed a unchanged");
        EXPECT_RESULT("changed a[3]", o, true, "observed a[3] changed in step 2");
        EXPECT_RESULT("changed a", o, true, "observed a changed in step 2");
        EXPECT_RESULT("changed a[2]", o, false, "observed a[2] unchanged");
        EXPECT_RESULT("unchanged a[2]", o, true, "observed a[2] unchanged");
        EXPECT_RESULT("unchanged a", o, false, "observed a changed in step 2");
        EXPECT_RESULT("changed m[0, 3]", o, true, "observed m[0, 3] changed in step 2");
        EXPECT_RESULT("changed m[1, 2]", o, true, "observed m[1, 2] changed in step 3");
        EXPECT_RESULT("changed m[1, 3]", o, false, "observed m[1, 3] unchanged");
        EXPECT_RESULT("changed m[2, 0]", o, false, "no element [2, 0] in shape (2, 6)");
        EXPECT_RESULT("unchanged o", o, true, "observed o unchanged");
        EXPECT_RESULT("changed o", o, false, "observed o unchanged");
        EXPECT_RESULT("changed nope", o, false, "no object named nope after this step");
        const ExpectationResult r = check("changed a", o);
        QVERIFY2(r.evidence.find("step 2: 1 element changed (first [3])") != std::string::npos, r.evidence.c_str());
        QVERIFY2(r.evidence.find("step 3: 1 element changed (first [8])") != std::string::npos, r.evidence.c_str());
        QVERIFY2(r.observed.find("step 2, step 3") != std::string::npos, r.observed.c_str());
    }

    void checkTraffic()
    {
        Buffer<double> a(2);
        SnapshotBuilder builder;
        StepObservation o;
        o.steps.push_back(
            makeStep(builder, {whole(a, "a", DType::Float64)}, "t = memscope.tensor(a).to('cuda')", {}, {0, 16, 0, 0}));
        o.steps.push_back(makeStep(builder, {whole(a, "a", DType::Float64)}, "u = t.cpu()", {}, {0, 32, 8, 0}));
        EXPECT_RESULT("traffic H2D 48", o, true, "observed 48 B H2D");
        EXPECT_RESULT("traffic H2D 16", o, false, "observed 48 B H2D");
        EXPECT_RESULT("traffic D2H 8", o, true, "observed 8 B D2H");
        EXPECT_RESULT("traffic H2H 0", o, true, "observed 0 B H2H");
        EXPECT_RESULT("traffic D2D 1", o, false, "observed 0 B D2D");
        const ExpectationResult r = check("traffic H2D 16", o);
        QVERIFY2(r.evidence.find("moved: H2H 0 B, H2D 48 B, D2H 8 B, D2D 0 B") != std::string::npos,
                 r.evidence.c_str());
        EXPECT_RESULT("traffic H2D 0", StepObservation {}, true, "observed 0 B H2D");
    }

    void checkRaises()
    {
        StepObservation o;
        EXPECT_RESULT("raises ZeroDivisionError", o, false, "raised nothing");
        o.raised = "ZeroDivisionError";
        o.raisedMessage = "ZeroDivisionError: division by zero";
        EXPECT_RESULT("raises ZeroDivisionError", o, true, "raised ZeroDivisionError");
        EXPECT_RESULT("raises ValueError", o, false, "raised ZeroDivisionError");
        QCOMPARE(check("raises ValueError", o).evidence, std::string("ZeroDivisionError: division by zero"));
        o.raised = "torch.cuda.OutOfMemoryError";
        EXPECT_RESULT("raises OutOfMemoryError", o, true, "raised torch.cuda.OutOfMemoryError");
        EXPECT_RESULT("raises torch.cuda.OutOfMemoryError", o, true, "raised");
        EXPECT_RESULT("raises MemoryError", o, false, "raised torch.cuda.OutOfMemoryError");
    }

    void checkMissingNames()
    {
        Buffer<double> a(4);
        SnapshotBuilder builder;
        StepObservation o;
        o.steps.push_back(makeStep(builder, {whole(a, "a", DType::Float64)}, "a = ..."));
        for (const char *line : {"alias a nope", "same nope a", "shared a nope 8", "readonly nope", "device nope cpu",
                                 "dtype nope float64", "shape nope (4,)", "value nope[0] == 1", "unchanged nope"}) {
            const ExpectationResult r = check(line, o);
            QVERIFY2(!r.held, line);
            QCOMPARE(r.observed, std::string("no object named nope after this step"));
        }
        // Nothing ran at all: no snapshot to look in.
        const ExpectationResult r = check("readonly a", StepObservation {});
        QVERIFY(!r.held);
        QCOMPARE(r.observed, std::string("no object named a after this step"));
    }

    void claimsCheckLikeExpectations()
    {
        Buffer<double> a(6);
        Buffer<double> c(6);
        SnapshotBuilder builder;
        StepObservation o;
        o.steps.push_back(makeStep(builder, {whole(a, "a", DType::Float64), whole(c, "n", DType::Float64)},
                                   "n = t.numpy()", {{"n", {"a"}}}));
        o.versions = "tensorflow 2.16.2";
        for (const char *line : {"alias a n", "copy a n", "shared a n 0", "value n[1] == 1", "readonly n",
                                 "traffic H2H 48", "raises ValueError", "same a n"}) {
            const Expectation plain = expectation(line);
            const Expectation claim = expectation(std::string("claim ") + line);
            QVERIFY(claim.claim);
            QCOMPARE(claim.text, plain.text);
            const ExpectationResult p = checkExpectation(plain, o);
            const ExpectationResult q = checkExpectation(claim, o);
            QCOMPARE(q.held, p.held);
            QCOMPARE(q.observed, p.observed);
            QCOMPARE(q.evidence, p.evidence);
        }
        // The tutorial's claim that .numpy() shares memory, on a version that copies.
        const ExpectationResult r = check("claim alias a n", o);
        QVERIFY(!r.held);
        QCOMPARE(r.observed, std::string("observed copy · 48 B · H2H"));
        QVERIFY2(r.evidence.find("tensorflow 2.16.2") != std::string::npos, r.evidence.c_str());
    }

    // What a lesson can count on, from the interpreter's description of itself.
    void environmentFromTheInterpreter()
    {
        const LessonEnvironment env =
            lessonEnvironment("Python 3.11.2 (/home/someone/venv/bin/python)\nNumPy 1.24.2\nPyTorch 1.13.0\n", false);
        QCOMPARE(env.versions, std::string("Python 3.11.2, NumPy 1.24.2, PyTorch 1.13.0"));
        QVERIFY(env.numpy && env.torch && !env.tensorflow);
        QVERIFY(env.has(Requirement::CudaOrEmulated));
        QVERIFY(!env.has(Requirement::Cuda));
        QCOMPARE(env.missing({Requirement::NumPy, Requirement::TensorFlow, Requirement::Cuda, Requirement::TensorFlow}),
                 std::string("tensorflow, cuda"));
        QCOMPARE(env.missing({Requirement::NumPy}), std::string());
        QVERIFY(lessonEnvironment("", true).has(Requirement::Cuda));
    }
};

QTEST_APPLESS_MAIN(TestLesson)
#include "tst_lesson.moc"
