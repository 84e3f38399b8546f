// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/step/step.h"

namespace memscope::engine {

const std::vector<FactRelation> &Step::relations() const
{
    static const std::vector<FactRelation> none;
    return snapshot ? snapshot->relations : none;
}

const std::array<std::uint64_t, 4> &Step::traffic() const
{
    static const std::array<std::uint64_t, 4> none {};
    return snapshot ? snapshot->traffic : none;
}

std::string_view stepStatusName(Step::Status s)
{
    switch (s) {
    case Step::Status::Ok:
        return "ok";
    case Step::Status::Error:
        return "error";
    case Step::Status::Interrupted:
        return "interrupted";
    case Step::Status::Exited:
        return "exited";
    }
    return "?";
}

std::string_view runStatusName(RunEnd::Status s)
{
    switch (s) {
    case RunEnd::Status::Ok:
        return "ok";
    case RunEnd::Status::Incomplete:
        return "incomplete";
    case RunEnd::Status::SyntaxError:
        return "syntax error";
    case RunEnd::Status::Error:
        return "error";
    case RunEnd::Status::Interrupted:
        return "interrupted";
    case RunEnd::Status::Exited:
        return "exited";
    case RunEnd::Status::Failed:
        return "failed";
    }
    return "?";
}

} // namespace memscope::engine
