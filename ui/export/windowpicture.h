// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/export/exportdocument.h"
#include "ui/export/pagedpicture.h"

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
class WindowPicture : public PagedPicture
{
public:
    WindowPicture(const ExportDocument &document, QSize size, bool dark, engine::Runtime &runtime);
    ~WindowPicture();
    WindowPicture(const WindowPicture &) = delete;
    WindowPicture &operator=(const WindowPicture &) = delete;

    /// Moves the window to the step's memory; false (and no page) when it has none.
    bool show(const ExportStep &step);
    int pageCount() const override { return m_shown ? 1 : 0; }
    QSizeF pageSize(int page) const override;
    void paint(QPainter &painter, int page) const override;

private:
    std::unique_ptr<MainWindow> m_window;
    bool m_shown = false;
};

} // namespace memscope::ui
