// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/lesson/lessonpanel.h"

#include "engine/lesson/environment.h"

#include "engine/lesson/lessonrunner.h"
#include "ui/console/consolewidget.h"
#include "ui/lesson/narrationview.h"
#include "ui/session.h"
#include "ui/theme.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>

#include <utility>

namespace memscope::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

/// The default trust question: every step's code, then "Run this lesson's code?".
bool askTrust(QWidget *parent, const engine::Lesson &lesson)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(LessonPanel::tr("Run this lesson's code?"));
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(plainLabel(LessonPanel::tr("%1 (%2) is not a bundled lesson. Its code runs in this "
                                                 "window's Python, with your rights. Read it first:")
                                     .arg(q(lesson.title), q(lesson.file)),
                                 &dialog));
    QString code;
    for (std::size_t i = 0; i < lesson.steps.size(); ++i)
        code += QStringLiteral("# %1. %2\n%3\n\n").arg(i + 1).arg(q(lesson.steps[i].title), q(lesson.steps[i].code));
    auto *view = new QPlainTextEdit(code, &dialog);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(view);
    layout->addWidget(plainLabel(LessonPanel::tr("Run this lesson's code?"), &dialog));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Yes | QDialogButtonBox::No, &dialog);
    buttons->button(QDialogButtonBox::No)->setDefault(true);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(700, 500);
    return dialog.exec() == QDialog::Accepted;
}

} // namespace

LessonPanel::LessonPanel(Session *session, ConsoleWidget *console, Theme *theme, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_console(console)
    , m_theme(theme)
    , m_trustPrompt([this](const engine::Lesson &l) { return askTrust(this, l); })
{
    setObjectName(QStringLiteral("lessonPanel"));
    build();
    connect(m_session, &Session::stepFinished, this, [this](const engine::Step &step) {
        if (m_collecting)
            m_steps.push_back(step);
    });
    connect(m_session, &Session::runFinished, this, &LessonPanel::finishRun);
    connect(m_session, &Session::environmentAvailable, this, [this](const QString &env) {
        m_environment = engine::lessonEnvironment(env.toStdString(), m_realCuda);
        if (std::exchange(m_waitingForEnvironment, false))
            runShown();
    });
    connect(m_session, &Session::resetFinished, this, [this] {
        if (!std::exchange(m_resetting, false))
            return;
        setBusy(false);
        for (auto &o : m_outcomes)
            o.reset();
        show(0);
    });
    show(0);
}

LessonPanel::~LessonPanel() = default;

void LessonPanel::build()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    m_title = plainLabel(tr("No lesson open: File ▸ Open lesson…, or the Lessons menu"), this);
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    outer->addWidget(m_title);
    m_stepList = new QListWidget(this);
    m_stepList->setObjectName(QStringLiteral("lessonSteps"));
    m_stepList->setSelectionMode(QAbstractItemView::NoSelection);
    m_stepList->setFocusPolicy(Qt::NoFocus);
    m_stepList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stepList->setTextElideMode(Qt::ElideRight);
    outer->addWidget(m_stepList);

    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(2, 2, 2, 2);
    m_stepTitle = plainLabel({}, page);
    m_stepTitle->setObjectName(QStringLiteral("lessonStepTitle"));
    layout->addWidget(m_stepTitle);
    m_narration = new NarrationView(page);
    layout->addWidget(m_narration);
    m_codeLabel = plainLabel(tr("Code (runs on Next):"), page);
    layout->addWidget(m_codeLabel);
    m_code = new QLabel(page);
    m_code->setObjectName(QStringLiteral("lessonCode"));
    m_code->setTextFormat(Qt::PlainText);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_code->setFrameShape(QFrame::StyledPanel);
    m_code->setMargin(6);
    m_code->setAutoFillBackground(true);
    m_code->setBackgroundRole(QPalette::Base);
    layout->addWidget(m_code);

    m_prediction = new QGroupBox(tr("Predict"), page);
    m_prediction->setObjectName(QStringLiteral("lessonPrediction"));
    auto *pl = new QVBoxLayout(m_prediction);
    m_question = plainLabel({}, m_prediction);
    pl->addWidget(m_question);
    m_choicesLayout = new QVBoxLayout;
    pl->addLayout(m_choicesLayout);
    m_reveal = plainLabel({}, m_prediction);
    m_reveal->setObjectName(QStringLiteral("lessonReveal"));
    pl->addWidget(m_reveal);
    m_choices = new QButtonGroup(this);
    connect(m_choices, &QButtonGroup::idClicked, this, &LessonPanel::choose);
    layout->addWidget(m_prediction);

    m_results = new QWidget(page);
    m_results->setObjectName(QStringLiteral("lessonResults"));
    m_resultsLayout = new QVBoxLayout(m_results);
    m_resultsLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_results);
    layout->addStretch(1);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there: a bar that appears would narrow the page and re-wrap every row after the layout.
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(page);
    outer->addWidget(m_scroll, 1);

    auto *buttons = new QHBoxLayout;
    const auto button = [this, buttons](const QString &name, const QString &text, const QString &tip, auto slot) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    m_back = button(QStringLiteral("lessonBack"), tr("Back"),
                    tr("The timeline to just before this step (runs nothing)"), &LessonPanel::back);
    m_next = button(QStringLiteral("lessonNext"), tr("Next"), tr("Run this step, or go to the next one (Space)"),
                    &LessonPanel::next);
    m_toEnd =
        button(QStringLiteral("lessonToEnd"), tr("Run to end"), tr("Run every remaining step"), &LessonPanel::runToEnd);
    m_restart = button(QStringLiteral("lessonRestart"), tr("Restart"), tr("A fresh Python namespace, then step 1"),
                       &LessonPanel::restart);
    outer->addLayout(buttons);

    // Space steps the lesson while the focus is in this panel; the window
    // adds the same on the canvas. The console keeps its Space.
    auto *space = new QAction(tr("Next step"), this);
    space->setShortcut(Qt::Key_Space);
    space->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QAction::triggered, this, &LessonPanel::next);
    addAction(space);
    applyFonts();
}

bool LessonPanel::openFile(const QString &path, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QFile file(path);
    if (QFileInfo(path).isDir() || !file.open(QIODevice::ReadOnly))
        return fail(tr("cannot read %1: %2").arg(path, file.errorString()));
    constexpr qint64 kMaxLessonBytes = 4 << 20;
    const QByteArray bytes = file.read(kMaxLessonBytes + 1);
    if (bytes.size() > kMaxLessonBytes)
        return fail(tr("%1 is larger than 4 MiB; that is no lesson").arg(path));
    auto parsed = engine::parseLesson(bytes.toStdString(), path.toStdString());
    if (const auto *e = std::get_if<engine::LessonError>(&parsed))
        return fail(q(e->toString()));
    engine::Lesson lesson = std::move(std::get<engine::Lesson>(parsed));
    if (!path.startsWith(QLatin1String(":/")) && m_trustPrompt && !m_trustPrompt(lesson))
        return fail(tr("%1 was not trusted: nothing ran").arg(path));
    setLesson(std::move(lesson));
    return true;
}

void LessonPanel::setLesson(engine::Lesson lesson)
{
    m_lesson = std::move(lesson);
    m_outcomes.assign(m_lesson->steps.size(), std::nullopt);
    m_runUntil = 0;
    m_title->setText(q(m_lesson->title));
    m_title->setToolTip(q(m_lesson->summary));
    show(0);
    Q_EMIT lessonOpened(q(m_lesson->title));
}

QString LessonPanel::missingFor(const engine::LessonStep &step) const
{
    std::vector<engine::Requirement> needs = m_lesson->requirements;
    needs.insert(needs.end(), step.requires_.begin(), step.requires_.end());
    return m_environment ? q(m_environment->missing(needs)) : QString();
}

void LessonPanel::next()
{
    if (!m_lesson || m_busy || m_lesson->steps.empty())
        return;
    if (!m_outcomes[std::size_t(m_shown)]) {
        m_runUntil = m_shown + 1;
        runShown();
    } else if (m_shown + 1 < int(m_outcomes.size())) {
        show(m_shown + 1);
        // The canvas shows the state this step starts from.
        if (const auto &o = m_outcomes[std::size_t(m_shown)])
            m_session->setCursor(o->firstTimelineIndex - 1);
        else
            m_session->goLive();
    }
}

void LessonPanel::runThrough(int count)
{
    if (!m_lesson || m_busy)
        return;
    m_runUntil = std::min(count, int(m_outcomes.size()));
    // Steps run in order: go to the first that has not run.
    int first = 0;
    while (first < int(m_outcomes.size()) && m_outcomes[std::size_t(first)])
        ++first;
    if (first >= m_runUntil)
        return;
    show(first);
    runShown();
}

void LessonPanel::back()
{
    if (!m_lesson || m_busy)
        return;
    int step = m_shown;
    if (!m_outcomes[std::size_t(step)]) {
        if (step == 0)
            return;
        show(--step);
    }
    m_session->setCursor(std::max(0, m_outcomes[std::size_t(step)]->firstTimelineIndex - 1));
}

void LessonPanel::restart()
{
    if (!m_lesson || m_busy)
        return;
    m_runUntil = 0;
    m_resetting = true;
    setBusy(true);
    m_session->reset();
}

void LessonPanel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    updateButtons();
    Q_EMIT busyChanged(busy);
}

void LessonPanel::runShown()
{
    if (!m_environment) { // the versions decide what is skipped and are evidence: asked once
        setBusy(true);
        if (!std::exchange(m_waitingForEnvironment, true))
            m_session->requestEnvironment();
        return;
    }
    startRun(m_shown);
}

void LessonPanel::startRun(int step)
{
    const engine::LessonStep &s = m_lesson->steps[std::size_t(step)];
    StepOutcome outcome;
    outcome.firstTimelineIndex = m_session->stepCount();
    outcome.choice = m_choices->checkedId();
    outcome.observed.versions = m_environment->versions;
    if (const QString missing = missingFor(s); !missing.isEmpty() || !m_session->hasBackend()) {
        outcome.skipped = true;
        outcome.skipReason = m_session->hasBackend() ? tr("needs %1, not available here").arg(missing)
                                                     : tr("Python is not available here");
        stepDone(step, std::move(outcome));
        return;
    }
    m_outcomes[std::size_t(step)].reset();
    m_pendingOutcome = std::move(outcome);
    m_session->goLive(); // new steps follow the cursor only at the live step
    m_steps.clear();
    m_collecting = true;
    m_running = step;
    setBusy(true);
    engine::StepSource source = engine::lessonStepSource(*m_lesson, s);
    QString code = q(s.code);
    while (code.endsWith(QLatin1Char('\n')))
        code.chop(1);
    const QString header = tr("lesson %1, step %2: %3").arg(q(m_lesson->id)).arg(step + 1).arg(q(s.title));
    if (!m_console || !m_console->runLessonStep(header, code, source))
        m_session->runSource(std::move(source));
}

void LessonPanel::finishRun(const engine::RunEnd &end)
{
    if (!m_collecting)
        return;
    m_collecting = false;
    const int step = std::exchange(m_running, -1);
    StepOutcome outcome = std::move(m_pendingOutcome);
    engine::StepObservation &observed = outcome.observed;
    observed.steps = std::move(m_steps);
    m_steps.clear();
    engine::recordRunEnd(observed, end);
    for (const engine::Expectation &e : m_lesson->steps[std::size_t(step)].expectations)
        outcome.results.push_back(engine::checkExpectation(e, observed));
    observed.steps.clear(); // the timeline keeps them; the panel needs only the verdicts
    stepDone(step, std::move(outcome));
}

void LessonPanel::stepDone(int step, StepOutcome outcome)
{
    m_outcomes[std::size_t(step)] = std::move(outcome);
    setBusy(false);
    showResults(step);
    Q_EMIT stepChecked(step);
    if (step + 1 < m_runUntil) { // Run to end goes on
        show(step + 1);
        runShown();
    }
}

void LessonPanel::choose(int choice)
{
    if (auto *b = m_choices->button(choice))
        b->setChecked(true);
}

void LessonPanel::setFontScale(qreal scale)
{
    m_fontScale = scale;
    applyFonts();
    scrollToResults();
}

void LessonPanel::applyFonts()
{
    QFont base = QApplication::font(); // unscaled
    base.setPointSizeF(base.pointSizeF() * m_fontScale);
    setFont(base);
    QFont title = base;
    title.setBold(true);
    title.setPointSizeF(base.pointSizeF() * 1.2);
    m_title->setFont(title);
    title.setPointSizeF(base.pointSizeF() * 1.1);
    m_stepTitle->setFont(title);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(base.pointSizeF());
    m_code->setFont(mono);
    show(m_shown); // the step list's height follows its rows
}

} // namespace memscope::ui
