// SPDX-License-Identifier: GPL-3.0-or-later
// 10,000 statements typed into the window's console, as a long class demo
// would: arrays created, viewed, converted, written and deleted. The goal is a
// flat cost per step however long the timeline: per-statement time over the
// last 500 statements within 1.5x of the first 500, and resident memory
// bounded by the timeline's budget.
// Usage: QT_QPA_PLATFORM=offscreen bench_soak [statements, default 10000] [budget MiB, default: the setting]

#include "benchinterpreter.h"
#include "engine/runtime.h"
#include "ui/console/consolewidget.h"
#include "ui/mainwindow.h"
#include "ui/plots/trafficplot.h"
#include "ui/session.h"

#include <QApplication>
#include <QEventLoop>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <string>
#include <vector>

using namespace memscope;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

long residentKiB()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = 0;
    while (status >> key)
        if (key == "VmRSS:" && status >> value)
            return value;
    return 0;
}

// Statement k of the soak: ten slots of arrays cycled through eight kinds of
// statement, so the namespace stays near fifty objects while every step
// creates, aliases, copies, converts, writes or deletes something.
QString statement(int k)
{
    const int j = (k / 8) % 10;
    const QString n = QString::number(j);
    switch (k % 8) {
    case 0:
        return QStringLiteral("a%1 = np.arange(12.0).reshape(3, 4)").arg(n);
    case 1:
        return QStringLiteral("v%1 = a%1[:, ::2]").arg(n);
    case 2:
        return QStringLiteral("t%1 = torch.from_numpy(a%1)").arg(n);
    case 3:
        return QStringLiteral("c%1 = torch.tensor(a%1)").arg(n);
    case 4:
        return QStringLiteral("a%1[0, 0] = %2").arg(n).arg(k);
    case 5:
        return QStringLiteral("f%1 = c%1.to(torch.float32)").arg(n);
    case 6:
        return QStringLiteral("del v%1").arg(n);
    default:
        return QStringLiteral("k = %1").arg(k);
    }
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 10000;
    const long budgetMiB = argc > 2 ? std::atol(argv[2]) : 0; // 0: the setting (512 MiB by default)

    bench::BenchInterpreter interpreter;
    if (!interpreter.start())
        return 1;
    engine::Runtime &runtime = interpreter.runtime;
    python::PythonBackend &backend = interpreter.backend;
    ui::MainWindow window(runtime, &backend);
    window.resize(1600, 1000);
    window.show();
    ui::ConsoleWidget *console = window.console();
    if (budgetMiB > 0)
        window.session()->setTimelineBudget(std::uint64_t(budgetMiB) << 20);
    const auto typeAndWait = [&](const QString &line) {
        console->submitInput(line);
        // The statement's end reaches the GUI as queued events; wait for the prompt.
        while (!console->isIdle())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        window.repaint(); // every panel drawn, as on screen
    };
    typeAndWait(QStringLiteral("import numpy as np, torch"));
    const long rssStart = residentKiB();
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(count));
    std::vector<std::pair<int, long>> rss;
    std::vector<double> heap;
    for (int k = 0; k < count; ++k) {
        const auto t0 = Clock::now();
        typeAndWait(statement(k));
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if ((k + 1) % (count / 5) == 0) {
            rss.emplace_back(k + 1, residentKiB());
            const struct mallinfo2 m = mallinfo2(); // C++ heap in use: what RSS growth is made of
            heap.push_back(static_cast<double>(m.uordblks) / (1 << 20));
        }
    }
    const std::vector<double> first(ms.begin(), ms.begin() + 500);
    const std::vector<double> last(ms.end() - 500, ms.end());
    std::printf("statements: %d (steps in the timeline: %d; plot points: %d)\n", count, window.session()->stepCount(),
                window.plots()->pointCount());
    std::printf("per statement, typed to every panel repainted: first 500 median %.2f ms, last 500 median %.2f ms "
                "(ratio %.2f, goal <= 1.5)\n",
                median(first), median(last), median(last) / median(first));
    std::printf("resident memory: %.1f MiB after import", rssStart / 1024.0);
    for (std::size_t i = 0; i < rss.size(); ++i)
        std::printf("; %.1f MiB after %d (malloc in use %.1f MiB)", rss[i].second / 1024.0, rss[i].first, heap[i]);
    const engine::Timeline &timeline = window.session()->timeline();
    std::printf("\ntimeline: %.1f MiB counted (values %.1f MiB; %zu old steps packed into %.1f MiB), budget %.0f "
                "MiB\n",
                static_cast<double>(timeline.memoryBytes()) / (1 << 20),
                static_cast<double>(timeline.valueBytes()) / (1 << 20), timeline.packedSteps(),
                static_cast<double>(timeline.packedBytes()) / (1 << 20),
                static_cast<double>(timeline.budget()) / (1 << 20));
    window.session()->detachBackend();
    return 0;
}
