// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/adapters.h"

#include "app/python/dlpack.h"
#include "engine/error.h"
#include "engine/hostmemory.h"
#include "engine/pagehash.h"
#include "engine/scalar.h"
#include "engine/tensor.h"

#include <algorithm>
#include <deque>
#include <exception>
#include <map>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {

// The module object if `name` is already imported, else None. Never imports.
py::object loadedModule(const char *name)
{
    py::dict modules = py::module_::import("sys").attr("modules");
    return modules.contains(name) ? py::object(modules[name]) : py::none();
}

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

// The C-level type name: never runs Python code, never throws.
std::string safeTypeName(py::handle obj)
{
    const char *name = Py_TYPE(obj.ptr())->tp_name;
    return name ? name : "<unnamed type>";
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

// A namespace key as text: UTF-8 when it has one; otherwise (a lone
// surrogate, '\ud800') its escaped repr, e.g. '\ud800' with the quotes.
std::optional<std::string> keyName(py::handle key)
{
    Py_ssize_t size = 0;
    if (const char *utf8 = PyUnicode_AsUTF8AndSize(key.ptr(), &size))
        return std::string(utf8, static_cast<std::size_t>(size));
    PyErr_Clear();
    PyObject *repr = PyObject_ASCII(key.ptr());
    if (!repr) {
        PyErr_Clear();
        return std::nullopt;
    }
    const char *ascii = PyUnicode_AsUTF8AndSize(repr, &size);
    std::optional<std::string> out;
    if (ascii)
        out = std::string(ascii, static_cast<std::size_t>(size));
    else
        PyErr_Clear();
    Py_DECREF(repr);
    return out;
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
        f.values.resize(static_cast<std::size_t>(bytes));
        if (!gatherHost(f.data, f.shape, f.strides, static_cast<std::size_t>(f.itemSize()), f.values.data(), &error)) {
            f.values.clear();
            f.unsupported = error;
            return;
        }
        f.valuesCaptured = true;
        f.valueHash = hashBytes(f.values.data(), f.values.size());
        f.valueHashed = true;
    } else if (bytes <= options.hashLimit && Layout {f.dtype, 0, f.shape, f.strides}.isCContiguous()) {
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
            applyViewBits(f.dtype, f.values.data(), f.values.size() / static_cast<std::size_t>(f.itemSize()), conj,
                          neg);
            f.valueHash = hashBytes(f.values.data(), f.values.size());
        } else if (conj || neg) {
            f.valueHashed = false; // a hash of stored bytes is not of the values
        }
    } else if (!refuseUnreadable(f) && static_cast<std::uint64_t>(f.nbytes()) <= options.valueLimit) {
        // A small host copy of device memory, to show and compare values.
        py::object host = t.attr("detach")().attr("cpu")().attr("contiguous")();
        f.values.resize(static_cast<std::size_t>(f.nbytes()));
        std::string error;
        if (readHost(host.attr("data_ptr")().cast<Address>(), f.values, &error)) {
            f.valuesCaptured = true;
        } else {
            f.values.clear();
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
    if (t.buffer().owner() != Owner::Engine)
        f.flags.push_back(std::string("wraps ") + std::string(ownerName(t.buffer().owner())) + " memory");
    if (f.device.isCpu()) {
        captureHostValues(f, options);
    } else if (!refuseUnreadable(f) && static_cast<std::uint64_t>(f.nbytes()) <= options.valueLimit) {
        f.values = t.contiguousBytes();
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

std::optional<MemoryFact> inspectObject(py::handle obj, const AdapterOptions &options)
{
    return inspectWith(obj, Limits(options, nullptr));
}

namespace {

// Builtin values that are never arrays and hold none: skipped without a look.
bool isPlainValue(PyObject *o)
{
    return o == Py_None || PyBool_Check(o) || PyLong_CheckExact(o) || PyFloat_CheckExact(o) ||
        PyComplex_CheckExact(o) || PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o);
}

// A str as UTF-8, or its escaped ASCII repr when it has none (a lone surrogate).
std::string strText(PyObject *s)
{
    Py_ssize_t size = 0;
    if (const char *utf8 = PyUnicode_AsUTF8AndSize(s, &size))
        return std::string(utf8, static_cast<std::size_t>(size));
    PyErr_Clear();
    std::string out = "<undecodable text>";
    if (PyObject *ascii = PyObject_ASCII(s)) {
        if (const char *text = PyUnicode_AsUTF8AndSize(ascii, &size))
            out.assign(text, static_cast<std::size_t>(size));
        Py_DECREF(ascii);
    }
    PyErr_Clear();
    return out;
}

// A dict key as Python writes it: repr() of builtin values (str, int, float,
// complex, bool, None, bytes, and tuples of them); any other key by its type
// only, so no user __repr__ runs.
std::string keyText(PyObject *key, int depth = 0)
{
    if (PyTuple_CheckExact(key) && depth < 4) {
        std::string out = "(";
        const Py_ssize_t n = PyTuple_GET_SIZE(key);
        for (Py_ssize_t i = 0; i < n; ++i) {
            if (i > 0)
                out += ", ";
            out += keyText(PyTuple_GET_ITEM(key, i), depth + 1);
        }
        return out + (n == 1 ? ",)" : ")");
    }
    const bool builtin = key == Py_None || PyBool_Check(key) || PyLong_CheckExact(key) || PyFloat_CheckExact(key) ||
        PyComplex_CheckExact(key) || PyUnicode_CheckExact(key) || PyBytes_CheckExact(key);
    if (builtin) {
        // A huge int's repr raises (sys.set_int_max_str_digits): then the type names it.
        if (PyObject *repr = PyObject_Repr(key)) {
            std::string out = strText(repr);
            Py_DECREF(repr);
            return out;
        }
        PyErr_Clear();
    }
    return std::string("<") + safeTypeName(key) + " object>";
}

// The path of an attribute-like member `key` (a str) of the object at `base`.
std::string memberPath(const std::string &base, PyObject *key, bool byKey)
{
    if (byKey)
        return base + "[" + keyText(key) + "]";
    const std::string text = strText(key);
    if (PyUnicode_IsIdentifier(key) == 1)
        return base + "." + text;
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return base + "[" + text + "]"; // nn.Sequential, nn.ModuleList, nn.ParameterList
    return "getattr(" + base + ", " + keyText(key) + ")";
}

// The container types searched besides list, tuple and dict; each null when
// its module is not imported (never imported here).
struct ContainerTypes
{
    py::object simpleNamespace; ///< exact type only: a subclass may compute its attributes
    py::object module; ///< torch.nn.Module
    py::object keyedModules[2]; ///< torch.nn.ModuleDict, ParameterDict: members named by ['key']
};

py::object typeIn(py::handle module, const char *name)
{
    if (module.is_none() || !py::hasattr(module, name))
        return {};
    py::object type = module.attr(name);
    return PyType_Check(type.ptr()) ? type : py::object();
}

ContainerTypes containerTypes()
{
    ContainerTypes t;
    try {
        t.simpleNamespace = typeIn(loadedModule("types"), "SimpleNamespace");
        py::object nn = loadedModule("torch.nn");
        t.module = typeIn(nn, "Module");
        t.keyedModules[0] = typeIn(nn, "ModuleDict");
        t.keyedModules[1] = typeIn(nn, "ParameterDict");
    } catch (const py::error_already_set &) { } // a broken module in sys.modules: those containers are not searched
    return t;
}

// By the object's real type (PyType_IsSubtype): a __class__ property cannot fake it.
bool hasType(PyObject *o, const py::object &type)
{
    return type && PyType_IsSubtype(Py_TYPE(o), reinterpret_cast<PyTypeObject *>(type.ptr()));
}

struct Child
{
    std::string path;
    py::object obj;
};

// Appends the str-keyed, non-None items of a dict (read through its storage:
// PyDict_Next runs no Python code, whatever a subclass overrides).
void addMembers(std::vector<Child> &out, PyObject *dict, const std::string &base, bool byKey, std::size_t limit)
{
    if (!dict || !PyDict_Check(dict))
        return;
    Py_ssize_t pos = 0;
    PyObject *key = nullptr;
    PyObject *value = nullptr;
    while (out.size() < limit && PyDict_Next(dict, &pos, &key, &value))
        if (PyUnicode_Check(key) && value != Py_None)
            out.push_back({memberPath(base, key, byKey), py::reinterpret_borrow<py::object>(value)});
}

// The objects directly inside `o` (at most `limit`), or nullopt when `o` is no
// container the scan searches. Runs no user code.
std::optional<std::vector<Child>> childrenOf(PyObject *o, const std::string &path, const ContainerTypes &types,
                                             std::size_t limit)
{
    std::vector<Child> out;
    if (PyList_Check(o)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(o) && out.size() < limit; ++i)
            out.push_back(
                {path + "[" + std::to_string(i) + "]", py::reinterpret_borrow<py::object>(PyList_GET_ITEM(o, i))});
    } else if (PyTuple_Check(o)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o) && out.size() < limit; ++i)
            out.push_back(
                {path + "[" + std::to_string(i) + "]", py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(o, i))});
    } else if (PyDict_Check(o)) {
        Py_ssize_t pos = 0;
        PyObject *key = nullptr;
        PyObject *value = nullptr;
        std::vector<std::pair<py::object, py::object>> items; // held: keyText may run repr()
        while (items.size() < limit && PyDict_Next(o, &pos, &key, &value))
            items.emplace_back(py::reinterpret_borrow<py::object>(key), py::reinterpret_borrow<py::object>(value));
        for (auto &[k, v] : items)
            out.push_back({path + "[" + keyText(k.ptr()) + "]", std::move(v)});
    } else if ((types.simpleNamespace && Py_TYPE(o) == reinterpret_cast<PyTypeObject *>(types.simpleNamespace.ptr())) ||
               hasType(o, types.module)) {
        PyObject *dict = PyObject_GenericGetDict(o, nullptr);
        if (!dict) {
            PyErr_Clear();
            return out;
        }
        auto held = py::reinterpret_steal<py::object>(dict);
        if (!hasType(o, types.module)) {
            addMembers(out, dict, path, false, limit);
        } else {
            const bool byKey = hasType(o, types.keyedModules[0]) || hasType(o, types.keyedModules[1]);
            for (const char *name : {"_parameters", "_buffers", "_modules"})
                addMembers(out, PyDict_GetItemString(dict, name), path, byKey, limit);
        }
    } else {
        return std::nullopt;
    }
    return out;
}

// 2000 -> "2,000"
std::string withThousands(long long n)
{
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

} // namespace

std::vector<MemoryFact> scanNamespace(py::dict ns, const AdapterOptions &options, std::vector<py::object> *keepAlive,
                                      std::vector<std::string> *notes)
{
    const HostMap direct = HostMap::current();
    const Limits limits(options, &direct);
    const ContainerTypes types = containerTypes();
    // Every object looked at, by id, held for the scan (so no id is reused
    // meanwhile): its fact, when it is an array, with all the paths to it.
    struct Entry
    {
        py::object obj;
        std::optional<MemoryFact> fact;
        std::vector<std::string> names;
        bool searched = false;
    };
    std::map<std::uintptr_t, Entry> seen;
    struct Visit
    {
        py::object obj;
        std::string path;
        int depth = 0;
    };
    std::deque<Visit> queue; // breadth first: a container is searched under its shortest path
    for (auto [key, value] : ns) {
        if (!py::isinstance<py::str>(key))
            continue;
        // A key that is not valid UTF-8 (a lone surrogate) is named by its escaped repr.
        auto name = keyName(key);
        if (!name || (PyUnicode_GET_LENGTH(key.ptr()) > 0 && PyUnicode_READ_CHAR(key.ptr(), 0) == '_'))
            continue;
        queue.push_back({py::reinterpret_borrow<py::object>(value), std::move(*name), 0});
    }
    std::size_t visited = 0; // objects inside containers
    bool tooMany = false;
    bool tooDeep = false;
    while (!queue.empty()) {
        Visit v = std::move(queue.front());
        queue.pop_front();
        PyObject *o = v.obj.ptr();
        if (isPlainValue(o))
            continue;
        auto [it, fresh] = seen.try_emplace(reinterpret_cast<std::uintptr_t>(o));
        Entry &e = it->second;
        if (fresh) {
            e.obj = v.obj;
            e.fact = inspectWith(o, limits);
        }
        if (e.fact) {
            e.names.push_back(std::move(v.path));
            continue;
        }
        if (e.searched || tooMany)
            continue; // a cycle, or a container reached again: searched once
        e.searched = true;
        const bool deep = v.depth >= kContainerDepth;
        const std::size_t room = static_cast<std::size_t>(kContainerObjects) - visited;
        std::optional<std::vector<Child>> children;
        try {
            children = childrenOf(o, v.path, types, deep ? 1 : room + 1);
        } catch (...) {
            PyErr_Clear();
            continue; // a container that cannot be read is not searched
        }
        if (!children || children->empty())
            continue;
        if (deep) {
            tooDeep = true;
            continue;
        }
        for (Child &c : *children) {
            if (visited == static_cast<std::size_t>(kContainerObjects)) {
                tooMany = true;
                break;
            }
            ++visited;
            queue.push_back({std::move(c.obj), std::move(c.path), v.depth + 1});
        }
    }
    std::vector<MemoryFact> facts;
    for (auto &[id, entry] : seen) {
        if (!entry.fact)
            continue;
        MemoryFact &fact = *entry.fact;
        fact.objectId = id;
        std::sort(entry.names.begin(), entry.names.end());
        fact.names = std::move(entry.names);
        facts.push_back(std::move(fact));
        if (keepAlive)
            keepAlive->push_back(entry.obj);
    }
    std::sort(facts.begin(), facts.end(), [](const MemoryFact &a, const MemoryFact &b) { return a.names < b.names; });
    if (notes && tooDeep)
        notes->push_back("containers more than " + std::to_string(kContainerDepth) +
                         " levels below a global are not searched");
    if (notes && tooMany)
        notes->push_back("only the first " + withThousands(kContainerObjects) +
                         " objects inside containers are searched");
    return facts;
}

} // namespace memscope::python
