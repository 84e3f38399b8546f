// SPDX-License-Identifier: GPL-3.0-or-later
// From statement end to every panel repainted, with 100 tracked objects
// (goal: under 16 ms). The real interpreter runs `x0[0] = <n>` in a namespace
// holding 50 NumPy arrays and 50 strided views of them; measured separately:
//   1. interpreter side: the statement, the adapters' namespace scan and the
//      snapshot (alias groups, relations, change detection);
//   2. GUI side: models, canvas scene, element grid, plots updated and the
//      whole window repainted (synchronously, offscreen).
// Then the timeline: one step back with every panel repainted, and the
// slider dragged across 1,000 steps.
// Then a namespace holding a 200-parameter nn.Module (a stack of 100
// nn.Linear): its scan through attributes (goal: under 20 ms).
// Usage: QT_QPA_PLATFORM=offscreen bench_ui [repeats, default 31]

#include "benchinterpreter.h"
#include "engine/runtime.h"
#include "runandwait.h"
#include "ui/canvas/memoryscene.h"
#include "ui/canvas/memoryview.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#include "ui/timeline/scrubber.h"

#include <QApplication>
#include <QEventLoop>
#include <QSlider>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <vector>

using namespace memscope;
using Clock = std::chrono::steady_clock;

namespace {

using bench::runAndWait;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 31;

    bench::BenchInterpreter interpreter;
    if (!interpreter.start())
        return 1;
    engine::Runtime &runtime = interpreter.runtime;
    python::PythonBackend &backend = interpreter.backend;
    ui::MainWindow window(runtime, &backend);
    window.resize(1600, 1000);
    window.show();
    app.processEvents();

    auto r = runAndWait(backend,
                        "import numpy as np\n"
                        "for i in range(50):\n"
                        "    globals()['x%d' % i] = np.arange(12.0).reshape(3, 4)\n"
                        "    globals()['v%d' % i] = globals()['x%d' % i][:, ::2]\n");
    std::printf("tracked objects: %zu\n", r.snapshot ? r.snapshot->facts.size() : 0);

    std::vector<double> interp, gui, total;
    for (int k = 0; k < repeats; ++k) {
        const auto t0 = Clock::now();
        r = runAndWait(backend, "x0[0, 0] = " + std::to_string(k));
        const auto t1 = Clock::now();
        Q_EMIT window.session()->snapshotAvailable(r.snapshot); // what Session does on the GUI thread
        window.repaint(); // every panel, synchronously
        const auto t2 = Clock::now();
        interp.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        gui.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        total.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    }
    {
        std::vector<double> scene, paint, objects, plots;
        for (int k = 0; k < repeats; ++k) {
            const auto a = Clock::now();
            window.scene()->setSnapshot(r.snapshot);
            const auto b = Clock::now();
            window.repaint();
            const auto c = Clock::now();
            scene.push_back(std::chrono::duration<double, std::milli>(b - a).count());
            paint.push_back(std::chrono::duration<double, std::milli>(c - b).count());
        }
        std::printf("  of which: canvas scene rebuild %.2f ms, full repaint %.2f ms\n", median(scene), median(paint));
    }
    std::printf("interpreter: statement + namespace scan + snapshot   median %.2f ms\n", median(interp));
    std::printf("gui: models + canvas + grid + full repaint          median %.2f ms\n", median(gui));
    std::printf("statement end to every panel repainted (both)        median %.2f ms (goal < 16 ms)\n", median(total));
    // The timeline: 1,000 steps through the window's session, then the cursor
    // moved one step (every panel repainted), and the slider dragged across
    // all of them (each position shown and repainted).
    {
        ui::Session *session = window.session();
        const auto typeInWindow = [&](const std::string &code) {
            QEventLoop loop;
            const auto c = QObject::connect(session, &ui::Session::lineFinished, &loop, &QEventLoop::quit);
            session->submitLine(QString::fromStdString(code));
            loop.exec();
            QObject::disconnect(c);
        };
        while (session->stepCount() < 1000)
            typeInWindow("x0[0, 0] = " + std::to_string(session->stepCount()));
        std::vector<double> oneStep;
        for (int k = 0; k < repeats; ++k) {
            const auto t0 = Clock::now();
            session->setCursor(session->cursor() - 1); // Alt+Left
            QCoreApplication::processEvents(); // the plots' coalesced rebuild
            window.repaint();
            oneStep.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
        QSlider *slider = window.scrubber()->slider();
        const auto t0 = Clock::now();
        int shown = 0;
        for (int v = slider->maximum(); v >= 0; v -= 1) {
            slider->setValue(v); // as a drag does: the panels follow once per event-loop pass
            QCoreApplication::processEvents();
            window.repaint();
            shown += session->cursor() == v;
        }
        const double dragMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        std::printf("timeline of %d steps, %zu objects: cursor moved one step, every panel repainted: median %.2f ms "
                    "(goal < 16 ms)\n",
                    session->stepCount(), session->snapshot()->facts.size(), median(oneStep));
        std::printf("  slider dragged across all %d steps: %.0f ms, %.2f ms per position (%d shown)\n",
                    session->stepCount(), dragMs, dragMs / session->stepCount(), shown);
        session->goLive();
    }
    // A 10^8-element array opens in the element grid at once (values are
    // read in windows of the visible rows).
    {
        const auto t0 = Clock::now();
        r = runAndWait(backend, "huge = np.zeros(100_000_000)");
        const auto t1 = Clock::now();
        Q_EMIT window.session()->snapshotAvailable(r.snapshot); // selects the new object: the grid opens it
        window.repaint();
        const auto t2 = Clock::now();
        std::printf("10^8-element array: statement + snapshot %.1f ms; grid opened and window repainted %.1f ms\n",
                    std::chrono::duration<double, std::milli>(t1 - t0).count(),
                    std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    // A model's parameters are found through its attributes: a stack of 100
    // nn.Linear (200 parameters) is scanned each statement (goal < 20 ms).
    runAndWait(backend, "del huge\nfor i in range(50):\n    del globals()['x%d' % i], globals()['v%d' % i]\n");
    r = runAndWait(backend, "try:\n    import torch\nexcept ImportError:\n    torch = None\n");
    r = runAndWait(backend,
                   "net = torch.nn.Sequential(*[torch.nn.Linear(8, 8) for _ in range(100)]) if torch else None");
    if (!r.snapshot || r.snapshot->facts.size() < 200) {
        std::printf("nn.Module scan: skipped (torch could not be imported)\n");
    } else {
        std::vector<double> scan, panels;
        for (int k = 0; k < repeats; ++k) {
            const auto t0 = Clock::now();
            r = runAndWait(backend, "k = " + std::to_string(k));
            const auto t1 = Clock::now();
            Q_EMIT window.session()->snapshotAvailable(r.snapshot);
            window.repaint();
            panels.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
            scan.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        std::printf("nn.Sequential of 100 nn.Linear: %zu tracked objects\n", r.snapshot->facts.size());
        std::printf("  statement + namespace scan + snapshot median %.2f ms (goal < 20 ms); panels repainted %.2f ms\n",
                    median(scan), median(panels));
    }
    // 1,000 objects (500 arrays, each with a strided view): statement end to
    // every panel repainted, and the canvas's own layout and paint.
    {
        runAndWait(backend,
                   "net = None\nfor i in range(500):\n"
                   "    globals()['y%d' % i] = np.arange(6.0)\n"
                   "    globals()['w%d' % i] = globals()['y%d' % i][::2]\n");
        std::vector<double> whole, layout, paint;
        for (int k = 0; k < repeats; ++k) {
            const auto t0 = Clock::now();
            r = runAndWait(backend, "y0[0] = " + std::to_string(k));
            Q_EMIT window.session()->snapshotAvailable(r.snapshot);
            window.repaint();
            whole.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            const auto a = Clock::now();
            window.scene()->setSnapshot(r.snapshot);
            const auto b = Clock::now();
            window.canvas()->viewport()->repaint();
            layout.push_back(std::chrono::duration<double, std::milli>(b - a).count());
            paint.push_back(std::chrono::duration<double, std::milli>(Clock::now() - b).count());
        }
        std::printf("1,000 objects: %zu tracked\n", r.snapshot->facts.size());
        std::printf("  statement end to every panel repainted median %.2f ms (goal < 100 ms); canvas layout %.2f ms, "
                    "canvas paint %.2f ms\n",
                    median(whole), median(layout), median(paint));
    }
    window.session()->detachBackend();
    return 0;
}
