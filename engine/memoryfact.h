// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/device.h"
#include "engine/dtype.h"
#include "engine/layout.h"
#include "engine/overlap.h"
#include "engine/valuebytes.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

enum class Framework { NumPy, Torch, TensorFlow, Jax, CuPy, MemScope, Other };
std::string_view frameworkName(Framework f);

/// The allocation a view belongs to, when the framework tells (a torch
/// storage, the root of a NumPy base chain).
struct Allocation
{
    bool known = false;
    Address base = 0;
    std::uint64_t size = 0;
};

/// What an adapter observed about one Python-visible object, read from the
/// object itself (data pointer, strides, dtype, device) while it was alive.
struct MemoryFact
{
    std::uint64_t objectId = 0; ///< Python id() at the time of the snapshot
    std::vector<std::string> names; ///< names bound to the object, sorted
    Framework framework = Framework::Other;
    std::string typeName; ///< "numpy.ndarray", "torch.Tensor", "EagerTensor"
    std::string unsupported; ///< why no memory facts could be read; empty when they could

    DType dtype = DType::Float64;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> strides; ///< bytes
    Address data = 0; ///< address of element [0, ..., 0]
    Device device;
    bool readOnly = false;
    Allocation allocation;
    std::vector<std::string> flags; ///< "requires_grad", "conj", "neg", ...
    /// For an object whose element type MemScope does not show but whose
    /// bytes are known (a structured NumPy dtype, a byte-swapped one): its
    /// item size, so it still aliases what shares its bytes (`s['a']` of a
    /// structured `s`). 0 otherwise. Such an object is never read.
    std::int64_t opaqueItemSize = 0;

    /// Packed C-order element bytes (a copy), when the object was small enough
    /// and readable; empty otherwise. `valuesCaptured` tells the two apart for
    /// zero-size objects. Shared, immutable: steps in which the object did not
    /// change hold the same bytes (see SnapshotBuilder::build).
    ValueBytes values;
    bool valuesCaptured = false;
    /// XXH3 of the packed element bytes, for objects too large to copy but
    /// small enough to hash; lets copies be recognised by content.
    std::uint64_t valueHash = 0;
    bool valueHashed = false;

    bool isSupported() const { return unsupported.empty(); }
    std::int64_t numel() const; ///< saturates at INT64_MAX for absurd shapes (see readProblem())
    std::int64_t itemSize() const { return static_cast<std::int64_t>(engine::itemSize(dtype)); }
    std::int64_t nbytes() const { return numel() * itemSize(); }
    PlacedView placed() const { return {data, opaqueItemSize ? opaqueItemSize : itemSize(), shape, strides}; }
    /// Whether its bytes are known: supported, or opaque with a known item size.
    bool hasKnownBytes() const { return isSupported() || opaqueItemSize > 0; }
    /// The bytes the object touches, [lo, hi); lo == hi for zero-size objects.
    std::pair<Address, Address> extent() const { return placed().bounds(); }
    /// Its element layout from offset 0: unravel, flatOffset, contiguity.
    Layout layout() const { return {dtype, 0, shape, strides}; }
    std::string label() const; ///< first name, else "<type at 0x...>"
    /// Why this object's memory must not be read, as "memory not readable at
    /// 0x...: <why>"; empty when it may be (through the checked reader,
    /// engine/hostmemory.h). Refused: an element count or byte size
    /// (numel * itemsize) or byte extent that overflows int64, strides that do
    /// not match the shape, a null or near-null data pointer with elements, an
    /// extent outside the user address space, and a view that reaches outside
    /// its allocation when the allocation is known. Zero-size objects read
    /// nothing and are always fine.
    std::string readProblem() const;
};

} // namespace memscope::engine
