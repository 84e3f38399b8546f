// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/device.h"

namespace memscope::engine {

std::string Device::spec() const
{
    return isCpu() ? std::string("cpu") : "cuda:" + std::to_string(index);
}

std::string Device::toString() const
{
    return emulated ? spec() + " (emulated)" : spec();
}

Direction directionBetween(const Device &from, const Device &to)
{
    if (from.isCpu())
        return to.isCpu() ? Direction::H2H : Direction::H2D;
    return to.isCpu() ? Direction::D2H : Direction::D2D;
}

std::string_view directionName(Direction d)
{
    switch (d) {
    case Direction::H2H:
        return "H2H";
    case Direction::H2D:
        return "H2D";
    case Direction::D2H:
        return "D2H";
    case Direction::D2D:
        return "D2D";
    }
    return "?";
}

} // namespace memscope::engine
