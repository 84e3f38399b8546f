// SPDX-License-Identifier: GPL-3.0-or-later
// memscope.inspect / relation / snapshot: the adapters and the engine's
// observed relations, callable from any Python code.

#include "app/python/adapters.h"
#include "app/python/bindings.h"
#include "app/python/factdict.h"
#include "app/python/modulestate.h"

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

namespace {

MemoryFact factOf(py::handle obj)
{
    auto fact = inspectObject(obj, moduleState().adapter);
    if (!fact)
        throw py::type_error("memscope cannot see the memory of a " +
                             py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>());
    if (!fact->isSupported())
        throw py::type_error(fact->unsupported);
    fact->objectId = reinterpret_cast<std::uintptr_t>(obj.ptr());
    return *fact;
}

py::dict relation(py::handle a, py::handle b)
{
    const MemoryFact fa = factOf(a);
    const MemoryFact fb = factOf(b);
    const Relation r = relateFacts(fa, fb);
    py::dict d;
    d["relation"] = std::string(relationName(r));
    d["a_device"] = fa.device.toString();
    d["b_device"] = fb.device.toString();
    if (r == Relation::Alias) {
        const auto shared = sharedElements(fa.placed(), fb.placed(), std::int64_t {1} << 24);
        const auto [alo, ahi] = fa.extent();
        const auto [blo, bhi] = fb.extent();
        d["shared_range"] = py::make_tuple(std::max(alo, blo), std::min(ahi, bhi));
        d["shared_elements"] = shared.size();
        d["shared_bytes"] = sharedBytes(fa.placed(), fb.placed()); // bytes both view, as the step output says
    } else {
        d["shared_range"] = py::none();
        d["shared_elements"] = 0;
        d["shared_bytes"] = 0;
    }
    return d;
}

py::dict snapshot(py::object ns)
{
    if (ns.is_none())
        ns = py::globals(); // the calling Python frame's globals
    std::vector<py::object> keep;
    StepInfo info;
    auto facts = scanNamespace(ns, moduleState().adapter, &keep, &info.notes);
    SnapshotBuilder builder;
    const auto s = builder.build(std::move(facts), info); // memory is read through the checked reader only
    return snapshotToDict(*s);
}

} // namespace

void defineInspection(py::module_ &m)
{
    m.def(
        "inspect", [](py::handle obj) { return factToDict(factOf(obj)); }, py::arg("obj"),
        "The memory facts of an array or tensor: data pointer, extent, strides (bytes), dtype, device, "
        "read-only, allocation.");
    m.def("relation", &relation, py::arg("a"), py::arg("b"),
          "Observed relation of two objects: 'alias' (shared bytes), 'copy', 'convert', 'transfer' (equal "
          "values in disjoint memory) or 'unrelated'.");
    m.def("snapshot", &snapshot, py::arg("namespace") = py::none(),
          "Every array-like object in a namespace (default: the caller's globals), grouped by shared memory.");
}

} // namespace memscope::python
