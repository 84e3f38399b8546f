// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded interpreter: one interpreter for the whole test (as pybind11's
// own embedding tests do), robustness cases one after another, each followed
// by a check that the console still works; snapshots, edits and facts read
// through it. The step pipeline's own cases are in tst_steprunner.cpp.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "backendharness.h"
#include "engine/runtime.h"
#include "engine/scalar.h"

#include <QFile>

#include <QProcess>
#include <QTemporaryDir>

#include <fstream>
#endif

using namespace memscope;
using namespace memscope::testing;
using Status = engine::RunEnd::Status;

class TestPythonBackend : public QObject
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

    void environmentIsPinned()
    {
        const auto r = runStatement(*m_backend, "import sys; print(sys.executable)");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(QString::fromStdString(m_output.stdoutText()).trimmed(),
                 QString::fromStdString(python::PythonBackend::defaultExecutable()));
        // The embedded interpreter finds NumPy where the pinned executable does
        // (Debian, pip or conda alike), never elsewhere.
        QProcess p;
        p.start(QString::fromStdString(python::PythonBackend::defaultExecutable()),
                {QStringLiteral("-c"), QStringLiteral("import numpy; print(numpy.__file__)")});
        QVERIFY(p.waitForFinished(120000));
        const QString expected = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        QVERIFY2(!expected.isEmpty(), "the pinned interpreter has no NumPy");
        m_output.clear();
        runStatement(*m_backend, "import numpy; print(numpy.__file__)");
        QCOMPARE(QString::fromStdString(m_output.stdoutText()).trimmed(), expected);
    }

    void multiLineStatements()
    {
        QCOMPARE(pushLine(*m_backend, "def twice(x):")->status, Status::Incomplete);
        QCOMPARE(pushLine(*m_backend, "    return 2 * x")->status, Status::Incomplete);
        const auto r = pushLine(*m_backend, "");
        QCOMPARE(r->status, Status::Ok);
        QCOMPARE(r->steps.size(), std::size_t(1));
        QVERIFY(r->steps[0].code.find("def twice") != std::string::npos);
        runStatement(*m_backend, "print(twice(21))");
        QCOMPARE(m_output.stdoutText(), std::string("42\n"));
    }

    void blankLinesAreNoSteps()
    {
        const auto before = runStatement(*m_backend, "blank_check = 1");
        const auto blank = pushLine(*m_backend, "");
        QCOMPARE(blank->status, Status::Ok);
        QVERIFY(blank->steps.empty());
        QCOMPARE(blank->snapshot->step, before.snapshot->step);
        const auto comment = pushLine(*m_backend, "# only a comment");
        QVERIFY(comment->steps.empty());
        QCOMPARE(comment->snapshot->step, before.snapshot->step);
    }

    void syntaxError()
    {
        const auto before = runStatement(*m_backend, "before_syntax_error = 1");
        const auto r = runStatement(*m_backend, "1 +* 2");
        QCOMPARE(r.status, Status::SyntaxError);
        QVERIFY(r.steps.empty()); // reported, not a step that ran
        QCOMPARE(r.snapshot->step, before.snapshot->step);
        QVERIFY2(r.error.find("SyntaxError") != std::string::npos, r.error.c_str());
        QVERIFY(m_output.stderrText().find("SyntaxError") != std::string::npos);
    }

    void exceptionWithTraceback()
    {
        const auto r = runStatement(*m_backend, "def f():\n    return 1 / 0\n");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.steps.size(), std::size_t(1));
        const auto e = runStatement(*m_backend, "f()");
        QCOMPARE(e.status, Status::Error);
        QVERIFY2(e.error.find("ZeroDivisionError") != std::string::npos, e.error.c_str());
        QVERIFY2(e.error.find("line 2, in f") != std::string::npos, e.error.c_str());
        QVERIFY2(e.error.find("code.py") == std::string::npos, e.error.c_str()); // no console internals
    }

    void exceptionFromCExtension()
    {
        const auto r = runStatement(*m_backend, "import numpy as np; np.zeros(3).reshape(4)");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("ValueError") != std::string::npos, r.error.c_str());
    }

    // The loop is the second statement of the line: interrupts reach every step.
    void interruptInfiniteLoop()
    {
        RunWaiter w;
        m_backend->push(
            "spun = 0; before = 1; exec('while True:\\n    spun += 1\\n    if spun == 1: print(\"spinning\")')",
            w.onStep(), w.onEnd());
        QVERIFY(m_output.waitForStdout("spinning"));
        m_backend->interrupt();
        const auto r = w.wait();
        QVERIFY(r);
        QCOMPARE(r->status, Status::Interrupted);
        QVERIFY(r->error.find("KeyboardInterrupt") != std::string::npos);
        QCOMPARE(r->steps.size(), std::size_t(3));
        QCOMPARE(r->steps.back().status, engine::Step::Status::Interrupted);
    }

    void interruptNeverWaitsForACallHoldingTheGil()
    {
        // sum() over a range runs in C, holding the GIL, checking no interrupt:
        // interrupt() returns at once all the same, and the statement after it never runs.
        RunWaiter w;
        m_backend->push("print('summing'); total = sum(range(3 * 10**8)); after_sum = 1", w.onStep(), w.onEnd());
        QVERIFY(m_output.waitForStdout("summing"));
        m_backend->interrupt();
        const auto r = w.wait();
        QVERIFY(r);
        QCOMPARE(r->status, Status::Interrupted);
        QVERIFY(r->snapshot);
        m_output.clear();
        runStatement(*m_backend, "print('after_sum' in globals())");
        QCOMPARE(m_output.stdoutText(), std::string("False\n"));
    }

    void undecodableTextNeverStallsTheConsole()
    {
        const auto r = runStatement(*m_backend, "raise ValueError('\\udc80 lone surrogate')");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("ValueError") != std::string::npos, r.error.c_str());
        QCOMPARE(runStatement(*m_backend, "print('\\udc80')").status, Status::Ok);
    }

    void cancelledBlockDoesNotRun()
    {
        QCOMPARE(pushLine(*m_backend, "while True:")->status, Status::Incomplete);
        QCOMPARE(pushLine(*m_backend, "    pass")->status, Status::Incomplete);
        m_backend->cancelInput();
        const auto r = runStatement(*m_backend, "after_cancel = 1"); // would hang if the loop had run
        QCOMPARE(r.status, Status::Ok);
    }

    void interruptWhenIdleDoesNothing()
    {
        m_backend->interrupt();
        const auto r = runStatement(*m_backend, "x_after_idle_interrupt = 1");
        QCOMPARE(r.status, Status::Ok);
    }

    void systemExitDoesNotEndTheProcess()
    {
        const auto r = runStatement(*m_backend, "import sys; sys.exit(3)");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("SystemExit(3)") != std::string::npos, r.error.c_str());
        const auto q = runStatement(*m_backend, "exit()");
        QCOMPARE(q.status, Status::Error);
    }

    void memoryError()
    {
        const auto r = runStatement(*m_backend, "import numpy as np; huge = np.empty(10**15)");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("MemoryError") != std::string::npos, r.error.c_str());
        const auto p = runStatement(*m_backend, "big = bytearray(1 << 62)");
        QCOMPARE(p.status, Status::Error);
    }

    void deepRecursion()
    {
        runStatement(*m_backend, "def down(n):\n    return down(n + 1)\n");
        const auto r = runStatement(*m_backend, "down(0)");
        QCOMPARE(r.status, Status::Error);
        QVERIFY(r.error.find("RecursionError") != std::string::npos);
    }

    void tenMegabytesOfOutput()
    {
        const auto r = runStatement(*m_backend, "print('x' * 10_000_000)");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(m_output.stdoutText().size(), std::size_t(10'000'001));
    }

    void outputFromAnotherThread()
    {
        runStatement(*m_backend, "import threading");
        runStatement(*m_backend, "th = threading.Thread(target=lambda: print('joined thread')); th.start(); th.join()");
        QVERIFY(m_output.stdoutText().find("joined thread") != std::string::npos);
        // A thread started by one statement writes once a later one lets it go,
        // whenever it gets the GIL: the interpreter releases it while idle.
        runStatement(*m_backend,
                     "late = threading.Event(); "
                     "threading.Thread(target=lambda: (late.wait(), print('late thread'))).start()");
        runStatement(*m_backend, "late.set()");
        QVERIFY(m_output.waitForStdout("late thread"));
    }

    void replacedStdoutComesBack()
    {
        const auto r = runStatement(*m_backend, "import io, sys; sys.stdout = io.StringIO(); print('hidden')");
        QCOMPARE(r.status, Status::Ok);
        QVERIFY(m_output.stdoutText().find("hidden") == std::string::npos); // went where the user sent it
        runStatement(*m_backend, "print('visible again')");
        QVERIFY(m_output.stdoutText().find("visible again") != std::string::npos);
        QVERIFY(m_output.stderrText().find("sys.stdout had been replaced") != std::string::npos);
    }

    void completion()
    {
        runStatement(*m_backend, "import numpy as np");
        auto promise = std::make_shared<std::promise<std::vector<std::string>>>();
        auto future = promise->get_future();
        m_backend->complete("np.aran", [promise](std::vector<std::string> c) { promise->set_value(std::move(c)); });
        QCOMPARE(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
        const auto items = future.get();
        QVERIFY(std::find(items.begin(), items.end(), "np.arange") != items.end() ||
                std::find(items.begin(), items.end(), "np.arange(") != items.end());
    }

    // The tutorial's NumPy <-> torch sequence, observed step by step.
    void snapshotsFollowTheTutorial()
    {
        requireModule("torch");
        QCOMPARE(runStatement(*m_backend, "import numpy as np, torch").status, Status::Ok);
        auto r = runStatement(*m_backend, "a = np.array([[1., 2., 3.], [4., 5., 6.]])");
        QVERIFY(r.snapshot);
        r = runStatement(*m_backend, "t = torch.from_numpy(a)");
        const auto &s1 = *r.snapshot;
        const int a = s1.indexOf("a");
        const int t = s1.indexOf("t");
        QVERIFY(a >= 0 && t >= 0);
        QCOMPARE(s1.aliases.group[std::size_t(a)], s1.aliases.group[std::size_t(t)]);
        bool linked = false;
        for (const auto *rel : s1.relationsOf(t))
            linked |= rel->from == a && rel->relation == engine::Relation::Alias && !rel->statement.empty();
        QVERIFY(linked);
        QCOMPARE(s1.origins[std::size_t(t)].statement, std::string("t = torch.from_numpy(a)"));

        r = runStatement(*m_backend, "a[0, 0] = 99");
        const auto &s2 = *r.snapshot;
        QCOMPARE(s2.changed[std::size_t(s2.indexOf("a"))], std::vector<std::int64_t> {0});
        QCOMPARE(s2.changed[std::size_t(s2.indexOf("t"))], std::vector<std::int64_t> {0}); // the alias changed too

        r = runStatement(*m_backend, "t2 = torch.tensor(a)");
        const auto &s3 = *r.snapshot;
        const int t2 = s3.indexOf("t2");
        QVERIFY(s3.aliases.group[std::size_t(t2)] != s3.aliases.group[std::size_t(s3.indexOf("a"))]);
        bool copied = false;
        for (const auto *rel : s3.relationsOf(t2))
            copied |= rel->relation == engine::Relation::Copy && rel->bytes == 48;
        QVERIFY(copied);
        QCOMPARE(s3.traffic[std::size_t(engine::Direction::H2H)], std::uint64_t(48));

        r = runStatement(*m_backend, "t2[0, 1] = -1");
        const auto &s4 = *r.snapshot;
        QCOMPARE(s4.changed[std::size_t(s4.indexOf("t2"))], std::vector<std::int64_t> {1});
        QVERIFY(s4.changed[std::size_t(s4.indexOf("a"))].empty()); // the copy stays put
    }

    // Tensors inside modules and containers are seen by path (issue 8), with
    // the statement that made the module, and the bound on them is noted.
    void moduleParametersAreNamedByPath()
    {
        requireModule("torch");
        QCOMPARE(runStatement(*m_backend, "import torch").status, Status::Ok);
        auto r = runStatement(*m_backend, "lin = torch.nn.Linear(3, 2)");
        QVERIFY(r.snapshot);
        const auto &s1 = *r.snapshot;
        const int w = s1.indexOf("lin.weight");
        QVERIFY(w >= 0 && s1.indexOf("lin.bias") >= 0);
        QCOMPARE(s1.facts[std::size_t(w)].shape, (std::vector<std::int64_t> {2, 3}));
        QCOMPARE(s1.facts[std::size_t(w)].typeName, std::string("torch.nn.parameter.Parameter"));
        QCOMPARE(s1.origins[std::size_t(w)].statement, std::string("lin = torch.nn.Linear(3, 2)"));

        r = runStatement(*m_backend, "params = list(lin.parameters())");
        const auto &s2 = *r.snapshot;
        const int p = s2.indexOf("params[0]");
        QVERIFY(p >= 0);
        QCOMPARE(s2.facts[std::size_t(p)].names, (std::vector<std::string> {"lin.weight", "params[0]"}));
        QCOMPARE(s2.origins[std::size_t(p)].statement, std::string("lin = torch.nn.Linear(3, 2)"));
        QVERIFY(s2.notes.empty());

        r = runStatement(*m_backend, "many = [torch.zeros(1) for i in range(2001)]");
        const auto &s3 = *r.snapshot;
        // Other globals of this shared namespace may take part of the 2,000.
        QCOMPARE(s3.indexOf("many[2000]"), -1);
        QVERIFY(std::find(s3.notes.begin(), s3.notes.end(),
                          "only the first 2,000 objects inside containers are searched") != s3.notes.end());
        QCOMPARE(runStatement(*m_backend, "del lin, params, many").status, Status::Ok);
    }

    void elementEditsWriteThroughEveryAlias()
    {
        requireModule("torch");
        runStatement(*m_backend, "import numpy as np, torch");
        auto r = runStatement(*m_backend, "e = np.array([1, 2, 3], dtype=np.int8); et = torch.from_numpy(e)");
        const auto &s = *r.snapshot;
        const auto id = s.facts[std::size_t(s.indexOf("e"))].objectId;
        const auto write = [&](std::uint64_t object, std::int64_t flat, const std::string &text, bool force) {
            struct Edit
            {
                Status status;
                std::string error;
                std::shared_ptr<const engine::Snapshot> snapshot;
            };
            auto promise = std::make_shared<std::promise<Edit>>();
            auto future = promise->get_future();
            m_backend->writeElement(
                object, flat, text, force, [promise](std::shared_ptr<const engine::Step> step, std::string error) {
                    promise->set_value({step ? Status::Ok : Status::Error, error, step ? step->snapshot : nullptr});
                });
            return future.get();
        };
        auto ok = write(id, 1, "5", false);
        QCOMPARE(ok.status, Status::Ok);
        QCOMPARE(ok.snapshot->changed[std::size_t(ok.snapshot->indexOf("et"))], std::vector<std::int64_t> {1});
        m_output.clear();
        runStatement(*m_backend, "print(int(e[1]), int(et[1]))");
        QCOMPARE(m_output.stdoutText(), std::string("5 5\n"));

        const auto bad = write(id, 2, "300", false);
        QCOMPARE(bad.status, Status::Error);
        QVERIFY2(bad.error.find("out of range for int8") != std::string::npos, bad.error.c_str());
        const auto junk = write(id, 2, "abc", false);
        QVERIFY(junk.error.find("'abc'") != std::string::npos);
        const auto outside = write(id, 3, "1", false);
        QCOMPARE(outside.status, Status::Error);

        r = runStatement(*m_backend, "e.setflags(write=False)");
        const auto refused = write(id, 0, "7", false);
        QVERIFY2(refused.error.find("read-only") != std::string::npos, refused.error.c_str());
        m_output.clear();
        runStatement(*m_backend, "print(int(e[0]))");
        QCOMPARE(m_output.stdoutText(), std::string("1\n")); // nothing changed
        QCOMPARE(write(id, 0, "7", true).status, Status::Ok); // "write anyway"
        m_output.clear();
        runStatement(*m_backend, "print(int(e[0]), int(et[0]))");
        QCOMPARE(m_output.stdoutText(), std::string("7 7\n"));
    }

    // Statements come from the parsed source: each runs once, with its own range.
    // Bytes MemScope's engine moved are in the step's traffic, temporaries
    // included, and counted once when a name holds the result.
    void engineTrafficOfTemporariesIsCounted()
    {
        using engine::Direction;
        runStatement(*m_backend, "import memscope");
        auto r = runStatement(*m_backend, "dev16 = memscope.tensor([[1, 2], [3, 4]], dtype='float32').to('cuda')");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(r.snapshot->traffic[std::size_t(Direction::H2D)], std::uint64_t(16));
        runStatement(*m_backend, "host8 = memscope.tensor([1.0])");
        r = runStatement(*m_backend, "dev8 = host8.to('cuda')");
        QCOMPARE(r.snapshot->traffic[std::size_t(Direction::H2D)], std::uint64_t(8)); // not 16: once
        r = runStatement(*m_backend, "still = 1");
        QCOMPARE(r.snapshot->traffic[std::size_t(Direction::H2D)], std::uint64_t(0));
        runStatement(*m_backend, "del dev16, host8, dev8");
    }

    // A copy is a copy at any size: 300 MiB is beyond the values kept in facts
    // and beyond the hash limit (256 MiB), so the live objects are compared.
    void largeCopyIsACopy()
    {
        requireModule("torch");
        runStatement(*m_backend, "import numpy as np, torch; huge = np.arange(300 * 2**20 // 8, dtype=np.float64)");
        auto r = runStatement(*m_backend, "ch = torch.tensor(huge)");
        QCOMPARE(r.status, Status::Ok);
        const int ch = r.snapshot->indexOf("ch");
        QVERIFY(ch >= 0);
        bool copied = false;
        for (const auto *rel : r.snapshot->relationsOf(ch))
            copied |= rel->relation == engine::Relation::Copy && rel->bytes == (std::uint64_t {300} << 20);
        QVERIFY(copied);
        r = runStatement(*m_backend, "plus = huge + 1");
        bool derived = false;
        for (const auto *rel : r.snapshot->relationsOf(r.snapshot->indexOf("plus")))
            derived |= rel->relation == engine::Relation::Derived;
        QVERIFY(derived);
        runStatement(*m_backend, "del huge, ch, plus");
    }

    // Torch's conj and neg views: shown as Python sees them, edited likewise.
    void conjAndNegViewsShowAndTakeLogicalValues()
    {
        requireModule("torch");
        auto r = runStatement(*m_backend,
                              "import torch; cbase = torch.tensor([1+2j, 3+4j]); cc = cbase.conj(); "
                              "nbase = torch.tensor([1.0, 2.0]); nv = torch._neg_view(nbase)");
        QCOMPARE(r.status, Status::Ok);
        const auto &s = *r.snapshot;
        const engine::MemoryFact &nv = s.facts[std::size_t(s.indexOf("nv"))];
        QVERIFY(nv.valuesCaptured);
        QCOMPARE(engine::loadScalar(nv.dtype, nv.values.data()), engine::Scalar(-1.0));
        const engine::MemoryFact &cc = s.facts[std::size_t(s.indexOf("cc"))];
        QCOMPARE(engine::loadScalar(cc.dtype, cc.values.data()), engine::Scalar(std::complex<double>(1.0, -2.0)));
        const auto write = [&](std::uint64_t id, const std::string &text) {
            std::promise<std::string> done;
            m_backend->writeElement(id, 0, text, false,
                                    [&done](std::shared_ptr<const engine::Step> step, std::string e) {
                                        done.set_value(step ? std::string() : e);
                                    });
            return done.get_future().get();
        };
        QCOMPARE(write(cc.objectId, "5+1j"), std::string());
        QCOMPARE(write(nv.objectId, "7"), std::string());
        m_output.clear();
        runStatement(*m_backend, "print(complex(cc[0]), float(nv[0]))");
        QCOMPARE(m_output.stdoutText(), std::string("(5+1j) 7.0\n"));
        runStatement(*m_backend, "del cbase, cc, nbase, nv");
    }

    void wrongInterpreterIsAClearError()
    {
        QVERIFY(python::PythonBackend::checkInterpreter(python::PythonBackend::defaultExecutable()).empty());
        const std::string missing = python::PythonBackend::checkInterpreter("/nonexistent/python");
        QVERIFY2(missing.find("/nonexistent/python") != std::string::npos, missing.c_str());
        QTemporaryDir dir; // never a fixed path: parallel runs must not collide
        const std::string fake = dir.filePath(QStringLiteral("fake-python")).toStdString();
        {
            std::ofstream f(fake);
            f << "#!/bin/sh\necho 3 99\n";
        }
        QFile::setPermissions(QString::fromStdString(fake), QFile::ReadOwner | QFile::ExeOwner | QFile::WriteOwner);
        const std::string wrong = python::PythonBackend::checkInterpreter(fake);
        QVERIFY2(wrong.find("Python 3.99") != std::string::npos && wrong.find("built against") != std::string::npos,
                 wrong.c_str());
        // A backend pointed at it reports the same, instead of starting.
        python::PythonBackendOptions o;
        o.executable = fake;
        python::PythonBackend other(*m_runtime, o);
        QCOMPARE(other.waitForStart(), wrong);
    }

private:
    // A framework this environment lacks (a pip or conda one) is a visible skip.
    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<python::PythonBackend> m_backend;
    OutputCollector m_output;
};

QTEST_APPLESS_MAIN(TestPythonBackend)
#include "tst_pythonbackend.moc"
