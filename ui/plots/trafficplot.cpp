// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/trafficplot.h"

#include "ui/byteslabel.h"

#include <qcustomplot.h>

#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

using namespace memscope::engine;

namespace memscope::ui {

namespace {
constexpr Direction kDirections[] = {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D};

void styleAxes(QCustomPlot *plot, const ThemeColors &c, const QString &yLabel)
{
    plot->setBackground(c.canvasBackground);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(c.mutedText));
        axis->setTickPen(QPen(c.mutedText));
        axis->setSubTickPen(QPen(c.mutedText));
        axis->setTickLabelColor(c.text);
        axis->setLabelColor(c.text);
        axis->grid()->setPen(QPen(c.laneHostBorder, 0, Qt::DotLine));
    }
    plot->xAxis->setLabel(QObject::tr("step"));
    plot->yAxis->setLabel(yLabel);
    plot->legend->setBrush(c.boxBackground);
    plot->legend->setTextColor(c.text);
    plot->legend->setBorderPen(QPen(c.laneHostBorder));
}
} // namespace

TrafficPlot::TrafficPlot(QWidget *parent)
    : QWidget(parent)
    , m_traffic(new QCustomPlot(this))
    , m_memory(new QCustomPlot(this))
    , m_colors(Theme::lightColors())
{
    setObjectName(QStringLiteral("trafficPlot"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_traffic, 1);
    layout->addWidget(m_memory, 1);
    for (QCustomPlot *plot : {m_traffic, m_memory}) {
        plot->setMouseTracking(true);
        plot->legend->setVisible(true);
        plot->legend->setFont(QFont(QStringLiteral("DejaVu Sans"), 8));
        plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
        plot->setMinimumHeight(120);
        connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent *e) { showTip(plot, e); });
    }
    setColors(m_colors);
}

TrafficPlot::~TrafficPlot() = default;

void TrafficPlot::addStep(const Snapshot &s)
{
    Step step {s.step, s.traffic, {}};
    // Bytes in use per address space: each buffer (one allocation) once.
    for (const MemoryFact &f : s.facts)
        if (f.isSupported())
            step.memory[QString::fromStdString(f.device.toString())]; // the device appears even at 0 bytes
    for (const BufferInfo &b : s.buffers)
        step.memory[QString::fromStdString(b.device.toString())] += b.hi - b.lo;
    addToBins(step);
    m_steps.push_back(std::move(step));
    scheduleReplot();
}

void TrafficPlot::addToBins(const Step &step)
{
    if (m_bins.empty() || m_bins.back().last - m_bins.back().first + 1 >= m_stepsPerBin)
        m_bins.push_back({step.number, step.number, {}, {}});
    Bin &bin = m_bins.back();
    bin.last = step.number;
    for (std::size_t d = 0; d < 4; ++d)
        bin.traffic[d] += step.traffic[d];
    for (const auto &[device, bytes] : step.memory)
        bin.memory[device] = std::max(bin.memory[device], bytes);
    if (static_cast<int>(m_bins.size()) <= kMaxPoints)
        return;
    // Full: pairs merge, and each bin holds twice the steps from now on.
    std::vector<Bin> merged;
    merged.reserve(m_bins.size() / 2 + 1);
    for (std::size_t i = 0; i < m_bins.size(); i += 2) {
        Bin b = m_bins[i];
        if (i + 1 < m_bins.size()) {
            const Bin &next = m_bins[i + 1];
            b.last = next.last;
            for (std::size_t d = 0; d < 4; ++d)
                b.traffic[d] += next.traffic[d];
            for (const auto &[device, bytes] : next.memory)
                b.memory[device] = std::max(b.memory[device], bytes);
        }
        merged.push_back(std::move(b));
    }
    m_bins.swap(merged);
    m_stepsPerBin *= 2;
}

void TrafficPlot::clear()
{
    m_steps.clear();
    m_bins.clear();
    m_stepsPerBin = 1;
    m_cursorStep = 0;
    scheduleReplot();
}

void TrafficPlot::setCursorStep(int step)
{
    if (step == m_cursorStep)
        return;
    m_cursorStep = step;
    scheduleReplot();
}

void TrafficPlot::scheduleReplot()
{
    // Once per event-loop pass, however many steps arrived (a recording of
    // 10,000 steps opens with one rebuild, not 10,000).
    if (m_replotPending)
        return;
    m_replotPending = true;
    QTimer::singleShot(0, this, [this] {
        m_replotPending = false;
        replot();
    });
}

std::uint64_t TrafficPlot::traffic(int i, Direction direction) const
{
    return m_steps.at(static_cast<std::size_t>(i)).traffic[static_cast<std::size_t>(direction)];
}

std::uint64_t TrafficPlot::memoryInUse(int i, const QString &device) const
{
    const auto &m = m_steps.at(static_cast<std::size_t>(i)).memory;
    const auto it = m.find(device);
    return it == m.end() ? 0 : it->second;
}

void TrafficPlot::setColors(const ThemeColors &colors)
{
    m_colors = colors;
    replot();
}

void TrafficPlot::replot()
{
    m_traffic->clearPlottables();
    m_memory->clearPlottables();
    m_traffic->clearItems();
    m_memory->clearItems();
    styleAxes(m_traffic, m_colors, tr("bytes copied"));
    styleAxes(m_memory, m_colors, tr("bytes in use"));
    // A bin is drawn at its centre, as wide as its steps.
    QVector<double> x;
    for (const Bin &b : m_bins)
        x << (b.first + b.last) / 2.0;
    QCPBars *below = nullptr;
    for (std::size_t d = 0; d < 4; ++d) {
        auto *bars = new QCPBars(m_traffic->xAxis, m_traffic->yAxis);
        bars->setName(QString::fromLatin1(directionName(kDirections[d]).data()));
        bars->setPen(Qt::NoPen);
        bars->setBrush(m_colors.directionColor(d));
        bars->setWidth(0.7 * m_stepsPerBin);
        QVector<double> y;
        for (const Bin &b : m_bins)
            y << static_cast<double>(b.traffic[d]);
        bars->setData(x, y, true);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    std::set<QString> devices;
    for (const Bin &b : m_bins)
        for (const auto &[device, bytes] : b.memory)
            devices.insert(device);
    int k = 0;
    for (const QString &device : devices) {
        auto *g = m_memory->addGraph();
        g->setName(device);
        g->setPen(QPen(m_colors.groupColor(k++ * 3), 2));
        g->setLineStyle(QCPGraph::lsStepLeft);
        if (m_stepsPerBin == 1)
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        QVector<double> y;
        for (const Bin &b : m_bins) {
            const auto it = b.memory.find(device);
            y << static_cast<double>(it == b.memory.end() ? 0 : it->second);
        }
        g->setData(x, y, true);
    }
    for (QCustomPlot *plot : {m_traffic, m_memory}) {
        plot->rescaleAxes();
        plot->xAxis->setRange(m_bins.empty() ? 0 : m_bins.front().first - 1,
                              m_bins.empty() ? 10 : m_bins.back().last + 1);
        plot->yAxis->setRangeLower(0);
        // Headroom, so the top point's marker is not cut.
        plot->yAxis->setRangeUpper(std::max(8.0, plot->yAxis->range().upper * 1.1));
        if (m_cursorStep > 0 && !m_bins.empty() && m_cursorStep < m_bins.back().last) {
            // The step the panels show, when it is not the live one.
            auto *line = new QCPItemStraightLine(plot);
            line->setPen(QPen(m_colors.prompt, 2, Qt::DashLine));
            line->point1->setCoords(m_cursorStep, 0);
            line->point2->setCoords(m_cursorStep, 1);
        }
        plot->replot(); // already once per event-loop pass (scheduleReplot)
    }
}

void TrafficPlot::showTip(QCustomPlot *plot, QMouseEvent *event)
{
    const double stepAt = plot->xAxis->pixelToCoord(event->pos().x());
    const auto found = std::find_if(m_bins.begin(), m_bins.end(),
                                    [&](const Bin &b) { return stepAt >= b.first - 0.5 && stepAt < b.last + 0.5; });
    if (found == m_bins.end()) {
        QToolTip::hideText();
        return;
    }
    const Bin *best = &*found;
    QStringList lines {best->first == best->last
                           ? tr("step %1").arg(best->first)
                           : tr("steps %1–%2 (memory: the peak)").arg(best->first).arg(best->last)};
    if (plot == m_traffic) {
        for (std::size_t d = 0; d < 4; ++d)
            if (best->traffic[d])
                lines << tr("%1: %2").arg(QString::fromLatin1(directionName(kDirections[d]).data()),
                                          bytesLabel(best->traffic[d]));
        if (lines.size() == 1)
            lines << tr("no bytes copied");
    } else {
        for (const auto &[device, bytes] : best->memory)
            lines << tr("%1: %2").arg(device, bytesLabel(bytes));
    }
    QToolTip::showText(event->globalPosition().toPoint(), lines.join(QLatin1Char('\n')), plot);
}

} // namespace memscope::ui
