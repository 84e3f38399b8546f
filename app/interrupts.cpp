// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/interrupts.h"

#include "engine/step/steprunner.h"

#include <cstdlib>
#include <pthread.h>

namespace memscope::app {

namespace {

sigset_t interruptSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR2); // only to wake the waiting thread when the run is over
    return set;
}

} // namespace

void blockInterrupts()
{
    const sigset_t set = interruptSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

InterruptOnSigint::InterruptOnSigint(engine::StepRunner *runner)
    : m_set(interruptSignals())
{
    m_thread = std::thread([this, runner] {
        for (;;) {
            int sig = 0;
            if (sigwait(&m_set, &sig) != 0 || sig == SIGUSR2)
                return;
            if (m_interrupted.exchange(true))
                std::_Exit(130);
            if (runner)
                runner->interrupt();
        }
    });
}

InterruptOnSigint::~InterruptOnSigint()
{
    pthread_kill(m_thread.native_handle(), SIGUSR2);
    m_thread.join();
}

} // namespace memscope::app
