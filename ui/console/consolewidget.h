// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session.h"

#include <QPlainTextEdit>
#include <QStringList>
#include <QTextBlock>

class QLabel;
class QLineEdit;
class QListWidget;

namespace memscope::ui {

class Theme;

/// The Python console: ">>> " and "... " prompts, multi-line blocks decided
/// by Python, history persisted across runs (Up/Down, Ctrl+R search), Tab
/// completion, Ctrl+C to interrupt (or copy a selection), Ctrl+L to clear,
/// streaming output, and a visible "running" state.
class ConsoleWidget : public QPlainTextEdit
{
    Q_OBJECT
public:
    ConsoleWidget(Session *session, Theme *theme, QWidget *parent = nullptr);

    QString inputText() const;
    void setInputText(const QString &text);
    /// Types `line` and presses Enter (what a test or a lesson does).
    void submitInput(const QString &line);
    /// Runs a script file (its bytes) as `python FILE` would, one step per
    /// statement; the transcript says what ran. False when the console is busy.
    bool runScript(const QString &path, const QByteArray &source);
    /// Runs a lesson step's source; the transcript shows `header` and the
    /// step's code as it ran. False when the console is busy.
    bool runLessonStep(const QString &header, const QString &code, engine::StepSource source);
    /// Shows a recording's transcript, read-only: `header` (where and with
    /// what it was recorded), then each step's code, output and error as the
    /// console showed them; each step's input is marked when the cursor is on it.
    void showRecording(const QString &header, const std::vector<std::shared_ptr<const engine::Step>> &steps);
    const QStringList &history() const { return m_history; }
    bool isRunning() const { return m_running; }
    /// Nothing running and nothing queued: the prompt waits for input.
    bool isIdle() const { return !m_running && m_promptShown && m_pendingLines.isEmpty(); }
    /// Output longer than this is shown abridged (head and tail).
    static constexpr qsizetype kMaxChunk = 256 * 1024;
    /// Scrollback kept by default, in characters and in lines (the oldest lines go first).
    static constexpr qsizetype kMaxScrollbackChars = 8 * 1024 * 1024;
    static constexpr int kMaxScrollbackLines = 20000;
    void setScrollbackLimit(qsizetype characters) { m_scrollbackLimit = characters; }
    /// Scales the console's text (1.0: its own size), for View ▸ Larger text
    /// and presentation mode. Scales the base font, so it never compounds.
    void setFontScale(qreal scale);
    qreal fontScale() const { return m_fontScale; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    /// Idle, at a fresh prompt, nothing queued: a script or lesson step may start.
    bool canStartRun() const;
    /// Replaces the prompt line with `header` (muted) and returns the cursor after it.
    QTextCursor writeRunHeader(const QString &header);
    void appendOutput(Session::Stream stream, const QString &text);
    /// Inserts `text` before the prompt (keeping what is typed); returns the
    /// position where it starts.
    int insertBeforePrompt(const QString &text, const QTextCharFormat &format);
    void trimScrollback(qsizetype incoming);
    void onStepAppended(const std::shared_ptr<const engine::Step> &step, int index);
    /// Marks the input that made the step shown, when it is not the live one.
    void markStep(int index, int count);
    void onLineFinished(const engine::RunEnd &end);
    void onRunFinished(const engine::RunEnd &end);
    void showPrompt();
    void submit();
    void setRunning(bool running);
    void browseHistory(int delta);
    void startReverseSearch();
    void updateReverseSearch(bool older);
    void finishReverseSearch(bool accept);
    void showCompletions(const QStringList &items);
    void applyCompletion(const QString &item);
    void restyle();
    void saveHistory() const;
    int promptEnd() const { return m_inputStart; }

    Session *m_session;
    Theme *m_theme;
    int m_promptStart = 0; ///< where the current prompt begins
    int m_inputStart = 0; ///< where the user's input begins
    bool m_continuation = false;
    bool m_running = false;
    bool m_lessonRun = false; ///< the run in flight is a lesson step (its summary says so)
    bool m_promptShown = false;
    QStringList m_history;
    int m_historyIndex = 0;
    QString m_draft;
    QStringList m_pendingLines; ///< pasted lines waiting for the previous one to finish
    QLabel *m_runningLabel;
    QLineEdit *m_search;
    int m_searchFrom = 0;
    QListWidget *m_completions;
    /// The block of the input being run: its first step's index is stored as
    /// the block's user state (index + 1), so the timeline's cursor can find it.
    QTextBlock m_sourceBlock;
    qsizetype m_scrollbackLimit = kMaxScrollbackChars;
    int m_markedIndex = -1; ///< the step marked (scrolled to once per move)
    qreal m_basePointSize = 10; ///< the font's size at scale 1.0
    qreal m_fontScale = 1.0;
};

} // namespace memscope::ui
