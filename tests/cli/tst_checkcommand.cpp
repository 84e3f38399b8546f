// SPDX-License-Identifier: GPL-3.0-or-later
// `memscope check`: lessons run headless; a wrong expectation fails naming the
// step and the evidence, a wrong claim is reported and does not fail, a
// malformed lesson runs nothing.

#include "tests/cli/clirun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace memscope::test;

namespace {

const QByteArray kHeader = "---\nid: t\ntitle: A test lesson\nrequires: numpy\n---\n\n";

QByteArray step(const QByteArray &title, const QByteArray &code, const QByteArray &expect)
{
    return "## " + title + "\n\nSome narration.\n\n```python\n" + code + "\n```\n\n```expect\n" + expect + "\n```\n\n";
}

} // namespace

class TestCheckCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { requireModule("numpy"); }

    void heldExpectationsPass()
    {
        QTemporaryDir dir;
        const QString lesson = writeFile(
            dir, QStringLiteral("good.md"),
            kHeader +
                step("Slicing", "import numpy as np\na = np.arange(8.0)\nv = a[2:6]", "alias a v\nshared a v 32") +
                step("Editing", "v[0] = 5", "changed a[2]\nvalue a[2] == 5.0"));
        const Run r = runMemscope({QStringLiteral("check"), lesson});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY(r.out.contains("held"));
        QVERIFY(!r.out.contains("FAILED"));
        QVERIFY(r.out.contains("NumPy")); // the versions it was observed with
    }

    void wrongExpectationFailsNamingStepAndEvidence()
    {
        QTemporaryDir dir;
        const QString lesson = writeFile(
            dir, QStringLiteral("wrong.md"),
            kHeader + step("A slice is not a copy", "import numpy as np\na = np.arange(8.0)\nv = a[2:6]", "copy a v"));
        const Run r = runMemscope({QStringLiteral("check"), lesson});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("A slice is not a copy"), r.out.constData());
        QVERIFY2(r.out.contains("FAILED") && r.out.contains("copy a v"), r.out.constData());
        QVERIFY2(r.out.contains("alias"), r.out.constData()); // what was observed
        QVERIFY2(r.out.contains("evidence"), r.out.constData());
    }

    void wrongClaimIsReportedAndDoesNotFail()
    {
        QTemporaryDir dir;
        const QString lesson =
            writeFile(dir, QStringLiteral("claim.md"),
                      kHeader +
                          step("Someone says slices copy", "import numpy as np\na = np.arange(8.0)\nv = a[2:6]",
                               "claim copy a v"));
        const Run r = runMemscope({QStringLiteral("check"), lesson});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY2(r.out.contains("claim NOT HELD"), r.out.constData());
        QVERIFY2(r.out.contains("evidence"), r.out.constData());
    }

    void expectedRaiseHoldsAndUnexpectedOneFails()
    {
        QTemporaryDir dir;
        const QString expected =
            writeFile(dir, QStringLiteral("raises.md"),
                      kHeader + step("Division", "x = 1 / 0", "raises ZeroDivisionError") +
                          step("Goes on", "import numpy as np\nb = np.zeros(2)", "dtype b float64"));
        Run r = runMemscope({QStringLiteral("check"), expected});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QString unexpected =
            writeFile(dir, QStringLiteral("unexpected.md"),
                      kHeader + step("Oops", "import numpy as np\nb = np.zeros(2)\nx = 1 / 0", "dtype b float64"));
        r = runMemscope({QStringLiteral("check"), unexpected});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("raised ZeroDivisionError"), r.out.constData());
        QVERIFY2(r.out.contains("unexpected.md"), r.out.constData()); // the traceback's file: the lesson
    }

    void malformedLessonRunsNothing()
    {
        QTemporaryDir dir;
        const QString lesson =
            writeFile(dir, QStringLiteral("bad.md"),
                      kHeader + step("Typo", "import numpy as np\na = np.arange(3.0)\nprint('RAN')", "aliases a a"));
        const Run r = runMemscope({QStringLiteral("check"), lesson});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.md:"), r.err.constData());
        QVERIFY2(r.err.contains("aliases"), r.err.constData());
        QVERIFY(!r.out.contains("RAN"));
        const Run missing = runMemscope({QStringLiteral("check"), dir.filePath(QStringLiteral("none.md"))});
        QCOMPARE(missing.exitCode, 2);
        const Run unknown = runMemscope({QStringLiteral("check"), QStringLiteral("no-such-lesson")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("numpy-views"), unknown.err.constData()); // lists the bundled ones
    }

    void jsonForMachines()
    {
        QTemporaryDir dir;
        const QString lesson = writeFile(
            dir, QStringLiteral("json.md"),
            kHeader +
                step("Slicing", "import numpy as np\na = np.arange(8.0)\nv = a[2:6]", "alias a v\nclaim copy a v"));
        const Run r = runMemscope({QStringLiteral("check"), lesson, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QVERIFY(doc.value(QStringLiteral("ok")).toBool());
        const QJsonArray expectations = doc[QStringLiteral("lessons")][0][QStringLiteral("steps")][0]
                                            .toObject()[QStringLiteral("expectations")]
                                            .toArray();
        QCOMPARE(expectations.size(), 2);
        QVERIFY(expectations[0].toObject()[QStringLiteral("held")].toBool());
        QVERIFY(expectations[1].toObject()[QStringLiteral("claim")].toBool());
        QVERIFY(!expectations[1].toObject()[QStringLiteral("held")].toBool());
    }

    // A step that needs a real GPU is skipped here and said to be, never passed.
    void missingGpuSkipsTheStepVisibly()
    {
        const Run devices = runMemscope({QStringLiteral("--devices")});
        if (!devices.out.contains("emulated"))
            QSKIP("this machine has a real GPU: the step would run");
        QTemporaryDir dir;
        const QString lesson = writeFile(
            dir, QStringLiteral("gpu.md"),
            kHeader + step("Needs a GPU", "raise RuntimeError('ran')", "requires: cuda\nraises RuntimeError"));
        const Run r = runMemscope({QStringLiteral("check"), lesson});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY2(r.out.contains("SKIPPED"), r.out.constData());
        QVERIFY2(r.out.contains("1 step(s) skipped"), r.out.constData());
    }
};

QTEST_APPLESS_MAIN(TestCheckCommand)
#include "tst_checkcommand.moc"
