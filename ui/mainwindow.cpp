// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "engine/runtime.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/console/consolewidget.h"
#include "ui/devicesmodel.h"
#include "ui/elementeditor.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/models/objectsmodel.h"
#include "ui/plainmessage.h"
#include "ui/plots/trafficplot.h"
#include "ui/recordingio.h"
#include "ui/session.h"
#include "ui/theme.h"
#include "ui/timeline/scrubber.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProcess>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

namespace memscope::ui {

void warnPlain(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

MainWindow::MainWindow(engine::Runtime &runtime, engine::ScriptBackend *backend, QWidget *parent)
    : QMainWindow(parent)
    , m_runtime(runtime)
    , m_theme(new Theme(this))
    , m_session(new Session(backend, this))
    , m_scene(new MemoryScene(this))
    , m_view(new MemoryView(m_scene, this))
    , m_console(new ConsoleWidget(m_session, m_theme, this))
    , m_objects(new ObjectsModel(this))
    , m_objectsProxy(new QSortFilterProxyModel(this))
    , m_objectsView(new QTableView(this))
    , m_editor(new ElementEditor(m_session, m_theme, this))
    , m_plots(new TrafficPlot(this))
    , m_devices(new DevicesModel(runtime, this))
    , m_scrubber(new Scrubber(m_session, this))
    , m_lessonPanel(new LessonPanel(m_session, m_console, m_theme, this))
{
    setWindowTitle(tr("MemScope"));
    setObjectName(QStringLiteral("mainWindow"));
    setCentralWidget(m_view);
    auto *timeline = addToolBar(tr("Timeline"));
    timeline->setObjectName(QStringLiteral("timelineToolBar"));
    timeline->setMovable(false);
    timeline->addWidget(m_scrubber);
    createDocks();
    createMenus();
    m_defaultState = saveState();

    connect(m_session, &Session::snapshotAvailable, this, &MainWindow::applySnapshot);
    connect(m_session, &Session::stepAppended, this, [this](const std::shared_ptr<const engine::Step> &step) {
        if (step->snapshot)
            m_plots->addStep(*step->snapshot);
    });
    connect(m_session, &Session::timelineCleared, this, [this] {
        m_plots->clear();
        m_lastLiveStep = 0; // step numbers start again
    });
    connect(m_session, &Session::cursorMoved, this, &MainWindow::followCursor);
    connect(m_session, &Session::busyChanged, this,
            [this](bool busy) { statusBar()->showMessage(busy ? tr("running…") : tr("ready"), busy ? 0 : 3000); });
    connect(m_session, &Session::environmentAvailable, this, [this](const QString &env) { m_environment = env; });
    connect(m_scene, &MemoryScene::objectClicked, this, &MainWindow::selectObject);
    connect(m_theme, &Theme::changed, this, &MainWindow::applyTheme);
    m_session->requestEnvironment();

    QSettings settings;
    const auto choice = static_cast<ThemeChoice>(settings.value(QStringLiteral("view/theme"), 0).toInt());
    m_theme->apply(choice);
    resize(1400, 900);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    statusBar()->showMessage(QString::fromStdString(m_runtime.cudaStatus()));
    m_scene->setSnapshot(nullptr);
    m_console->setFocus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    setDockNestingEnabled(true);
    const auto dock = [this](const QString &title, const QString &name, QWidget *widget, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget *console =
        dock(tr("Python console"), QStringLiteral("consoleDock"), m_console, Qt::BottomDockWidgetArea);

    auto *objectsPanel = new QWidget(this);
    auto *objectsLayout = new QVBoxLayout(objectsPanel);
    objectsLayout->setContentsMargins(2, 2, 2, 2);
    auto *filter = new QLineEdit(objectsPanel);
    filter->setObjectName(QStringLiteral("objectsFilter"));
    filter->setPlaceholderText(tr("Filter objects (name, framework, dtype, device)…"));
    filter->setClearButtonEnabled(true);
    objectsLayout->addWidget(filter);
    m_objectsProxy->setSourceModel(m_objects);
    m_objectsProxy->setSortRole(ObjectsModel::SortRole);
    m_objectsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_objectsProxy->setFilterKeyColumn(-1);
    connect(filter, &QLineEdit::textChanged, m_objectsProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_objectsView->setObjectName(QStringLiteral("objectsView"));
    m_objectsView->setModel(m_objectsProxy);
    m_objectsView->setSortingEnabled(true);
    m_objectsView->sortByColumn(ObjectsModel::Name, Qt::AscendingOrder);
    m_objectsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_objectsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_objectsView->verticalHeader()->hide();
    m_objectsView->horizontalHeader()->setStretchLastSection(true);
    objectsLayout->addWidget(m_objectsView);
    connect(m_objectsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    selectObject(current.data(ObjectsModel::ObjectIdRole).toULongLong());
            });
    QDockWidget *objects = dock(tr("Objects"), QStringLiteral("objectsDock"), objectsPanel, Qt::RightDockWidgetArea);
    QDockWidget *editor = dock(tr("Element editor"), QStringLiteral("editorDock"), m_editor, Qt::RightDockWidgetArea);
    QDockWidget *plots =
        dock(tr("Copy traffic and memory"), QStringLiteral("plotsDock"), m_plots, Qt::BottomDockWidgetArea);

    auto *devices = new QTableView(this);
    devices->setObjectName(QStringLiteral("devicesView"));
    devices->setModel(m_devices);
    devices->verticalHeader()->hide();
    devices->horizontalHeader()->setStretchLastSection(true);
    QDockWidget *devicesDock = dock(tr("Devices"), QStringLiteral("devicesDock"), devices, Qt::RightDockWidgetArea);
    // The lesson player: shown when a lesson is opened, and kept while
    // presenting (it is not one of the secondary docks).
    m_lessonPanel->setRealCuda(m_runtime.hasRealCuda());
    m_lessonDock = dock(tr("Lesson"), QStringLiteral("lessonDock"), m_lessonPanel, Qt::LeftDockWidgetArea);
    m_lessonDock->hide();
    // The lesson runs the full height on the left; the console and plots share the bottom.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    auto *lessonNext = new QAction(tr("Next lesson step"), m_view);
    lessonNext->setObjectName(QStringLiteral("lessonNextOnCanvas"));
    lessonNext->setShortcut(Qt::Key_Space);
    lessonNext->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    lessonNext->setEnabled(false);
    connect(lessonNext, &QAction::triggered, m_lessonPanel, &LessonPanel::next);
    m_view->addAction(lessonNext);
    connect(m_lessonPanel, &LessonPanel::lessonOpened, this, [this, lessonNext](const QString &title) {
        // Space on the canvas now steps the lesson (presentation mode keeps Right and PageDown).
        lessonNext->setEnabled(true);
        for (QAction *a : std::as_const(m_presentKeys))
            if (a->objectName() == QLatin1String("presentForward"))
                a->setShortcuts({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_PageDown)});
        m_lessonDock->show();
        m_lessonDock->raise();
        resizeDocks({m_lessonDock}, {std::max(360, width() / 3)}, Qt::Horizontal);
        setWindowTitle(tr("%1 — MemScope lesson").arg(title));
    });
    m_secondaryDocks = {objects, editor, plots, devicesDock};
    splitDockWidget(objects, editor, Qt::Vertical);
    tabifyDockWidget(editor, devicesDock);
    editor->raise();
    splitDockWidget(console, plots, Qt::Horizontal);
    resizeDocks({console, plots}, {900, 500}, Qt::Horizontal);
    resizeDocks({console}, {300}, Qt::Vertical);
    resizeDocks({objects}, {480}, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Run script…"), QKeySequence(tr("Ctrl+Shift+R")), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Run script"), QString(), tr("Python scripts (*.py);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !runScriptFile(path, &error))
            warnPlain(this, tr("Run script"), error);
    });
    file->addAction(tr("Open &lesson…"), QKeySequence(tr("Ctrl+Shift+L")), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open lesson"), QString(), tr("Lessons (*.md);;All files (*)"));
        if (!path.isEmpty())
            openLesson(path);
    });
    file->addSeparator();
    file->addAction(tr("&Open recording…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open recording"), QString(),
                                                          tr("MemScope recordings (*.msrec);;All files (*)"));
        if (path.isEmpty())
            return;
        // Checked here, so a bad file is refused with its reason in this window.
        const engine::RecordingResult read = engine::readRecording(path.toStdString());
        if (!read.ok()) {
            warnPlain(this, tr("Open recording"),
                      tr("%1 cannot be opened: %2").arg(path, QString::fromStdString(read.error)));
            return;
        }
        // A recording gets its own window (its own process): this session's
        // namespace and timeline stay as they are.
        if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), {QStringLiteral("open"), path}))
            warnPlain(this, tr("Open recording"),
                      tr("could not start %1").arg(QCoreApplication::applicationFilePath()));
    });
    file->addAction(tr("&Save recording…"), QKeySequence::Save, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save recording"), QStringLiteral("memscope.msrec"),
                                                          tr("MemScope recordings (*.msrec)"));
        QString error;
        if (path.isEmpty())
            return;
        if (!saveRecording(path, &error))
            warnPlain(this, tr("Save recording"), error);
        else
            statusBar()->showMessage(
                tr("Recording of %n step(s) written to %1", nullptr, m_session->stepCount()).arg(path), 5000);
    });
    file->addSeparator();
    file->addAction(tr("Export canvas as &PNG…"), QKeySequence(tr("Ctrl+E")), this,
                    [this] { exportCanvasInteractively(QStringLiteral("png")); });
    file->addAction(tr("Export canvas as &SVG…"), QKeySequence(tr("Ctrl+Shift+E")), this,
                    [this] { exportCanvasInteractively(QStringLiteral("svg")); });
    file->addAction(tr("Export s&teps…"), QKeySequence(tr("Ctrl+Alt+E")), this, &MainWindow::exportStepsInteractively);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *fit = view->addAction(tr("&Fit canvas"));
    fit->setShortcut(QKeySequence(tr("Ctrl+9")));
    fit->setCheckable(true); // stays on across steps until turned off
    connect(fit, &QAction::toggled, m_view, &MemoryView::setFitMode);
    // Ctrl+= / Ctrl++ / Ctrl+- belong to the text scale (readable on a
    // projector); the canvas zooms with Ctrl+wheel and these menu items.
    // Zooming by hand ends Fit.
    view->addAction(tr("Zoom &in"), this,
                    [this, fit] {
                        fit->setChecked(false);
                        m_view->zoomBy(1.25);
                    })
        ->setStatusTip(tr("Or Ctrl+wheel on the canvas"));
    view->addAction(tr("Zoom &out"), this,
                    [this, fit] {
                        fit->setChecked(false);
                        m_view->zoomBy(0.8);
                    })
        ->setStatusTip(tr("Or Ctrl+wheel on the canvas"));
    view->addAction(tr("&Actual size"), QKeySequence(tr("Ctrl+0")), this, [this, fit] {
        fit->setChecked(false);
        m_view->resetZoom();
    });
    QAction *legend = view->addAction(tr("Canvas &legend"));
    legend->setCheckable(true);
    legend->setChecked(m_scene->legendVisible());
    connect(legend, &QAction::toggled, m_scene, &MemoryScene::setLegendVisible);
    // Digits of floating-point values in cells (the element editor keeps them all).
    QMenu *precision = view->addMenu(tr("Value &precision"));
    auto *precisionGroup = new QActionGroup(precision);
    const int savedDigits = QSettings().value(QStringLiteral("canvas/precision"), 0).toInt();
    m_scene->setPrecision(savedDigits);
    for (const auto &[digits, label] :
         {std::pair {0, tr("&Shortest exact")}, std::pair {3, tr("&3 significant digits")},
          std::pair {4, tr("&4 significant digits")}, std::pair {6, tr("&6 significant digits")}}) {
        QAction *a = precision->addAction(label);
        a->setCheckable(true);
        a->setChecked(digits == m_scene->precision());
        precisionGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, d = digits] {
            m_scene->setPrecision(d);
            QSettings().setValue(QStringLiteral("canvas/precision"), d);
        });
    }
    QAction *raw = view->addAction(tr("&Raw addresses"));
    raw->setCheckable(true);
    raw->setShortcut(QKeySequence(tr("Ctrl+Shift+A")));
    connect(raw, &QAction::toggled, m_scene, &MemoryScene::setRawAddresses);
    view->addSeparator();
    createPresentationActions(view);
    view->addSeparator();
    QMenu *themeMenu = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    const std::pair<QString, ThemeChoice> choices[] = {{tr("Follow &system"), ThemeChoice::System},
                                                       {tr("&Light"), ThemeChoice::Light},
                                                       {tr("&Dark"), ThemeChoice::Dark}};
    const auto current = static_cast<ThemeChoice>(QSettings().value(QStringLiteral("view/theme"), 0).toInt());
    for (const auto &[label, choice] : choices) {
        QAction *a = themeMenu->addAction(label);
        a->setCheckable(true);
        a->setChecked(choice == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice = choice] {
            QSettings().setValue(QStringLiteral("view/theme"), static_cast<int>(choice));
            m_theme->apply(choice);
        });
    }
    view->addSeparator();
    for (QDockWidget *d : findChildren<QDockWidget *>())
        view->addAction(d->toggleViewAction());
    view->addAction(tr("Reset &layout"), this, [this] { restoreState(m_defaultState); });

    QMenu *timeline = menuBar()->addMenu(tr("&Timeline"));
    timeline->addActions(m_scrubber->navigationActions());

    QMenu *lessons = menuBar()->addMenu(tr("&Lessons"));
    lessons->setObjectName(QStringLiteral("lessonsMenu"));
    for (const QString &name :
         QDir(QStringLiteral(":/lessons")).entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name)) {
        const QString path = QStringLiteral(":/lessons/") + name;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const auto parsed = engine::parseLesson(f.readAll().toStdString(), path.toStdString());
        if (const auto *lesson = std::get_if<engine::Lesson>(&parsed))
            lessons->addAction(QString::fromStdString(lesson->title), this, [this, path] { openLesson(path); });
    }
    if (lessons->isEmpty())
        lessons->addAction(tr("(no bundled lessons)"))->setEnabled(false);
    lessons->addSeparator();
    lessons->addAction(tr("Open lesson &file…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open lesson"), QString(), tr("Lessons (*.md);;All files (*)"));
        if (!path.isEmpty())
            openLesson(path);
    });

    QMenu *python = menuBar()->addMenu(tr("&Python"));
    python->addAction(tr("&Interrupt"), QKeySequence(tr("Ctrl+Shift+C")), m_session, &Session::interrupt);
    python->addAction(tr("&Restart…"), QKeySequence(tr("Ctrl+.")), this, [this] { restartPython(true); });
    python->addAction(tr("&Console"), QKeySequence(tr("Ctrl+`")), this, [this] { m_console->setFocus(); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MemScope"), this, &MainWindow::showAbout);
}

void MainWindow::applySnapshot(std::shared_ptr<const engine::Snapshot> snapshot)
{
    // A new live step: follow what the statement just created, so its values
    // are in view. Scrubbing keeps the selection; at a step where the selected
    // object does not exist (yet), the newest one is shown.
    const bool newLiveStep =
        snapshot && m_session->isLive() && !m_session->isRecording() && snapshot->step > m_lastLiveStep;
    if (newLiveStep)
        m_lastLiveStep = snapshot->step;
    if (snapshot) {
        int newest = -1;
        for (std::size_t i = 0; i < snapshot->facts.size(); ++i) {
            const engine::MemoryFact &f = snapshot->facts[i];
            if (!f.isSupported())
                continue;
            if (newest < 0 || snapshot->origins[i].step >= snapshot->origins[std::size_t(newest)].step)
                newest = static_cast<int>(i);
            if (newLiveStep && snapshot->origins[i].step == snapshot->step)
                m_selected = f.objectId;
        }
        const bool selectedHere = std::any_of(snapshot->facts.begin(), snapshot->facts.end(),
                                              [&](const engine::MemoryFact &f) { return f.objectId == m_selected; });
        if (!selectedHere && newest >= 0)
            m_selected = snapshot->facts[std::size_t(newest)].objectId;
    }
    m_objects->setSnapshot(snapshot);
    m_scene->setSnapshot(snapshot, m_selected);
    m_editor->showObject(snapshot, m_selected);
    m_devices->setSnapshot(snapshot);
    if (m_selected) {
        const int row = m_objects->rowOf(m_selected);
        if (row >= 0)
            m_objectsView->selectRow(m_objectsProxy->mapFromSource(m_objects->index(row, 0)).row());
    }
}

void MainWindow::followCursor(int index, int count)
{
    const bool live = (index == count - 1 || count == 0) && !m_session->isRecording();
    const auto step = m_session->stepAt(index);
    QString why = m_session->isRecording()
        ? tr("a recording (step %1 of %2): values as recorded, nothing can be edited").arg(index + 1).arg(count)
        : tr("showing step %1 of %2: go to the live step to edit (Alt+End)").arg(index + 1).arg(count);
    if (step && step->snapshot && step->snapshot->valuesDropped)
        why += tr("; values no longer kept for step %1 (the timeline's memory budget)").arg(index + 1);
    m_editor->setLive(live, live ? QString() : why);
    m_plots->setCursorStep(step && step->snapshot ? step->snapshot->step : 0);
}

bool MainWindow::restartPython(bool confirm)
{
    if (confirm && m_session->stepCount() > 0 &&
        QMessageBox::question(this, tr("Restart Python"),
                              tr("Restart Python with an empty namespace? The %n step(s) of the timeline will be "
                                 "forgotten.",
                                 nullptr, m_session->stepCount()),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return false;
    m_session->reset();
    return true;
}

bool MainWindow::openLesson(const QString &path, QString *error, bool interactive)
{
    QString why;
    if (m_lessonPanel->openFile(path, &why))
        return true;
    if (interactive)
        warnPlain(this, tr("Open lesson"), tr("The lesson was not opened.\n\n%1").arg(why));
    if (error)
        *error = why;
    return false;
}

void MainWindow::selectObject(std::uint64_t objectId)
{
    if (objectId == m_selected)
        return;
    m_selected = objectId;
    m_scene->setSelectedObject(objectId);
    m_editor->showObject(m_session->snapshot(), objectId);
    const int row = m_objects->rowOf(objectId);
    if (row >= 0) {
        const QModelIndex proxy = m_objectsProxy->mapFromSource(m_objects->index(row, 0));
        if (proxy.isValid() && m_objectsView->currentIndex().row() != proxy.row())
            m_objectsView->selectRow(proxy.row());
    }
}

void MainWindow::applyTheme()
{
    m_scene->setColors(m_theme->colors());
    m_plots->setColors(m_theme->colors());
}

bool MainWindow::runScriptFile(const QString &path, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return refuse(tr("cannot read %1: %2").arg(path, f.errorString()));
    constexpr qint64 kMaxScript = engine::StepSource::kMaxScriptBytes;
    const QByteArray source = f.read(kMaxScript + 1);
    if (source.size() > kMaxScript)
        return refuse(tr("%1 is larger than 64 MiB; that is no script").arg(path));
    if (!m_session->hasBackend())
        return refuse(tr("Python is not available"));
    if (!m_console->runScript(path, source))
        return refuse(tr("the console is busy: wait for the running statement, or interrupt it (Ctrl+C)"));
    return true;
}

bool MainWindow::saveRecording(const QString &path, QString *error)
{
    if (m_session->stepCount() == 0) {
        if (error)
            *error = tr("the timeline has no steps yet: nothing to record");
        return false;
    }
    engine::RecordingInfo info = m_session->isRecording()
        ? *m_session->recordingInfo()
        : recordingInfo(m_environment, m_runtime, QStringLiteral("console"));
    const std::string why = engine::writeRecording(path.toStdString(), m_session->timeline().steps(), info);
    if (!why.empty() && error)
        *error = tr("cannot write %1: %2").arg(path, QString::fromStdString(why));
    return why.empty();
}

void MainWindow::showRecording(const engine::Recording &recording, const QString &path)
{
    const QString about = describeRecording(recording.info);
    setWindowTitle(tr("%1 — MemScope recording").arg(QFileInfo(path).fileName()));
    m_session->loadRecording(recording);
    m_console->showRecording(tr("recording %1 · %2 · read-only").arg(path, about), recording.steps);
    statusBar()->showMessage(tr("Recording: %1").arg(about));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About MemScope"),
                       tr("<h3>MemScope %1</h3><p>Shows which arrays and tensors share memory, observed from their "
                          "addresses.</p><p>Qt %2<br>%3<br>%4</p><p>GPL-3.0-or-later</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                                m_environment.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")),
                                QString::fromStdString(m_runtime.cudaStatus()).toHtmlEscaped()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Closed while presenting: the layout to keep is the one presentation
    // mode will put back, not the full-screen one.
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), m_presenting ? m_normalGeometry : saveGeometry());
    settings.setValue(QStringLiteral("window/state"), m_presenting ? m_normalState : saveState());
    QMainWindow::closeEvent(event);
}

} // namespace memscope::ui
