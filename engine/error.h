// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace memscope::engine {

/// What kind of failure an Error reports, so callers can react without parsing text.
enum class ErrorCode {
    InvalidArgument, ///< malformed input: bad dtype name, bad shape, bad index
    OutOfRange, ///< a value or index outside what the target allows
    ParseError, ///< text that is not a value of the requested dtype
    ReadOnly, ///< a write to memory marked read-only, without force
    NotPossible, ///< a view op that would need a copy (reshape of a strided view)
    DeviceError, ///< the device runtime failed (no driver, launch failure)
    OutOfMemory, ///< an allocation the device could not satisfy
    Unsupported, ///< a dtype or layout this engine does not handle
};

/// The one exception type the engine throws. Messages name what was wrong and
/// where (dtype, index, device), because they reach the user verbatim.
class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string &message)
        : std::runtime_error(message)
        , m_code(code)
    { }
    ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

} // namespace memscope::engine
