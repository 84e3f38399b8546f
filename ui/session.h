// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/scriptbackend.h"
#include "engine/step/recording.h"
#include "engine/step/timeline.h"
#endif

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>

namespace memscope::ui {

/// The UI's side of the interpreter: forwards requests to a ScriptBackend and
/// turns its callbacks (which arrive on the interpreter thread) into signals
/// on the GUI thread. Output is coalesced and flushed every 30 ms, so 10 MB
/// of prints do not flood the event loop. The backend must outlive the Session.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class Stream { Stdout, Stderr };

    explicit Session(engine::ScriptBackend *backend, QObject *parent = nullptr);
    ~Session() override;

    bool hasBackend() const { return m_backend != nullptr; }
    /// Stops using the backend (before it is destroyed): no more requests, no output.
    void detachBackend();
    bool isBusy() const { return m_busy; }
    /// The snapshot of the step at the timeline's cursor (what every panel shows).
    std::shared_ptr<const engine::Snapshot> snapshot() const { return m_snapshot; }

    /// Every step so far (statements, script statements, element edits), oldest
    /// first, and the cursor into them. New steps move the cursor only when it
    /// is at the live (last) step.
    int stepCount() const;
    /// Index of the step shown, -1 when the timeline is empty.
    int cursor() const;
    bool isLive() const { return cursor() == stepCount() - 1; }
    std::shared_ptr<const engine::Step> stepAt(int index) const;
    /// Shows step `index` (clamped) in every panel; `cursorMoved` follows when it moved.
    void setCursor(int index);
    void goLive() { setCursor(stepCount() - 1); }
    /// The timeline's value budget (bytes of element values kept for past steps).
    const engine::Timeline &timeline() const { return m_timeline; }
    /// Overrides the budget setting (timeline/budgetMiB) for this session.
    void setTimelineBudget(std::uint64_t bytes);
    /// Shows a recording: its steps become the timeline (the cursor at the
    /// first), nothing runs and nothing can be edited. For a session without
    /// a backend (`memscope open`).
    void loadRecording(const engine::Recording &recording);
    bool isRecording() const { return m_recording.has_value(); }
    /// The recording shown, when isRecording().
    const engine::RecordingInfo *recordingInfo() const { return m_recording ? &*m_recording : nullptr; }

    /// One console line; `stepFinished` follows for each statement it
    /// completes, then `lineFinished` (Incomplete while a block is open).
    void submitLine(const QString &line);
    /// A whole script (raw bytes, as in its file) run as `python FILE`
    /// would: `stepFinished` per statement, then `runFinished`.
    void runScript(const QByteArray &source, const QString &filename);
    /// Any source (a lesson step: engine::lessonStepSource): `stepFinished`
    /// per statement, then `runFinished`.
    void runSource(engine::StepSource source);
    /// A fresh namespace, step numbering and an empty timeline; `resetFinished` follows.
    void reset();
    void interrupt();
    /// Forgets an unfinished block (Ctrl+C at a "..." prompt).
    void cancelInput();
    void requestCompletions(const QString &textBeforeCursor);
    /// Writes one element of an object of the current snapshot (see ScriptBackend::writeElement).
    void writeElement(std::uint64_t objectId, qint64 flatIndex, const QString &text, bool force);
    /// Values of elements [first, first + count) of a large object; elementsAvailable follows.
    void readElements(std::uint64_t objectId, qint64 first, qint64 count);
    /// Python and framework versions; environmentAvailable follows.
    void requestEnvironment();

Q_SIGNALS:
    void outputAvailable(memscope::ui::Session::Stream stream, const QString &text);
    void stepFinished(const memscope::engine::Step &step);
    void lineFinished(const memscope::engine::RunEnd &end);
    void runFinished(const memscope::engine::RunEnd &end);
    void resetFinished();
    /// The snapshot to show changed: a new live step, or the cursor moved.
    void snapshotAvailable(std::shared_ptr<const memscope::engine::Snapshot> snapshot);
    /// A step joined the timeline (plots append it; the console marks it).
    void stepAppended(std::shared_ptr<const memscope::engine::Step> step, int index);
    /// The cursor is at `index` of `count` steps (live when index == count - 1).
    void cursorMoved(int index, int count);
    /// The timeline was emptied (Restart).
    void timelineCleared();
    void busyChanged(bool busy);
    void completionsAvailable(const QStringList &completions);
    void editFinished(bool ok, const QString &message);
    void environmentAvailable(const QString &description);
    void elementsAvailable(std::uint64_t objectId, qint64 first, const QByteArray &bytes);

private:
    void setBusy(bool busy);
    void append(std::shared_ptr<const engine::Step> step);
    void flushOutput();
    /// Runs `f` on the GUI thread if the session still exists then.
    static void onGui(QPointer<Session> guard, std::function<void(Session &)> f);
    engine::StepRunner::StepHandler stepsOnGui();
    engine::StepRunner::RunFinished endOnGui(std::function<void(Session &, const engine::RunEnd &)> f);

    engine::ScriptBackend *m_backend;
    engine::Timeline m_timeline;
    std::optional<engine::RecordingInfo> m_recording;
    std::shared_ptr<const engine::Snapshot> m_snapshot; ///< at the cursor
    bool m_busy = false;
    int m_inFlight = 0;

    std::mutex m_outputMutex;
    QString m_pendingOut;
    QString m_pendingErr;
    QTimer m_flushTimer;
};

} // namespace memscope::ui

Q_DECLARE_METATYPE(memscope::engine::Step)
Q_DECLARE_METATYPE(memscope::engine::RunEnd)
Q_DECLARE_METATYPE(std::shared_ptr<const memscope::engine::Snapshot>)
Q_DECLARE_METATYPE(std::shared_ptr<const memscope::engine::Step>)
