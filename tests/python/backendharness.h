// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Synchronous helpers over the asynchronous ScriptBackend, for tests.

#include "app/python/pythonbackend.h"

#include <chrono>
#include <future>
#include <mutex>
#include <string>

namespace memscope::testing {

/// Collects everything the interpreter writes.
struct OutputCollector
{
    std::mutex mutex;
    std::string out;
    std::string err;

    void attach(engine::ScriptBackend &backend)
    {
        backend.setOutputHandler([this](engine::OutputStream s, std::string_view text) {
            std::lock_guard lock(mutex);
            (s == engine::OutputStream::Stdout ? out : err).append(text);
        });
    }
    void clear()
    {
        std::lock_guard lock(mutex);
        out.clear();
        err.clear();
    }
    std::string stdoutText()
    {
        std::lock_guard lock(mutex);
        return out;
    }
    std::string stderrText()
    {
        std::lock_guard lock(mutex);
        return err;
    }
};

/// Pushes one console line and waits for its result (or `timeout`).
inline std::optional<engine::ExecutionResult> pushLine(engine::ScriptBackend &backend, const std::string &line,
                                                       std::chrono::milliseconds timeout = std::chrono::seconds(60))
{
    auto promise = std::make_shared<std::promise<engine::ExecutionResult>>();
    auto future = promise->get_future();
    backend.push(line, [promise](const engine::ExecutionResult &r) { promise->set_value(r); });
    if (future.wait_for(timeout) != std::future_status::ready)
        return std::nullopt;
    return future.get();
}

inline engine::ExecutionResult timedOut(const std::string &code)
{
    engine::ExecutionResult r;
    r.status = engine::ExecutionResult::Status::Error;
    r.source = code;
    r.error = "timed out";
    return r;
}

/// Runs a complete statement (several lines end with a blank one, as typed).
inline engine::ExecutionResult runStatement(engine::ScriptBackend &backend, const std::string &code)
{
    std::optional<engine::ExecutionResult> last;
    std::size_t start = 0;
    while (start <= code.size()) {
        const auto end = code.find('\n', start);
        last = pushLine(backend, code.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!last)
            return timedOut(code);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    if (last->status == engine::ExecutionResult::Status::Incomplete)
        last = pushLine(backend, "");
    return last ? *last : timedOut(code);
}

} // namespace memscope::testing
