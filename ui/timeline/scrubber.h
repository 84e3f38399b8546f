// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QSlider;
class QToolButton;

namespace memscope::ui {

class Session;

/// The timeline's cursor as controls: first / back / forward / live buttons,
/// a slider over every step and a caption ("Step 5 of 12 · t2 =
/// torch.tensor(a)"). Dragging is coalesced: however fast the slider moves,
/// the panels follow its latest position once per event-loop pass.
class Scrubber : public QWidget
{
    Q_OBJECT
public:
    explicit Scrubber(Session *session, QWidget *parent = nullptr);

    /// Back (Alt+Left), Forward (Alt+Right), First step (Alt+Home), Live step
    /// (Alt+End), in this order, for the window's menu and presentation keys.
    QList<QAction *> navigationActions() const;
    QSlider *slider() const { return m_slider; }
    QString caption() const;

private:
    void sync(int index, int count);
    void applySlider();

    Session *m_session;
    QAction *m_first;
    QAction *m_back;
    QAction *m_forward;
    QAction *m_live;
    QSlider *m_slider;
    QLabel *m_caption;
    bool m_applyPending = false;
};

} // namespace memscope::ui
