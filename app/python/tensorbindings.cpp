// SPDX-License-Identifier: GPL-3.0-or-later
// memscope.Tensor: engine tensors in Python. Host tensors speak the buffer
// protocol, __array_interface__ and DLPack, so NumPy and torch see the same
// bytes without copying; real-GPU tensors speak __cuda_array_interface__ and
// DLPack; emulated-device tensors speak nothing (only explicit transfers).

#include "app/python/adapters.h"
#include "app/python/bindings.h"
#include "app/python/dlpack.h"
#include "app/python/modulestate.h"
#include "app/python/pyscalar.h"
#include "engine/error.h"
#include "engine/hostmemory.h"
#include "engine/operations.h"

#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdio>
#include <cstring>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {

Runtime &runtime()
{
    return *moduleState().runtime;
}
EventLog *events()
{
    return &moduleState().events;
}

std::optional<DType> optionalDType(const py::object &dtype)
{
    if (dtype.is_none())
        return std::nullopt;
    if (py::isinstance<py::str>(dtype))
        return parseDType(dtype.cast<std::string>());
    // numpy.float32, torch.float32, np.dtype('f4'): their str() spells the name.
    std::string text = py::str(dtype).cast<std::string>();
    if (py::hasattr(dtype, "__name__") && !text.starts_with("torch."))
        text = dtype.attr("__name__").cast<std::string>();
    return parseDType(text);
}

DType dtypeOr(const py::object &dtype, DType fallback)
{
    return optionalDType(dtype).value_or(fallback);
}

// Buffer-protocol format characters (struct module), native byte order.
std::string formatOf(DType t)
{
    switch (t) {
    case DType::Bool:
        return "?";
    case DType::Int8:
        return "b";
    case DType::Int16:
        return "h";
    case DType::Int32:
        return "i";
    case DType::Int64:
        return "q";
    case DType::UInt8:
        return "B";
    case DType::UInt16:
        return "H";
    case DType::UInt32:
        return "I";
    case DType::UInt64:
        return "Q";
    case DType::Float16:
        return "e";
    case DType::Float32:
        return "f";
    case DType::Float64:
        return "d";
    case DType::Complex64:
        return "Zf";
    case DType::Complex128:
        return "Zd";
    case DType::BFloat16:
        break;
    }
    throw py::buffer_error("bfloat16 has no buffer-protocol format; use .astype('float32') first");
}

DType dtypeOfFormat(std::string format, std::size_t itemsize)
{
    if (!format.empty() && (format[0] == '<' || format[0] == '=' || format[0] == '@' || format[0] == '|'))
        format.erase(0, 1);
    for (DType t : kAllDTypes) {
        if (t == DType::BFloat16)
            continue;
        if (formatOf(t) == format)
            return t;
    }
    // 'l' / 'L' are the platform's long: 8 bytes on Linux x86-64.
    if (format == "l" || format == "L")
        return itemsize == 8 ? (format == "l" ? DType::Int64 : DType::UInt64)
                             : (format == "l" ? DType::Int32 : DType::UInt32);
    throw Error(ErrorCode::Unsupported, "buffer format '" + format + "' is not a numeric type MemScope handles");
}

std::string typestrOf(DType t)
{
    const std::string size = std::to_string(itemSize(t));
    switch (kindOf(t)) {
    case DTypeKind::Bool:
        return "|b1";
    case DTypeKind::Signed:
        return (itemSize(t) == 1 ? "|i" : "<i") + size;
    case DTypeKind::Unsigned:
        return (itemSize(t) == 1 ? "|u" : "<u") + size;
    case DTypeKind::Float:
        if (t == DType::BFloat16)
            break;
        return "<f" + size;
    case DTypeKind::Complex:
        return "<c" + size;
    }
    throw py::attribute_error("bfloat16 has no NumPy typestr; use .astype('float32') first");
}

// The fields __array_interface__ and __cuda_array_interface__ (version 3) share.
py::dict arrayInterface(const Tensor &t)
{
    py::dict d;
    d["version"] = 3;
    d["shape"] = py::tuple(py::cast(t.shape()));
    d["typestr"] = typestrOf(t.dtype());
    d["data"] = py::make_tuple(t.data(), t.readOnly());
    d["strides"] = py::tuple(py::cast(t.strides()));
    return d;
}

void requireHost(const Tensor &t, const char *what)
{
    if (!t.device().isCpu())
        throw py::attribute_error(std::string(what) + " is only for host memory; this tensor lives on " +
                                  t.device().toString() + " (call .to('cpu') first)");
}

// NumPy's limit on dimensions (NPY_MAXDIMS in NumPy 1.x): deeper nesting is
// refused, which also ends a list that contains itself (l = [l]).
constexpr std::size_t kMaxDims = 32;

// Flattens nested Python sequences, inferring the shape and (NumPy's rules)
// the dtype: bool < int64 < float64 < complex128.
void flatten(py::handle obj, std::size_t depth, std::vector<std::int64_t> &shape, std::vector<py::object> &leaves)
{
    if (py::isinstance<py::sequence>(obj) && !py::isinstance<py::str>(obj)) {
        if (depth >= kMaxDims)
            throw py::value_error("nested sequence is deeper than " + std::to_string(kMaxDims) +
                                  " levels (the most dimensions a tensor has; a list that contains itself?)");
        const auto seq = py::reinterpret_borrow<py::sequence>(obj);
        const auto n = static_cast<std::int64_t>(py::len(seq));
        if (depth == shape.size())
            shape.push_back(n);
        else if (shape[depth] != n)
            throw py::value_error("ragged nested sequence: dimension " + std::to_string(depth) + " has lengths " +
                                  std::to_string(shape[depth]) + " and " + std::to_string(n));
        for (py::handle item : seq)
            flatten(item, depth + 1, shape, leaves);
        return;
    }
    if (depth != shape.size())
        throw py::value_error("ragged nested sequence: a number at depth " + std::to_string(depth));
    leaves.push_back(py::reinterpret_borrow<py::object>(obj));
}

DType inferDType(const std::vector<py::object> &leaves)
{
    int rank = 0; // 0 bool, 1 int, 2 float, 3 complex
    for (const auto &v : leaves) {
        if (py::isinstance<py::bool_>(v))
            continue;
        if (py::isinstance<py::int_>(v))
            rank = std::max(rank, 1);
        else if (PyComplex_Check(v.ptr()))
            rank = 3;
        else
            rank = std::max(rank, 2);
    }
    static constexpr DType kRanked[] = {DType::Bool, DType::Int64, DType::Float64, DType::Complex128};
    return leaves.empty() ? DType::Float64 : kRanked[rank];
}

Tensor fromBuffer(py::buffer obj, std::optional<DType> dtype, const Device &device)
{
    py::buffer_info info = obj.request();
    const DType source = dtypeOfFormat(info.format, static_cast<std::size_t>(info.itemsize));
    Layout l {source, 0, info.shape, info.strides};
    const ByteRange bounds = l.byteBounds();
    l.offset = -bounds.lo;
    // The exporter's pointer and strides are its word only: its bytes are
    // read through the checked reader before anything copies them.
    std::vector<std::byte> probe(static_cast<std::size_t>(bounds.size()));
    if (std::string why; !readHost(reinterpret_cast<Address>(info.ptr) + static_cast<Address>(bounds.lo), probe, &why))
        throw py::value_error("the buffer's memory cannot be read: " + why);
    // A foreign view of the exporter's memory, alive while `info` is.
    Tensor view = wrap(runtime(), Device::cpu(), reinterpret_cast<Address>(info.ptr) + static_cast<Address>(bounds.lo),
                       static_cast<std::size_t>(bounds.size()), l, Owner::Other, nullptr, true);
    Tensor out = to(runtime(), view, device, true, events());
    return dtype && *dtype != source ? astype(runtime(), out, *dtype, true, events()) : out;
}

Tensor makeTensor(py::object data, py::object dtypeArg, const std::string &deviceSpec)
{
    const Device device = runtime().resolve(deviceSpec);
    const auto dtype = optionalDType(dtypeArg);
    if (py::isinstance<Tensor>(data)) {
        const Tensor &src = data.cast<const Tensor &>();
        Tensor out = to(runtime(), src, device, true, events());
        return dtype && *dtype != out.dtype() ? astype(runtime(), out, *dtype, true, events()) : out;
    }
    if (py::isinstance<py::buffer>(data) && !py::isinstance<py::bytes>(data))
        return fromBuffer(data, dtype, device);
    std::vector<std::int64_t> shape;
    std::vector<py::object> leaves;
    flatten(data, 0, shape, leaves);
    const DType t = dtype.value_or(inferDType(leaves));
    std::vector<Scalar> values;
    values.reserve(leaves.size());
    for (const auto &v : leaves)
        values.push_back(toScalar(v, t));
    return Tensor::fromValues(runtime(), device, t, shape, values);
}

Tensor fromNumpy(py::object a)
{
    py::dict modules = py::module_::import("sys").attr("modules");
    if (!modules.contains("numpy") || !py::isinstance(a, modules["numpy"].attr("ndarray")))
        throw py::type_error("from_numpy expects a numpy.ndarray, got " +
                             py::str(py::type::handle_of(a).attr("__name__")).cast<std::string>());
    py::object dtype = a.attr("dtype");
    if (!dtype.attr("fields").is_none() || py::str(dtype.attr("byteorder")).cast<std::string>() == ">")
        throw py::type_error("from_numpy: dtype " + py::str(dtype).cast<std::string>() +
                             " is not a native-order numeric type");
    const DType t = parseDType(py::str(dtype.attr("name")).cast<std::string>());
    // What the adapters see of it (through ndarray's own descriptors, bounded
    // by its allocation): an array whose memory cannot be read is refused
    // here rather than wrapped and read blindly later.
    if (const auto fact = inspectObject(a, moduleState().adapter); fact && !fact->isSupported())
        throw py::value_error("from_numpy: " + fact->unsupported);
    py::dict ai = modules["numpy"].attr("ndarray").attr("__dict__")["__array_interface__"].attr("__get__")(a);
    py::tuple data = ai["data"];
    Layout l;
    l.dtype = t;
    for (py::handle v : ai["shape"])
        l.shape.push_back(v.cast<std::int64_t>());
    l.strides = ai["strides"].is_none() ? Layout::contiguous(t, l.shape).strides
                                        : ai["strides"].cast<std::vector<std::int64_t>>();
    const ByteRange bounds = l.byteBounds();
    l.offset = -bounds.lo;
    // The buffer keeps the array alive; dropping that reference needs the GIL.
    auto *owner = new py::object(a);
    std::shared_ptr<const void> keep(owner, [](const py::object *o) {
        py::gil_scoped_acquire gil;
        delete o;
    });
    return wrap(runtime(), Device::cpu(), data[0].cast<Address>() + static_cast<Address>(bounds.lo),
                static_cast<std::size_t>(bounds.size()), l, Owner::NumPy, std::move(keep), data[1].cast<bool>(),
                events());
}

// Applies a Python index (int, slice, Ellipsis, or a tuple of them) as views.
Tensor index(const Tensor &t, py::handle key)
{
    std::vector<py::object> items;
    if (py::isinstance<py::tuple>(key))
        for (py::handle k : key)
            items.push_back(py::reinterpret_borrow<py::object>(k));
    else
        items.push_back(py::reinterpret_borrow<py::object>(key));
    std::size_t explicitDims = 0;
    for (const auto &k : items)
        if (!k.is(py::ellipsis()))
            ++explicitDims;
    if (explicitDims > t.shape().size())
        throw py::index_error("too many indices: " + std::to_string(explicitDims) + " for a " +
                              std::to_string(t.shape().size()) + "-d tensor");
    Tensor out = t;
    int dim = 0;
    for (const auto &k : items) {
        if (k.is(py::ellipsis())) {
            dim += static_cast<int>(t.shape().size() - explicitDims);
        } else if (py::isinstance<py::slice>(k)) {
            const auto opt = [](py::handle v) {
                return v.is_none() ? std::optional<std::int64_t>() : std::optional(v.cast<std::int64_t>());
            };
            const std::int64_t step = k.attr("step").is_none() ? 1 : k.attr("step").cast<std::int64_t>();
            out = out.slice(dim++, opt(k.attr("start")), opt(k.attr("stop")), step);
        } else if (py::isinstance<py::int_>(k) || py::hasattr(k, "__index__")) {
            out = out.select(dim, py::int_(k).cast<std::int64_t>());
        } else {
            throw py::index_error("only integers, slices and ... are valid indices, not " +
                                  py::str(py::type::handle_of(k).attr("__name__")).cast<std::string>());
        }
    }
    return out;
}

void assign(Tensor &t, py::handle key, py::handle value)
{
    Tensor target = index(t, key);
    if (py::isinstance<Tensor>(value)) {
        const Tensor &src = value.cast<const Tensor &>();
        if (src.shape() != target.shape())
            throw py::value_error("shape " + shapeText(src.shape()) + " does not match " + shapeText(target.shape()));
        const auto vals = src.values();
        for (std::int64_t i = 0; i < target.numel(); ++i)
            target.set(target.layout().unravel(i), vals[static_cast<std::size_t>(i)]);
        return;
    }
    const Scalar v = toScalar(value, target.dtype());
    if (target.readOnly())
        throw Error(ErrorCode::ReadOnly, "assignment destination is read-only");
    for (std::int64_t i = 0; i < target.numel(); ++i)
        target.set(target.layout().unravel(i), v);
}

py::object toList(const Tensor &t)
{
    const auto values = t.values();
    std::function<py::object(std::size_t, std::size_t &)> build = [&](std::size_t dim, std::size_t &pos) -> py::object {
        if (dim == t.shape().size())
            return fromScalar(values[pos++]);
        py::list out;
        for (std::int64_t i = 0; i < t.shape()[dim]; ++i)
            out.append(build(dim + 1, pos));
        return out;
    };
    std::size_t pos = 0;
    return build(0, pos);
}

std::string repr(const Tensor &t)
{
    std::string values;
    if (t.numel() <= 64) {
        values = py::repr(toList(t)).cast<std::string>();
    } else {
        values = "[" + std::to_string(t.numel()) + " elements]";
    }
    char addr[32];
    std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(t.data()));
    return "memscope.Tensor(" + values + ", dtype=" + std::string(numpyName(t.dtype())) + ", device='" +
        t.device().toString() + "', data=" + addr + (t.readOnly() ? ", readonly" : "") + ")";
}

// bf_getbuffer for memscope.Tensor: host memory only; errors become BufferError.
// view->internal holds a py::buffer_info, as pybind11's releasebuffer expects.
extern "C" int getBuffer(PyObject *obj, Py_buffer *view, int flags)
{
    if (!view) {
        PyErr_SetString(PyExc_BufferError, "memscope.Tensor: no buffer view to fill");
        return -1;
    }
    std::memset(view, 0, sizeof(Py_buffer));
    try {
        const Tensor &t = py::handle(obj).cast<const Tensor &>();
        if (!t.device().isCpu())
            throw py::buffer_error("memory on " + t.device().toString() +
                                   " cannot be exported as a host buffer; call .to('cpu') first");
        if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && t.readOnly())
            throw py::buffer_error("writable buffer requested for a read-only tensor");
        // Contiguity the consumer asks for must hold: it will read `len` bytes from `buf`.
        const bool cOrder = t.layout().isCContiguous();
        const bool fOrder = engine::transpose(t.layout()).isCContiguous();
        if (((flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS && !cOrder) ||
            ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && !fOrder) ||
            ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS && !cOrder && !fOrder) ||
            ((flags & PyBUF_STRIDES) != PyBUF_STRIDES && !cOrder))
            throw py::buffer_error("the tensor is not contiguous in the order the buffer request needs");
        auto *info = new py::buffer_info(reinterpret_cast<void *>(t.data()), t.layout().itemSize(), formatOf(t.dtype()),
                                         t.layout().ndim(), t.shape(), t.strides(), t.readOnly());
        view->obj = obj;
        view->internal = info;
        view->buf = info->ptr;
        view->itemsize = info->itemsize;
        view->len = info->itemsize * t.numel();
        view->readonly = info->readonly ? 1 : 0;
        view->ndim = 1;
        if ((flags & PyBUF_FORMAT) == PyBUF_FORMAT)
            view->format = const_cast<char *>(info->format.c_str());
        if ((flags & PyBUF_ND) == PyBUF_ND) { // shape with ND; strides only when asked (C order otherwise)
            view->ndim = static_cast<int>(info->ndim);
            view->shape = info->shape.data();
        }
        if ((flags & PyBUF_STRIDES) == PyBUF_STRIDES)
            view->strides = info->strides.data();
        Py_INCREF(obj);
        return 0;
    } catch (py::error_already_set &e) {
        e.restore();
    } catch (const py::builtin_exception &e) {
        e.set_error();
    } catch (const std::exception &e) {
        PyErr_SetString(PyExc_BufferError, e.what());
    }
    return -1;
}

std::vector<std::int64_t> shapeArgs(py::args args)
{
    if (args.size() == 1 && py::isinstance<py::sequence>(args[0]))
        return args[0].cast<std::vector<std::int64_t>>();
    return args.cast<std::vector<std::int64_t>>();
}

} // namespace

void defineTensor(py::module_ &m)
{
    py::class_<Tensor> cls(m, "Tensor", py::buffer_protocol(),
                           "A MemScope tensor: a strided view of engine memory on 'cpu' or a cuda device.");
    // Our own getbuffer: pybind11 2.10's cannot refuse a request (an exception
    // thrown from def_buffer terminates the process), and device tensors must.
    auto *heapType = reinterpret_cast<PyHeapTypeObject *>(cls.ptr());
    heapType->as_buffer.bf_getbuffer = &getBuffer;
    cls.def_property_readonly("shape", [](const Tensor &t) { return py::tuple(py::cast(t.shape())); })
        .def_property_readonly(
            "strides", [](const Tensor &t) { return py::tuple(py::cast(t.strides())); },
            "Strides in bytes, as NumPy gives them.")
        .def_property_readonly("dtype", [](const Tensor &t) { return std::string(numpyName(t.dtype())); })
        .def_property_readonly("device", [](const Tensor &t) { return t.device().toString(); })
        .def_property_readonly("is_emulated", [](const Tensor &t) { return t.device().emulated; })
        .def_property_readonly("ndim", [](const Tensor &t) { return t.layout().ndim(); })
        .def_property_readonly("itemsize", [](const Tensor &t) { return t.layout().itemSize(); })
        .def_property_readonly("nbytes", &Tensor::nbytes)
        .def_property_readonly("readonly", &Tensor::readOnly)
        .def_property_readonly("buffer_id", [](const Tensor &t) { return t.buffer().id(); })
        .def("data_ptr", &Tensor::data, "Address of element [0, ...] in the tensor's device address space.")
        .def("__len__",
             [](const Tensor &t) {
                 if (t.shape().empty())
                     throw py::type_error("len() of a 0-d tensor");
                 return t.shape()[0];
             })
        .def("__getitem__", &index)
        .def("__setitem__", &assign)
        .def("__repr__", &repr)
        .def("tolist", &toList)
        .def("item",
             [](const Tensor &t) {
                 if (t.numel() != 1)
                     throw py::value_error("item() needs exactly one element, the tensor has " +
                                           std::to_string(t.numel()));
                 return fromScalar(t.getFlat(0));
             })
        .def_property_readonly("T", &Tensor::transpose)
        .def(
            "transpose",
            [](const Tensor &t, py::args axes) {
                if (axes.size() == 0)
                    return t.transpose();
                const auto perm = shapeArgs(axes);
                return t.permute(std::vector<int>(perm.begin(), perm.end()));
            },
            "Reverses (or permutes) the dimensions: a view.")
        .def(
            "reshape", [](const Tensor &t, py::args shape) { return t.reshape(shapeArgs(shape)); },
            "A view with another shape; an error when that needs a copy.")
        .def(
            "view", [](const Tensor &t, py::object dtype) { return t.view(dtypeOr(dtype, t.dtype())); },
            "Reinterprets the same bytes as another dtype.")
        .def(
            "broadcast_to", [](const Tensor &t, std::vector<std::int64_t> shape) { return t.broadcastTo(shape); },
            "A read-only view with zero strides.")
        .def(
            "to",
            [](const Tensor &t, const std::string &device) {
                return to(runtime(), t, runtime().resolve(device), false, events());
            },
            py::arg("device"), "The tensor on `device`: itself when already there, else a copy.")
        .def("cpu", [](const Tensor &t) { return to(runtime(), t, Device::cpu(), false, events()); })
        .def(
            "astype",
            [](const Tensor &t, py::object dtype, bool copy) {
                return astype(runtime(), t, dtypeOr(dtype, t.dtype()), copy, events());
            },
            py::arg("dtype"), py::arg("copy") = true, "NumPy's astype: a converted copy.")
        .def("copy", [](const Tensor &t) { return copy(runtime(), t, events()); })
        .def(
            "numpy",
            [](py::object self) {
                const Tensor &t = self.cast<const Tensor &>();
                if (!t.device().isCpu())
                    throw py::type_error("numpy() needs host memory; this tensor lives on " + t.device().toString() +
                                         " (call .to('cpu') first, which copies)");
                py::array arr(py::dtype(typestrOf(t.dtype())), t.shape(), t.strides(),
                              reinterpret_cast<const void *>(t.data()), self);
                if (t.readOnly())
                    arr.attr("setflags")(py::arg("write") = false);
                return arr;
            },
            "A NumPy array sharing this tensor's memory (host tensors only).")
        .def_property_readonly("__array_interface__",
                               [](const Tensor &t) {
                                   requireHost(t, "__array_interface__");
                                   return arrayInterface(t);
                               })
        .def_property_readonly("__cuda_array_interface__",
                               [](const Tensor &t) {
                                   if (t.device().isCpu() || t.device().emulated)
                                       throw py::attribute_error(
                                           "__cuda_array_interface__ exists only for real GPU memory; this tensor "
                                           "lives on " +
                                           t.device().toString());
                                   py::dict d = arrayInterface(t);
                                   d["stream"] = py::none();
                                   return d;
                               })
        .def(
            "__dlpack__", [](const Tensor &t, py::object /*stream*/) { return toDlpack(t); },
            py::arg("stream") = py::none())
        .def("__dlpack_device__", [](const Tensor &t) {
            if (t.device().emulated)
                throw py::buffer_error("memory on " + t.device().toString() + " is not reachable by other libraries");
            return py::make_tuple(t.device().isCpu() ? 1 : 2, t.device().isCpu() ? 0 : t.device().index);
        });

    m.def("tensor", &makeTensor, py::arg("data"), py::arg("dtype") = py::none(), py::arg("device") = "cpu",
          "A new tensor holding a copy of `data` (nested sequences, a buffer such as a NumPy array, or a Tensor).");
    m.def("from_numpy", &fromNumpy, py::arg("array"),
          "A tensor that aliases the NumPy array's memory (and keeps the array alive).");
    m.def(
        "empty",
        [](std::vector<std::int64_t> shape, py::object dtype, const std::string &device) {
            return Tensor::empty(runtime(), runtime().resolve(device), dtypeOr(dtype, DType::Float32), shape);
        },
        py::arg("shape"), py::arg("dtype") = "float32", py::arg("device") = "cpu");
    m.def(
        "zeros",
        [](std::vector<std::int64_t> shape, py::object dtype, const std::string &device) {
            return Tensor::zeros(runtime(), runtime().resolve(device), dtypeOr(dtype, DType::Float32), shape);
        },
        py::arg("shape"), py::arg("dtype") = "float32", py::arg("device") = "cpu");
}

} // namespace memscope::python
