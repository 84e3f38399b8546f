// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Ctrl+C for the headless commands (run, export), as under `python`: SIGINT
// is blocked in every thread (blockInterrupts() runs before the interpreter's
// thread starts; threads inherit the mask) and taken by one thread that asks
// the runner to interrupt the running statement; a second Ctrl+C ends the
// process at once.

#include <atomic>
#include <csignal>
#include <thread>

namespace memscope::engine {
class StepRunner;
}

namespace memscope::app {

void blockInterrupts();

class InterruptOnSigint
{
public:
    /// `runner` may be null (nothing runs: only interrupted() changes).
    explicit InterruptOnSigint(engine::StepRunner *runner);
    ~InterruptOnSigint();
    InterruptOnSigint(const InterruptOnSigint &) = delete;
    InterruptOnSigint &operator=(const InterruptOnSigint &) = delete;

    /// Ctrl+C was pressed (once): the caller stops what it does and cleans up.
    bool interrupted() const { return m_interrupted.load(); }

private:
    sigset_t m_set;
    std::atomic<bool> m_interrupted {false};
    std::thread m_thread;
};

} // namespace memscope::app
