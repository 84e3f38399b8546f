// SPDX-License-Identifier: GPL-3.0-or-later
// Element access for the editor: checked writes and windowed reads of objects
// of the latest snapshot, on the interpreter thread while they are alive.
#include "app/python/pythonbackend.h"

#include "engine/error.h"
#include "engine/hostmemory.h"
#include "engine/hostwrite.h"
#include "engine/runtime.h"
#include "engine/scalar.h"
#include "engine/tensor.h"

#include <pybind11/pybind11.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {

// Why the memory under a read-only NumPy array must not be written even when
// the user forces it, or "". Forcing is for memory that is writable
// underneath (writeable=False set by someone, a TensorFlow tensor's buffer);
// not for an immutable `bytes` object (its bytes are shared by every equal
// constant of the process) nor any exporter of a read-only buffer (an mmap
// opened for reading). `objectId` is the id() of the live object: the snapshot's
// references keep it alive while we hold the GIL.
std::string numpyRootRefusal(std::uint64_t objectId, Address data)
{
    py::handle obj(reinterpret_cast<PyObject *>(objectId));
    py::dict modules = py::module_::import("sys").attr("modules");
    if (!modules.contains("numpy"))
        return {};
    py::object ndarray = modules["numpy"].attr("ndarray");
    if (!py::isinstance(obj, ndarray))
        return "it is no longer the array of the snapshot";
    py::dict ai = obj.attr("__array_interface__");
    if (py::tuple(ai["data"])[0].cast<Address>() != data)
        return "it is no longer the array of the snapshot";
    py::object root = py::reinterpret_borrow<py::object>(obj);
    while (py::isinstance(root.attr("base"), ndarray))
        root = root.attr("base");
    py::object owner = root.attr("base");
    if (owner.is_none())
        return {}; // the array owns its memory
    const auto typeName = py::str(py::type::handle_of(owner).attr("__module__")).cast<std::string>() + "." +
        py::str(py::type::handle_of(owner).attr("__qualname__")).cast<std::string>();
    if (py::isinstance<py::bytes>(owner))
        return "its memory belongs to an immutable bytes object (equal bytes constants share it)";
    if (typeName.starts_with("tensorflow.") || typeName.starts_with("memscope."))
        return {}; // tensors whose buffers are writable underneath
    try {
        py::object view = py::module_::import("builtins").attr("memoryview")(owner);
        const bool readonly = view.attr("readonly").cast<bool>();
        view.attr("release")();
        if (readonly)
            return "its memory belongs to a read-only buffer (" + typeName + ")";
    } catch (const py::error_already_set &) {
        // No buffer protocol: nothing to ask; the page check below still guards.
    }
    return {};
}

// Why a forced write into the read-only object `f` is refused, or "".
std::string forcedWriteRefusal(const MemoryFact &f)
{
    if (f.framework == Framework::NumPy)
        return numpyRootRefusal(f.objectId, f.data);
    if (f.framework == Framework::MemScope &&
        std::any_of(f.flags.begin(), f.flags.end(), [](const std::string &fl) { return fl.starts_with("wraps "); }))
        // A read-only view of someone else's memory (memscope.from_numpy of a
        // read-only array): who owns it is not visible from here.
        return "it wraps read-only memory of another library; write through that library's object instead";
    return {};
}

const MemoryFact *findFact(const Snapshot *snapshot, std::uint64_t objectId)
{
    if (snapshot)
        for (const MemoryFact &f : snapshot->facts)
            if (f.objectId == objectId)
                return &f;
    return nullptr;
}
// The Python line an edit equals, to echo and replay: `t[0, 2] = 5  # edited
// in the grid`. Values Python spells differently from what was typed are
// written its way (`nan` is float('nan')).
std::string editStatement(const MemoryFact &f, std::int64_t flatIndex, const std::string &typed)
{
    const std::vector<std::int64_t> index = f.layout().unravel(flatIndex);
    std::string subscript;
    for (std::size_t d = 0; d < index.size(); ++d)
        subscript += (d ? ", " : "") + std::to_string(index[d]);
    if (index.empty())
        subscript = "()";
    std::string value = typed;
    std::string lower;
    for (char c : typed)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char *special : {"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"})
        if (lower == special)
            value = "float('" + lower + "')";
    if (lower == "true" || lower == "false")
        value = lower == "true" ? "True" : "False";
    return f.label() + "[" + subscript + "] = " + value + "  # edited in the grid";
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
                const std::string code = editStatement(*fact, flatIndex, text);
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
    const ElementTarget target {f.layout(), f.readOnly, f.label(), std::string(frameworkName(f.framework)),
                                ". Use \"write anyway\" to write through it."};
    ElementWrite w = prepareElementWrite(target, flatIndex, text, force ? WriteMode::Force : WriteMode::Checked);
    // Through a torch conj or neg view the typed value is what Python will
    // read back: store its conjugate / negation.
    applyViewBits(f.dtype, w.bytes.data(), 1, std::find(f.flags.begin(), f.flags.end(), "conj") != f.flags.end(),
                  std::find(f.flags.begin(), f.flags.end(), "neg") != f.flags.end());
    if (f.readOnly && force)
        if (const std::string why = forcedWriteRefusal(f); !why.empty())
            throw Error(ErrorCode::ReadOnly, f.label() + " cannot be written even with \"write anyway\": " + why);
    const Address at = f.data + static_cast<Address>(w.offset);
    if (!f.device.isCpu()) {
        m_runtime.backend(f.device)->copyFromHost(at, w.bytes.data(), w.size);
        return;
    }
    // The object is alive (held by the snapshot) and we hold the GIL; the
    // pages may still be mapped without write permission: the kernel checks.
    const HostWriteResult r = writeHostMemory(at, w.bytes.data(), w.size);
    if (r == HostWriteResult::NotWritable)
        throw Error(ErrorCode::ReadOnly,
                    f.label() +
                        " lies in memory mapped without write permission (a file "
                        "opened for reading?); nothing was written");
    if (r != HostWriteResult::Written)
        throw Error(ErrorCode::InvalidArgument,
                    f.label() + "'s memory is " + std::string(hostWriteResultName(r)) + "; nothing was written");
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
                    if (!backend) {
                        // Host memory only through the checked reader: an
                        // unreadable page is an error here, never a fault.
                        if (end > first &&
                            !gatherHostElements(fact->data, fact->shape, fact->strides, item, first, end - first,
                                                bytes.data(), &error))
                            bytes.clear();
                    } else {
                        for (std::int64_t e = first; e < end; ++e) {
                            const Address at = fact->data + static_cast<Address>(layout.flatOffset(e));
                            backend->copyToHost(bytes.data() + static_cast<std::size_t>(e - first) * item, at, item);
                        }
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
