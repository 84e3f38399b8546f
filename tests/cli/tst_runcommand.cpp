// SPDX-License-Identifier: GPL-3.0-or-later
// `memscope run`: the tutorial's conversions, observed, as JSON; and the
// errors a person meets (syntax error, exception, missing file, wrong Python).

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of this.
#ifndef Q_MOC_RUN
#include "engine/step/recording.h"
#endif

#include "tests/cli/clirun.h"

using namespace memscope::test;

class TestRunCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tutorialRelationsAsJson()
    {
        requireModule("torch");
        requireModule("tensorflow");
        const Run r =
            runMemscope({QStringLiteral("run"), QStringLiteral(MEMSCOPE_SOURCE_DIR "/resources/examples/tutorial.py"),
                         QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QVERIFY2(!doc.isNull(), qPrintable(error.errorString()));
        QVERIFY(doc[QStringLiteral("ok")].toBool());
        // statement -> relation observed between its source and its result
        QMap<QString, QString> observed;
        QMap<QString, qint64> bytes;
        for (const auto step : doc[QStringLiteral("steps")].toArray()) {
            for (const auto rel : step[QStringLiteral("relations")].toArray()) {
                const QString statement = rel[QStringLiteral("statement")].toString();
                if (statement.isEmpty())
                    continue;
                observed[statement] = rel[QStringLiteral("relation")].toString();
                bytes[statement] = rel[QStringLiteral("bytes")].toInteger();
            }
        }
        QCOMPARE(observed.value(QStringLiteral("t = torch.from_numpy(a)")), QStringLiteral("alias"));
        QCOMPARE(observed.value(QStringLiteral("t2 = torch.tensor(a)")), QStringLiteral("copy"));
        QCOMPARE(bytes.value(QStringLiteral("t2 = torch.tensor(a)")), 48);
        QCOMPARE(observed.value(QStringLiteral("n = t2.numpy()")), QStringLiteral("alias"));
        QCOMPARE(observed.value(QStringLiteral("t32 = torch.from_numpy(a).float()")), QStringLiteral("convert"));
        QCOMPARE(observed.value(QStringLiteral("xn = x.numpy()")), QStringLiteral("copy"));
        QCOMPARE(observed.value(QStringLiteral("xv = np.asarray(x)")), QStringLiteral("alias"));
        // Version dependent: whatever this TensorFlow did, it is one of the two.
        QVERIFY(QStringList({QStringLiteral("alias"), QStringLiteral("copy")})
                    .contains(observed.value(QStringLiteral("x = tf.convert_to_tensor(a)"))));

        // The edit through `a` shows in its alias `t`, not in the copy.
        const auto steps = doc[QStringLiteral("steps")].toArray();
        QJsonObject edit;
        for (const auto step : steps)
            if (step[QStringLiteral("statement")].toString() == QStringLiteral("a[0, 0] = 99"))
                edit = step.toObject();
        QVERIFY(!edit.isEmpty());
        QStringList changed;
        for (const auto o : edit[QStringLiteral("objects")].toArray())
            if (o[QStringLiteral("changed")].toArray().contains(0))
                changed << o[QStringLiteral("names")].toArray().first().toString();
        changed.sort();
        QCOMPARE(changed, QStringList({QStringLiteral("a"), QStringLiteral("t")}));
    }

    void textOutputNamesEachConversion()
    {
        requireModule("torch");
        QTemporaryDir dir;
        const QString path = writeScript(dir,
                                         "import numpy as np\nimport torch\n"
                                         "a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])\n"
                                         "t = torch.from_numpy(a)\na[0, 0] = 99\nt2 = torch.tensor(a)\n");
        const Run r = runMemscope({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("t = torch.from_numpy(a): alias, 48 B shared"));
        QVERIFY2(r.out.contains("t2 = torch.tensor(a): copy · 48 B · H2H"), r.out.constData());
        QVERIFY(r.out.contains("changed t: element 0"));
    }

    // A module's tensors are listed by path, each object with all its names (issue 8).
    void moduleTensorsAreListedByPath()
    {
        requireModule("torch");
        QTemporaryDir dir;
        const QString path = writeScript(dir,
                                         "import torch\nlin = torch.nn.Linear(3, 2)\n"
                                         "params = list(lin.parameters())\nsd = lin.state_dict()\n");
        const Run text = runMemscope({QStringLiteral("run"), path});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("    lin.weight  torch float32 (2, 3) strides (12, 4)"), text.out.constData());
        QVERIFY2(text.out.contains("    lin.bias, params[1]  torch float32 (2,)"), text.out.constData());
        QVERIFY2(text.out.contains("share memory: {lin.bias, sd['bias']} {lin.weight, sd['weight']}"),
                 text.out.constData());

        const Run r = runMemscope({QStringLiteral("run"), path, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray steps = QJsonDocument::fromJson(r.out)[QStringLiteral("steps")].toArray();
        QVERIFY(!steps.isEmpty());
        QStringList names;
        for (const auto o : steps.last()[QStringLiteral("objects")].toArray()) {
            QStringList each;
            for (const auto n : o[QStringLiteral("names")].toArray())
                each << n.toString();
            names << each.join(QLatin1Char('='));
        }
        names.sort();
        QCOMPARE(names,
                 QStringList({QStringLiteral("lin.bias=params[1]"), QStringLiteral("lin.weight=params[0]"),
                              QStringLiteral("sd['bias']"), QStringLiteral("sd['weight']")}));
    }

    void exceptionNamesFileAndLine()
    {
        QTemporaryDir dir;
        const QString path = writeScript(dir, "x = 1\ny = [1, 2]\nz = y[5]\nnever = 2\n");
        const Run r = runMemscope({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("line 3") && r.err.contains("IndexError"), r.err.constData());
        QVERIFY(r.err.contains("script.py"));
        QVERIFY(!r.out.contains("never")); // stopped at the failing statement
    }

    void syntaxErrorRunsNothing()
    {
        QTemporaryDir dir;
        const QString path = writeScript(dir, "print('first')\nx = (1,\n");
        const Run r = runMemscope({QStringLiteral("run"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("SyntaxError"), r.err.constData());
        QVERIFY2(r.err.contains("does not compile; nothing ran"), r.err.constData());
        QVERIFY2(r.err.contains("line 2"), r.err.constData());
        QVERIFY(!r.out.contains("first"));
    }

    // Each statement runs once, even two on one line (they used to run twice).
    void semicolonStatementsRunOnce()
    {
        QTemporaryDir dir;
        const QString path = writeScript(dir, "n = 0\nn += 1; n += 10\nprint('n =', n)\n");
        const Run r = runMemscope({QStringLiteral("run"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonArray steps = doc[QStringLiteral("steps")].toArray();
        QCOMPARE(steps.size(), 4);
        QCOMPARE(steps[1][QStringLiteral("statement")].toString(), QStringLiteral("n += 1"));
        QCOMPARE(steps[2][QStringLiteral("statement")].toString(), QStringLiteral("n += 10"));
        QCOMPARE(steps[2][QStringLiteral("range")].toArray(), (QJsonArray {2, 8, 2, 15}));
        QCOMPARE(steps[3][QStringLiteral("output")].toString(), QStringLiteral("n = 11\n"));
    }

    void exitStatusIsTheScripts()
    {
        QTemporaryDir dir;
        Run r = runMemscope({QStringLiteral("run"), writeScript(dir, "import sys\nprint('bye')\nsys.exit(3)\n")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.err.contains("stays open"));
        r = runMemscope({QStringLiteral("run"), writeScript(dir, "import sys\nsys.exit(0)\nprint('never')\n")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains("never"));
    }

    // As `python script.py ARG...`: argv, __file__, sibling imports, pickling
    // classes of the script, multiprocessing with the script's functions.
    void scriptRunsAsPythonRunsIt()
    {
        requireModule("torch");
        QTemporaryDir dir;
        QFile helper(dir.filePath(QStringLiteral("sibling.py")));
        QVERIFY(helper.open(QIODevice::WriteOnly));
        helper.write("def triple(x):\n    return 3 * x\n");
        helper.close();
        const QString path = writeScript(dir,
                                         "import multiprocessing, os, sys, torch, sibling\n"
                                         "class Net(torch.nn.Module):\n"
                                         "    def __init__(self):\n"
                                         "        super().__init__()\n"
                                         "        self.lin = torch.nn.Linear(2, 2)\n"
                                         "def square(x):\n    return x * x\n"
                                         "torch.save(Net(), os.path.join(os.path.dirname(__file__), 'net.pt'))\n"
                                         "print('argv', sys.argv[1:], os.path.basename(__file__))\n"
                                         "with multiprocessing.Pool(2) as pool:\n"
                                         "    print('pool', pool.map(square, [1, 2, 3]), sibling.triple(2))\n");
        const Run r = runMemscope(
            {QStringLiteral("run"), path, QStringLiteral("first"), QStringLiteral("--"), QStringLiteral("--second")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("argv ['first', '--second'] script.py"), r.out.constData());
        QVERIFY2(r.out.contains("pool [1, 4, 9] 6"), r.out.constData());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("net.pt"))));
    }

    void encodingsAsPythonReadsThem()
    {
        QTemporaryDir dir;
        Run r = runMemscope({QStringLiteral("run"), writeScript(dir, "\xef\xbb\xbfprint('with bom')\n")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("with bom"), r.err.constData());
        r = runMemscope({QStringLiteral("run"), writeScript(dir, "# coding: latin-1\nprint(ord('\xe9'))\n")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("233"), r.err.constData());
    }

    // Ctrl+C interrupts the running statement, whichever step it is; status 130.
    void ctrlCInterruptsAnyStep()
    {
        QTemporaryDir dir;
        const QString path = writeScript(dir,
                                         "import sys\nx = 0\nwhile True:\n    x += 1\n"
                                         "    if x == 1: print('looping', flush=True)\nnever = 1\n");
        QProcess p;
        p.start(QStringLiteral(MEMSCOPE_BINARY), {QStringLiteral("run"), path});
        QByteArray out;
        while (!out.contains("looping") && p.waitForReadyRead(300000))
            out += p.readAllStandardOutput();
        QVERIFY2(out.contains("looping"), out.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(300000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains("KeyboardInterrupt") && err.contains("line 3"), err.constData());
        QVERIFY(!(out + p.readAllStandardOutput()).contains("never"));
    }

    void endlessFileIsRefused()
    {
        const Run r = runMemscope({QStringLiteral("run"), QStringLiteral("/dev/zero")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("larger than"), r.err.constData());
    }

    void missingScript()
    {
        const Run r = runMemscope({QStringLiteral("run"), QStringLiteral("/nonexistent/script.py")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("/nonexistent/script.py"));
    }

    void wrongPython()
    {
        QTemporaryDir dir;
        const QString path = writeScript(dir, "x = 1\n");
        const Run r = runMemscope(
            {QStringLiteral("run"), path, QStringLiteral("--python"), QStringLiteral("/nonexistent/python3")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no working Python interpreter at '/nonexistent/python3'"), r.err.constData());
    }

    // --record writes the whole timeline; `memscope open` shows it without
    // Python, and refuses a damaged file with its reason.
    void recordAndOpen()
    {
        requireModule("numpy");
        QTemporaryDir dir;
        const QString script =
            writeScript(dir, "import numpy as np\na = np.arange(4.0)\nb = a.copy()\na[1] = 7\nprint('done')\n");
        const QString file = dir.filePath(QStringLiteral("run.msrec"));
        const Run r = runMemscope({QStringLiteral("run"), script, QStringLiteral("--record"), file});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("recorded 5 step(s)"), r.err.constData());
        const memscope::engine::RecordingResult read = memscope::engine::readRecording(file.toStdString());
        QVERIFY2(read.ok(), read.error.c_str());
        const memscope::engine::Recording &rec = *read.recording;
        QCOMPARE(rec.steps.size(), std::size_t(5));
        QCOMPARE(rec.steps[2]->code, std::string("b = a.copy()"));
        QCOMPARE(rec.steps[4]->output, std::string("done\n"));
        QVERIFY(rec.info.frameworks.contains("NumPy"));
        QVERIFY(!rec.info.pythonVersion.empty());
        QVERIFY(QString::fromStdString(rec.info.source).endsWith(QStringLiteral("script.py")));
        const auto &s3 = *rec.steps[3]->snapshot; // after a[1] = 7: b is still the copy made at step 3
        QCOMPARE(s3.facts.size(), std::size_t(2));
        QCOMPARE(s3.relations.size(), std::size_t(1));
        QCOMPARE(s3.relations[0].relation, memscope::engine::Relation::Copy);
        QCOMPARE(s3.changedCount[std::size_t(s3.indexOf("a"))], std::int64_t(1));

        // Shown in the window at step 3, without running anything.
        const QString shot = dir.filePath(QStringLiteral("open.png"));
        const Run shown = runMemscope({QStringLiteral("open"), file, QStringLiteral("--step"), QStringLiteral("3"),
                                       QStringLiteral("--screenshot"), shot});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY(QFileInfo(shot).size() > 0);

        // Damaged files are refused with the reason, and no window opens.
        QFile whole(file);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray bytes = whole.readAll();
        const auto refused = [&](const QByteArray &content, const char *reason) {
            const QString bad = dir.filePath(QStringLiteral("bad.msrec"));
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(content);
            f.close();
            const Run o = runMemscope({QStringLiteral("open"), bad});
            QCOMPARE(o.exitCode, 2);
            QVERIFY2(o.err.contains(reason), o.err.constData());
        };
        refused(bytes.left(bytes.size() / 2), "truncated");
        {
            // Checked before any window system is needed: refused even without a display.
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(MEMSCOPE_BINARY),
                    {QStringLiteral("open"), dir.filePath(QStringLiteral("bad.msrec"))});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 2);
            QVERIFY(p.readAllStandardError().contains("truncated"));
        }
        refused("print('not a recording')\n", "not a MemScope recording");
        QByteArray newer = bytes;
        newer[8] = char(99); // the format version, little-endian, after the 8-byte magic
        refused(newer, "newer");
        const Run missing = runMemscope({QStringLiteral("open"), dir.filePath(QStringLiteral("none.msrec"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("none.msrec"), missing.err.constData());

        // A recording that cannot be written is an error (status 2), not a silent loss.
        const Run unwritable = runMemscope({QStringLiteral("run"), script, QStringLiteral("--record"),
                                            dir.filePath(QStringLiteral("no/such/folder/x.msrec"))});
        QCOMPARE(unwritable.exitCode, 2);
        QVERIFY2(unwritable.err.contains("cannot write the recording"), unwritable.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestRunCommand)
#include "tst_runcommand.moc"
