// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/valuebytes.h"

#include <algorithm>

namespace memscope::engine {

ValueBytes::ValueBytes(std::vector<std::byte> bytes)
{
    // No storage for no bytes: every empty value is the same (id() nullptr).
    if (!bytes.empty())
        m_bytes = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
}

ValueBytes ValueBytes::copyOf(std::span<const std::byte> bytes)
{
    return ValueBytes(std::vector<std::byte>(bytes.begin(), bytes.end()));
}

bool operator==(const ValueBytes &a, const ValueBytes &b)
{
    if (a.m_bytes == b.m_bytes)
        return true;
    return std::ranges::equal(a.span(), b.span());
}

} // namespace memscope::engine
