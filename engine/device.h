// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace memscope::engine {

enum class DeviceKind { Cpu, Cuda };

/// Where memory lives. Each device is its own address space: equal addresses on
/// two devices are unrelated bytes. An emulated cuda device is a different
/// device from a real one, and says so wherever it is shown.
struct Device
{
    DeviceKind kind = DeviceKind::Cpu;
    int index = 0;
    bool emulated = false;

    static Device cpu() { return {}; }
    static Device cuda(int index, bool emulated) { return {DeviceKind::Cuda, index, emulated}; }

    bool isCpu() const { return kind == DeviceKind::Cpu; }
    /// "cpu", "cuda:0", or "cuda:0 (emulated)".
    std::string toString() const;
    /// The spelling torch uses ("cpu", "cuda:0"), without the emulated note.
    std::string spec() const;

    auto operator<=>(const Device &) const = default;
};

/// Which way bytes moved in a copy between two devices.
enum class Direction { H2H, H2D, D2H, D2D };

Direction directionBetween(const Device &from, const Device &to);
std::string_view directionName(Direction d);

} // namespace memscope::engine
