// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

namespace memscope::ui {

Session::Session(engine::ScriptBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    qRegisterMetaType<engine::ExecutionResult>();
    qRegisterMetaType<std::shared_ptr<const engine::Snapshot>>();
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

engine::ScriptBackend::Finished Session::onGuiThread(std::function<void(const engine::ExecutionResult &)> f)
{
    return [guard = QPointer<Session>(this), f = std::move(f)](const engine::ExecutionResult &r) {
        onGui(guard, [f, r](Session &s) {
            s.flushOutput(); // the statement's output comes before its result
            f(r);
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

void Session::deliver(const engine::ExecutionResult &result)
{
    if (result.snapshot && result.snapshot != m_snapshot) {
        m_snapshot = result.snapshot;
        Q_EMIT snapshotAvailable(m_snapshot);
    }
}

void Session::submitLine(const QString &line)
{
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->push(line.toStdString(), onGuiThread([this](const engine::ExecutionResult &r) {
                        setBusy(--m_inFlight > 0);
                        deliver(r);
                        Q_EMIT lineFinished(r);
                    }));
}

void Session::run(const QString &source, const QString &filename)
{
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->run(source.toStdString(), filename.toStdString(), onGuiThread([this](const engine::ExecutionResult &r) {
                       setBusy(--m_inFlight > 0);
                       deliver(r);
                       Q_EMIT lineFinished(r);
                   }));
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
    if (!m_backend)
        return;
    ++m_inFlight;
    setBusy(true);
    m_backend->writeElement(objectId, flatIndex, text.toStdString(), force,
                            onGuiThread([this](const engine::ExecutionResult &r) {
                                setBusy(--m_inFlight > 0);
                                const bool ok = r.status == engine::ExecutionResult::Status::Ok;
                                if (ok)
                                    deliver(r);
                                Q_EMIT editFinished(ok, QString::fromStdString(ok ? r.source : r.error));
                            }));
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
