// SPDX-License-Identifier: GPL-3.0-or-later
// The one step pipeline in the embedded interpreter: statements taken from
// the parsed source run once each, with their ranges; scripts run as
// `python script.py` would; tracers, profilers and a debugger work; user
// code that breaks builtins or streams breaks only itself. One interpreter
// for the whole test; after every case the console must still run statements.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "backendharness.h"
#include "engine/runtime.h"

#include <QFile>
#include <QTemporaryDir>
#endif

using namespace memscope;
using namespace memscope::testing;
using Status = engine::RunEnd::Status;

class TestStepRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const std::string error = startBackend(m_runtime, m_backend, m_output);
        QVERIFY2(error.empty(), error.c_str());
        qInfo("%s", m_backend->environment().c_str());
    }
    void cleanupTestCase()
    {
        m_backend.reset(); // finalises the interpreter on its own thread
        m_runtime.reset();
    }
    void init() { m_output.clear(); }
    // After every case the console must still run statements.
    void cleanup()
    {
        const std::string broken = stillRuns(*m_backend, m_output);
        QVERIFY2(broken.empty(), broken.c_str());
    }

    void semicolonStatementsRunOnce()
    {
        runStatement(*m_backend, "n = 0");
        const auto r = runStatement(*m_backend, "n += 1; n += 10");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.steps.size(), std::size_t(2));
        QCOMPARE(r.steps[0].code, std::string("n += 1"));
        QCOMPARE(r.steps[1].code, std::string("n += 10"));
        QCOMPARE(r.steps[0].range, (engine::SourceRange {1, 0, 1, 6}));
        QCOMPARE(r.steps[1].range, (engine::SourceRange {1, 8, 1, 15}));
        QVERIFY(r.steps[1].number() == r.steps[0].number() + 1);
        m_output.clear();
        runStatement(*m_backend, "print(n)");
        QCOMPARE(m_output.stdoutText(), std::string("11\n"));

        runStatement(*m_backend, "import numpy as np");
        m_output.clear();
        const auto z = runStatement(*m_backend, "z3 = np.zeros(3); z3 += 1; print(z3)");
        QCOMPARE(z.steps.size(), std::size_t(3));
        QCOMPARE(m_output.stdoutText(), std::string("[1. 1. 1.]\n"));
        QCOMPARE(z.steps[2].output, std::string("[1. 1. 1.]\n")); // each step keeps what it printed
    }

    void scriptStatementsRunOnce()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("count.py")).toStdString();
        m_output.clear();
        const auto r =
            runScript(*m_backend, "n = 0\nn += 1; n += 10\n\n@staticmethod\ndef deco():\n    pass\nprint(n)\n", path);
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.steps.size(), std::size_t(5));
        QCOMPARE(m_output.stdoutText(), std::string("11\n"));
        QCOMPARE(r.steps[3].range, (engine::SourceRange {4, 0, 6, 8})); // the decorator belongs to it
        QCOMPARE(r.steps[3].code, std::string("@staticmethod\ndef deco():\n    pass"));
        QCOMPARE(r.steps[1].filename, path);
    }

    void interruptInStepTwoOfAScript()
    {
        QTemporaryDir dir;
        RunWaiter w;
        engine::StepSource source;
        source.code = "x = 0\nwhile True:\n    x += 1\n    if x == 1: print('started')\nnever_ran = 1\n";
        source.filename = dir.filePath(QStringLiteral("loop.py")).toStdString();
        source.mode = engine::StepSource::Mode::Script;
        m_output.clear();
        m_backend->runSource(source, w.onStep(), w.onEnd());
        QVERIFY(m_output.waitForStdout("started"));
        m_backend->interrupt();
        const auto r = w.wait();
        QVERIFY(r);
        QCOMPARE(r->status, Status::Interrupted);
        QCOMPARE(r->steps.size(), std::size_t(2));
        QVERIFY2(r->error.find("loop.py\", line ") != std::string::npos &&
                     r->error.find("KeyboardInterrupt") != std::string::npos,
                 r->error.c_str());
        m_output.clear();
        runStatement(*m_backend, "print('never_ran' in globals())");
        QCOMPARE(m_output.stdoutText(), std::string("False\n"));
    }

    // Tracers and profilers work as under `python`, and do not see MemScope's own code.
    void profilerAndTracer()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("traced.py")).toStdString();
        m_output.clear();
        const auto r = runScript(*m_backend,
                                 "import cProfile, io, pstats, sys\n"
                                 "pr = cProfile.Profile(); pr.enable()\n"
                                 "def square(i):\n    return i * i\n"
                                 "total = sum(square(i) for i in range(1000))\n"
                                 "pr.disable()\n"
                                 "out = io.StringIO(); pstats.Stats(pr, stream=out).print_stats()\n"
                                 "print('profiled', 'square' in out.getvalue())\n"
                                 "seen = set()\n"
                                 "def tracer(frame, event, arg):\n"
                                 "    seen.add(frame.f_code.co_filename)\n"
                                 "    return tracer\n"
                                 "sys.settrace(tracer)\n"
                                 "x = square(3)\n"
                                 "y = square(4)\n"
                                 "sys.settrace(None)\n"
                                 "calls = []\n"
                                 "sys.setprofile(lambda frame, event, arg: calls.append(event))\n"
                                 "z = square(5)\n"
                                 "sys.setprofile(None)\n"
                                 "print('traced', seen == {__file__}, 'profiled calls', 'call' in calls)\n",
                                 path);
        QCOMPARE(r.status, Status::Ok);
        QVERIFY2(m_output.stdoutText().find("profiled True") != std::string::npos, m_output.stdoutText().c_str());
        QVERIFY2(m_output.stdoutText().find("traced True profiled calls True") != std::string::npos,
                 m_output.stdoutText().c_str());
    }

    // coverage.py's C tracer, installed in one statement and stopped in a later one.
    void coverageMeasuresAcrossSteps()
    {
        requireModule("coverage");
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("covered.py")).toStdString();
        m_output.clear();
        const auto r = runScript(*m_backend,
                                 "import coverage\n"
                                 "cov = coverage.Coverage(data_file=None, include=[__file__]); cov.start()\n"
                                 "def f(x):\n    if x:\n        return 1\n    return 2\n"
                                 "f(1)\n"
                                 "cov.stop()\n"
                                 "lines = sorted(cov.get_data().lines(__file__))\n"
                                 "print('covered', 5 in lines, 6 in lines, 7 in lines)\n",
                                 path);
        QCOMPARE(r.status, Status::Ok);
        // Line 5 ran, line 6 did not, the call on line 7 was measured.
        QVERIFY2(m_output.stdoutText().find("covered True False True") != std::string::npos,
                 m_output.stdoutText().c_str());
    }

    void debuggerRuns()
    {
        m_output.clear();
        const auto r = runStatement(*m_backend,
                                    "import io, pdb, sys; dbg_value = 41; "
                                    "pdb.Pdb(stdin=io.StringIO('p dbg_value + 1\\nc\\n'), "
                                    "stdout=sys.stdout).set_trace(); after_pdb = 1");
        QCOMPARE(r.status, Status::Ok);
        QVERIFY2(m_output.stdoutText().find("42") != std::string::npos, m_output.stdoutText().c_str());
        m_output.clear();
        runStatement(*m_backend, "print(after_pdb)");
        QCOMPARE(m_output.stdoutText(), std::string("1\n"));
    }

    // A script runs as `python script.py` would.
    void scriptSemantics()
    {
        QTemporaryDir dir;
        QFile helper(dir.filePath(QStringLiteral("helper_mod.py")));
        QVERIFY(helper.open(QIODevice::WriteOnly));
        helper.write("VALUE = 'from the sibling'\n");
        helper.close();
        const std::string path = dir.filePath(QStringLiteral("main.py")).toStdString();
        m_output.clear();
        const auto r = runScript(*m_backend,
                                 "import os, pickle, sys, helper_mod\n"
                                 "print('file', __file__ == os.path.abspath(sys.argv[0]), __name__)\n"
                                 "print('argv', sys.argv[1:])\n"
                                 "class Net:\n    pass\n"
                                 "print('pickled', type(pickle.loads(pickle.dumps(Net()))).__name__)\n"
                                 "print('helper', helper_mod.VALUE)\n",
                                 path, {"one", "--two"});
        QCOMPARE(r.status, Status::Ok);
        const std::string out = m_output.stdoutText();
        QVERIFY2(out.find("file True __main__") != std::string::npos, out.c_str());
        QVERIFY2(out.find("argv ['one', '--two']") != std::string::npos, out.c_str());
        QVERIFY2(out.find("pickled Net") != std::string::npos, out.c_str());
        QVERIFY2(out.find("helper from the sibling") != std::string::npos, out.c_str());
    }

    void scriptEncodings()
    {
        QTemporaryDir dir;
        m_output.clear();
        auto r = runScript(*m_backend,
                           "\xef\xbb\xbf"
                           "bom = 'ok'\nprint('bom', bom)\n",
                           dir.filePath(QStringLiteral("bom.py")).toStdString());
        QCOMPARE(r.status, Status::Ok);
        QVERIFY2(m_output.stdoutText().find("bom ok") != std::string::npos, m_output.stdoutText().c_str());
        m_output.clear();
        r = runScript(*m_backend, "# -*- coding: latin-1 -*-\ns = '\xe9'\nprint(len(s), ord(s))\n",
                      dir.filePath(QStringLiteral("latin.py")).toStdString());
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(m_output.stdoutText(), std::string("1 233\n"));
        r = runScript(*m_backend, "s = '\xe9'\n", dir.filePath(QStringLiteral("bad.py")).toStdString());
        QCOMPARE(r.status, Status::SyntaxError); // not UTF-8 and no cookie: refused, as python does
        QVERIFY(r.steps.empty());
    }

    void scriptExitStatus()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("exit.py")).toStdString();
        auto r = runScript(*m_backend, "import sys\nsys.exit(3)\nnever = 1\n", path);
        QCOMPARE(r.status, Status::Exited);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.steps.size(), std::size_t(2));
        r = runScript(*m_backend, "import sys\nsys.exit(0)\n", path);
        QCOMPARE(r.status, Status::Exited);
        QCOMPARE(r.exitCode, 0);
        r = runScript(*m_backend, "raise SystemExit('bye')\n", path);
        QCOMPARE(r.exitCode, 1);
    }

    void compileErrorsRunNothing()
    {
        QTemporaryDir dir;
        m_output.clear();
        const auto r =
            runScript(*m_backend, "print('first')\nreturn 5\n", dir.filePath(QStringLiteral("r.py")).toStdString());
        QCOMPARE(r.status, Status::SyntaxError);
        QVERIFY(r.steps.empty());
        QVERIFY2(r.error.find("line 2") != std::string::npos, r.error.c_str());
        QVERIFY(m_output.stdoutText().empty()); // 'first' never printed
    }

    void tracebackShownAfterStderrIsNone()
    {
        runStatement(*m_backend, "import sys; sys.stderr = None");
        m_output.clear();
        const auto r = runStatement(*m_backend, "1 / 0");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("ZeroDivisionError") != std::string::npos, r.error.c_str());
        QVERIFY(m_output.stderrText().find("ZeroDivisionError") != std::string::npos);
        QVERIFY(r.error.find("MemScope internal error") == std::string::npos);
    }

    // The user's builtins break the user's code, never MemScope's.
    void brokenBuiltinsBreakOnlyUserCode()
    {
        runStatement(*m_backend, "import builtins, numpy as np; del builtins.compile");
        auto r = runStatement(*m_backend, "compile('1', '<s>', 'eval')");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("NameError") != std::string::npos, r.error.c_str());
        r = runStatement(*m_backend, "builtins.isinstance = lambda *a: True; arr_after = np.arange(3)");
        QCOMPARE(r.status, Status::Ok);
        QVERIFY(r.snapshot && r.snapshot->indexOf("arr_after") >= 0);
        m_output.clear();
        runStatement(*m_backend, "print(isinstance(1, str))");
        QCOMPARE(m_output.stdoutText(), std::string("True\n")); // the user's replacement holds for the user
        resetBackend(*m_backend); // a fresh namespace and builtins for the cases after this one
    }

    void resetGivesAFreshNamespace()
    {
        runStatement(*m_backend, "import numpy as np; kept_before_reset = np.arange(2)");
        resetBackend(*m_backend);
        const auto r = runStatement(*m_backend, "after_reset = 1");
        QCOMPARE(r.snapshot->step, 1);
        QCOMPARE(r.snapshot->indexOf("kept_before_reset"), -1);
        m_output.clear();
        runStatement(*m_backend, "print('kept_before_reset' in globals(), __name__)");
        QCOMPARE(m_output.stdoutText(), std::string("False __main__\n"));
    }

private:
    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<python::PythonBackend> m_backend;
    OutputCollector m_output;
};

QTEST_APPLESS_MAIN(TestStepRunner)
#include "tst_steprunner.moc"
