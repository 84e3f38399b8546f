// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/operations.h"

#include "engine/error.h"
#include "engine/relation.h"
#include "engine/runtime.h"

#include <chrono>

namespace memscope::engine {

namespace {

using Clock = std::chrono::steady_clock;

void record(EventLog *log, std::string operation, const Tensor &in, const Tensor &out, std::vector<Transfer> transfers,
            Clock::time_point started)
{
    if (!log)
        return;
    Event e;
    e.operation = std::move(operation);
    e.inputBuffers = {in.buffer().id()};
    e.outputBuffers = {out.buffer().id()};
    // The engine wrote out's values from in's (cast to out's dtype), so they
    // are equal; whether that is an alias, copy, convert or transfer is still
    // decided from the bytes, by the one decider.
    e.relation = decideRelation(factOf(in), factOf(out), true);
    e.transfers = std::move(transfers);
    e.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started);
    log->record(std::move(e));
}

void castBytes(DType from, const std::byte *src, DType to, std::byte *dst, std::size_t count)
{
    const std::size_t inSize = itemSize(from);
    const std::size_t outSize = itemSize(to);
    for (std::size_t i = 0; i < count; ++i)
        storeScalar(to, loadScalar(from, src + i * inSize), dst + i * outSize);
}

// Moves the values of `src` into the C-contiguous `out`, the cheapest way the
// backends allow; every movement lands in `transfers`.
void transferInto(Tensor &out, const Tensor &src, std::vector<Transfer> &transfers)
{
    const auto n = static_cast<std::uint64_t>(out.nbytes());
    if (n == 0)
        return;
    const Device device = out.device();
    const DType dtype = out.dtype();
    DeviceBackend &from = src.buffer().backend();
    DeviceBackend &into = out.buffer().backend();
    const bool sameDevice = src.device() == device;

    if (dtype == src.dtype()) {
        if (src.layout().isCContiguous()) {
            if (sameDevice) {
                into.copyWithin(out.data(), src.data(), n);
                transfers.push_back({directionBetween(src.device(), device), n});
                return;
            }
            if (from.hostAccessible()) {
                into.copyFromHost(out.data(), reinterpret_cast<const void *>(src.data()), n);
                transfers.push_back({directionBetween(src.device(), device), n});
                return;
            }
            if (into.hostAccessible()) {
                from.copyToHost(reinterpret_cast<void *>(out.data()), src.data(), n);
                transfers.push_back({Direction::D2H, n});
                return;
            }
        } else if (sameDevice && !from.hostAccessible() &&
                   from.gather(out.data(), src.data(), src.shape(), src.strides(), itemSize(dtype))) {
            transfers.push_back({Direction::D2D, n});
            return;
        }
    }

    // General path: gather on the host (one D2H of the extent for device
    // memory), cast there, then place the result.
    std::size_t read = 0;
    std::vector<std::byte> packed = src.contiguousBytes(&read);
    if (!from.hostAccessible())
        transfers.push_back({Direction::D2H, read});
    if (dtype != src.dtype()) {
        std::vector<std::byte> cast(n);
        castBytes(src.dtype(), packed.data(), dtype, cast.data(), static_cast<std::size_t>(src.numel()));
        packed.swap(cast);
    }
    into.copyFromHost(out.data(), packed.data(), n);
    transfers.push_back({into.hostAccessible() ? Direction::H2H : Direction::H2D, n});
}

Tensor materialize(Runtime &runtime, const Tensor &src, const Device &device, DType dtype,
                   std::vector<Transfer> &transfers)
{
    Tensor out = Tensor::empty(runtime, device, dtype, src.shape());
    transferInto(out, src, transfers);
    return out;
}

} // namespace

MemoryFact factOf(const Tensor &t)
{
    MemoryFact f;
    f.framework = Framework::MemScope;
    f.typeName = "memscope.Tensor";
    f.dtype = t.dtype();
    f.shape = t.shape();
    f.strides = t.strides();
    f.data = t.data();
    f.device = t.device();
    f.readOnly = t.readOnly();
    f.allocation = {true, t.buffer().base(), t.buffer().size()};
    return f;
}

Relation observeRelation(const Tensor &input, const Tensor &output)
{
    MemoryFact a = factOf(input);
    MemoryFact b = factOf(output);
    if (const Relation r = decideRelation(a, b, std::nullopt); r == Relation::Alias)
        return r;
    for (auto [fact, t] : {std::pair {&a, &input}, std::pair {&b, &output}}) {
        fact->values = ValueBytes(t->contiguousBytes());
        fact->valuesCaptured = true;
    }
    return relateFacts(a, b);
}

Tensor wrap(Runtime &runtime, const Device &device, Address base, std::size_t bytes, Layout layout, Owner owner,
            std::shared_ptr<const void> keepAlive, bool readOnly, EventLog *log)
{
    const auto started = Clock::now();
    Tensor t(Buffer::foreign(runtime, device, base, bytes, owner, std::move(keepAlive)), std::move(layout), readOnly);
    record(log, "wrap", t, t, {}, started);
    return t;
}

Tensor copy(Runtime &runtime, const Tensor &t, EventLog *log)
{
    const auto started = Clock::now();
    std::vector<Transfer> transfers;
    Tensor out = materialize(runtime, t, t.device(), t.dtype(), transfers);
    record(log, "copy", t, out, std::move(transfers), started);
    return out;
}

Tensor to(Runtime &runtime, const Tensor &t, const Device &device, bool forceCopy, EventLog *log)
{
    const auto started = Clock::now();
    std::vector<Transfer> transfers;
    Tensor out = (!forceCopy && t.device() == device) ? t : materialize(runtime, t, device, t.dtype(), transfers);
    record(log, "to(" + device.toString() + ")", t, out, std::move(transfers), started);
    return out;
}

void copyInto(Tensor &dst, const Tensor &src, EventLog *log)
{
    const auto started = Clock::now();
    if (dst.shape() != src.shape())
        throw Error(ErrorCode::InvalidArgument,
                    "cannot copy shape " + shapeText(src.shape()) + " into shape " + shapeText(dst.shape()));
    if (dst.readOnly())
        throw Error(ErrorCode::ReadOnly, "the destination is read-only; the copy was refused");
    if (!dst.layout().isCContiguous())
        throw Error(ErrorCode::Unsupported,
                    "copy into a non-contiguous destination (" + dst.layout().describe() + ") is not supported");
    std::vector<Transfer> transfers;
    transferInto(dst, src, transfers);
    record(log, "copy_", src, dst, std::move(transfers), started);
}

Tensor astype(Runtime &runtime, const Tensor &t, DType dtype, bool copy, EventLog *log)
{
    const auto started = Clock::now();
    std::vector<Transfer> transfers;
    Tensor out = (!copy && t.dtype() == dtype) ? t : materialize(runtime, t, t.device(), dtype, transfers);
    record(log, "astype(" + std::string(numpyName(dtype)) + ")", t, out, std::move(transfers), started);
    return out;
}

} // namespace memscope::engine
