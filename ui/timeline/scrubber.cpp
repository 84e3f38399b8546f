// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timeline/scrubber.h"

#include "ui/session.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>

namespace memscope::ui {

namespace {

// The first line of a step's code, short enough for one caption line.
QString codeLine(const engine::Step &step)
{
    QString code = QString::fromStdString(step.code).trimmed();
    const qsizetype newline = code.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        code = code.left(newline) + QStringLiteral(" …");
    constexpr qsizetype kMax = 80;
    return code.size() > kMax ? code.left(kMax) + QStringLiteral("…") : code;
}

} // namespace

Scrubber::Scrubber(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_first(new QAction(tr("&First step"), this))
    , m_back(new QAction(tr("Step &back"), this))
    , m_forward(new QAction(tr("Step &forward"), this))
    , m_live(new QAction(tr("&Live step"), this))
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_caption(new QLabel(this))
{
    setObjectName(QStringLiteral("scrubber"));
    m_first->setShortcut(QKeySequence(tr("Alt+Home")));
    m_back->setShortcut(QKeySequence(tr("Alt+Left")));
    m_forward->setShortcut(QKeySequence(tr("Alt+Right")));
    m_live->setShortcut(QKeySequence(tr("Alt+End")));
    for (QAction *a : {m_first, m_back, m_forward, m_live})
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text().remove(QLatin1Char('&')),
                                                    a->shortcut().toString(QKeySequence::NativeText)));
    connect(m_first, &QAction::triggered, this, [this] { m_session->setCursor(0); });
    connect(m_back, &QAction::triggered, this, [this] { m_session->setCursor(m_session->cursor() - 1); });
    connect(m_forward, &QAction::triggered, this, [this] { m_session->setCursor(m_session->cursor() + 1); });
    connect(m_live, &QAction::triggered, m_session, &Session::goLive);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    // Words, not style icons: legible in light and dark themes alike.
    for (QAction *a : {m_first, m_back, m_forward, m_live}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(a);
        button->setAutoRaise(true);
        layout->addWidget(button);
    }
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_slider->setToolTip(tr("Drag to show any earlier step; every panel follows"));
    m_slider->setMinimumWidth(160);
    m_slider->setPageStep(10);
    layout->addWidget(m_slider, 2);
    m_caption->setObjectName(QStringLiteral("timelineCaption"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_caption, 3);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        if (m_applyPending)
            return;
        m_applyPending = true;
        QTimer::singleShot(0, this, &Scrubber::applySlider);
    });
    connect(m_session, &Session::cursorMoved, this, &Scrubber::sync);
    sync(m_session->cursor(), m_session->stepCount());
}

QList<QAction *> Scrubber::navigationActions() const
{
    return {m_back, m_forward, m_first, m_live};
}

QString Scrubber::caption() const
{
    return m_caption->text();
}

void Scrubber::applySlider()
{
    m_applyPending = false;
    m_session->setCursor(m_slider->value());
}

void Scrubber::sync(int index, int count)
{
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, std::max(0, count - 1));
        // A step a running script adds must not snatch the handle from a drag.
        if (!m_slider->isSliderDown() && !m_applyPending)
            m_slider->setValue(std::max(0, index));
    }
    m_slider->setEnabled(count > 1);
    m_first->setEnabled(index > 0);
    m_back->setEnabled(index > 0);
    m_forward->setEnabled(index >= 0 && index < count - 1);
    m_live->setEnabled(index >= 0 && index < count - 1);
    const auto step = m_session->stepAt(index);
    if (!step) {
        m_caption->setText(tr("No steps yet: type a statement in the console"));
        m_caption->setToolTip(QString());
        return;
    }
    const QString where = index == count - 1 && !m_session->isRecording()
        ? tr("Step %1 of %2 (live)").arg(index + 1).arg(count)
        : tr("Step %1 of %2").arg(index + 1).arg(count);
    m_caption->setText(QStringLiteral("%1 · %2").arg(where, codeLine(*step)));
    // User code, shown as typed: a tooltip would render '<h1>' in it as markup.
    m_caption->setToolTip(Qt::convertFromPlainText(QString::fromStdString(step->code), Qt::WhiteSpaceNormal));
}

} // namespace memscope::ui
