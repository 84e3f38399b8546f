// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/event.h"
#include "engine/memoryfact.h"

#include <optional>
#include <string>

namespace memscope::engine {

/// The one decider of how two objects relate (snapshots, `memscope.relation`,
/// the engine's event log): alias when their views share a byte in one
/// address space; otherwise, when `valuesEqual` (their elements in C order,
/// `a`'s cast to `b`'s dtype, as observed by the caller), transfer across
/// address spaces, convert across dtypes, copy else; unrelated when values
/// differ or were not compared. Never by function name.
Relation decideRelation(const MemoryFact &a, const MemoryFact &b, std::optional<bool> valuesEqual);
/// decideRelation with the values the facts hold (copied or hashed).
Relation relateFacts(const MemoryFact &a, const MemoryFact &b);

/// Whether the values the facts hold (copied, or hashed for same-dtype
/// contiguous objects) are equal in C order; nullopt when they hold none to
/// compare. Another element count is never equal.
std::optional<bool> recordedValuesEqual(const MemoryFact &a, const MemoryFact &b);
/// What disjoint memory with equal values is: transfer, convert or copy.
Relation equalValuesRelation(const MemoryFact &a, const MemoryFact &b);
/// The values of two live host objects with as many elements, read through
/// the checked reader and compared chunk by chunk, for objects too large to
/// have their values in the facts: a copy is a copy at any size. nullopt,
/// with the reason in `why`, when they cannot be read (device memory, an
/// unreadable page). Keep both objects alive while this runs.
std::optional<bool> liveValuesEqual(const MemoryFact &a, const MemoryFact &b, std::string &why);

} // namespace memscope::engine
