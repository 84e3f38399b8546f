// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded interpreter: one interpreter for the whole test (as pybind11's
// own embedding tests do), robustness cases one after another, each followed
// by a check that the console still works.

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "backendharness.h"
#include "engine/runtime.h"

#include <QDir>
#include <QFile>

#include <fstream>
#include <thread>
#endif

using namespace memscope;
using namespace memscope::testing;
using Status = engine::ExecutionResult::Status;

class TestPythonBackend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        engine::RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = std::size_t {64} << 20;
        m_runtime = std::make_unique<engine::Runtime>(o);
        m_backend = std::make_unique<python::PythonBackend>(*m_runtime);
        const std::string error = m_backend->waitForStart();
        QVERIFY2(error.empty(), error.c_str());
        qInfo("%s", m_backend->environment().c_str());
        m_output.attach(*m_backend);
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
        const auto r = runStatement(*m_backend, "_alive = 6 * 7");
        QCOMPARE(r.status, Status::Ok);
        const auto p = runStatement(*m_backend, "print(_alive)");
        QVERIFY(m_output.stdoutText().ends_with("42\n"));
        QVERIFY(!m_backend->isBusy());
    }

    void environmentIsPinned()
    {
        const auto r = runStatement(*m_backend, "import sys; print(sys.executable)");
        QCOMPARE(r.status, Status::Ok);
        QCOMPARE(QString::fromStdString(m_output.stdoutText()).trimmed(),
                 QString::fromStdString(python::PythonBackend::defaultExecutable()));
        m_output.clear();
        runStatement(*m_backend, "import numpy; print(numpy.__file__)");
        QVERIFY2(m_output.stdoutText().find("/usr/lib/python3/dist-packages/numpy") != std::string::npos,
                 m_output.stdoutText().c_str());
    }

    void multiLineStatements()
    {
        QCOMPARE(pushLine(*m_backend, "def twice(x):")->status, Status::Incomplete);
        QCOMPARE(pushLine(*m_backend, "    return 2 * x")->status, Status::Incomplete);
        const auto r = pushLine(*m_backend, "");
        QCOMPARE(r->status, Status::Ok);
        QVERIFY(r->source.find("def twice") != std::string::npos);
        runStatement(*m_backend, "print(twice(21))");
        QCOMPARE(m_output.stdoutText(), std::string("42\n"));
    }

    void blankLinesAreNoSteps()
    {
        const auto before = runStatement(*m_backend, "blank_check = 1");
        const auto blank = pushLine(*m_backend, "");
        QCOMPARE(blank->status, Status::Ok);
        QCOMPARE(blank->snapshot->step, before.snapshot->step);
        const auto comment = pushLine(*m_backend, "# only a comment");
        QCOMPARE(comment->snapshot->step, before.snapshot->step);
    }

    void syntaxError()
    {
        const auto r = runStatement(*m_backend, "1 +* 2");
        QCOMPARE(r.status, Status::Error);
        QVERIFY2(r.error.find("SyntaxError") != std::string::npos, r.error.c_str());
        QVERIFY(m_output.stderrText().find("SyntaxError") != std::string::npos);
    }

    void exceptionWithTraceback()
    {
        const auto r = runStatement(*m_backend, "def f():\n    return 1 / 0\n");
        QCOMPARE(r.status, Status::Ok);
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

    void interruptInfiniteLoop()
    {
        QCOMPARE(pushLine(*m_backend, "while True:")->status, Status::Incomplete);
        QCOMPARE(pushLine(*m_backend, "    pass")->status, Status::Incomplete);
        auto promise = std::make_shared<std::promise<engine::ExecutionResult>>();
        auto future = promise->get_future();
        m_backend->push("", [promise](const engine::ExecutionResult &r) { promise->set_value(r); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QVERIFY(m_backend->isBusy());
        const auto asked = std::chrono::steady_clock::now();
        m_backend->interrupt();
        QCOMPARE(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        const auto latency = std::chrono::steady_clock::now() - asked;
        const auto r = future.get();
        QCOMPARE(r.status, Status::Interrupted);
        QVERIFY(r.error.find("KeyboardInterrupt") != std::string::npos);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(latency).count();
        qInfo("interrupt latency %lld ms", static_cast<long long>(ms));
        QVERIFY2(ms < 200, qPrintable(QString::number(ms)));
    }

    void interruptNeverWaitsForACallHoldingTheGil()
    {
        // sum() over a range runs in C, holding the GIL, checking no interrupt.
        auto promise = std::make_shared<std::promise<engine::ExecutionResult>>();
        auto future = promise->get_future();
        m_backend->push("sum(range(3 * 10**8))",
                        [promise](const engine::ExecutionResult &r) { promise->set_value(r); });
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QVERIFY(m_backend->isBusy());
        m_backend->interrupt();
        QVERIFY(m_backend->isBusy()); // returned while the C call still holds the GIL
        QCOMPARE(future.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const auto r = future.get();
        QVERIFY(r.status == Status::Interrupted || r.status == Status::Ok);
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
        runStatement(*m_backend, "import threading, time");
        runStatement(*m_backend, "th = threading.Thread(target=lambda: print('joined thread')); th.start(); th.join()");
        QVERIFY(m_output.stdoutText().find("joined thread") != std::string::npos);
        // A thread that writes after its statement ended: the idle interpreter lets it run.
        runStatement(*m_backend, "threading.Thread(target=lambda: (time.sleep(0.05), print('late thread'))).start()");
        for (int i = 0; i < 100 && m_output.stdoutText().find("late thread") == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(m_output.stdoutText().find("late thread") != std::string::npos);
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

    void elementEditsWriteThroughEveryAlias()
    {
        runStatement(*m_backend, "import numpy as np, torch");
        auto r = runStatement(*m_backend, "e = np.array([1, 2, 3], dtype=np.int8); et = torch.from_numpy(e)");
        const auto &s = *r.snapshot;
        const auto id = s.facts[std::size_t(s.indexOf("e"))].objectId;
        const auto write = [&](std::uint64_t object, std::int64_t flat, const std::string &text, bool force) {
            auto promise = std::make_shared<std::promise<engine::ExecutionResult>>();
            auto future = promise->get_future();
            m_backend->writeElement(object, flat, text, force,
                                    [promise](const engine::ExecutionResult &x) { promise->set_value(x); });
            future.wait();
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

    void wrongInterpreterIsAClearError()
    {
        QVERIFY(python::PythonBackend::checkInterpreter(python::PythonBackend::defaultExecutable()).empty());
        const std::string missing = python::PythonBackend::checkInterpreter("/nonexistent/python");
        QVERIFY2(missing.find("/nonexistent/python") != std::string::npos, missing.c_str());
        const std::string fake = QDir::tempPath().toStdString() + "/memscope-fake-python";
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
        QFile::remove(QString::fromStdString(fake));
    }

private:
    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<python::PythonBackend> m_backend;
    OutputCollector m_output;
};

QTEST_APPLESS_MAIN(TestPythonBackend)
#include "tst_pythonbackend.moc"
