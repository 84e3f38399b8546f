// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/python/factdict.h"

#include "engine/text/wording.h"

#include <pybind11/stl.h>

namespace py = pybind11;
using namespace memscope::engine;

namespace memscope::python {

py::dict factToDict(const MemoryFact &f)
{
    py::dict d;
    d["names"] = f.names;
    d["framework"] = std::string(frameworkName(f.framework));
    d["type"] = f.typeName;
    d["supported"] = f.isSupported();
    if (!f.isSupported()) {
        d["unsupported"] = f.unsupported;
        return d;
    }
    d["dtype"] = std::string(numpyName(f.dtype));
    d["shape"] = py::tuple(py::cast(f.shape));
    d["strides"] = py::tuple(py::cast(f.strides));
    d["data"] = f.data;
    const auto [lo, hi] = f.extent();
    d["extent"] = py::make_tuple(lo, hi);
    d["nbytes"] = f.nbytes();
    d["device"] = f.device.toString();
    d["readonly"] = f.readOnly;
    d["allocation"] =
        f.allocation.known ? py::object(py::make_tuple(f.allocation.base, f.allocation.size)) : py::object(py::none());
    d["flags"] = f.flags;
    return d;
}

py::dict snapshotToDict(const Snapshot &s)
{
    py::list objects;
    for (std::size_t i = 0; i < s.facts.size(); ++i) {
        py::dict d = factToDict(s.facts[i]);
        d["group"] = s.aliases.group[i];
        const Origin &o = s.origins[i];
        if (o.step >= 0) {
            d["created_by"] = o.statement;
            d["created_at_step"] = o.step;
        }
        d["changed"] = s.changed[i]; // capped list
        d["changed_count"] = i < s.changedCount.size() ? s.changedCount[i] : std::int64_t(s.changed[i].size());
        objects.append(d);
    }
    py::list groups;
    for (const auto &members : s.aliases.members()) {
        py::list names;
        for (int i : members)
            names.append(s.facts[static_cast<std::size_t>(i)].label());
        groups.append(names);
    }
    py::list relations;
    for (const FactRelation &r : s.relations) {
        py::dict d;
        d["from"] = s.facts[static_cast<std::size_t>(r.from)].label();
        d["to"] = s.facts[static_cast<std::size_t>(r.to)].label();
        d["relation"] = std::string(relationName(r.relation));
        d["bytes"] = r.bytes;
        d["direction"] = std::string(directionName(r.direction));
        d["summary"] = relationSummary(r); // the one wording (engine/text)
        if (!r.statement.empty())
            d["statement"] = r.statement;
        relations.append(d);
    }
    py::dict traffic;
    for (Direction dir : {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D})
        traffic[std::string(directionName(dir)).c_str()] = s.traffic[static_cast<std::size_t>(dir)];
    py::dict out;
    out["step"] = s.step;
    out["statement"] = s.statement;
    out["notes"] = s.notes;
    out["objects"] = objects;
    out["alias_groups"] = groups;
    out["relations"] = relations;
    out["traffic"] = traffic;
    return out;
}

} // namespace memscope::python
