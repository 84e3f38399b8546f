// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/buffer.h"
#include "engine/layout.h"
#include "engine/overlap.h"
#include "engine/scalar.h"

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace memscope::engine {

class Runtime;

enum class WriteMode {
    Checked, ///< refuse read-only memory
    Force ///< write anyway (to show what writing through a read-only alias does)
};

/// What a checked element write goes to, for prepareElementWrite: a view and
/// what to call it in messages.
struct ElementTarget
{
    Layout layout; ///< the view; offsets below are relative to the base of `layout`
    bool readOnly = false;
    std::string name; ///< who is written: "ro", "element (1, 2)"
    std::string owner; ///< whose memory: "numpy", "engine buffer 3"
    std::string forceHint; ///< appended to a read-only refusal: how to write anyway
};

/// One element write, checked and encoded; nothing has been written yet.
struct ElementWrite
{
    std::int64_t offset = 0; ///< byte offset of the element from the layout's base
    Scalar value;
    std::array<std::byte, 16> bytes {}; ///< `value` stored as the layout's dtype
    std::size_t size = 0; ///< item size: how many of `bytes` to write
};

/// The one checked element writer's checks, shared by Tensor::setFromText and
/// the editor's writes into Python objects: the index exists
/// (Error(OutOfRange)), the target may be written (Error(ReadOnly) unless
/// `mode` is Force), and `text` is a value of the dtype (parseScalar: range,
/// overflow and syntax). Then the value is encoded. Throws in that order;
/// never writes. The caller writes `bytes` at `offset` with its transport.
ElementWrite prepareElementWrite(const ElementTarget &target, std::span<const std::int64_t> index,
                                 std::string_view text, WriteMode mode);
/// The same for flat element `flatIndex` (C order over the shape).
ElementWrite prepareElementWrite(const ElementTarget &target, std::int64_t flatIndex, std::string_view text,
                                 WriteMode mode);

/// Element count of `shape` and its byte size for `dtype`; throws
/// Error(InvalidArgument) naming the shape when a dimension is negative or
/// either count does not fit in int64 ((2**40, 2**40) of float64).
std::int64_t checkedByteSize(DType dtype, std::span<const std::int64_t> shape);

/// A strided view of a Buffer: MemScope's own tensors (engine-owned buffers)
/// and "foreign" views that describe a NumPy array or torch tensor without
/// owning it. Copying a Tensor copies the view, never the bytes.
class Tensor
{
public:
    /// Throws Error(OutOfRange) when the layout reaches outside the buffer.
    Tensor(std::shared_ptr<Buffer> buffer, Layout layout, bool readOnly = false);

    static Tensor empty(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape);
    static Tensor zeros(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape);
    /// Values are cast to `dtype` with NumPy's rules; their count must match the shape.
    static Tensor fromValues(Runtime &runtime, const Device &device, DType dtype, std::vector<std::int64_t> shape,
                             std::span<const Scalar> values);

    const Buffer &buffer() const { return *m_buffer; }
    const std::shared_ptr<Buffer> &bufferPtr() const { return m_buffer; }
    const Layout &layout() const { return m_layout; }
    DType dtype() const { return m_layout.dtype; }
    const std::vector<std::int64_t> &shape() const { return m_layout.shape; }
    const std::vector<std::int64_t> &strides() const { return m_layout.strides; }
    Device device() const { return m_buffer->device(); }
    std::int64_t numel() const { return m_layout.numel(); }
    std::int64_t nbytes() const { return numel() * m_layout.itemSize(); }
    bool readOnly() const { return m_readOnly; }
    /// Address of element [0, ..., 0] in the device's address space.
    Address data() const { return m_buffer->base() + static_cast<Address>(m_layout.offset); }
    /// This view placed in its address space, for overlap questions.
    PlacedView placed() const { return PlacedView::of(m_buffer->base(), m_layout); }

    Scalar get(std::span<const std::int64_t> index) const;
    Scalar getFlat(std::int64_t flat) const;
    /// Writes `value` cast with NumPy's rules. Throws Error(ReadOnly) for a
    /// read-only view unless mode is Force, Error(OutOfRange) for a bad index.
    void set(std::span<const std::int64_t> index, const Scalar &value, WriteMode mode = WriteMode::Checked);
    /// Parses `text` as this dtype first (range-checked; see parseScalar), through
    /// prepareElementWrite: the same checks as the editor's writes.
    void setFromText(std::span<const std::int64_t> index, std::string_view text, WriteMode mode = WriteMode::Checked);

    /// The elements in C order, as packed host bytes (staged through a
    /// device-to-host copy for device memory). `bytesRead` gets what crossed.
    std::vector<std::byte> contiguousBytes(std::size_t *bytesRead = nullptr) const;
    std::vector<Scalar> values() const;

    // Views: same buffer, new layout. A broadcast view is read-only, as in NumPy.
    Tensor slice(int dim, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                 std::int64_t step = 1) const;
    Tensor select(int dim, std::int64_t index) const;
    Tensor permute(std::span<const int> perm) const;
    Tensor transpose() const;
    Tensor reshape(std::span<const std::int64_t> shape) const;
    Tensor view(DType dtype) const;
    Tensor broadcastTo(std::span<const std::int64_t> shape) const;
    Tensor asReadOnly() const { return Tensor(m_buffer, m_layout, true); }

private:
    std::int64_t checkedOffset(std::span<const std::int64_t> index) const;
    ElementTarget elementTarget(std::span<const std::int64_t> index) const;
    void writeElement(std::int64_t offset, const std::byte *bytes, std::size_t size, WriteMode mode);

    std::shared_ptr<Buffer> m_buffer;
    Layout m_layout;
    bool m_readOnly;
};

} // namespace memscope::engine
