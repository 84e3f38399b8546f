// SPDX-License-Identifier: GPL-3.0-or-later
// The whole window with the real interpreter, offscreen: statements typed into
// the console, then what the models and the canvas scene hold.

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QGraphicsItem>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "app/python/pythonbackend.h"
#include "engine/runtime.h"
#include "ui/canvas/memoryscene.h"
#include "ui/console/consolewidget.h"
#include "ui/devicesmodel.h"
#include "ui/elementeditor.h"
#include "ui/mainwindow.h"
#include "ui/models/elementsmodel.h"
#include "ui/models/objectsmodel.h"
#include "ui/plots/trafficplot.h"
#include "ui/session.h"
#endif

using namespace memscope;
using Kind = ui::MemoryScene::ItemKind;

class TestAppWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // history and layout go to a test location
        QSettings().clear();
        engine::RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = std::size_t {64} << 20;
        m_runtime = std::make_unique<engine::Runtime>(o);
        m_backend = std::make_unique<python::PythonBackend>(*m_runtime);
        QVERIFY(m_backend->waitForStart().empty());
        m_window = std::make_unique<ui::MainWindow>(*m_runtime, m_backend.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_testers.emplace_back(new QAbstractItemModelTester(m_window->objectsModel(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest));
        m_testers.emplace_back(new QAbstractItemModelTester(m_window->elementEditor()->model(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest));
        m_testers.emplace_back(new QAbstractItemModelTester(m_window->devicesModel(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    void cleanupTestCase()
    {
        m_testers.clear();
        m_window->session()->detachBackend();
        m_backend.reset();
        m_window.reset();
    }

    void startsWithoutImportingFrameworks()
    {
        type("import sys; print('loaded:', sorted(m for m in ('numpy', 'torch', 'tensorflow') if m in sys.modules))");
        QVERIFY2(m_window->console()->toPlainText().contains(QStringLiteral("loaded: []")),
                 qPrintable(m_window->console()->toPlainText()));
    }

    void consoleRunsStatements()
    {
        type("import numpy as np, torch");
        type("a = np.array([[1., 2., 3.], [4., 5., 6.]])");
        QCOMPARE(m_window->objectsModel()->rowCount(), 1);
        QCOMPARE(m_window->console()->history().last(), QStringLiteral("a = np.array([[1., 2., 3.], [4., 5., 6.]])"));
        // Output streams into the console.
        type("print('hello from python')");
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("hello from python")));
        // A multi-line block: continuation prompt, then the result.
        m_window->console()->submitInput(QStringLiteral("for i in range(2):"));
        QTRY_VERIFY(m_window->console()->isIdle());
        QVERIFY(m_window->console()->toPlainText().endsWith(QStringLiteral("... ")));
        m_window->console()->submitInput(QStringLiteral("    print('line', i)"));
        QTRY_VERIFY(m_window->console()->isIdle());
        type(QString());
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("line 1")));
        // A traceback is shown, and the console goes on.
        type("1 / 0");
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("ZeroDivisionError")));
    }

    void aliasesShareAColourAndCopiesGetAnArrow()
    {
        type("t = torch.from_numpy(a)");
        ui::MemoryScene *scene = m_window->scene();
        QHash<QString, int> groupOf;
        for (QGraphicsItem *v : scene->itemsOfKind(Kind::Variable))
            groupOf[v->data(ui::MemoryScene::kTextKey).toString()] = v->data(ui::MemoryScene::kGroupKey).toInt();
        QCOMPARE(groupOf.value(QStringLiteral("a")), groupOf.value(QStringLiteral("t")));

        type("a[0, 0] = 99");
        int changed = 0;
        for (QGraphicsItem *cell : scene->itemsOfKind(Kind::Cell)) {
            if (!cell->data(ui::MemoryScene::kChangedKey).toBool())
                continue;
            ++changed;
            QCOMPARE(cell->data(ui::MemoryScene::kTextKey).toString(), QStringLiteral("99.0"));
            QCOMPARE(cell->data(ui::MemoryScene::kFactKey).toList().size(), 2); // seen through a and t
        }
        QCOMPARE(changed, 1);

        type("t2 = torch.tensor(a)");
        groupOf.clear();
        for (QGraphicsItem *v : scene->itemsOfKind(Kind::Variable))
            groupOf[v->data(ui::MemoryScene::kTextKey).toString()] = v->data(ui::MemoryScene::kGroupKey).toInt();
        QVERIFY(groupOf.value(QStringLiteral("t2")) != groupOf.value(QStringLiteral("a")));
        QStringList arrows;
        for (QGraphicsItem *arrow : scene->itemsOfKind(Kind::Arrow))
            arrows << arrow->data(ui::MemoryScene::kTextKey).toString();
        QCOMPARE(arrows, QStringList {QStringLiteral("t2 = torch.tensor(a): copy · 48 B · H2H")});
        QCOMPARE(m_window->plots()->traffic(m_window->plots()->stepCount() - 1, engine::Direction::H2H), 48u);
        // No cell changed in this step: the copy left the original alone.
        for (QGraphicsItem *cell : scene->itemsOfKind(Kind::Cell))
            QVERIFY(!cell->data(ui::MemoryScene::kChangedKey).toBool());
    }

    void selectionIsSynced()
    {
        const auto snapshot = m_window->session()->snapshot();
        const auto id = snapshot->facts[std::size_t(snapshot->indexOf("t"))].objectId;
        m_window->selectObject(id);
        QCOMPARE(m_window->elementEditor()->model()->objectId(), id);
        auto *table = m_window->findChild<QTableView *>(QStringLiteral("objectsView"));
        QCOMPARE(table->currentIndex().data(ui::ObjectsModel::ObjectIdRole).toULongLong(), id);
    }

    void editingACellWritesThroughEveryAlias()
    {
        const auto snapshot = m_window->session()->snapshot();
        m_window->selectObject(snapshot->facts[std::size_t(snapshot->indexOf("a"))].objectId);
        ui::ElementsModel *model = m_window->elementEditor()->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->columnCount(), 3);
        model->setData(model->index(0, 1), QStringLiteral("7.5"));
        QTRY_COMPARE(model->index(0, 1).data().toString(), QStringLiteral("7.5"));
        QVERIFY(model->index(0, 1).data(ui::ElementsModel::ChangedRole).toBool());
        // The alias t shows it on the canvas too; the copy t2 does not.
        int lit = 0;
        for (QGraphicsItem *cell : m_window->scene()->itemsOfKind(Kind::Cell))
            if (cell->data(ui::MemoryScene::kChangedKey).toBool()) {
                ++lit;
                QCOMPARE(cell->data(ui::MemoryScene::kFactKey).toList().size(), 2);
            }
        QCOMPARE(lit, 1);
        type("print(float(t[0, 1]), float(t2[0, 1]))");
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("7.5 2.0")));
    }

    void badEditsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not a number") << "abc"
                                      << "'abc' is not a float64 value";
        QTest::newRow("overflow") << "1e400"
                                  << "";
    }
    void badEditsAreRefusedWithAReason()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        ui::ElementsModel *model = m_window->elementEditor()->model();
        const QString before = model->index(1, 1).data().toString();
        model->setData(model->index(1, 1), text);
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")) ||
                    m_window->elementEditor()->message().startsWith(QStringLiteral("wrote")));
        if (!reason.isEmpty()) {
            QVERIFY2(m_window->elementEditor()->message().contains(reason),
                     qPrintable(m_window->elementEditor()->message()));
            QCOMPARE(model->index(1, 1).data().toString(), before); // nothing changed
        }
    }

    void readOnlyNeedsWriteAnyway()
    {
        type("r = np.arange(4, dtype=np.int8); r.setflags(write=False); rv = r[::2]");
        const auto snapshot = m_window->session()->snapshot();
        m_window->selectObject(snapshot->facts[std::size_t(snapshot->indexOf("r"))].objectId);
        ui::ElementsModel *model = m_window->elementEditor()->model();
        model->setData(model->index(2, 0), QStringLiteral("9"));
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")));
        QVERIFY(m_window->elementEditor()->message().contains(QStringLiteral("read-only")));
        QCOMPARE(model->index(2, 0).data().toString(), QStringLiteral("2"));
        m_window->elementEditor()->setWriteAnyway(true);
        model->setData(model->index(2, 0), QStringLiteral("9"));
        QTRY_COMPARE(model->index(2, 0).data().toString(), QStringLiteral("9"));
        type("print(int(rv[1]))");
        QVERIFY(m_window->console()->toPlainText().trimmed().endsWith(QStringLiteral("9\n>>>")) ||
                m_window->console()->toPlainText().contains(QStringLiteral("\n9\n")));
        m_window->elementEditor()->setWriteAnyway(false);
    }

    void interruptFromTheConsole()
    {
        m_window->console()->submitInput(QStringLiteral("while True: pass"));
        QTRY_VERIFY(m_window->console()->isIdle());
        m_window->console()->submitInput(QString());
        QTRY_VERIFY(m_window->session()->isBusy());
        QTest::qWait(100);
        QTest::keyClick(m_window->console(), Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->console()->isIdle(), 3000);
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("KeyboardInterrupt")));
    }

    void ctrlCAtAContinuationPromptCancelsTheBlock()
    {
        m_window->console()->submitInput(QStringLiteral("while True:"));
        QTRY_VERIFY(m_window->console()->isIdle());
        QVERIFY(m_window->console()->toPlainText().endsWith(QStringLiteral("... ")));
        QTest::keyClick(m_window->console(), Qt::Key_C, Qt::ControlModifier);
        QVERIFY(m_window->console()->toPlainText().endsWith(QStringLiteral("^C\n>>> ")));
        type("after_cancel = 2"); // runs at once: the loop was dropped, not run
        QVERIFY(!m_window->session()->isBusy());
        QVERIFY(!m_window->console()->toPlainText().contains(QStringLiteral("KeyboardInterrupt\n>>> after_cancel")));
    }

    void historyIsPersistedAndBrowsable()
    {
        ui::ConsoleWidget *console = m_window->console();
        QTest::keyClick(console, Qt::Key_Up);
        QCOMPARE(console->inputText(), QStringLiteral("after_cancel = 2"));
        QTest::keyClick(console, Qt::Key_Down);
        QCOMPARE(console->inputText(), QString());
        QVERIFY(QSettings()
                    .value(QStringLiteral("console/history"))
                    .toStringList()
                    .contains(QStringLiteral("t2 = torch.tensor(a)")));
        // Ctrl+L clears the console and keeps a prompt.
        QTest::keyClick(console, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(console->toPlainText(), QStringLiteral(">>> "));
    }

    void largeArraysOpenAtOnceAndReadWindows()
    {
        // The model tester walks every index on each change: 10^7 rows would
        // test the tester. The grid's model was checked by it above.
        m_testers.erase(m_testers.begin() + 1);
        type("import numpy as np");
        QElapsedTimer timer;
        timer.start();
        type("big = np.arange(10_000_000, dtype=np.float64)");
        qInfo("created and shown: %lld ms", timer.restart());
        const auto snapshot = m_window->session()->snapshot();
        m_window->selectObject(snapshot->facts[std::size_t(snapshot->indexOf("big"))].objectId);
        ui::ElementsModel *model = m_window->elementEditor()->model();
        QCOMPARE(model->totalRows(), 10'000'000);
        QCOMPARE(model->rowCount(), int(ui::ElementsModel::kPageRows)); // a page at a time
        QVERIFY(m_window->elementEditor()->findChild<QSpinBox *>(QStringLiteral("firstRow")));
        // Far beyond what the snapshot holds: read on request, then shown.
        QTRY_COMPARE(model->index(99'999, 0).data().toString(), QStringLiteral("99999.0"));
        m_window->elementEditor()->setFirstRow(9'900'000);
        QCOMPARE(model->headerData(99'999, Qt::Vertical).toLongLong(), 9'999'999);
        QTRY_COMPARE(model->index(99'999, 0).data().toString(), QStringLiteral("9999999.0"));
        qInfo("windows: %lld ms", timer.restart());
        // And editable like any other.
        model->setData(model->index(99'999, 0), QStringLiteral("-1"));
        QTRY_COMPARE(model->index(99'999, 0).data().toString(), QStringLiteral("-1.0"));
        qInfo("edited: %lld ms", timer.restart());
        type("del big");
    }

    void tabCompletesAndCtrlRSearches()
    {
        ui::ConsoleWidget *console = m_window->console();
        console->setInputText(QStringLiteral("np.arang"));
        QTest::keyClick(console, Qt::Key_Tab);
        QTRY_VERIFY(console->inputText().startsWith(QStringLiteral("np.arange")));
        console->setInputText(QString());
        QTest::keyClick(console, Qt::Key_R, Qt::ControlModifier);
        auto *search = console->findChild<QLineEdit *>(QStringLiteral("historySearch"));
        QVERIFY(search && search->isVisible());
        QTest::keyClicks(search, QStringLiteral("tensor("));
        QCOMPARE(console->inputText(), QStringLiteral("t2 = torch.tensor(a)"));
        QTest::keyClick(search, Qt::Key_Return);
        QVERIFY(!search->isVisible());
        QCOMPARE(console->inputText(), QStringLiteral("t2 = torch.tensor(a)"));
        console->setInputText(QString());
    }

    void exportsPngAndSvg()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(m_window->exportCanvas(dir.filePath(QStringLiteral("c.png")), &error));
        QVERIFY(m_window->exportCanvas(dir.filePath(QStringLiteral("c.svg")), &error));
        QVERIFY(QImage(dir.filePath(QStringLiteral("c.png"))).width() > 400);
        QFile svg(dir.filePath(QStringLiteral("c.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray content = svg.readAll();
        QVERIFY(content.contains("<svg") && content.contains("</svg>"));
        QVERIFY(content.count("<path") + content.count("<text") > 50); // cells, arrows and their labels
        QVERIFY(!m_window->exportCanvas(QStringLiteral("/nonexistent/dir/c.png"), &error));
        QVERIFY(error.contains(QStringLiteral("/nonexistent/dir/c.png")));
    }

private:
    void type(const char *line) { type(QString::fromUtf8(line)); }
    void type(const QString &line)
    {
        m_window->console()->submitInput(line);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->console()->isIdle(), 60000);
    }

    std::unique_ptr<engine::Runtime> m_runtime;
    std::unique_ptr<python::PythonBackend> m_backend;
    std::unique_ptr<ui::MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

QTEST_MAIN(TestAppWindow)
#include "tst_appwindow.moc"
