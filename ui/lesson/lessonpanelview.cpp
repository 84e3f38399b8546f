// SPDX-License-Identifier: GPL-3.0-or-later
// The lesson panel's display of one step: before it runs, and its verdicts after.
#include "ui/lesson/lessonpanel.h"

#include "ui/lesson/narrationview.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace memscope::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

bool expectsRaise(const engine::LessonStep &step)
{
    return std::any_of(step.expectations.begin(), step.expectations.end(),
                       [](const engine::Expectation &e) { return e.kind == engine::Expectation::Kind::Raises; });
}

} // namespace

QString LessonPanel::stepMark(int step) const
{
    const auto &o = m_outcomes[std::size_t(step)];
    if (!o)
        return {};
    if (o->skipped)
        return tr("skipped");
    const engine::LessonStep &s = m_lesson->steps[std::size_t(step)];
    bool failed = !o->observed.raised.empty() && !expectsRaise(s);
    int claimsNotHeld = 0;
    for (std::size_t i = 0; i < o->results.size(); ++i) {
        if (s.expectations[i].claim)
            claimsNotHeld += o->results[i].held ? 0 : 1;
        else
            failed = failed || !o->results[i].held;
    }
    QString mark = failed ? tr("FAILED") : tr("held");
    if (claimsNotHeld > 0)
        mark += tr(", %n claim(s) not held", nullptr, claimsNotHeld);
    return mark;
}

void LessonPanel::show(int step)
{
    m_stepList->clear();
    const bool has = m_lesson && !m_lesson->steps.empty();
    m_shown = has ? std::clamp(step, 0, int(m_lesson->steps.size()) - 1) : 0;
    for (QWidget *w : {static_cast<QWidget *>(m_stepTitle), static_cast<QWidget *>(m_narration),
                       static_cast<QWidget *>(m_codeLabel), static_cast<QWidget *>(m_code)})
        w->setVisible(has);
    m_prediction->setVisible(false);
    while (QLayoutItem *item = m_resultsLayout->takeAt(0)) {
        if (item->layout())
            while (QLayoutItem *inner = item->layout()->takeAt(0)) {
                delete inner->widget();
                delete inner;
            }
        delete item->widget();
        delete item;
    }
    if (!has) {
        updateButtons();
        return;
    }
    for (int i = 0; i < int(m_lesson->steps.size()); ++i) {
        const QString mark = stepMark(i);
        auto *item = new QListWidgetItem(QStringLiteral("%1%2. %3%4")
                                             .arg(i == m_shown ? QStringLiteral("› ") : QStringLiteral("  "))
                                             .arg(i + 1)
                                             .arg(q(m_lesson->steps[std::size_t(i)].title),
                                                  mark.isEmpty() ? QString() : QStringLiteral(" — ") + mark),
                                         m_stepList);
        if (i == m_shown) {
            QFont f = m_stepList->font();
            f.setBold(true);
            item->setFont(f);
        }
    }
    // As tall as its steps (up to eight), so the step itself gets the room.
    const int rowHeight = m_stepList->count() > 0 ? std::max(m_stepList->sizeHintForRow(0), 1) : 1;
    m_stepList->setFixedHeight(rowHeight * std::min(8, m_stepList->count()) + 2 * m_stepList->frameWidth() + 4);
    m_stepList->scrollToItem(m_stepList->item(m_shown));
    const engine::LessonStep &s = m_lesson->steps[std::size_t(m_shown)];
    m_stepTitle->setText(tr("Step %1 of %2: %3").arg(m_shown + 1).arg(m_lesson->steps.size()).arg(q(s.title)));
    m_narration->setNarration(q(s.narration));
    QString code = q(s.code);
    while (code.endsWith(QLatin1Char('\n')))
        code.chop(1);
    m_code->setText(code);
    m_codeLabel->setText(m_outcomes[std::size_t(m_shown)] ? tr("Code (ran):") : tr("Code (runs on Next):"));

    for (QAbstractButton *b : m_choices->buttons()) {
        m_choices->removeButton(b);
        delete b;
    }
    m_reveal->clear();
    m_reveal->hide();
    if (s.prediction) {
        m_prediction->setVisible(true);
        // Plain text, without Markdown's code marks (`t.numpy()` reads t.numpy()).
        const auto plain = [](const std::string &text) { return q(text).remove(QLatin1Char('`')); };
        m_question->setText(plain(s.prediction->question));
        for (std::size_t i = 0; i < s.prediction->choices.size(); ++i) {
            auto *b = new QRadioButton(plain(s.prediction->choices[i].text), m_prediction);
            b->setObjectName(QStringLiteral("lessonChoice%1").arg(i));
            m_choices->addButton(b, int(i));
            m_choicesLayout->addWidget(b);
        }
    }
    if (m_outcomes[std::size_t(m_shown)])
        fillResults();
    updateButtons();
    m_scroll->ensureVisible(0, 0);
}

void LessonPanel::addResultRow(const QString &badge, const QColor &colour, const QString &text)
{
    // The badge above its text: the text gets the panel's whole width (at
    // presentation sizes a side-by-side row wraps into a thin column).
    auto *row = new QVBoxLayout;
    row->setSpacing(2);
    auto *b = new QLabel(badge, m_results);
    b->setObjectName(QStringLiteral("lessonBadge"));
    b->setTextFormat(Qt::PlainText);
    b->setAlignment(Qt::AlignCenter);
    b->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold; padding: 2px 6px; "
                                    "border-radius: 3px; }")
                         .arg(colour.name()));
    b->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    row->addWidget(b, 0, Qt::AlignLeft);
    auto *t = new QLabel(text, m_results);
    t->setObjectName(QStringLiteral("lessonResult"));
    t->setTextFormat(Qt::PlainText);
    t->setWordWrap(true);
    t->setTextInteractionFlags(Qt::TextSelectableByMouse);
    t->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    row->addWidget(t);
    row->addSpacing(4);
    m_resultsLayout->addLayout(row);
}

void LessonPanel::showResults(int step)
{
    show(step);
    scrollToResults();
}

void LessonPanel::scrollToResults()
{
    // What the run found is what to read next; queued, so the rows are laid out first.
    QTimer::singleShot(0, this, [this] {
        if (!m_lesson || m_lesson->steps.empty() || !m_outcomes[std::size_t(m_shown)])
            return;
        // The page's new height now (re-setting the flag resizes it), not at
        // the next layout pass: the rows' position is then right.
        m_scroll->widget()->layout()->activate();
        // A wrapped label in a scroll area can be given less than its
        // height-for-width; the rows claim theirs explicitly.
        for (QLabel *l : m_results->findChildren<QLabel *>(QStringLiteral("lessonResult")))
            l->setMinimumHeight(l->heightForWidth(m_results->width()));
        m_scroll->widget()->layout()->activate();
        m_scroll->setWidgetResizable(true);
        m_scroll->verticalScrollBar()->setValue(m_results->y()); // the first verdict at the top
    });
}

void LessonPanel::fillResults()
{
    const engine::LessonStep &s = m_lesson->steps[std::size_t(m_shown)];
    const StepOutcome &o = *m_outcomes[std::size_t(m_shown)];
    const QColor green(0x2e, 0x7d, 0x32), red(0xc6, 0x28, 0x28), amber(0xb2, 0x6a, 0x00), grey(0x61, 0x61, 0x61);
    if (o.skipped) {
        addResultRow(tr("skipped"), grey, o.skipReason);
        return;
    }
    for (std::size_t i = 0; i < s.expectations.size() && i < o.results.size(); ++i) {
        const engine::Expectation &e = s.expectations[i];
        const engine::ExpectationResult &r = o.results[i];
        QString text = q(e.text) + QLatin1Char('\n');
        text += r.held
            ? q(r.observed)
            : tr("expected %1, %2").arg(QString::fromLatin1(engine::expectationKindName(e.kind).data()), q(r.observed));
        if ((!r.held || e.claim) && !r.evidence.empty())
            text += QLatin1Char('\n') + tr("evidence: %1").arg(q(r.evidence));
        if (e.claim)
            addResultRow(r.held ? tr("claim held") : tr("claim NOT HELD"), r.held ? green : amber, text);
        else
            addResultRow(r.held ? tr("held") : tr("FAILED"), r.held ? green : red, text);
    }
    if (!o.observed.raised.empty() && !expectsRaise(s))
        addResultRow(
            tr("FAILED"), red,
            tr("the step's code raised %1 unexpectedly: %2").arg(q(o.observed.raised), q(o.observed.raisedMessage)));
    if (s.expectations.empty() && o.observed.raised.empty())
        addResultRow(tr("ran"), grey, tr("no expectations in this step"));

    if (s.prediction) {
        QStringList right;
        for (std::size_t i = 0; i < s.prediction->choices.size(); ++i) {
            QAbstractButton *b = m_choices->button(int(i));
            if (s.prediction->choices[i].right) {
                right << q(s.prediction->choices[i].text).remove(QLatin1Char('`'));
                if (b)
                    b->setText(b->text() + tr("   (right)"));
            }
            if (b) {
                b->setChecked(int(i) == o.choice);
                b->setEnabled(false);
            }
        }
        QString reveal = tr("Right: %1.").arg(right.join(QStringLiteral("; ")));
        if (o.choice < 0)
            reveal += QLatin1Char(' ') + tr("You did not choose.");
        else if (s.prediction->choices[std::size_t(o.choice)].right)
            reveal += QLatin1Char(' ') + tr("Your answer was right.");
        else
            reveal += QLatin1Char(' ') + tr("Your answer was not right.");
        if (!o.results.empty())
            reveal += QLatin1Char('\n') +
                tr("Observed here: %1 (%2).").arg(q(o.results.front().observed), q(s.expectations.front().text));
        m_reveal->setText(reveal);
        m_reveal->show();
    }
}

QStringList LessonPanel::resultTexts() const
{
    QStringList out;
    for (int i = 0; i < m_resultsLayout->count(); ++i) {
        QLayout *row = m_resultsLayout->itemAt(i)->layout();
        if (!row || row->count() < 2)
            continue;
        const auto *badge = qobject_cast<QLabel *>(row->itemAt(0)->widget());
        const auto *text = qobject_cast<QLabel *>(row->itemAt(1)->widget());
        if (badge && text)
            out << badge->text() + QStringLiteral(": ") + text->text();
    }
    return out;
}

QString LessonPanel::revealText() const
{
    return m_reveal->isVisible() || !m_reveal->text().isEmpty() ? m_reveal->text() : QString();
}

void LessonPanel::updateButtons()
{
    const bool has = m_lesson && !m_lesson->steps.empty();
    const bool ran = has && m_outcomes[std::size_t(m_shown)].has_value();
    const bool anyUnrun = has && std::any_of(m_outcomes.begin(), m_outcomes.end(), [](const auto &o) { return !o; });
    m_back->setEnabled(!m_busy && has && (ran || m_shown > 0));
    m_next->setEnabled(!m_busy && has && (!ran || m_shown + 1 < int(m_outcomes.size())));
    m_next->setText(ran ? tr("Next step") : tr("Run step"));
    m_toEnd->setEnabled(!m_busy && anyUnrun);
    m_restart->setEnabled(!m_busy && has);
}

} // namespace memscope::ui
