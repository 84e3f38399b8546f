// SPDX-License-Identifier: GPL-3.0-or-later
// The whole window with the real interpreter, offscreen: statements typed into
// the console, then what the models and the canvas scene hold.

#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsItem>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "app/python/pythonbackend.h"
#include "engine/runtime.h"
#include "engine/step/recording.h"
#include "ui/canvas/memoryscene.h"
#include "ui/console/consolewidget.h"
#include "ui/devicesmodel.h"
#include "ui/elementeditor.h"
#include "ui/mainwindow.h"
#include "ui/models/elementsmodel.h"
#include "ui/models/objectsmodel.h"
#include "ui/plots/trafficplot.h"
#include "ui/session.h"
#include "ui/timeline/scrubber.h"
#endif

using namespace memscope;
// The canvas as laid out: what a person sees, read from its geometry.
QHash<QString, int> variableGroups(const ui::CanvasGeometry &g)
{
    QHash<QString, int> out;
    for (const ui::GVariable &v : g.variables)
        out[v.label] = v.group;
    return out;
}

std::vector<const ui::GCell *> changedCells(const ui::CanvasGeometry &g)
{
    std::vector<const ui::GCell *> out;
    for (const ui::GBuffer &b : g.buffers)
        for (const ui::GCell &c : b.cells)
            if (c.changed)
                out.push_back(&c);
    return out;
}

class TestAppWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // history and layout go to a test location
        QSettings().clear();
        // The window's cases are the tutorial's (NumPy and torch): an environment
        // without them (a pip or conda one) skips visibly (ctest: Skipped).
        QProcess probe;
        probe.start(QString::fromStdString(python::PythonBackend::defaultExecutable()),
                    {QStringLiteral("-c"), QStringLiteral("import numpy, torch")});
        if (!probe.waitForFinished(300000) || probe.exitCode() != 0)
            QSKIP("numpy or torch is not installed in this environment");
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
        if (!m_window)
            return; // skipped
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
        QHash<QString, int> groupOf = variableGroups(scene->geometry());
        QCOMPARE(groupOf.value(QStringLiteral("a")), groupOf.value(QStringLiteral("t")));

        type("a[0, 0] = 99");
        const auto changed = changedCells(scene->geometry());
        QCOMPARE(changed.size(), std::size_t(1));
        QCOMPARE(changed.front()->value, QStringLiteral("99.0"));
        QCOMPARE(changed.front()->facts.size(), std::size_t(2)); // seen through a and t

        type("t2 = torch.tensor(a)");
        groupOf = variableGroups(scene->geometry());
        QVERIFY(groupOf.value(QStringLiteral("t2")) != groupOf.value(QStringLiteral("a")));
        QStringList arrows;
        for (const ui::GArrow &arrow : scene->geometry().arrows)
            arrows << arrow.text;
        QCOMPARE(arrows, QStringList {QStringLiteral("t2 = torch.tensor(a): copy · 48 B · H2H")});
        QCOMPARE(m_window->plots()->traffic(m_window->plots()->stepCount() - 1, engine::Direction::H2H), 48u);
        // No cell changed in this step: the copy left the original alone.
        QVERIFY(changedCells(scene->geometry()).empty());
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
        const auto lit = changedCells(m_window->scene()->geometry());
        QCOMPARE(lit.size(), std::size_t(1));
        QCOMPARE(lit.front()->facts.size(), std::size_t(2));
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
                                  << "1e400 overflows float64";
        QTest::newRow("400 digits") << QString(400, QLatin1Char('9')) << "overflows float64";
        QTest::newRow("two signs") << "+-5"
                                   << "'+-5' is not a float64 value";
        QTest::newRow("C nan") << "nan(123)"
                               << "'nan(123)' is not a float64 value";
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
        QVERIFY2(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")),
                 qPrintable(m_window->elementEditor()->message()));
        QVERIFY2(m_window->elementEditor()->message().contains(reason),
                 qPrintable(m_window->elementEditor()->message()));
        QCOMPARE(model->index(1, 1).data().toString(), before); // nothing changed
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

    // "Write anyway" is for memory writable underneath; a file mapped for
    // reading faulted (SIGSEGV) and an immutable bytes object was overwritten
    // for the whole process. Each case makes and selects its own objects.
    void writeAnywayRefusesAReadOnlyMemmap()
    {
        type("import numpy as np, os, tempfile");
        type("mm_path = os.path.join(tempfile.mkdtemp(), 'mm.dat'); np.arange(4.0).tofile(mm_path)");
        type("mmr = np.memmap(mm_path, dtype='float64', mode='r', shape=(4,))");
        ui::ElementsModel *model = selectInEditor("mmr");
        m_window->elementEditor()->setWriteAnyway(true);
        model->setData(model->index(1, 0), QStringLiteral("5"));
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")) ||
                    m_window->elementEditor()->message().startsWith(QStringLiteral("wrote")));
        m_window->elementEditor()->setWriteAnyway(false);
        const QString message = m_window->elementEditor()->message();
        QVERIFY2(message.startsWith(QStringLiteral("refused")) && message.contains(QStringLiteral("read-only buffer")),
                 qPrintable(message));
        type("print('mmr1 =', float(mmr[1]), float(np.fromfile(mm_path)[1]))");
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("mmr1 = 1.0 1.0")));
        type("del mmr");
    }

    void writeAnywayRefusesImmutableBytes()
    {
        type("import numpy as np");
        type("one = np.frombuffer(b'\\x01', dtype=np.uint8)");
        ui::ElementsModel *model = selectInEditor("one");
        m_window->elementEditor()->setWriteAnyway(true);
        model->setData(model->index(0, 0), QStringLiteral("7"));
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")) ||
                    m_window->elementEditor()->message().startsWith(QStringLiteral("wrote")));
        m_window->elementEditor()->setWriteAnyway(false);
        const QString message = m_window->elementEditor()->message();
        QVERIFY2(message.startsWith(QStringLiteral("refused")) && message.contains(QStringLiteral("bytes")),
                 qPrintable(message));
        // Nor through MemScope's own view of it.
        type("import memscope; onem = memscope.from_numpy(one)");
        model = selectInEditor("onem");
        m_window->elementEditor()->setWriteAnyway(true);
        model->setData(model->index(0, 0), QStringLiteral("7"));
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")) ||
                    m_window->elementEditor()->message().startsWith(QStringLiteral("wrote")));
        m_window->elementEditor()->setWriteAnyway(false);
        QVERIFY2(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")),
                 qPrintable(m_window->elementEditor()->message()));
        // bytes([1]) is CPython's shared one-byte object: it must still hold 1.
        type("print('bytes1 =', bytes([1])[0], b'\\x01'[0], int(one[0]))");
        QVERIFY2(m_window->console()->toPlainText().contains(QStringLiteral("bytes1 = 1 1 1")),
                 qPrintable(m_window->console()->toPlainText().right(300)));
        type("del one, onem");
    }

    // Typed text is text: never markup, never wider than the window.
    void longTextIsRefusedWithoutGrowingTheWindow()
    {
        type("import numpy as np");
        type("pz = np.zeros(2)");
        ui::ElementsModel *model = selectInEditor("pz");
        auto *label = m_window->elementEditor()->findChild<QLabel *>(QStringLiteral("editMessage"));
        QVERIFY(label);
        const QSize before = m_window->size();
        // A 2 MB paste is refused before it reaches the engine or a widget.
        model->setData(model->index(0, 0), QString(2'000'000, QLatin1Char('1')));
        QVERIFY2(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")),
                 qPrintable(m_window->elementEditor()->message().left(200)));
        QVERIFY(m_window->elementEditor()->message().size() < 300);
        settleLayout();
        QCOMPARE(m_window->size(), before);
        QVERIFY(m_window->minimumSizeHint().width() <= before.width());
        // Long text the engine refuses is quoted elided.
        model->setData(model->index(0, 0), QString(900, QLatin1Char('x')));
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")));
        QVERIFY2(m_window->elementEditor()->message().size() < 300,
                 qPrintable(m_window->elementEditor()->message().left(400)));
        QVERIFY(m_window->elementEditor()->message().contains(QStringLiteral("(900 characters)")));
        settleLayout();
        QCOMPARE(m_window->size(), before);
        QVERIFY(m_window->minimumSizeHint().width() <= before.width());
        QVERIFY(label->minimumSizeHint().width() < before.width());
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("0.0"));
        type("del pz");
    }

    void markupTypedIntoACellIsShownLiterally()
    {
        type("import numpy as np");
        type("mk = np.zeros(2)");
        ui::ElementsModel *model = selectInEditor("mk");
        auto *label = m_window->elementEditor()->findChild<QLabel *>(QStringLiteral("editMessage"));
        QVERIFY(label);
        const QString markup = QStringLiteral("<h1>BIG</h1><img src=\"x\"> &lt;");
        model->setData(model->index(0, 0), markup);
        QTRY_VERIFY(m_window->elementEditor()->message().startsWith(QStringLiteral("refused")));
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY2(label->text().contains(markup), qPrintable(label->text())); // as typed, entity and all
        type("del mk");
    }

    // A module's weights are drawn by path and told from plain tensors (issue 8).
    void moduleWeightsAreDrawnByPath()
    {
        type("import torch");
        type("lin = torch.nn.Linear(3, 2)");
        QString weightDetail;
        for (const ui::GVariable &v : m_window->scene()->geometry().variables)
            if (v.label == QStringLiteral("lin.weight"))
                weightDetail = v.details.back().text;
        QVERIFY2(weightDetail.endsWith(QStringLiteral("Parameter · requires_grad")), qPrintable(weightDetail));
        type("del lin");
    }

    void canvasTooltipsShowNamesAsText()
    {
        type("import numpy as np");
        type("globals()['<h1>BIG</h1><img src=x>'] = np.zeros(2)");
        bool seen = false;
        for (const ui::GVariable &v : m_window->scene()->geometry().variables) {
            if (!v.label.contains(QStringLiteral("<h1>")))
                continue;
            seen = true;
            const QString tip = m_window->scene()->shownTipAt(v.box.center());
            QVERIFY2(!tip.contains(QStringLiteral("<h1>")) && tip.contains(QStringLiteral("&lt;h1&gt;BIG")),
                     qPrintable(tip));
        }
        QVERIFY(seen);
        type("del globals()['<h1>BIG</h1><img src=x>']");
    }

    // The canvas works per byte of a buffer, not per logical element: a
    // broadcast view of 3 floats is 3 cells, however many elements it has.
    void canvasDrawsHugeBroadcastViewsByTheirBytes()
    {
        type("import numpy as np");
        type("bc12 = np.broadcast_to(np.arange(3.0), (10**12, 3))"); // hung the GUI for hours before
        const auto snapshot = m_window->session()->snapshot();
        const int fact = snapshot->indexOf("bc12");
        QVERIFY(fact >= 0);
        int cells = 0;
        for (const ui::GBuffer &b : m_window->scene()->geometry().buffers)
            for (const ui::GCell &cell : b.cells)
                if (std::find(cell.facts.begin(), cell.facts.end(), fact) != cell.facts.end())
                    ++cells;
        QCOMPARE(cells, 3);
        type("del bc12");
    }

    void wideAndEmptyArraysOpenWithBoundedColumns()
    {
        type("import numpy as np");
        type("wide = np.zeros((2, 10**7)); empty0 = np.zeros((0, 10**9))");
        ui::ElementsModel *model = selectInEditor("wide");
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->totalColumns(), 10'000'000);
        QCOMPARE(model->columnCount(), int(ui::ElementsModel::kPageColumns)); // a page at a time
        QCOMPARE(model->rowCount(), 2);
        auto *firstColumn = m_window->elementEditor()->findChild<QSpinBox *>(QStringLiteral("firstColumn"));
        QVERIFY(firstColumn);
        m_window->elementEditor()->setFirstColumn(10'000'000 - 5);
        QCOMPARE(firstColumn->value(), 10'000'000 - 5); // the picker follows
        QCOMPARE(model->columnCount(), 5);
        QCOMPARE(model->headerData(4, Qt::Horizontal).toLongLong(), 9'999'999);
        QTRY_COMPARE(model->index(1, 4).data().toString(), QStringLiteral("0.0"));
        model->setData(model->index(1, 4), QStringLiteral("3"));
        QTRY_COMPARE(model->index(1, 4).data().toString(), QStringLiteral("3.0"));
        type("print('wide[1, -1] =', wide[1, -1])");
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral("wide[1, -1] = 3.0")));

        selectInEditor("empty0");
        QCOMPARE(model->totalColumns(), 0);
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(model->columnCount(), 0);
        type("del wide, empty0");
    }

    // File ▸ Run script: the file runs as `python FILE`, a step per statement.
    void runScriptRunsEachStatementOnce()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("steps.py"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("import numpy as np\nrun_n = 0\nrun_n += 1; run_n += 10\nprint('run_n is', run_n)\n"
                "run_a = np.zeros(3); run_a += 1\n");
        f.close();
        const int before = m_window->session()->snapshot() ? m_window->session()->snapshot()->step : 0;
        QSignalSpy steps(m_window->session(), &ui::Session::stepFinished);
        QString error;
        QVERIFY2(m_window->runScriptFile(path, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->console()->isIdle(), 60000);
        QCOMPARE(steps.size(), 7);
        QCOMPARE(m_window->session()->snapshot()->step, before + 7);
        const QString text = m_window->console()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("run_n is 11")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("# the script ran: 7 step(s)")), qPrintable(text));
        QVERIFY(!m_window->runScriptFile(dir.filePath(QStringLiteral("missing.py")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.py")), qPrintable(error));
        type("del run_n, run_a");
    }

    void interruptFromTheConsole()
    {
        m_window->console()->submitInput(QStringLiteral("while True: pass"));
        QTRY_VERIFY(m_window->console()->isIdle());
        m_window->console()->submitInput(QString());
        QTRY_VERIFY(m_window->session()->isBusy());
        // No wait: an interrupt stops the statement whether or not it has started.
        QTest::keyClick(m_window->console(), Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->console()->isIdle(), 60000);
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

    // Every step is kept; the cursor moves every panel to it; the past is
    // read-only; an edit is a step with its Python line; Restart empties it.
    void timelineFollowsTheCursor()
    {
        QSignalSpy reset(m_window->session(), &ui::Session::resetFinished);
        QVERIFY(m_window->restartPython(false));
        QTRY_COMPARE(reset.count(), 1);
        QTRY_VERIFY(m_window->console()->isIdle());
        QCOMPARE(m_window->session()->stepCount(), 0);
        QCOMPARE(m_window->plots()->stepCount(), 0);
        type("import numpy as np");
        type("x = np.zeros(3)");
        type("y = x.copy()");
        type("x[1] = 5");
        ui::Session *session = m_window->session();
        QCOMPARE(session->stepCount(), 4);
        QCOMPARE(session->cursor(), 3);
        QCOMPARE(m_window->plots()->stepCount(), 4);

        session->setCursor(1); // after `x = np.zeros(3)`
        QCOMPARE(session->snapshot()->statement, std::string("x = np.zeros(3)"));
        QCOMPARE(m_window->objectsModel()->rowCount(), 1);
        QCOMPARE(m_window->scene()->geometry().variables.size(), std::size_t(1));
        QVERIFY(m_window->scrubber()->caption().startsWith(QStringLiteral("Step 2 of 4 · x = np.zeros(3)")));

        QCOMPARE(m_window->plots()->cursorStep(), session->snapshot()->step);
        QVERIFY(!m_window->console()->extraSelections().isEmpty()); // the input that made it is marked
        ui::ElementsModel *model = m_window->elementEditor()->model();
        QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("0.0")); // the value then, not 5
        QVERIFY(!(model->flags(model->index(1, 0)) & Qt::ItemIsEditable));
        // The devices panel counts the buffers of the step shown: x's 24 B, not x's and y's.
        const auto atStep = [this] {
            ui::DevicesModel *devices = m_window->devicesModel();
            for (int r = 0; r < devices->rowCount(); ++r)
                if (devices->index(r, ui::DevicesModel::Name).data().toString() == QLatin1String("cpu"))
                    return devices->index(r, ui::DevicesModel::AtStep).data(Qt::UserRole).toULongLong();
            return qulonglong(0);
        };
        QCOMPARE(atStep(), qulonglong(24));
        QVERIFY(!m_window->elementEditor()->isLive());
        // Editing the past is refused, and says why.
        model->setData(model->index(0, 0), QStringLiteral("9"));
        QVERIFY2(m_window->elementEditor()->message().contains(QStringLiteral("showing step 2 of 4")),
                 qPrintable(m_window->elementEditor()->message()));
        QSignalSpy edits(session, &ui::Session::editFinished);
        session->writeElement(session->snapshot()->facts[0].objectId, 0, QStringLiteral("9"), false);
        QCOMPARE(edits.count(), 1);
        QCOMPARE(edits.at(0).at(0).toBool(), false);
        QCOMPARE(session->stepCount(), 4);

        // Back and forward, as the toolbar and Alt+Left / Alt+Right do.
        const QList<QAction *> nav = m_window->scrubber()->navigationActions();
        nav[1]->trigger(); // forward
        QCOMPARE(session->cursor(), 2);
        QCOMPARE(m_window->objectsModel()->rowCount(), 2);
        QCOMPARE(atStep(), qulonglong(48));
        nav[0]->trigger(); // back
        QCOMPARE(session->cursor(), 1);
        // Typing in the console goes back to the live step.
        QTest::keyClick(m_window->console(), Qt::Key_P);
        QCOMPARE(session->cursor(), 3);
        QVERIFY(m_window->elementEditor()->isLive());
        QVERIFY(m_window->console()->extraSelections().isEmpty());
        m_window->console()->setInputText(QString());

        // An edit is a step, echoed as the Python line it equals.
        const auto live = session->snapshot();
        m_window->selectObject(live->facts[std::size_t(live->indexOf("x"))].objectId);
        model->setData(model->index(2, 0), QStringLiteral("7"));
        QTRY_COMPARE(session->stepCount(), 5);
        QCOMPARE(session->stepAt(4)->code, std::string("x[2] = 7  # edited in the grid"));
        QVERIFY(m_window->console()->toPlainText().contains(QStringLiteral(">>> x[2] = 7  # edited in the grid")));
        QCOMPARE(model->index(2, 0).data().toString(), QStringLiteral("7.0"));
        model->setData(model->index(0, 0), QStringLiteral("nan"));
        QTRY_COMPARE(session->stepCount(), 6);
        QCOMPARE(session->stepAt(5)->code, std::string("x[0] = float('nan')  # edited in the grid"));

        // The caption's tooltip shows code as typed, never as markup.
        type("tag = '<b>bold</b>'");
        const QString tip = m_window->scrubber()->findChild<QLabel *>(QStringLiteral("timelineCaption"))->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;")), qPrintable(tip));

        // Restart: an empty namespace and an empty timeline.
        QVERIFY(m_window->restartPython(false));
        QTRY_COMPARE(reset.count(), 2);
        QCOMPARE(session->stepCount(), 0);
        QCOMPARE(m_window->plots()->stepCount(), 0);
        QCOMPARE(m_window->objectsModel()->rowCount(), 0);
        QVERIFY(m_window->scrubber()->caption().startsWith(QStringLiteral("No steps yet")));
    }

    // Scrollback is bounded in characters as well as in lines: the oldest
    // lines go, the prompt and what is typed stay.
    void scrollbackIsBoundedInCharacters()
    {
        ui::ConsoleWidget *console = m_window->console();
        console->setScrollbackLimit(200'000);
        for (int i = 0; i < 5; ++i)
            type(QStringLiteral("print('%1' * 60000)").arg(QChar(u'a' + i)));
        const QString text = console->toPlainText();
        QVERIFY2(text.size() <= 200'000, qPrintable(QString::number(text.size())));
        QVERIFY(!text.contains(QStringLiteral("aaaa"))); // the oldest went
        QVERIFY(text.contains(QString(60000, QLatin1Char('e'))));
        type("print('still', 'here')");
        QVERIFY(console->toPlainText().contains(QStringLiteral("still here")));
        QVERIFY(console->toPlainText().endsWith(QStringLiteral(">>> ")));
        console->setScrollbackLimit(ui::ConsoleWidget::kMaxScrollbackChars);
    }

    // File ▸ Save recording, then the recording shown in a window without
    // Python: equal step by step, scrubbable, nothing editable.
    void recordingRoundTripInTheWindow()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("session.msrec"));
        QVERIFY(m_window->restartPython(false));
        QTRY_VERIFY(m_window->console()->isIdle());
        QString error;
        QVERIFY(!m_window->saveRecording(file, &error)); // no steps: nothing to record
        QVERIFY2(error.contains(QStringLiteral("no steps")), qPrintable(error));
        type("import numpy as np, torch");
        type("a = np.arange(6.0).reshape(2, 3)");
        type("t = torch.from_numpy(a)");
        type("t2 = torch.tensor(a)");
        type("a[0, 1] = 9; print('edited')");
        ui::Session *live = m_window->session();
        QVERIFY2(m_window->saveRecording(file, &error), qPrintable(error));

        const engine::RecordingResult read = engine::readRecording(file.toStdString());
        QVERIFY2(read.ok(), read.error.c_str());
        ui::MainWindow shown(*m_runtime, nullptr);
        shown.showRecording(*read.recording, file);
        ui::Session *session = shown.session();
        QVERIFY(session->isRecording());
        QCOMPARE(session->stepCount(), live->stepCount());
        for (int i = 0; i < live->stepCount(); ++i) {
            const auto stepA = live->stepAt(i), stepB = session->stepAt(i); // kept while compared
            const engine::Step &a = *stepA;
            const engine::Step &b = *stepB;
            QCOMPARE(b.code, a.code);
            QCOMPARE(b.output, a.output);
            QCOMPARE(b.snapshot->facts.size(), a.snapshot->facts.size());
            QCOMPARE(b.snapshot->relations.size(), a.snapshot->relations.size());
            for (std::size_t f = 0; f < a.snapshot->facts.size(); ++f) {
                QCOMPARE(b.snapshot->facts[f].names, a.snapshot->facts[f].names);
                QCOMPARE(b.snapshot->facts[f].values, a.snapshot->facts[f].values);
            }
        }
        QCOMPARE(session->cursor(), 0); // a recording opens at its first step
        session->setCursor(3); // t2 = torch.tensor(a)
        QCOMPARE(shown.objectsModel()->rowCount(), 3);
        QVERIFY(shown.scrubber()->caption().startsWith(QStringLiteral("Step 4 of 6 · t2 = torch.tensor(a)")));
        QVERIFY(shown.console()->toPlainText().contains(QStringLiteral(">>> t2 = torch.tensor(a)")));
        QVERIFY(shown.console()->isReadOnly());
        session->goLive();
        QVERIFY(!shown.elementEditor()->isLive());
        shown.selectObject(session->snapshot()->facts[0].objectId);
        QCOMPARE(shown.elementEditor()->model()->index(0, 1).data().toString(), QStringLiteral("9.0"));
        QSignalSpy edits(session, &ui::Session::editFinished);
        session->writeElement(session->snapshot()->facts[0].objectId, 0, QStringLiteral("1"), false);
        QCOMPARE(edits.count(), 1);
        QVERIFY(edits.at(0).at(1).toString().contains(QStringLiteral("recording")));
        QCOMPARE(session->stepCount(), live->stepCount());
    }

private:
    /// Selects the object named `name` of the latest snapshot; its grid.
    ui::ElementsModel *selectInEditor(const char *name)
    {
        const auto snapshot = m_window->session()->snapshot();
        const int i = snapshot->indexOf(name);
        if (i < 0)
            qFatal("no object named %s", name);
        m_window->selectObject(snapshot->facts[std::size_t(i)].objectId);
        return m_window->elementEditor()->model();
    }
    /// Lets pending layout requests run, as the event loop would, without waiting.
    void settleLayout()
    {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        if (m_window->layout())
            m_window->layout()->activate();
    }
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
