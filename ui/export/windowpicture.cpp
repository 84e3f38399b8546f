// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/windowpicture.h"

#include "engine/step/recording.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/console/consolewidget.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#include "ui/theme.h"

#include <QCoreApplication>
#include <QPainter>

namespace memscope::ui {

WindowPicture::WindowPicture(const ExportDocument &document, QSize size, bool dark, engine::Runtime &runtime)
    : m_window(std::make_unique<MainWindow>(runtime, nullptr))
{
    engine::Recording recording;
    recording.info.title = document.title.toStdString();
    recording.info.source = document.sourceName.toStdString();
    recording.steps = document.timeline;
    m_window->theme()->apply(dark ? ThemeChoice::Dark : ThemeChoice::Light);
    m_window->showRecording(recording, document.sourceName);
    m_window->resize(size);
    // Laid out as if shown, without ever appearing on a screen.
    m_window->setAttribute(Qt::WA_DontShowOnScreen);
    m_window->show();
    m_window->console()->setCursorWidth(0); // no caret caught blinking
}

WindowPicture::~WindowPicture() = default;

bool WindowPicture::show(const ExportStep &step)
{
    m_shown = step.timelineIndex >= 0;
    if (!m_shown)
        return false;
    m_window->session()->setCursor(step.timelineIndex);
    QCoreApplication::processEvents(); // queued replots and relayouts
    m_window->canvas()->zoomToFit(1.0);
    m_window->scene()->settle(); // the steady highlight, never a flash mid-fade
    return true;
}

QSizeF WindowPicture::pageSize(int) const
{
    return QSizeF(m_window->size());
}

void WindowPicture::paint(QPainter &painter, int) const
{
    m_window->render(&painter);
}

} // namespace memscope::ui
