// SPDX-License-Identifier: GPL-3.0-or-later
// The lesson player in the whole window with the real interpreter, offscreen:
// small lessons written to a temporary folder, stepped with Next, Back,
// Restart, and what the panel, the timeline and the console show.

#include <QDockWidget>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "app/python/pythonbackend.h"
#include "engine/runtime.h"
#include "ui/console/consolewidget.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#endif

using namespace memscope;

namespace {

const char *const kLesson = R"(---
id: tiny
title: A tiny lesson
requires: numpy
---

## Make an array

Some *narration* with a [link](https://example.com).

```python
import numpy as np
a = np.arange(6.0)
```

```expect
dtype a float64
```

## Slice and copy

```python
b = a[1:4]
c = a.copy()
```

```predict
Does b share a's memory?
- Yes, b is a view (*)
- No, b is a copy
```

```expect
alias a b
alias a c
claim alias a c
```

## Divide by zero

```python
z = 1 / 0
```
)";

} // namespace

class TestLessonPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QProcess probe;
        probe.start(QString::fromStdString(python::PythonBackend::defaultExecutable()),
                    {QStringLiteral("-c"), QStringLiteral("import numpy")});
        if (!probe.waitForFinished(300000) || probe.exitCode() != 0)
            QSKIP("numpy is not installed in this environment");
        engine::RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = std::size_t {64} << 20;
        m_runtime = std::make_unique<engine::Runtime>(o);
        m_backend = std::make_unique<python::PythonBackend>(*m_runtime);
        QVERIFY(m_backend->waitForStart().empty());
        m_window = std::make_unique<ui::MainWindow>(*m_runtime, m_backend.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_dir.isValid());
        m_lessonFile = write(QStringLiteral("tiny.md"), kLesson);
    }
    void cleanupTestCase()
    {
        if (!m_window)
            return; // skipped
        m_window->session()->detachBackend();
        m_backend.reset();
        m_window.reset();
    }

    void diskLessonAsksForTrustAndRunsNothingWhenRefused()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        QVERIFY(!m_window->findChild<QDockWidget *>(QStringLiteral("lessonDock"))->isVisible());
        QString shownCode;
        panel->setTrustPrompt([&shownCode](const engine::Lesson &l) {
            for (const auto &s : l.steps)
                shownCode += QString::fromStdString(s.code);
            return false;
        });
        const int before = m_window->session()->stepCount();
        QString error;
        QVERIFY(!m_window->openLesson(m_lessonFile, &error, false));
        QVERIFY2(error.contains(QStringLiteral("not trusted")), qPrintable(error));
        QVERIFY(shownCode.contains(QStringLiteral("c = a.copy()")));
        QVERIFY(!panel->lesson());
        QCOMPARE(m_window->session()->stepCount(), before);
        QVERIFY(!m_window->findChild<QDockWidget *>(QStringLiteral("lessonDock"))->isVisible());
    }

    void malformedLessonOpensNothingAndSaysWhere()
    {
        const QString bad = write(QStringLiteral("bad.md"),
                                  "---\nid: bad\ntitle: Bad\n---\n\n## One\n\n```python\nx = 1\n```\n\n```expect\n"
                                  "aliases x x\n```\n");
        int asked = 0;
        m_window->lessonPanel()->setTrustPrompt([&asked](const engine::Lesson &) { return ++asked > 0; });
        QString error;
        QVERIFY(!m_window->openLesson(bad, &error, false));
        QVERIFY2(error.startsWith(bad + QStringLiteral(":13: ")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("aliases")), qPrintable(error));
        QCOMPARE(asked, 0); // refused before anyone is asked to trust it
        QVERIFY(!m_window->lessonPanel()->lesson());
    }

    void nextRunsStepByStepAndChecksExpectations()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        panel->setTrustPrompt([](const engine::Lesson &) { return true; });
        QVERIFY(m_window->openLesson(m_lessonFile, nullptr, false));
        QVERIFY(m_window->findChild<QDockWidget *>(QStringLiteral("lessonDock"))->isVisible());
        QCOMPARE(panel->shownStep(), 0);
        QVERIFY(!panel->outcome(0));

        panel->next(); // runs step 1
        QVERIFY(panel->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 60000);
        QVERIFY(panel->outcome(0));
        QCOMPARE(panel->resultTexts().size(), 1);
        QVERIFY2(panel->resultTexts().first().startsWith(QStringLiteral("held: dtype a float64")),
                 qPrintable(panel->resultTexts().join(QLatin1Char('|'))));

        const int steps = m_window->session()->stepCount();
        panel->next(); // shows step 2, runs nothing
        QCOMPARE(panel->shownStep(), 1);
        QVERIFY(!panel->outcome(1));
        QCOMPARE(m_window->session()->stepCount(), steps);
        QVERIFY(panel->resultTexts().isEmpty());

        panel->choose(0);
        panel->next(); // runs step 2
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 60000);
        QCOMPARE(m_window->session()->stepCount(), steps + 2);
        const QStringList rows = panel->resultTexts();
        QCOMPARE(rows.size(), 3);
        QVERIFY2(rows[0].startsWith(QStringLiteral("held: alias a b")), qPrintable(rows[0]));
        QVERIFY2(rows[1].startsWith(QStringLiteral("FAILED: alias a c\nexpected alias, observed")),
                 qPrintable(rows[1]));
        QVERIFY2(rows[1].contains(QStringLiteral("copy")), qPrintable(rows[1]));
        QVERIFY2(rows[1].contains(QStringLiteral("evidence: ")), qPrintable(rows[1]));
        QVERIFY2(rows[2].startsWith(QStringLiteral("claim NOT HELD: alias a c")), qPrintable(rows[2]));
        QVERIFY2(rows[2].contains(QStringLiteral("evidence: ")), qPrintable(rows[2]));

        // The prediction is revealed, with the person's answer judged.
        QVERIFY2(panel->revealText().contains(QStringLiteral("Right: Yes, b is a view.")),
                 qPrintable(panel->revealText()));
        QVERIFY2(panel->revealText().contains(QStringLiteral("Your answer was right.")),
                 qPrintable(panel->revealText()));
    }

    void codeAppearsInTheConsoleTranscript()
    {
        const QString text = m_window->console()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("# lesson tiny, step 2: Slice and copy")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral(">>> b = a[1:4]")), qPrintable(text));
        QVERIFY(m_window->console()->isIdle());
    }

    void backMovesTheCursorWithoutRunning()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        ui::Session *session = m_window->session();
        const int steps = session->stepCount();
        QCOMPARE(session->cursor(), steps - 1);
        panel->back();
        QCOMPARE(session->stepCount(), steps);
        QCOMPARE(session->cursor(), panel->outcome(1)->firstTimelineIndex - 1);
        QVERIFY(!panel->isBusy());
    }

    void unexpectedRaiseIsReported()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        panel->runToEnd();
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 60000);
        QCOMPARE(panel->shownStep(), 2);
        const QStringList rows = panel->resultTexts();
        QVERIFY2(
            rows.size() == 1 &&
                rows[0].startsWith(QStringLiteral("FAILED: the step's code raised ZeroDivisionError unexpectedly")),
            qPrintable(rows.join(QLatin1Char('|'))));
    }

    void restartGivesAFreshNamespace()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        panel->restart();
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 60000);
        QCOMPARE(m_window->session()->stepCount(), 0);
        QCOMPARE(panel->shownStep(), 0);
        QVERIFY(!panel->outcome(0));
        QTRY_VERIFY(m_window->console()->isIdle());
        m_window->console()->submitInput(QStringLiteral("print('a is', 'a' in globals())"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->console()->toPlainText().contains(QStringLiteral("a is False")), 60000);
    }

    void fontScaleFollowsTheWindow()
    {
        ui::LessonPanel *panel = m_window->lessonPanel();
        const qreal base = panel->font().pointSizeF();
        m_window->setTextScale(2.0);
        QCOMPARE(panel->font().pointSizeF(), base * 2.0);
        m_window->setTextScale(1.0);
        QCOMPARE(panel->font().pointSizeF(), base);
    }

private:
    QString write(const QString &name, const char *text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(text);
        return path;
    }

    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<python::PythonBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;
    QTemporaryDir m_dir;
    QString m_lessonFile;
};

QTEST_MAIN(TestLessonPanel)
#include "tst_lessonpanel.moc"
