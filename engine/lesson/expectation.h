// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/device.h"
#include "engine/dtype.h"
#include "engine/step/step.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace memscope::engine {

/// One line of a lesson's ```expect block, parsed. Names are the names the
/// snapshot tracks, container paths included (`lin.weight`, `sd['bias']`).
struct Expectation
{
    enum class Kind {
        Alias, ///< alias X Y: they share bytes
        Copy, ///< copy X Y: Y is a copy of X (same dtype, other bytes)
        Convert, ///< convert X Y: Y holds X's values in another dtype
        Transfer, ///< transfer X Y: Y is X moved to another device
        Same, ///< same X Y: the very same object
        Unrelated, ///< unrelated X Y
        Shared, ///< shared X Y N: exactly N bytes shared
        ReadOnly, ///< readonly X
        Writable, ///< writable X
        OnDevice, ///< device X cpu|cuda|cuda:N
        DTypeIs, ///< dtype X float32
        ShapeIs, ///< shape X (2, 3)
        ValueIs, ///< value X[i, j] == V, or != V
        Changed, ///< changed X[i, j]: that element changed in this step (changed X: any element did)
        Unchanged, ///< unchanged X: no element of X changed in this step (unchanged X[i, j]: that one did not)
        Traffic, ///< traffic H2D N: exactly N bytes moved this step in that direction
        Raises, ///< raises NAME: the step's code raised NAME (the lesson goes on)
    };
    Kind kind = Kind::Alias;
    bool claim = false; ///< a `claim ...` line: reported held / not held, never a failure
    std::string a; ///< the first name (X); for Raises, the exception's name
    std::string b; ///< the second name (Y)
    std::vector<std::int64_t> index; ///< ValueIs, Changed: the element's index; empty: scalar / any
    std::string value; ///< ValueIs: the value as written ("7.5", "True")
    bool notEqual = false; ///< ValueIs with !=
    std::uint64_t bytes = 0; ///< Shared, Traffic
    Direction direction = Direction::H2H; ///< Traffic
    std::string device; ///< OnDevice: "cpu", "cuda" (any index) or "cuda:N"
    DType dtype = DType::Float64; ///< DTypeIs
    std::vector<std::int64_t> shape; ///< ShapeIs
    std::string text; ///< the line as written (without "claim ")
    int line = 0; ///< file line

    /// Names (roots of paths included) this expectation needs to exist.
    std::vector<std::string> names() const;
};

/// Parses one expect line ("alias a t", "claim copy a n", "# note" is not
/// passed here). On failure, the message says what was expected:
/// "unknown expectation 'aliases' (expected alias, copy, convert, transfer,
/// same, unrelated, shared, readonly, writable, device, dtype, shape, value,
/// changed, unchanged, traffic, raises)".
std::variant<Expectation, std::string> parseExpectation(std::string_view line);

/// What one lesson step did: every step (statement) its code made, in order.
/// The last one's snapshot is the state after the step; changes and traffic
/// are summed over all of them.
struct StepObservation
{
    std::vector<Step> steps;
    /// The exception the code raised ("ZeroDivisionError"), when it did.
    std::string raised;
    std::string raisedMessage; ///< the traceback's last line
    std::string versions; ///< "numpy 1.24.2, torch 1.13.0, tensorflow 2.16.2": evidence names them
};

/// The verdict on one expectation, with what was observed and the evidence
/// (addresses, byte ranges, dtypes, versions) in words.
struct ExpectationResult
{
    bool held = false;
    std::string observed; ///< "observed copy" / "observed alias, 48 B shared"
    std::string evidence; ///< "a: 0x7f..10 … 0x7f..40 (48 B); t: 0x7f..80 … (48 B); no byte in common; numpy 1.24.2,
                          ///< torch 1.13.0"
};

/// Checks one expectation against what the step did. Never throws: a missing
/// name is "not held" with "no object named X after this step".
ExpectationResult checkExpectation(const Expectation &e, const StepObservation &observed);

std::string_view expectationKindName(Expectation::Kind k);

} // namespace memscope::engine
