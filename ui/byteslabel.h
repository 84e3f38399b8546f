// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs none of this.
#ifndef Q_MOC_RUN
#include "engine/text/wording.h"
#endif

#include <QString>

#include <cstdint>

namespace memscope::ui {

/// A byte count in the one wording every panel, the run output and exports
/// share: "48 B", "7.63 MiB (8,000,000 B)".
inline QString bytesLabel(std::uint64_t bytes)
{
    return QString::fromStdString(engine::bytesText(bytes));
}

} // namespace memscope::ui
