// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's presentation mode and text scale: kept apart from the rest of
// the window's set-up, which does not depend on them.
#include "ui/mainwindow.h"

#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/console/consolewidget.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/timeline/scrubber.h"

#include <QAction>
#include <QDockWidget>
#include <QKeyEvent>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace memscope::ui {

namespace {

const QString kPresentationScaleKey = QStringLiteral("presentation/textScale");

} // namespace

void MainWindow::createPresentationActions(QMenu *view)
{
    m_presentAction = view->addAction(tr("&Presentation"));
    m_presentAction->setObjectName(QStringLiteral("presentationAction"));
    m_presentAction->setCheckable(true);
    m_presentAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentAction->setStatusTip(tr("Full screen, large text, the canvas first; F11 or Esc ends it"));
    connect(m_presentAction, &QAction::toggled, this, &MainWindow::setPresenting);

    const auto scaleAction = [this, view](const QString &name, const QString &text, QList<QKeySequence> keys,
                                          auto apply) {
        QAction *a = view->addAction(text, this, apply);
        a->setObjectName(name);
        a->setShortcuts(keys);
        return a;
    };
    scaleAction(QStringLiteral("largerTextAction"), tr("Lar&ger text"),
                {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)},
                [this] { setTextScale(m_textScale + kTextScaleStep); });
    scaleAction(QStringLiteral("smallerTextAction"), tr("S&maller text"), {QKeySequence(Qt::CTRL | Qt::Key_Minus)},
                [this] { setTextScale(m_textScale - kTextScaleStep); });
    // Back to the mode's default: 100 %, or 200 % while presenting (and the
    // saved presentation size is forgotten).
    scaleAction(QStringLiteral("resetTextAction"), tr("Reset te&xt size"),
                {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_0)}, [this] {
                    if (m_presenting)
                        QSettings().remove(kPresentationScaleKey);
                    setTextScale(m_presenting ? kDefaultPresentationScale : kMinTextScale);
                });

    // Presenting, the canvas takes plain keys to step through the timeline
    // (the Scrubber's own actions do the moving). Only with the focus on the
    // canvas: the console keeps every key for typing.
    const QList<QAction *> nav = m_scrubber->navigationActions(); // back, forward, first, live
    const std::pair<QString, QList<QKeySequence>> keys[] = {
        {QStringLiteral("presentBack"), {Qt::Key_Left, Qt::Key_PageUp, Qt::Key_Backspace}},
        {QStringLiteral("presentForward"), {Qt::Key_Space, Qt::Key_Right, Qt::Key_PageDown}},
        {QStringLiteral("presentFirst"), {Qt::Key_Home}},
        {QStringLiteral("presentLive"), {Qt::Key_End}},
    };
    for (qsizetype i = 0; i < nav.size() && i < qsizetype(std::size(keys)); ++i) {
        auto *a = new QAction(nav[i]->text(), m_view);
        a->setObjectName(keys[i].first);
        a->setShortcuts(keys[i].second);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setEnabled(false);
        connect(a, &QAction::triggered, nav[i], &QAction::trigger);
        m_view->addAction(a);
        m_presentKeys.append(a);
    }
}

void MainWindow::setPresenting(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    if (on) {
        m_normalState = saveState();
        m_normalGeometry = saveGeometry();
        m_normalWindowState = windowState();
        m_normalTextScale = m_textScale;
        for (QDockWidget *d : std::as_const(m_secondaryDocks))
            d->hide();
        showFullScreen();
        // The canvas fills the screen; the console keeps a sixth for typing.
        if (auto *console = findChild<QDockWidget *>(QStringLiteral("consoleDock")))
            resizeDocks({console}, {std::max(100, height() / 6)}, Qt::Vertical);
        setTextScale(QSettings().value(kPresentationScaleKey, kDefaultPresentationScale).toReal());
        m_view->setFocus();
    } else {
        setWindowState(m_normalWindowState);
        restoreGeometry(m_normalGeometry);
        restoreState(m_normalState);
        setTextScale(m_normalTextScale);
    }
    for (QAction *a : std::as_const(m_presentKeys))
        a->setEnabled(on);
    m_presentAction->setChecked(on); // toggled() comes back here and returns at once
}

void MainWindow::setTextScale(qreal scale)
{
    const qreal steps = std::round((scale - kMinTextScale) / kTextScaleStep);
    m_textScale = std::clamp(kMinTextScale + steps * kTextScaleStep, kMinTextScale, kMaxTextScale);
    m_scene->setTextScale(m_textScale);
    m_console->setFontScale(m_textScale);
    m_lessonPanel->setFontScale(m_textScale);
    if (m_presenting)
        QSettings().setValue(kPresentationScaleKey, m_textScale);
    statusBar()->showMessage(tr("Text %1 %").arg(qRound(m_textScale * 100)), 2000);
}

void MainWindow::keyPressEvent(QKeyEvent *event)
{
    // Esc reaches the window only when no widget used it (the console's
    // search and completions do): then it ends presentation mode.
    if (m_presenting && event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        setPresenting(false);
        event->accept();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

} // namespace memscope::ui
