// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/lesson/environment.h"
#include "engine/lesson/expectation.h"
#include "engine/lesson/lesson.h"
#endif

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QButtonGroup;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace memscope::ui {

class ConsoleWidget;
class NarrationView;
class Session;
class Theme;

/// The lesson player (docs/APP.md, "Lessons"): title, step list, the step's
/// narration, code and prediction before it runs; after it ran, the
/// prediction revealed and one row per expectation (held / FAILED / claim
/// held / claim NOT HELD, with the evidence). Steps run through the window's
/// Session (and its console), so the canvas, timeline and plots follow.
class LessonPanel : public QWidget
{
    Q_OBJECT
public:
    /// `console` may be null: steps then run on the session directly.
    LessonPanel(Session *session, ConsoleWidget *console, Theme *theme, QWidget *parent = nullptr);
    ~LessonPanel() override;

    /// What a step's outcome was, once it ran (or was skipped).
    struct StepOutcome
    {
        bool skipped = false;
        QString skipReason; ///< "needs tensorflow, not available here"
        engine::StepObservation observed; ///< raised, raisedMessage, versions (steps dropped)
        std::vector<engine::ExpectationResult> results; ///< one per expectation, in order
        int firstTimelineIndex = 0; ///< the Session step index of its first statement
        int choice = -1; ///< the prediction chosen before it ran, -1: none
    };

    /// Reads and parses a lesson file (":/lessons/..." bundled ones are
    /// trusted; others go through the trust prompt first). On a malformed or
    /// refused lesson nothing changes and `error` says why (file:line: message).
    bool openFile(const QString &path, QString *error = nullptr);
    /// Shows a lesson (trusted), at its first step, nothing run yet.
    void setLesson(engine::Lesson lesson);
    const engine::Lesson *lesson() const { return m_lesson ? &*m_lesson : nullptr; }
    /// Asked before a lesson from disk is opened; true: run its code. The
    /// default shows a dialog listing every step's code.
    void setTrustPrompt(std::function<bool(const engine::Lesson &)> prompt) { m_trustPrompt = std::move(prompt); }
    /// Whether a real GPU is there (steps needing `cuda` are skipped without one).
    void setRealCuda(bool on)
    {
        m_realCuda = on;
        if (m_environment)
            m_environment->realCuda = on;
    }

    /// Next: runs the shown step when it has not run, else shows the next one.
    void next();
    /// Back: the timeline's cursor to just before the shown step's first
    /// statement (an unrun step: the previous step's). Runs nothing.
    void back();
    /// Runs every remaining step; the last one stays shown.
    void runToEnd() { runThrough(int(m_outcomes.size())); }
    /// Runs steps until the first `count` have run; step `count` stays shown.
    void runThrough(int count);
    /// A fresh namespace (Session::reset), then step 1, nothing run.
    void restart();

    int shownStep() const { return m_shown; }
    const std::optional<StepOutcome> &outcome(int step) const { return m_outcomes.at(std::size_t(step)); }
    /// A step is running, or waiting to (for the environment, for a reset).
    bool isBusy() const { return m_busy; }
    /// Chooses prediction `choice` of the shown step (what clicking its radio button does).
    void choose(int choice);
    /// The rows shown for the shown step's results, as text (for tests).
    QStringList resultTexts() const;
    QString revealText() const;

    /// The window's text scale (View ▸ Larger text, presentation mode).
    void setFontScale(qreal scale);

Q_SIGNALS:
    void lessonOpened(const QString &title);
    /// A step ran (or was skipped) and its results are shown.
    void stepChecked(int step);
    void busyChanged(bool busy);

private:
    void build();
    void show(int step);
    void showResults(int step);
    void fillResults();
    void scrollToResults();
    void updateButtons();
    void setBusy(bool busy);
    void runShown();
    void startRun(int step);
    void finishRun(const engine::RunEnd &end);
    /// Keeps a step's outcome, shows it, and goes on when running to the end.
    void stepDone(int step, StepOutcome outcome);
    QString missingFor(const engine::LessonStep &step) const;
    void applyFonts();
    void addResultRow(const QString &badge, const QColor &colour, const QString &text);
    QString stepMark(int step) const;

    Session *m_session;
    ConsoleWidget *m_console;
    Theme *m_theme;
    std::optional<engine::Lesson> m_lesson;
    std::vector<std::optional<StepOutcome>> m_outcomes;
    int m_shown = 0;
    int m_runUntil = 0; ///< run steps until this many have run (Run to end, --lesson-step)
    bool m_busy = false;
    bool m_collecting = false;
    bool m_resetting = false;
    bool m_waitingForEnvironment = false;
    std::optional<engine::LessonEnvironment> m_environment; ///< what the interpreter has, asked once
    bool m_realCuda = false;
    std::vector<engine::Step> m_steps; ///< of the run in flight
    int m_running = -1; ///< the step in flight
    StepOutcome m_pendingOutcome; ///< of the step in flight
    std::function<bool(const engine::Lesson &)> m_trustPrompt;
    qreal m_fontScale = 1.0;

    QLabel *m_title = nullptr;
    QListWidget *m_stepList = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_stepTitle = nullptr;
    NarrationView *m_narration = nullptr;
    QLabel *m_codeLabel = nullptr;
    QLabel *m_code = nullptr;
    QGroupBox *m_prediction = nullptr;
    QLabel *m_question = nullptr;
    QVBoxLayout *m_choicesLayout = nullptr;
    QButtonGroup *m_choices = nullptr;
    QLabel *m_reveal = nullptr;
    QWidget *m_results = nullptr;
    QVBoxLayout *m_resultsLayout = nullptr;
    QPushButton *m_back = nullptr;
    QPushButton *m_next = nullptr;
    QPushButton *m_toEnd = nullptr;
    QPushButton *m_restart = nullptr;
};

} // namespace memscope::ui
