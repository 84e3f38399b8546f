// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/adapters.h"

#include "app/python/dlpack.h"
#include "engine/error.h"
#include "engine/hostmemory.h"
#include "engine/operations.h"
#include "engine/pagehash.h"
#include "engine/scalar.h"
#include "engine/tensor.h"

#include <algorithm>
#include <exception>
#include <map>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

/// The module object if `name` is already imported, else None. Never imports.
py::object loadedModule(const char *name)
{
    py::dict modules = py::module_::import("sys").attr("modules");
    return modules.contains(name) ? py::object(modules[name]) : py::none();
}

// The C-level type name: never runs Python code, never throws.
std::string safeTypeName(py::handle obj)
{
    const char *name = Py_TYPE(obj.ptr())->tp_name;
    return name ? name : "<unnamed type>";
}

namespace {

bool isInstance(py::handle obj, py::handle module, const char *attr)
{
    if (module.is_none() || !py::hasattr(module, attr))
        return false;
    return py::isinstance(obj, module.attr(attr));
}

std::string typeNameOf(py::handle obj)
{
    py::handle type = py::type::handle_of(obj);
    return py::str(type.attr("__module__")).cast<std::string>() + "." +
        py::str(type.attr("__qualname__")).cast<std::string>();
}

// UTF-8 of str(x), undecodable characters escaped; never throws, whatever
// __str__ does.
std::string safeText(py::handle x)
{
    PyObject *text = PyObject_Str(x.ptr());
    if (!text) {
        PyErr_Clear();
        return "<str() failed>";
    }
    PyObject *bytes = PyUnicode_AsEncodedString(text, "utf-8", "backslashreplace");
    Py_DECREF(text);
    if (!bytes) {
        PyErr_Clear();
        return "<undecodable text>";
    }
    std::string out(PyBytes_AS_STRING(bytes), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes)));
    Py_DECREF(bytes);
    return out;
}

// Why an exception escaped an adapter, without calling e.what() (which runs
// the exception's __str__ and cannot report a failure of it).
std::string reasonOf(const py::error_already_set &e)
{
    std::string type = "exception";
    if (e.type())
        type = reinterpret_cast<PyTypeObject *>(e.type().ptr())->tp_name;
    return type + ": " + (e.value() ? safeText(e.value()) : std::string());
}

// An attribute as numpy.ndarray itself defines it, not as a subclass
// overrides it: a subclass's __array_interface__ property may lie about the
// pointer (c65), so reads of memory never trust it.
py::object ndarrayAttr(py::handle ndarrayType, py::handle a, const char *name)
{
    return ndarrayType.attr("__dict__")[name].attr("__get__")(a, py::type::handle_of(a));
}

// Marks the fact unsupported when its memory must not be read.
bool refuseUnreadable(MemoryFact &f)
{
    if (!f.isSupported())
        return true;
    if (std::string why = f.readProblem(); !why.empty())
        f.unsupported = std::move(why);
    return !f.isSupported();
}

std::vector<std::int64_t> toInts(py::handle seq)
{
    std::vector<std::int64_t> out;
    for (py::handle v : seq)
        out.push_back(v.cast<std::int64_t>());
    return out;
}

std::vector<std::int64_t> contiguousStrides(const std::vector<std::int64_t> &shape, DType dtype)
{
    return Layout::contiguous(dtype, shape).strides;
}

// The adapter limits, plus which memory is private and anonymous so large
// contiguous arrays are hashed in place (see HostMap): one map per namespace
// scan; null (checked reads only) for single inspections.
struct Limits : AdapterOptions
{
    Limits(const AdapterOptions &options, const HostMap *map)
        : AdapterOptions(options)
        , direct(map)
    { }
    const HostMap *direct = nullptr;
};

// Copies (small) or hashes (contiguous, larger) the values of a host view,
// through the checked reader only. Checks the extent first; a view whose
// memory cannot be read becomes unsupported ("memory not readable at 0x...").
// Large views are not read here at all (a broadcast view's logical size costs
// nothing): change detection reads their allocation, also checked.
void captureHostValues(MemoryFact &f, const Limits &options)
{
    if (refuseUnreadable(f) || !f.device.isCpu())
        return;
    const auto bytes = static_cast<std::uint64_t>(f.nbytes());
    std::string error;
    if (bytes <= options.valueLimit) {
        std::vector<std::byte> values(static_cast<std::size_t>(bytes));
        if (!gatherHost(f.data, f.shape, f.strides, static_cast<std::size_t>(f.itemSize()), values.data(), &error)) {
            f.unsupported = error;
            return;
        }
        f.values = ValueBytes(std::move(values));
        f.valuesCaptured = true;
        f.valueHash = hashBytes(f.values.data(), f.values.size());
        f.valueHashed = true;
    } else if (bytes <= options.hashLimit && f.layout().isCContiguous()) {
        if (!hashHost(f.data, bytes, &f.valueHash, &error, options.direct)) {
            f.unsupported = error;
            return;
        }
        f.valueHashed = true;
    }
}

// NumPy dtype -> DType, or a reason it is not supported.
std::optional<DType> numpyDType(py::handle dtype, std::string &why)
{
    const auto name = py::str(dtype.attr("name")).cast<std::string>();
    if (!dtype.attr("fields").is_none()) {
        why = "structured dtype " + py::str(dtype).cast<std::string>() + " has no single element type";
        return std::nullopt;
    }
    if (name == "bfloat16")
        return DType::BFloat16; // ml_dtypes, as TensorFlow uses it
    const auto byteorder = py::str(dtype.attr("byteorder")).cast<std::string>();
    if (byteorder == ">") {
        why = "byte-swapped (big-endian) " + name + ": MemScope reads native byte order only";
        return std::nullopt;
    }
    try {
        return parseDType(name);
    } catch (const Error &) {
        why = "dtype " + name + " is not a numeric type MemScope shows";
        return std::nullopt;
    }
}

MemoryFact startFact(Framework framework, py::handle obj)
{
    MemoryFact f;
    f.framework = framework;
    f.typeName = typeNameOf(obj);
    return f;
}

// Pointer, read-only flag, shape and strides from an array-interface dict
// (__array_interface__ or __cuda_array_interface__: the same fields, version 3).
void fillFromInterface(MemoryFact &f, py::dict ai)
{
    py::tuple data = ai["data"];
    f.data = data[0].cast<Address>();
    f.readOnly = data[1].cast<bool>();
    f.shape = toInts(ai["shape"]);
    const py::object strides = ai.contains("strides") ? py::object(ai["strides"]) : py::none();
    f.strides = strides.is_none() ? contiguousStrides(f.shape, f.dtype) : toInts(strides);
}

// Where an array whose element type is not shown (structured, byte-swapped)
// lies: pointer, shape, byte strides and item size, so it still aliases what
// shares its bytes. Left unknown when the numbers overflow; never read.
void opaqueBytes(MemoryFact &f, py::handle dtype, py::dict ai, py::handle strides)
{
    try {
        const auto item = dtype.attr("itemsize").cast<std::int64_t>();
        std::vector<std::int64_t> shape = toInts(ai["shape"]);
        std::vector<std::int64_t> byteStrides = toInts(strides);
        if (item <= 0 || shape.size() != byteStrides.size())
            return;
        std::int64_t reach = item;
        for (std::size_t d = 0; d < shape.size(); ++d) {
            std::int64_t span = 0;
            if (shape[d] < 0 ||
                __builtin_mul_overflow(shape[d] > 0 ? shape[d] - 1 : 0, std::abs(byteStrides[d]), &span) ||
                __builtin_add_overflow(reach, span, &reach))
                return;
        }
        f.data = py::tuple(ai["data"])[0].cast<Address>();
        f.shape = std::move(shape);
        f.strides = std::move(byteStrides);
        f.opaqueItemSize = item;
    } catch (const py::error_already_set &) { }
}

MemoryFact numpyFact(py::handle a, const Limits &options)
{
    MemoryFact f = startFact(Framework::NumPy, a);
    py::object np = loadedModule("numpy");
    py::object ndarray = np.attr("ndarray");
    std::string why;
    const py::object npDtype = ndarrayAttr(ndarray, a, "dtype");
    const auto dtype = numpyDType(npDtype, why);
    if (!dtype) {
        f.unsupported = why;
        opaqueBytes(f, npDtype, ndarrayAttr(ndarray, a, "__array_interface__"), ndarrayAttr(ndarray, a, "strides"));
        return f;
    }
    f.dtype = *dtype;
    fillFromInterface(f, ndarrayAttr(ndarray, a, "__array_interface__"));
    // The allocation: the root of the base chain, when that root owns its data.
    // as_strided() views hang off a DummyArray whose `base` is the array they view.
    py::object dummy = py::none();
    if (py::object tricks = loadedModule("numpy.lib.stride_tricks"); py::hasattr(tricks, "DummyArray"))
        dummy = tricks.attr("DummyArray");
    py::object root = py::reinterpret_borrow<py::object>(a);
    for (int depth = 0; depth < 100000; ++depth) {
        py::object base = ndarrayAttr(ndarray, root, "base");
        if (py::isinstance(base, ndarray)) {
            root = base;
        } else if (!dummy.is_none() && py::isinstance(base, dummy) && py::hasattr(base, "base") &&
                   py::isinstance(base.attr("base"), ndarray)) {
            root = base.attr("base");
        } else {
            break;
        }
    }
    if (ndarrayAttr(ndarray, root, "base").is_none()) {
        py::dict ai = ndarrayAttr(ndarray, root, "__array_interface__");
        f.allocation = {true, py::tuple(ai["data"])[0].cast<Address>(),
                        ndarrayAttr(ndarray, root, "nbytes").cast<std::uint64_t>()};
    }
    captureHostValues(f, options);
    return f;
}

MemoryFact torchFact(py::handle t, const Limits &options)
{
    MemoryFact f = startFact(Framework::Torch, t);
    const auto layout = py::str(t.attr("layout")).cast<std::string>();
    if (layout != "torch.strided") {
        f.unsupported = layout + " tensors have no single strided buffer";
        return f;
    }
    const auto dtypeName = py::str(t.attr("dtype")).cast<std::string>();
    try {
        f.dtype = parseDType(dtypeName);
    } catch (const Error &) {
        f.unsupported = "dtype " + dtypeName + " is not a numeric type MemScope shows";
        return f;
    }
    py::object device = t.attr("device");
    const auto kind = py::str(device.attr("type")).cast<std::string>();
    if (kind == "cuda") {
        f.device = Device::cuda(device.attr("index").is_none() ? 0 : device.attr("index").cast<int>(), false);
    } else if (kind != "cpu") {
        f.unsupported = "device " + py::str(device).cast<std::string>() + " is not observed by MemScope";
        return f;
    }
    f.data = t.attr("data_ptr")().cast<Address>();
    f.shape = toInts(t.attr("shape"));
    const std::int64_t item = f.itemSize();
    for (std::int64_t s : toInts(t.attr("stride")()))
        f.strides.push_back(s * item);
    // The storage is the allocation. untyped_storage() from torch 2.0; storage() before.
    try {
        py::object storage = py::hasattr(t, "untyped_storage") ? t.attr("untyped_storage")() : t.attr("storage")();
        f.allocation = {true, storage.attr("data_ptr")().cast<Address>(),
                        storage.attr("nbytes")().cast<std::uint64_t>()};
    } catch (const py::error_already_set &) { }
    if (t.attr("requires_grad").cast<bool>())
        f.flags.push_back("requires_grad");
    if (py::hasattr(t, "is_conj") && t.attr("is_conj")().cast<bool>())
        f.flags.push_back("conj");
    if (py::hasattr(t, "is_neg") && t.attr("is_neg")().cast<bool>())
        f.flags.push_back("neg");
    if (f.device.isCpu()) {
        captureHostValues(f, options);
        // The values Python sees: a conj or neg view stores its base's bytes.
        const bool conj = std::find(f.flags.begin(), f.flags.end(), "conj") != f.flags.end();
        const bool neg = std::find(f.flags.begin(), f.flags.end(), "neg") != f.flags.end();
        if (f.valuesCaptured && (conj || neg)) {
            std::vector<std::byte> values = f.values.toVector();
            applyViewBits(f.dtype, values.data(), values.size() / static_cast<std::size_t>(f.itemSize()), conj, neg);
            f.values = ValueBytes(std::move(values));
            f.valueHash = hashBytes(f.values.data(), f.values.size());
        } else if (conj || neg) {
            f.valueHashed = false; // a hash of stored bytes is not of the values
        }
    } else if (!refuseUnreadable(f) && static_cast<std::uint64_t>(f.nbytes()) <= options.valueLimit) {
        // A small host copy of device memory, to show and compare values.
        py::object host = t.attr("detach")().attr("cpu")().attr("contiguous")();
        std::vector<std::byte> values(static_cast<std::size_t>(f.nbytes()));
        std::string error;
        if (readHost(host.attr("data_ptr")().cast<Address>(), values, &error)) {
            f.values = ValueBytes(std::move(values));
            f.valuesCaptured = true;
        } else {
            f.unsupported = error;
        }
    }
    return f;
}

MemoryFact tensorflowFact(py::handle t, const Limits &options)
{
    MemoryFact f = startFact(Framework::TensorFlow, t);
    f.readOnly = true; // TensorFlow tensors are immutable
    f.flags.push_back("immutable");
    const auto dtypeName = py::str(t.attr("dtype").attr("name")).cast<std::string>();
    try {
        f.dtype = parseDType(dtypeName);
    } catch (const Error &) {
        f.unsupported = "dtype tf." + dtypeName + " is not a numeric type MemScope shows";
        return f;
    }
    const auto device = py::str(t.attr("device")).cast<std::string>();
    if (device.find("GPU") == std::string::npos && device.find("CPU") != std::string::npos) {
        // np.asarray(t) is a zero-copy, read-only view through the buffer protocol.
        py::object view = loadedModule("numpy").attr("asarray")(t);
        fillFromInterface(f, view.attr("__array_interface__"));
        f.readOnly = true;
        captureHostValues(f, options);
        return f;
    }
    // Other devices: the tensor's own DLPack capsule tells its pointer.
    try {
        py::object capsule = loadedModule("tensorflow").attr("experimental").attr("dlpack").attr("to_dlpack")(t);
        fillFromDlpack(f, capsule);
        f.readOnly = true;
        refuseUnreadable(f);
    } catch (const std::exception &e) {
        f.unsupported = std::string("TensorFlow tensor on ") + device + " could not be read: " + e.what();
    }
    return f;
}

MemoryFact cudaArrayInterfaceFact(py::handle x, Framework framework, const AdapterOptions &)
{
    MemoryFact f = startFact(framework, x);
    py::dict cai = x.attr("__cuda_array_interface__");
    std::string why;
    const auto dtype = numpyDType(loadedModule("numpy").attr("dtype")(cai["typestr"]), why);
    if (!dtype) {
        f.unsupported = why;
        return f;
    }
    f.dtype = *dtype;
    fillFromInterface(f, cai);
    f.device = Device::cuda(py::hasattr(x, "device") ? x.attr("device").attr("id").cast<int>() : 0, false);
    refuseUnreadable(f);
    return f;
}

MemoryFact jaxFact(py::handle x, const Limits &options)
{
    MemoryFact f = startFact(Framework::Jax, x);
    f.readOnly = true; // jax arrays are immutable
    std::string why;
    const auto dtype = numpyDType(x.attr("dtype"), why);
    if (!dtype) {
        f.unsupported = why;
        return f;
    }
    f.dtype = *dtype;
    try {
        f.data = x.attr("unsafe_buffer_pointer")().cast<Address>();
    } catch (const py::error_already_set &e) {
        f.unsupported = std::string("no single buffer (sharded array?): ") + e.what();
        return f;
    }
    f.shape = toInts(x.attr("shape"));
    f.strides = contiguousStrides(f.shape, f.dtype); // jax buffers are dense, row-major
    py::object devices = x.attr("devices")();
    py::object dev = py::reinterpret_borrow<py::object>(*devices.begin());
    const auto platform = py::str(dev.attr("platform")).cast<std::string>();
    if (platform == "gpu" || platform == "cuda") {
        f.device = Device::cuda(dev.attr("id").cast<int>(), false);
    } else if (platform != "cpu") {
        f.unsupported = "jax device platform '" + platform + "' is not observed by MemScope";
        return f;
    }
    captureHostValues(f, options);
    return f;
}

MemoryFact memscopeFact(const Tensor &t, const Limits &options)
{
    MemoryFact f = factOf(t);
    if (t.buffer().owner() != Owner::Engine)
        f.flags.push_back(std::string("wraps ") + std::string(ownerName(t.buffer().owner())) + " memory");
    if (f.device.isCpu()) {
        captureHostValues(f, options);
    } else if (!refuseUnreadable(f) && static_cast<std::uint64_t>(f.nbytes()) <= options.valueLimit) {
        f.values = ValueBytes(t.contiguousBytes());
        f.valuesCaptured = true;
    }
    return f;
}

} // namespace

namespace {

enum class Kind { None, MemScope, NumPy, Torch, TensorFlow, TensorFlowVariable, CuPy, Jax };

// Which adapter an object is for. May throw (isinstance runs Python code).
Kind kindOf(py::handle obj)
{
    if (py::isinstance<Tensor>(obj))
        return Kind::MemScope;
    if (py::object np = loadedModule("numpy"); isInstance(obj, np, "ndarray"))
        return Kind::NumPy;
    if (py::object torch = loadedModule("torch"); isInstance(obj, torch, "Tensor"))
        return Kind::Torch;
    // Throws for a class whose __module__ raises: such an object is no array.
    const std::string typeName = typeNameOf(obj);
    if (typeName.starts_with("tensorflow.") && typeName.ends_with("EagerTensor"))
        return Kind::TensorFlow;
    if (typeName.starts_with("tensorflow.") && typeName.find("Variable") != std::string::npos)
        return Kind::TensorFlowVariable;
    if (py::object cupy = loadedModule("cupy"); isInstance(obj, cupy, "ndarray"))
        return Kind::CuPy;
    if (py::object jax = loadedModule("jax"); isInstance(obj, jax, "Array"))
        return Kind::Jax;
    return Kind::None;
}

std::optional<MemoryFact> inspectKnown(py::handle obj, Kind kind, const Limits &options)
{
    switch (kind) {
    case Kind::MemScope:
        return memscopeFact(obj.cast<const Tensor &>(), options);
    case Kind::NumPy:
        return numpyFact(obj, options);
    case Kind::Torch:
        return torchFact(obj, options);
    case Kind::TensorFlow:
        return tensorflowFact(obj, options);
    case Kind::TensorFlowVariable: {
        MemoryFact f;
        f.framework = Framework::TensorFlow;
        f.typeName = typeNameOf(obj);
        f.unsupported = "tf.Variable: its buffer is not exposed without a read (which may copy)";
        return f;
    }
    case Kind::CuPy:
        return cudaArrayInterfaceFact(obj, Framework::CuPy, options);
    case Kind::Jax:
        return jaxFact(obj, options);
    case Kind::None:
        break;
    }
    return std::nullopt;
}

Framework frameworkOf(Kind kind)
{
    switch (kind) {
    case Kind::MemScope:
        return Framework::MemScope;
    case Kind::NumPy:
        return Framework::NumPy;
    case Kind::Torch:
        return Framework::Torch;
    case Kind::TensorFlow:
    case Kind::TensorFlowVariable:
        return Framework::TensorFlow;
    case Kind::CuPy:
        return Framework::CuPy;
    case Kind::Jax:
        return Framework::Jax;
    case Kind::None:
        break;
    }
    return Framework::Other;
}

MemoryFact notShown(py::handle obj, Kind kind, const std::string &why)
{
    MemoryFact f;
    f.framework = frameworkOf(kind);
    f.typeName = safeTypeName(obj);
    f.unsupported = "not shown: " + why;
    return f;
}

std::optional<MemoryFact> inspectWith(py::handle obj, const Limits &options)
{
    // An object that cannot even be classified is no array MemScope can tell: skipped.
    Kind kind = Kind::None;
    try {
        kind = kindOf(obj);
    } catch (const py::error_already_set &) {
        return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
    if (kind == Kind::None)
        return std::nullopt;
    // An array-like object whose adapter fails is listed, with why, never read.
    try {
        return inspectKnown(obj, kind, options);
    } catch (const py::error_already_set &e) {
        return notShown(obj, kind, reasonOf(e));
    } catch (const std::exception &e) {
        return notShown(obj, kind, e.what());
    } catch (...) {
        return notShown(obj, kind, "unknown C++ exception");
    }
}

} // namespace

std::optional<MemoryFact> inspectObject(py::handle obj, const AdapterOptions &options, const HostMap *direct)
{
    return inspectWith(obj, Limits(options, direct));
}

} // namespace memscope::python
