// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#include "engine/step/recording.h"
#endif

#include <QMainWindow>

#include <memory>

class QAction;
class QDockWidget;
class QMenu;
class QSortFilterProxyModel;
class QTableView;

namespace memscope::engine {
class Runtime;
class ScriptBackend;
} // namespace memscope::engine

namespace memscope::ui {

class ConsoleWidget;
struct ExportDocument;
struct ExportOptions;
class DevicesModel;
class ElementEditor;
class LessonPanel;
class MemoryScene;
class MemoryView;
class ObjectsModel;
class Scrubber;
class Session;
class Theme;
class TrafficPlot;

/// The main window: the memory canvas in the middle; console, objects,
/// element editor, plots and devices in docks (layout saved and restored),
/// the timeline's scrubber above. Every panel follows the step at the
/// timeline's cursor. `backend` may be null
/// (no Python); it must outlive the window's use of it (destroy the window's
/// backend after the window, or detach first).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(engine::Runtime &runtime, engine::ScriptBackend *backend, QWidget *parent = nullptr);
    ~MainWindow() override;

    Session *session() const { return m_session; }
    Theme *theme() const { return m_theme; }
    ConsoleWidget *console() const { return m_console; }
    MemoryScene *scene() const { return m_scene; }
    MemoryView *canvas() const { return m_view; }
    ObjectsModel *objectsModel() const { return m_objects; }
    ElementEditor *elementEditor() const { return m_editor; }
    TrafficPlot *plots() const { return m_plots; }
    DevicesModel *devicesModel() const { return m_devices; }
    Scrubber *scrubber() const { return m_scrubber; }
    LessonPanel *lessonPanel() const { return m_lessonPanel; }

    /// File ▸ Open lesson and the Lessons menu: reads, parses and (from disk)
    /// asks for trust, then shows the lesson dock. A malformed lesson is
    /// refused with file:line in a message box (`interactive`) or `error`.
    bool openLesson(const QString &path, QString *error = nullptr, bool interactive = true);

    /// Python ▸ Restart: a fresh namespace and an empty timeline. With
    /// `confirm`, asks first when the timeline has steps (they would be lost);
    /// false when the person said no.
    bool restartPython(bool confirm = true);

    /// Selects an object everywhere (canvas outline, table row, element grid).
    void selectObject(std::uint64_t objectId);
    std::uint64_t selectedObject() const { return m_selected; }
    /// Runs a Python file as `python FILE` would, one step per statement
    /// (File ▸ Run script); false with a reason when it cannot start.
    bool runScriptFile(const QString &path, QString *error = nullptr);
    /// File ▸ Save recording: the whole timeline to `path` (docs/RECORDING.md);
    /// false with a reason on failure (an existing file is then left as it was).
    bool saveRecording(const QString &path, QString *error = nullptr);
    /// Shows `recording` (read from `path`) in this window, which must have no
    /// interpreter: `memscope open FILE`. Scrubbable, read-only, nothing runs.
    void showRecording(const engine::Recording &recording, const QString &path);
    /// Writes the canvas as PNG or SVG (by suffix); false with a reason on failure.
    /// The file is written whole or not at all; a link is refused, never followed.
    bool exportCanvas(const QString &path, QString *error = nullptr);
    /// What File ▸ Export steps… exports: the open lesson's steps that ran, else the timeline.
    ExportDocument exportDocument() const;
    /// Runs the exporter (the one `memscope export` uses) with a progress
    /// dialog that can cancel it; false with a reason when nothing was written.
    bool exportSteps(const ExportOptions &options, QString *error = nullptr);
    /// File ▸ Export steps…: the options dialog, then exportSteps().
    void exportStepsInteractively();

    /// View ▸ Presentation (F11): the secondary docks hidden, full screen, the
    /// presentation text scale (QSettings `presentation/textScale`), timeline
    /// keys on the canvas. Off restores the dock layout, window state and scale
    /// exactly as they were.
    void setPresenting(bool on);
    bool isPresenting() const { return m_presenting; }
    /// One scale for the canvas's and the console's text, clamped to
    /// [kMinTextScale, kMaxTextScale] and rounded to kTextScaleStep.
    void setTextScale(qreal scale);
    qreal textScale() const { return m_textScale; }
    static constexpr qreal kMinTextScale = 1.0;
    static constexpr qreal kMaxTextScale = 3.0;
    static constexpr qreal kTextScaleStep = 0.25;
    static constexpr qreal kDefaultPresentationScale = 2.0;

protected:
    void closeEvent(QCloseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void createPresentationActions(QMenu *view);
    void applySnapshot(std::shared_ptr<const engine::Snapshot> snapshot);
    void followCursor(int index, int count);
    void applyTheme();
    void showAbout();
    void exportCanvasInteractively(const QString &suffix);

    engine::Runtime &m_runtime;
    Theme *m_theme;
    Session *m_session;
    MemoryScene *m_scene;
    MemoryView *m_view;
    ConsoleWidget *m_console;
    ObjectsModel *m_objects;
    QSortFilterProxyModel *m_objectsProxy;
    QTableView *m_objectsView;
    ElementEditor *m_editor;
    TrafficPlot *m_plots;
    DevicesModel *m_devices;
    Scrubber *m_scrubber;
    LessonPanel *m_lessonPanel;
    QDockWidget *m_lessonDock = nullptr;
    std::uint64_t m_selected = 0;
    int m_lastLiveStep = 0; ///< the newest step number shown live (new steps select what they create)
    QByteArray m_defaultState;
    QList<QDockWidget *> m_secondaryDocks; ///< hidden while presenting (all but the console)
    QAction *m_presentAction = nullptr;
    QList<QAction *> m_presentKeys; ///< timeline keys on the canvas, enabled while presenting
    bool m_presenting = false;
    qreal m_textScale = 1.0;
    // What presentation mode puts back when it ends.
    QByteArray m_normalState;
    QByteArray m_normalGeometry;
    Qt::WindowStates m_normalWindowState;
    qreal m_normalTextScale = 1.0;
    QString m_environment;
};

} // namespace memscope::ui
