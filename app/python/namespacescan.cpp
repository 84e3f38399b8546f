// SPDX-License-Identifier: GPL-3.0-or-later
// The namespace scan: every array-like object bound in a namespace or reached
// from it through containers, one fact per object with all its paths.
#include "app/python/adapters.h"

#include "engine/hostmemory.h"
#include "engine/text/wording.h"

#include <deque>
#include <map>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

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

} // namespace

std::vector<MemoryFact> scanNamespace(py::dict ns, const AdapterOptions &options, std::vector<py::object> *keepAlive,
                                      std::vector<std::string> *notes)
{
    const HostMap direct = HostMap::current();
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
        if (PyUnicode_GET_LENGTH(key.ptr()) > 0 && PyUnicode_READ_CHAR(key.ptr(), 0) == '_')
            continue;
        // A key that is not valid UTF-8 (a lone surrogate) is named by its escaped repr.
        queue.push_back({py::reinterpret_borrow<py::object>(value), strText(key.ptr()), 0});
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
            e.fact = inspectObject(o, options, &direct);
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
        notes->push_back("only the first " + groupedNumber(kContainerObjects) +
                         " objects inside containers are searched");
    return facts;
}

} // namespace memscope::python
