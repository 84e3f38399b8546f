// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session.h"

#include <QCoreApplication>

#include <QMetaObject>
#include <QPointer>
#include <QSettings>
#include <algorithm>
#include <limits>

namespace memscope::ui {

Session::Session(engine::ScriptBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    qRegisterMetaType<engine::Step>();
    qRegisterMetaType<engine::RunEnd>();
    qRegisterMetaType<std::shared_ptr<const engine::Snapshot>>();
    qRegisterMetaType<std::shared_ptr<const engine::Step>>();
    // The history's budget for element values (Timeline): a setting, 512 MiB by default.
    const qulonglong budgetMiB =
        QSettings()
            .value(QStringLiteral("timeline/budgetMiB"), qulonglong(engine::Timeline::kDefaultBudget >> 20))
            .toULongLong();
    m_timeline.setBudget(std::uint64_t(budgetMiB) << 20);
    // Over budget, old steps keep their facts packed (a few KiB each), not dropped.
    m_timeline.setPacker(engine::recordingPacker());
    m_flushTimer.setInterval(30);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &Session::flushOutput);
    if (!m_backend)
        return;
    m_backend->setOutputHandler([this](engine::OutputStream stream, std::string_view text) {
        // Any Python thread: append under the lock, flush on the GUI thread soon.
        const QString chunk = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        bool schedule = false;
        {
            std::lock_guard lock(m_outputMutex);
            schedule = m_pendingOut.isEmpty() && m_pendingErr.isEmpty();
            (stream == engine::OutputStream::Stdout ? m_pendingOut : m_pendingErr) += chunk;
        }
        if (schedule)
            QMetaObject::invokeMethod(&m_flushTimer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
    });
}

Session::~Session()
{
    detachBackend();
}

void Session::detachBackend()
{
    if (m_backend)
        m_backend->setOutputHandler({});
    m_backend = nullptr;
}

void Session::flushOutput()
{
    QString out, err;
    {
        std::lock_guard lock(m_outputMutex);
        out.swap(m_pendingOut);
        err.swap(m_pendingErr);
    }
    if (!out.isEmpty())
        Q_EMIT outputAvailable(Stream::Stdout, out);
    if (!err.isEmpty())
        Q_EMIT outputAvailable(Stream::Stderr, err);
}

void Session::onGui(QPointer<Session> guard, std::function<void(Session &)> f)
{
    // Posted to the application object, which outlives every session; the
    // guard (made on the GUI thread when the request was sent) tells whether
    // this session still exists when the event runs.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [guard, f = std::move(f)] {
            if (guard)
                f(*guard);
        },
        Qt::QueuedConnection);
}

engine::StepRunner::StepHandler Session::stepsOnGui()
{
    return [guard = QPointer<Session>(this)](const engine::Step &step) {
        onGui(guard, [step](Session &s) {
            s.flushOutput(); // the statement's output comes before its result
            s.append(std::make_shared<const engine::Step>(step));
            Q_EMIT s.stepFinished(step);
        });
    };
}

engine::StepRunner::RunFinished Session::endOnGui(std::function<void(Session &, const engine::RunEnd &)> f)
{
    return [guard = QPointer<Session>(this), f = std::move(f)](const engine::RunEnd &end) {
        onGui(guard, [f, end](Session &s) {
            s.flushOutput();
            s.setBusy(--s.m_inFlight > 0);
            f(s, end); // its steps are in the timeline already
        });
    };
}

void Session::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

int Session::stepCount() const
{
    return static_cast<int>(m_timeline.size());
}

int Session::cursor() const
{
    return m_timeline.empty() ? -1 : static_cast<int>(m_timeline.cursor());
}

std::shared_ptr<const engine::Step> Session::stepAt(int index) const
{
    if (index < 0 || index >= stepCount())
        return nullptr;
    return m_timeline.at(static_cast<std::size_t>(index));
}

void Session::append(std::shared_ptr<const engine::Step> step)
{
    if (!step || !step->snapshot)
        return;
    const bool wasLive = m_timeline.empty() || isLive();
    m_timeline.append(step);
    Q_EMIT stepAppended(step, stepCount() - 1);
    if (wasLive) {
        m_snapshot = m_timeline.at(m_timeline.cursor())->snapshot;
        Q_EMIT snapshotAvailable(m_snapshot);
    }
    Q_EMIT cursorMoved(cursor(), stepCount());
}

void Session::setTimelineBudget(std::uint64_t bytes)
{
    m_timeline.setBudget(bytes);
}

void Session::loadRecording(const engine::Recording &recording)
{
    m_recording = recording.info;
    m_timeline.clear();
    Q_EMIT timelineCleared();
    // Everything the file holds is kept: it was within a budget when recorded.
    m_timeline.setBudget(std::numeric_limits<std::uint64_t>::max());
    for (std::shared_ptr<const engine::Step> step : recording.steps) {
        if (!step)
            continue;
        if (!step->snapshot) { // a step that made no snapshot is shown as an empty one
            auto filled = std::make_shared<engine::Step>(*step);
            filled->snapshot = std::make_shared<const engine::Snapshot>();
            step = std::move(filled);
        }
        m_timeline.append(step);
        Q_EMIT stepAppended(step, stepCount() - 1);
    }
    if (m_timeline.empty()) {
        m_snapshot = std::make_shared<const engine::Snapshot>();
        Q_EMIT snapshotAvailable(m_snapshot);
        Q_EMIT cursorMoved(-1, 0);
        return;
    }
    m_timeline.setCursor(0);
    m_snapshot = m_timeline.at(0)->snapshot;
    Q_EMIT snapshotAvailable(m_snapshot);
    Q_EMIT cursorMoved(0, stepCount());
}

void Session::setCursor(int index)
{
    if (m_timeline.empty())
        return;
    index = std::clamp(index, 0, stepCount() - 1);
    if (index == cursor())
        return;
    m_timeline.setCursor(static_cast<std::size_t>(index));
    m_snapshot = m_timeline.at(m_timeline.cursor())->snapshot;
    Q_EMIT snapshotAvailable(m_snapshot);
    Q_EMIT cursorMoved(cursor(), stepCount());
}

void Session::submitLine(const QString &line)
{
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->push(line.toStdString(), stepsOnGui(),
                    endOnGui([](Session &s, const engine::RunEnd &end) { Q_EMIT s.lineFinished(end); }));
}

void Session::runScript(const QByteArray &source, const QString &filename)
{
    engine::StepSource src;
    src.code = source.toStdString();
    src.filename = filename.toStdString();
    src.mode = engine::StepSource::Mode::Script;
    runSource(std::move(src));
}

void Session::runSource(engine::StepSource source)
{
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->runSource(std::move(source), stepsOnGui(),
                         endOnGui([](Session &s, const engine::RunEnd &end) { Q_EMIT s.runFinished(end); }));
}

void Session::reset()
{
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->reset([guard = QPointer<Session>(this)] {
        onGui(guard, [](Session &s) {
            s.setBusy(--s.m_inFlight > 0);
            s.m_timeline.clear();
            s.m_snapshot.reset();
            Q_EMIT s.timelineCleared();
            Q_EMIT s.snapshotAvailable(std::make_shared<const engine::Snapshot>());
            Q_EMIT s.cursorMoved(-1, 0);
            Q_EMIT s.resetFinished();
        });
    });
}

void Session::interrupt()
{
    if (m_backend)
        m_backend->interrupt();
}

void Session::cancelInput()
{
    if (m_backend)
        m_backend->cancelInput();
}

void Session::requestCompletions(const QString &textBeforeCursor)
{
    if (!m_backend)
        return;
    m_backend->complete(textBeforeCursor.toStdString(),
                        [guard = QPointer<Session>(this)](std::vector<std::string> items) {
                            QStringList list;
                            for (const auto &i : items)
                                list << QString::fromStdString(i);
                            onGui(guard, [list](Session &s) { Q_EMIT s.completionsAvailable(list); });
                        });
}

void Session::writeElement(std::uint64_t objectId, qint64 flatIndex, const QString &text, bool force)
{
    if (isRecording()) {
        Q_EMIT editFinished(false, tr("a recording is shown as it was recorded: nothing can be edited"));
        return;
    }
    if (!m_backend)
        return;
    if (!isLive()) {
        // The values shown are the past's; memory holds the present's.
        Q_EMIT editFinished(
            false, tr("showing step %1 of %2: go to the live step to edit").arg(cursor() + 1).arg(stepCount()));
        return;
    }
    ++m_inFlight;
    setBusy(true);
    m_backend->writeElement(
        objectId, flatIndex, text.toStdString(), force,
        [guard = QPointer<Session>(this)](std::shared_ptr<const engine::Step> step, std::string error) {
            onGui(guard, [step, error](Session &s) {
                s.setBusy(--s.m_inFlight > 0);
                if (step) {
                    s.append(step);
                    Q_EMIT s.stepFinished(*step);
                }
                Q_EMIT s.editFinished(step != nullptr, QString::fromStdString(step ? step->code : error));
            });
        });
}

void Session::readElements(std::uint64_t objectId, qint64 first, qint64 count)
{
    if (!m_backend)
        return;
    m_backend->readElements(
        objectId, first, count,
        [guard = QPointer<Session>(this), objectId, first](std::vector<std::byte> bytes, std::string) {
            QByteArray data(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
            onGui(guard, [objectId, first, data](Session &s) { Q_EMIT s.elementsAvailable(objectId, first, data); });
        });
}

void Session::requestEnvironment()
{
    if (!m_backend) {
        Q_EMIT environmentAvailable(tr("Python: not available"));
        return;
    }
    m_backend->describeEnvironment([guard = QPointer<Session>(this)](std::string text) {
        const QString t = QString::fromStdString(text);
        onGui(guard, [t](Session &s) { Q_EMIT s.environmentAvailable(t); });
    });
}

} // namespace memscope::ui
