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

/// Two plots over the timeline's steps: copy traffic stacked by direction
/// (H2H, H2D, D2H, D2D), and bytes in use per address space, with a line at
/// the step the cursor shows. Hover shows the numbers. Cost per step stays
/// flat however long the timeline: steps are appended into at most
/// kMaxPoints bins (pairs of bins merge when full, as heaptrack caps its
/// charts), so a 10,000-step timeline draws 500 points, not 10,000.
class TrafficPlot : public QWidget
{
    Q_OBJECT
public:
    explicit TrafficPlot(QWidget *parent = nullptr);
    ~TrafficPlot() override;

    /// Appends the step after the last one (the timeline's new step).
    void addStep(const engine::Snapshot &snapshot);
    /// Forgets every step (a restart).
    void clear();
    /// Draws the cursor line at step number `step` (0: none).
    void setCursorStep(int step);
    int cursorStep() const { return m_cursorStep; }
    void setColors(const ThemeColors &colors);
    int stepCount() const { return static_cast<int>(m_steps.size()); }
    /// Points drawn per series (bins of one or more steps).
    int pointCount() const { return static_cast<int>(m_bins.size()); }
    /// Bytes moved in `direction` at step index `i` (for tests).
    std::uint64_t traffic(int i, engine::Direction direction) const;
    std::uint64_t memoryInUse(int i, const QString &device) const;

    static constexpr int kMaxPoints = 500;

private:
    void scheduleReplot();
    void replot();
    void showTip(QCustomPlot *plot, QMouseEvent *event);

    struct Step
    {
        int number;
        std::array<std::uint64_t, 4> traffic;
        std::map<QString, std::uint64_t> memory;
    };
    /// Consecutive steps drawn as one point: traffic summed, memory at its peak.
    struct Bin
    {
        int first;
        int last;
        std::array<std::uint64_t, 4> traffic;
        std::map<QString, std::uint64_t> memory;
    };
    void addToBins(const Step &step);
    std::vector<Step> m_steps; ///< a few dozen bytes each: the plot's own record, for tips and tests
    std::vector<Bin> m_bins;
    int m_stepsPerBin = 1;
    int m_cursorStep = 0;
    bool m_replotPending = false;
    QCustomPlot *m_traffic;
    QCustomPlot *m_memory;
    ThemeColors m_colors;
};

} // namespace memscope::ui
