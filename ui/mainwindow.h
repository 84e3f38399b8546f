// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

class DevicesModel;

/// The main window. For now it shows the engine's devices and why a GPU is or
/// is not used; console, memory canvas and editors dock into it (issue 4).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(engine::Runtime &runtime, QWidget *parent = nullptr);

    DevicesModel *devicesModel() const { return m_devices; }

private:
    void showAbout();

    engine::Runtime &m_runtime;
    DevicesModel *m_devices;
};

} // namespace memscope::ui
