// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#endif
#include "ui/theme.h"

#include <QWidget>

#include <array>
#include <map>
#include <vector>

class QCustomPlot;

namespace memscope::ui {

/// Two plots over steps: copy traffic stacked by direction (H2H, H2D, D2H,
/// D2D), and bytes in use per address space. Hover shows the numbers.
class TrafficPlot : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficPlot(QWidget *parent = nullptr);
    ~TrafficPlot() override;

    void addStep(const engine::Snapshot &snapshot);
    void setColors(const ThemeColors &colors);
    int stepCount() const { return static_cast<int>(m_steps.size()); }
    /// Bytes moved in `direction` at step index `i` (for tests).
    std::uint64_t traffic(int i, engine::Direction direction) const;
    std::uint64_t memoryInUse(int i, const QString &device) const;

private:
    void replot();
    void showTip(QCustomPlot *plot, QMouseEvent *event);

    struct Step
    {
        int number;
        std::array<std::uint64_t, 4> traffic;
        std::map<QString, std::uint64_t> memory;
    };
    std::vector<Step> m_steps;
    QCustomPlot *m_traffic;
    QCustomPlot *m_memory;
    ThemeColors m_colors;
};

} // namespace memscope::ui
