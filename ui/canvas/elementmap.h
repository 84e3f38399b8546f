// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/memoryfact.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace memscope::ui {

/// Where each element of a view starts inside a buffer: (byte offset from
/// `regionLo`, smallest flat index starting there), in address order. The
/// work is bounded by the region's bytes, never by the view's logical size:
/// np.broadcast_to(np.zeros(3), (10**9, 3)) gives 3 entries, not 3e9.
std::vector<std::pair<std::int64_t, std::int64_t>> elementStarts(const engine::MemoryFact &fact,
                                                                 engine::Address regionLo, std::int64_t regionBytes);

/// "a[1, 2]": the view's name and the multi-index of flat element `flat`.
std::string indexText(const engine::MemoryFact &fact, std::int64_t flat);

/// Byte offset of flat element `flat` of `fact` from `regionLo`.
std::int64_t elementOffset(const engine::MemoryFact &fact, engine::Address regionLo, std::int64_t flat);

} // namespace memscope::ui
