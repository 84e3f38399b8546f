// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Recordings: a whole timeline in one file, reopened without running anything
// (record on a GPU machine, show on a laptop). The format is described field
// by field in docs/RECORDING.md. This is the memscope_recording library (CBOR
// through nlohmann/json, zstd): the engine core does not need either.

#include "engine/step/step.h"
#include "engine/step/timeline.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace memscope::engine {

/// The format this MemScope writes and the newest it reads.
inline constexpr std::uint32_t kRecordingFormatVersion = 1;
/// The 8 bytes every recording starts with, then the format version as a
/// little-endian uint32, then one zstd frame of CBOR.
inline constexpr char kRecordingMagic[8] = {'M', 'S', 'R', 'E', 'C', '\0', '\r', '\n'};

/// Where and with what a recording was made, shown when it is opened.
struct RecordingInfo
{
    /// Read from the file's header; the writer always writes kRecordingFormatVersion.
    std::uint32_t formatVersion = kRecordingFormatVersion;
    std::string created; ///< ISO 8601 UTC, "2026-11-28T09:15:02Z" (recordingTimestamp())
    std::string memscopeVersion;
    std::string pythonVersion;
    std::map<std::string, std::string> frameworks; ///< "numpy" → "1.24.2", ...
    std::vector<std::string> devices; ///< the machine's devices as Device::toString() and a description
    std::string source; ///< the script's path, or "console"
    std::string title; ///< free-form

    bool operator==(const RecordingInfo &) const = default;
};

/// A recording in memory: its info and its steps, oldest first.
struct Recording
{
    RecordingInfo info;
    std::vector<std::shared_ptr<const Step>> steps;
};

/// What reading gives: the recording, or why it was refused.
struct RecordingResult
{
    std::optional<Recording> recording;
    /// Empty on success; else one sentence naming what is wrong and where:
    /// "step 4, fact 2: shape has 2 dims but strides 3". Step and fact numbers
    /// are positions in the file's arrays, counted from 0.
    std::string error;

    bool ok() const { return recording.has_value(); }
};

/// Bounds a reader enforces before allocating (a file may claim anything).
struct RecordingLimits
{
    std::uint64_t maxFileBytes = std::uint64_t {8} << 30;
    std::uint64_t maxContentBytes = std::uint64_t {8} << 30; ///< decompressed CBOR
};

/// The current time as the `created` field wants it (ISO 8601, UTC, seconds).
std::string recordingTimestamp();

/// The file's bytes for `steps` (oldest first; null steps are refused): each
/// distinct value holder is stored once, so values shared between steps stay
/// shared after reading. Returns an error when a step is inconsistent (the
/// reader would refuse it), naming the step and what is wrong; `bytes` is then
/// left empty.
std::string encodeRecording(std::span<const std::shared_ptr<const Step>> steps, const RecordingInfo &info,
                            std::vector<std::uint8_t> &bytes);
/// Reads a recording's bytes: validated completely, never trusted, never
/// crashing on any input. On error nothing of it is returned.
RecordingResult decodeRecording(std::span<const std::uint8_t> bytes, const RecordingLimits &limits = {});

/// Writes `steps` to `path` (through a temporary file renamed into place, so
/// a failed write leaves an existing file as it was). Returns an empty string
/// on success, else why it failed.
std::string writeRecording(const std::filesystem::path &path, std::span<const std::shared_ptr<const Step>> steps,
                           const RecordingInfo &info);
/// Reads and validates the recording at `path`.
RecordingResult readRecording(const std::filesystem::path &path, const RecordingLimits &limits = {});

/// The Timeline's packer: a step as a one-step recording in memory (CBOR,
/// zstd), a few KiB for what takes tens of KiB unpacked.
Timeline::Packer recordingPacker();

} // namespace memscope::engine
