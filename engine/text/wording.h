// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/snapshot.h"

#include <cstdint>
#include <string>

namespace memscope::engine {

// The one wording of observations: `memscope run`, its JSON, the canvas and
// (later) handouts all say the same thing in the same words.

/// 2000 -> "2,000".
std::string groupedNumber(std::uint64_t n);

/// "48 B" below 1 KiB; "7.63 MiB (8,000,000 B)" above.
std::string bytesText(std::uint64_t bytes);

/// What a relation is, without who: "alias, 48 B shared",
/// "copy · 48 B · H2H", "transfer · 16 B · H2D", "derived".
std::string relationSummary(const FactRelation &relation);

/// Who and what: "t2 = torch.tensor(a): copy · 48 B · H2H" when a statement
/// made the link, else "a ~ t: alias, 48 B shared".
std::string relationSentence(const Snapshot &snapshot, const FactRelation &relation);

} // namespace memscope::engine
