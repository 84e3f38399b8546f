// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/export/exportdocument.h"

#include <QSize>

#include <memory>

class QPainter;

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

class MainWindow;

/// The `window` view: a main window of its own (never shown) holding the
/// document's timeline as a recording, moved to each step and painted.
class WindowPicture
{
public:
    WindowPicture(const ExportDocument &document, QSize size, bool dark, engine::Runtime &runtime);
    ~WindowPicture();
    WindowPicture(const WindowPicture &) = delete;
    WindowPicture &operator=(const WindowPicture &) = delete;

    /// Moves the window to the step's memory; false when it has none.
    bool show(const ExportStep &step);
    QSize size() const;
    void paint(QPainter &painter) const;

private:
    std::unique_ptr<MainWindow> m_window;
};

} // namespace memscope::ui
