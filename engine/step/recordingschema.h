// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The CBOR document of a recording, as nlohmann::json, both ways (private to
// memscope_recording; the format is docs/RECORDING.md).

#include "engine/step/recording.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <unordered_map>

namespace memscope::engine::recording {

/// A refused document, with where and what: "step 4, fact 2: 'shape' is missing".
class SchemaError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Each distinct value holder once, in first-seen order, referenced by index.
class ValueTable
{
public:
    /// The holder's index (added when new); -1 for no bytes.
    std::int64_t indexOf(const ValueBytes &bytes);
    nlohmann::json toJson() const;

private:
    std::unordered_map<const void *, std::int64_t> m_index;
    std::vector<ValueBytes> m_values;
};

/// What is inconsistent in a snapshot (per-fact lists of another length,
/// indices out of range, values of the wrong size), e.g. "fact 2: shape has
/// 2 dims but strides 3"; empty when nothing is. The reader refuses such a
/// snapshot and the writer will not write one.
std::string snapshotProblem(const Snapshot &s);

nlohmann::json infoToJson(const RecordingInfo &info);
nlohmann::json stepToJson(const Step &step, ValueTable &values);

/// Both throw SchemaError; `values` are the document's value blobs.
RecordingInfo infoFromJson(const nlohmann::json &j);
std::shared_ptr<const Step> stepFromJson(const nlohmann::json &j, std::size_t index,
                                         std::span<const ValueBytes> values);

} // namespace memscope::engine::recording
