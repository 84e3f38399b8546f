// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/event.h"
#include "engine/memoryfact.h"
#include "engine/tensor.h"

namespace memscope::engine {

class Runtime;

// Operations on tensors. Each records an Event in `log` (when given) whose
// relation is observed from the result's addresses, not assumed from the
// operation's name: `to()` onto the same device returns the input itself, and
// the event says "alias" because the bytes are the same bytes.

/// What the engine knows of its own tensor, as an adapter reports an object:
/// layout, device, read-only flag and its allocation (no values, no names).
MemoryFact factOf(const Tensor &t);

/// Relation of `output` to `input` by the one decider (decideRelation): byte
/// overlap in one address space, else their values, read from both.
Relation observeRelation(const Tensor &input, const Tensor &output);

/// A view of memory someone else owns (a NumPy buffer); `keepAlive` holds
/// the owner. Records an "alias" event: nothing is copied.
Tensor wrap(Runtime &runtime, const Device &device, Address base, std::size_t bytes, Layout layout, Owner owner,
            std::shared_ptr<const void> keepAlive, bool readOnly, EventLog *log = nullptr);

/// A C-contiguous copy on the same device.
Tensor copy(Runtime &runtime, const Tensor &t, EventLog *log = nullptr);

/// The tensor on `device`: `t` itself when it is there already (unless
/// `forceCopy`), else a C-contiguous transfer.
Tensor to(Runtime &runtime, const Tensor &t, const Device &device, bool forceCopy = false, EventLog *log = nullptr);

/// Copies the values of `src` into the existing C-contiguous `dst` of the
/// same shape (torch's dst.copy_(src)), across devices and dtypes. Refuses a
/// read-only or non-contiguous `dst`, or a shape mismatch, before moving a byte.
void copyInto(Tensor &dst, const Tensor &src, EventLog *log = nullptr);

/// Converts to `dtype` with NumPy's casting rules. With `copy == false` and
/// the same dtype it returns `t` itself (NumPy's astype(copy=False)).
Tensor astype(Runtime &runtime, const Tensor &t, DType dtype, bool copy = true, EventLog *log = nullptr);

} // namespace memscope::engine
