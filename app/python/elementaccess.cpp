// SPDX-License-Identifier: GPL-3.0-or-later
// Element access for the editor: checked writes and windowed reads of objects
// of the latest snapshot, on the interpreter thread while they are alive.
#include "app/python/pythonbackend.h"

#include "engine/error.h"
#include "engine/runtime.h"
#include "engine/scalar.h"

#include <cstring>

using namespace memscope::engine;

namespace memscope::python {

namespace {
const MemoryFact *findFact(const Snapshot *snapshot, std::uint64_t objectId)
{
    if (snapshot)
        for (const MemoryFact &f : snapshot->facts)
            if (f.objectId == objectId)
                return &f;
    return nullptr;
}
} // namespace

void PythonBackend::writeElement(std::uint64_t objectId, std::int64_t flatIndex, std::string text, bool force,
                                 EditDone done)
{
    Failure fail = [done](std::string m) {
        return std::function<void()>([done, m] {
            if (done)
                done(nullptr, "MemScope internal error: " + m);
        });
    };
    post(
        [this, objectId, flatIndex, text = std::move(text), force, done = std::move(done)] {
            std::shared_ptr<Step> step;
            std::string error;
            const std::shared_ptr<const Snapshot> latest = latestSnapshot();
            const MemoryFact *fact = findFact(latest.get(), objectId);
            try {
                if (!fact)
                    throw Error(ErrorCode::InvalidArgument, "that object is no longer in the namespace");
                const std::string code = "edit " + fact->label() +
                    shapeText(Layout {fact->dtype, 0, fact->shape, fact->strides}.unravel(flatIndex)) + " = " + text;
                writeFactElement(*fact, flatIndex, text, force);
                step = std::make_shared<Step>();
                step->code = code;
                step->filename = "<edit>";
                step->snapshot = takeSnapshot(code);
            } catch (const Error &e) {
                error = e.what();
            }
            return std::function<void()>([done, step = std::shared_ptr<const Step>(step), error] {
                if (done)
                    done(step, error);
            });
        },
        std::move(fail));
}

void PythonBackend::writeFactElement(const MemoryFact &f, std::int64_t flatIndex, const std::string &text, bool force)
{
    if (!f.isSupported())
        throw Error(ErrorCode::Unsupported, f.label() + " cannot be edited: " + f.unsupported);
    if (f.readOnly && !force)
        throw Error(ErrorCode::ReadOnly,
                    f.label() + " is read-only (" + std::string(frameworkName(f.framework)) +
                        "); the edit was refused. Use \"write anyway\" to write through it.");
    const Layout layout {f.dtype, 0, f.shape, f.strides};
    if (flatIndex < 0 || flatIndex >= layout.numel())
        throw Error(ErrorCode::OutOfRange,
                    "element " + std::to_string(flatIndex) + " is outside " + f.label() + " (" +
                        std::to_string(layout.numel()) + " elements)");
    const Scalar value = parseScalar(f.dtype, text); // throws, naming the text and the dtype
    std::byte bytes[16];
    storeScalar(f.dtype, value, bytes);
    const Address at = f.data + static_cast<Address>(layout.flatOffset(flatIndex));
    // The object is alive (held by the snapshot) and we hold the GIL.
    m_runtime.backend(f.device)->copyFromHost(at, bytes, itemSize(f.dtype));
}

void PythonBackend::readElements(std::uint64_t objectId, std::int64_t first, std::int64_t count, ElementsRead done)
{
    Failure fail = [done](std::string m) {
        return std::function<void()>([done, m] {
            if (done)
                done({}, m);
        });
    };
    post(
        [this, objectId, first, count, done = std::move(done)] {
            std::vector<std::byte> bytes;
            std::string error;
            const std::shared_ptr<const Snapshot> latest = latestSnapshot();
            const MemoryFact *fact = findFact(latest.get(), objectId);
            if (!fact || !fact->isSupported()) {
                error = "that object is no longer in the namespace";
            } else {
                // Alive: held by the snapshot's references; we hold the GIL.
                const Layout layout {fact->dtype, 0, fact->shape, fact->strides};
                const std::int64_t end = std::min(first + count, layout.numel());
                const auto item = static_cast<std::size_t>(fact->itemSize());
                bytes.resize(static_cast<std::size_t>(std::max<std::int64_t>(0, end - first)) * item);
                auto backend = fact->device.isCpu() ? nullptr : m_runtime.backend(fact->device);
                try {
                    for (std::int64_t e = first; e < end; ++e) {
                        const Address at = fact->data + static_cast<Address>(layout.flatOffset(e));
                        std::byte *dst = bytes.data() + static_cast<std::size_t>(e - first) * item;
                        if (backend)
                            backend->copyToHost(dst, at, item);
                        else
                            std::memcpy(dst, reinterpret_cast<const void *>(at), item);
                    }
                } catch (const std::exception &e) {
                    bytes.clear();
                    error = e.what();
                }
            }
            return [done, bytes = std::move(bytes), error]() mutable {
                if (done)
                    done(std::move(bytes), error);
            };
        },
        std::move(fail));
}

} // namespace memscope::python
