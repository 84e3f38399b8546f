// SPDX-License-Identifier: GPL-3.0-or-later

#include <QAction>
#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/runtime.h"
#include "engine/step/recording.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/console/consolewidget.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#endif

#include <memory>

using namespace memscope;

namespace {

const QStringList kSecondaryDocks = {QStringLiteral("objectsDock"), QStringLiteral("editorDock"),
                                     QStringLiteral("plotsDock"), QStringLiteral("devicesDock")};

engine::RuntimeOptions cpuOnly()
{
    engine::RuntimeOptions o;
    o.useCuda = false;
    o.emulatedCapacity = 1 << 20;
    return o;
}

// A read-only timeline of `count` steps with no Python: what `memscope open`
// shows. Steps without a snapshot are shown as empty ones.
engine::Recording recordingOf(int count)
{
    engine::Recording r;
    for (int i = 0; i < count; ++i) {
        auto step = std::make_shared<engine::Step>();
        step->code = "x = " + std::to_string(i);
        step->filename = "<console>";
        r.steps.push_back(std::move(step));
    }
    return r;
}

} // namespace

class TestPresentation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep the user's settings out of it

    void init()
    {
        QSettings().clear(); // each case starts from the defaults, whatever ran before
        m_runtime = std::make_unique<engine::Runtime>(cpuOnly());
        m_window = std::make_unique<ui::MainWindow>(*m_runtime, nullptr);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_runtime.reset();
    }

    void hidesSecondaryDocksAndRestoresThem()
    {
        ui::MainWindow &w = *m_window;
        auto *present = w.findChild<QAction *>(QStringLiteral("presentationAction"));
        QVERIFY(present);
        QVERIFY(present->isCheckable());
        QCOMPARE(present->shortcut(), QKeySequence(Qt::Key_F11));
        for (const QString &name : kSecondaryDocks)
            QVERIFY2(w.findChild<QDockWidget *>(name)->isVisible(), qPrintable(name));
        const QByteArray stateBefore = w.saveState();
        const bool fullScreenBefore = w.isFullScreen();
        const QSize sizeBefore = w.size();

        present->trigger();
        QVERIFY(w.isPresenting());
        QVERIFY(present->isChecked());
        QVERIFY(w.windowState() & Qt::WindowFullScreen);
        for (const QString &name : kSecondaryDocks)
            QVERIFY2(w.findChild<QDockWidget *>(name)->isHidden(), qPrintable(name));
        QVERIFY(w.findChild<QDockWidget *>(QStringLiteral("consoleDock"))->isVisible());
        QCOMPARE(w.textScale(), ui::MainWindow::kDefaultPresentationScale);
        QCOMPARE(w.scene()->textScale(), ui::MainWindow::kDefaultPresentationScale);

        present->trigger();
        QVERIFY(!w.isPresenting());
        QVERIFY(!present->isChecked());
        QCOMPARE(w.isFullScreen(), fullScreenBefore);
        for (const QString &name : kSecondaryDocks)
            QVERIFY2(w.findChild<QDockWidget *>(name)->isVisible(), qPrintable(name));
        QCOMPARE(w.saveState(), stateBefore);
        QCOMPARE(w.size(), sizeBefore);
        // ... and stays so once the window's resize and the layout have settled.
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(w.saveState(), stateBefore);
        QCOMPARE(w.size(), sizeBefore);
        QCOMPARE(w.textScale(), 1.0);
        QCOMPARE(w.scene()->textScale(), 1.0);
    }

    void keysEnterAndLeave()
    {
        ui::MainWindow &w = *m_window;
        auto *objects = w.findChild<QDockWidget *>(QStringLiteral("objectsDock"));
        // A layout of the person's own: presentation mode must give it back.
        objects->hide();
        QCoreApplication::sendPostedEvents(); // the layout settles as it would before a key press
        const QByteArray stateBefore = w.saveState();
        w.canvas()->setFocus();

        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isPresenting());
        QVERIFY(w.findChild<QAction *>(QStringLiteral("presentationAction"))->isChecked());
        QTRY_VERIFY(w.canvas()->hasFocus());

        QTest::keyClick(w.canvas(), Qt::Key_Escape);
        QVERIFY(!w.isPresenting());
        QVERIFY(!w.findChild<QAction *>(QStringLiteral("presentationAction"))->isChecked());
        QVERIFY(objects->isHidden());
        QCOMPARE(w.saveState(), stateBefore);
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(w.saveState(), stateBefore);

        // F11 again from anywhere, the console included, ends it too.
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isPresenting());
        w.console()->setFocus();
        QTest::keyClick(w.console(), Qt::Key_F11);
        QVERIFY(!w.isPresenting());
    }

    void textScale_data()
    {
        QTest::addColumn<bool>("presenting");
        QTest::addColumn<int>("steps"); // positive: Larger text, negative: Smaller text
        QTest::addColumn<qreal>("expected");
        QTest::newRow("larger") << false << 1 << 1.25;
        QTest::newRow("larger x4") << false << 4 << 2.0;
        QTest::newRow("clamped at 300 %") << false << 12 << 3.0;
        QTest::newRow("clamped at 100 %") << false << -3 << 1.0;
        QTest::newRow("presenting, larger") << true << 1 << 2.25;
        QTest::newRow("presenting, smaller x2") << true << -2 << 1.5;
        QTest::newRow("presenting, clamped at 100 %") << true << -9 << 1.0;
        QTest::newRow("presenting, clamped at 300 %") << true << 9 << 3.0;
    }

    void textScale()
    {
        QFETCH(bool, presenting);
        QFETCH(int, steps);
        QFETCH(qreal, expected);
        ui::MainWindow &w = *m_window;
        const qreal basePoints = w.console()->font().pointSizeF();
        QVERIFY(basePoints > 0);
        if (presenting)
            w.setPresenting(true);
        auto *action = w.findChild<QAction *>(steps > 0 ? QStringLiteral("largerTextAction")
                                                        : QStringLiteral("smallerTextAction"));
        QVERIFY(action);
        for (int i = 0; i < std::abs(steps); ++i)
            action->trigger();
        QCOMPARE(w.textScale(), expected);
        QCOMPARE(w.scene()->textScale(), expected);
        QCOMPARE(w.console()->font().pointSizeF(), basePoints * expected);
        QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Text %1 %").arg(qRound(expected * 100)));

        if (presenting) {
            // The next presentation uses the size chosen in this one.
            QCOMPARE(QSettings().value(QStringLiteral("presentation/textScale")).toReal(), expected);
            w.setPresenting(false);
            QCOMPARE(w.textScale(), 1.0);
            QCOMPARE(w.console()->font().pointSizeF(), basePoints);
            w.setPresenting(true);
            QCOMPARE(w.textScale(), expected);
            QCOMPARE(w.console()->font().pointSizeF(), basePoints * expected);
        }
        // Reset: 100 %, or the default presentation size while presenting.
        w.findChild<QAction *>(QStringLiteral("resetTextAction"))->trigger();
        QCOMPARE(w.textScale(), presenting ? ui::MainWindow::kDefaultPresentationScale : 1.0);
    }

    void textScaleShortcutsDoNotClash()
    {
        ui::MainWindow &w = *m_window;
        // Ctrl+= / Ctrl++ / Ctrl+- are the text's alone: the canvas's zoom
        // (Ctrl+wheel) keeps its menu items without them.
        const QList<QKeySequence> textKeys = {
            QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus),
            QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_0),
            QKeySequence(Qt::Key_F11)};
        for (const QKeySequence &key : textKeys) {
            int owners = 0;
            for (QAction *a : w.findChildren<QAction *>())
                owners += a->shortcuts().count(key);
            QVERIFY2(owners == 1, qPrintable(key.toString()));
        }
        w.canvas()->setFocus();
        const qreal zoom = w.canvas()->zoom();
        QTest::keyClick(&w, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(w.textScale(), 1.25);
        QTest::keyClick(&w, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(w.textScale(), 1.0);
        QCOMPARE(w.canvas()->zoom(), zoom);
    }

    void steppingKeys_data()
    {
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("expected");
        QTest::newRow("Space") << 1 << int(Qt::Key_Space) << 2;
        QTest::newRow("Right") << 1 << int(Qt::Key_Right) << 2;
        QTest::newRow("PageDown") << 1 << int(Qt::Key_PageDown) << 2;
        QTest::newRow("Left") << 2 << int(Qt::Key_Left) << 1;
        QTest::newRow("PageUp") << 2 << int(Qt::Key_PageUp) << 1;
        QTest::newRow("Backspace") << 2 << int(Qt::Key_Backspace) << 1;
        QTest::newRow("Home") << 2 << int(Qt::Key_Home) << 0;
        QTest::newRow("End") << 1 << int(Qt::Key_End) << 3;
        QTest::newRow("Space at the live step") << 3 << int(Qt::Key_Space) << 3;
        QTest::newRow("Left at the first step") << 0 << int(Qt::Key_Left) << 0;
    }

    void steppingKeys()
    {
        QFETCH(int, start);
        QFETCH(int, key);
        QFETCH(int, expected);
        ui::MainWindow &w = *m_window;
        w.showRecording(recordingOf(4), QStringLiteral("four.msrec"));
        ui::Session *session = w.session();
        QCOMPARE(session->stepCount(), 4);
        const auto k = static_cast<Qt::Key>(key);

        // Not presenting: the keys are the canvas's and the console's own.
        session->setCursor(start);
        w.canvas()->setFocus();
        QTRY_VERIFY(w.canvas()->hasFocus());
        QTest::keyClick(w.canvas(), k);
        QCOMPARE(session->cursor(), start);

        w.setPresenting(true);
        QTRY_VERIFY(w.canvas()->hasFocus());
        QTest::keyClick(w.canvas(), k);
        QCOMPARE(session->cursor(), expected);

        // The console keeps its keys while presenting: typing still works.
        session->setCursor(start);
        w.console()->setFocus();
        QTRY_VERIFY(w.console()->hasFocus());
        QTest::keyClick(w.console(), k);
        QCOMPARE(session->cursor(), start);
        QVERIFY(w.isPresenting());
    }

private:
    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<ui::MainWindow> m_window;
};

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
