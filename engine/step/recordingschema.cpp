// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/step/recordingschema.h"

#include <algorithm>
#include <limits>

namespace memscope::engine::recording {

using nlohmann::json;

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::size_t kMaxDims = 64; // NumPy's own limit

// Enums are written by name, so a reordered enum never changes a file's meaning.
template<typename E, typename NameOf> bool enumFromName(std::string_view name, int count, NameOf nameOf, E &out)
{
    for (int i = 0; i < count; ++i)
        if (nameOf(static_cast<E>(i)) == name) {
            out = static_cast<E>(i);
            return true;
        }
    return false;
}

std::string_view dtypeName(DType t)
{
    return numpyName(t);
}

// One JSON object being read, and where it is ("step 4, fact 2"), for errors.
class Fields
{
public:
    Fields(const json &j, std::string where)
        : m_j(j)
        , m_where(std::move(where))
    {
        if (!j.is_object())
            fail(std::string("should be a map, not ") + j.type_name());
    }

    [[noreturn]] void fail(const std::string &what) const { throw SchemaError(m_where + ": " + what); }
    const std::string &where() const { return m_where; }

    const json &at(const char *key) const
    {
        const auto it = m_j.find(key);
        if (it == m_j.end())
            fail(std::string("'") + key + "' is missing");
        return *it;
    }
    const json &typed(const char *key, bool ok, const char *what) const
    {
        const json &v = at(key);
        if (!ok)
            fail(std::string("'") + key + "' should be " + what + ", not " + v.type_name());
        return v;
    }
    const json &array(const char *key) const { return typed(key, at(key).is_array(), "an array"); }
    const json &object(const char *key) const { return typed(key, at(key).is_object(), "a map"); }
    std::string string(const char *key) const { return typed(key, at(key).is_string(), "a string").get<std::string>(); }
    bool boolean(const char *key) const { return typed(key, at(key).is_boolean(), "true or false").get<bool>(); }
    double number(const char *key) const { return typed(key, at(key).is_number(), "a number").get<double>(); }
    std::int64_t integer(const char *key, std::int64_t lo, std::int64_t hi) const
    {
        return checkedInteger(at(key), std::string("'") + key + "'", lo, hi);
    }
    std::uint64_t unsignedInteger(const char *key) const
    {
        const json &v = at(key);
        if (!v.is_number_unsigned())
            fail(std::string("'") + key + "' should be an unsigned integer, not " + describe(v));
        return v.get<std::uint64_t>();
    }
    std::vector<std::int64_t> integers(const char *key, std::int64_t lo, std::int64_t hi) const
    {
        const json &a = array(key);
        std::vector<std::int64_t> out;
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            out.push_back(checkedInteger(a[i], std::string("'") + key + "' item " + std::to_string(i), lo, hi));
        return out;
    }
    std::vector<std::string> strings(const char *key) const
    {
        const json &a = array(key);
        std::vector<std::string> out;
        out.reserve(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_string())
                fail(std::string("'") + key + "' item " + std::to_string(i) + " should be a string, not " +
                     a[i].type_name());
            out.push_back(a[i].get<std::string>());
        }
        return out;
    }
    template<typename E, typename NameOf> E enumeration(const char *key, int count, NameOf nameOf) const
    {
        const std::string name = string(key);
        E out {};
        if (!enumFromName<E>(name, count, nameOf, out))
            fail(std::string("'") + key + "' is \"" + name + "\", which is not a known value");
        return out;
    }

private:
    static std::string describe(const json &v)
    {
        return v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : std::string(v.type_name());
    }
    std::int64_t checkedInteger(const json &v, const std::string &what, std::int64_t lo, std::int64_t hi) const
    {
        if (!v.is_number_integer())
            fail(what + " should be an integer, not " + v.type_name());
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(kInt64Max))
            fail(what + " is " + std::to_string(v.get<std::uint64_t>()) + ", out of range [" + std::to_string(lo) +
                 ", " + std::to_string(hi) + "]");
        const std::int64_t x = v.get<std::int64_t>();
        if (x < lo || x > hi)
            fail(what + " is " + std::to_string(x) + ", out of range [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
        return x;
    }

    const json &m_j;
    std::string m_where;
};

json deviceToJson(const Device &d)
{
    return {{"kind", d.isCpu() ? "cpu" : "cuda"}, {"index", d.index}, {"emulated", d.emulated}};
}

Device deviceFromJson(const Fields &parent, const char *key)
{
    const Fields f(parent.object(key), parent.where() + ", " + key);
    Device d;
    const std::string kind = f.string("kind");
    if (kind == "cpu")
        d.kind = DeviceKind::Cpu;
    else if (kind == "cuda")
        d.kind = DeviceKind::Cuda;
    else
        f.fail("'kind' is \"" + kind + "\", not \"cpu\" or \"cuda\"");
    d.index = static_cast<int>(f.integer("index", 0, kIntMax));
    d.emulated = f.boolean("emulated");
    return d;
}

std::vector<std::uint8_t> asBytes(const ValueBytes &v)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(v.data());
    return {p, p + v.size()};
}

json factToJson(const MemoryFact &f, ValueTable &values)
{
    const std::int64_t index = values.indexOf(f.values);
    return {
        {"objectId", f.objectId},
        {"names", f.names},
        {"framework", frameworkName(f.framework)},
        {"typeName", f.typeName},
        {"unsupported", f.unsupported},
        {"dtype", dtypeName(f.dtype)},
        {"shape", f.shape},
        {"strides", f.strides},
        {"data", f.data},
        {"device", deviceToJson(f.device)},
        {"readOnly", f.readOnly},
        {"allocation", {{"known", f.allocation.known}, {"base", f.allocation.base}, {"size", f.allocation.size}}},
        {"flags", f.flags},
        {"opaqueItemSize", f.opaqueItemSize},
        {"values", index < 0 ? json(nullptr) : json(index)},
        {"valuesCaptured", f.valuesCaptured},
        {"valueHash", f.valueHash},
        {"valueHashed", f.valueHashed},
    };
}

MemoryFact factFromJson(const Fields &f, std::span<const ValueBytes> values)
{
    MemoryFact m;
    m.objectId = f.unsignedInteger("objectId");
    m.names = f.strings("names");
    m.framework = f.enumeration<Framework>("framework", static_cast<int>(Framework::Other) + 1, frameworkName);
    m.typeName = f.string("typeName");
    m.unsupported = f.string("unsupported");
    m.dtype = f.enumeration<DType>("dtype", static_cast<int>(kAllDTypes.size()), dtypeName);
    m.shape = f.integers("shape", 0, kInt64Max);
    m.strides = f.integers("strides", -kInt64Max, kInt64Max);
    m.data = f.unsignedInteger("data");
    m.device = deviceFromJson(f, "device");
    m.readOnly = f.boolean("readOnly");
    const Fields a(f.object("allocation"), f.where() + ", allocation");
    m.allocation = {a.boolean("known"), a.unsignedInteger("base"), a.unsignedInteger("size")};
    m.flags = f.strings("flags");
    m.opaqueItemSize = f.integer("opaqueItemSize", 0, kInt64Max);
    if (const json &v = f.at("values"); !v.is_null()) {
        const auto last = static_cast<std::int64_t>(values.size()) - 1;
        if (!v.is_number_integer())
            f.fail(std::string("'values' should be an index or null, not ") + v.type_name());
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(kInt64Max))
            f.fail("'values' is out of range (the recording has " + std::to_string(values.size()) + " value blobs)");
        const auto index = v.get<std::int64_t>();
        if (index < 0 || index > last)
            f.fail("'values' is " + std::to_string(index) + ", but the recording has " + std::to_string(values.size()) +
                   " value blobs");
        m.values = values[static_cast<std::size_t>(index)];
    }
    m.valuesCaptured = f.boolean("valuesCaptured");
    m.valueHash = f.unsignedInteger("valueHash");
    m.valueHashed = f.boolean("valueHashed");
    return m;
}

json relationToJson(const FactRelation &r)
{
    return {{"from", r.from},
            {"to", r.to},
            {"relation", relationName(r.relation)},
            {"bytes", r.bytes},
            {"direction", directionName(r.direction)},
            {"statement", r.statement},
            {"step", r.step},
            {"note", r.note}};
}

FactRelation relationFromJson(const Fields &f)
{
    FactRelation r;
    r.from = static_cast<int>(f.integer("from", -1, kIntMax));
    r.to = static_cast<int>(f.integer("to", -1, kIntMax));
    r.relation = f.enumeration<Relation>("relation", static_cast<int>(Relation::Unrelated) + 1, relationName);
    r.bytes = f.unsignedInteger("bytes");
    r.direction = f.enumeration<Direction>("direction", static_cast<int>(Direction::D2D) + 1, directionName);
    r.statement = f.string("statement");
    r.step = static_cast<int>(f.integer("step", -1, kIntMax));
    r.note = f.string("note");
    return r;
}

json bufferToJson(const BufferInfo &b)
{
    return {{"device", deviceToJson(b.device)}, {"lo", b.lo},      {"hi", b.hi}, {"number", b.number},
            {"owner", frameworkName(b.owner)},  {"facts", b.facts}};
}

BufferInfo bufferFromJson(const Fields &f)
{
    BufferInfo b;
    b.device = deviceFromJson(f, "device");
    b.lo = f.unsignedInteger("lo");
    b.hi = f.unsignedInteger("hi");
    b.number = static_cast<int>(f.integer("number", 0, kIntMax));
    b.owner = f.enumeration<Framework>("owner", static_cast<int>(Framework::Other) + 1, frameworkName);
    for (std::int64_t i : f.integers("facts", 0, kIntMax))
        b.facts.push_back(static_cast<int>(i));
    return b;
}

json snapshotToJson(const Snapshot &s, ValueTable &values)
{
    json facts = json::array(), origins = json::array(), relations = json::array(), buffers = json::array();
    for (const MemoryFact &f : s.facts)
        facts.push_back(factToJson(f, values));
    for (const Origin &o : s.origins)
        origins.push_back({{"step", o.step}, {"statement", o.statement}, {"referenced", o.referenced}});
    for (const FactRelation &r : s.relations)
        relations.push_back(relationToJson(r));
    for (const BufferInfo &b : s.buffers)
        buffers.push_back(bufferToJson(b));
    json changesExact = json::array();
    for (bool exact : s.changesExact)
        changesExact.push_back(exact);
    return {{"step", s.step},
            {"statement", s.statement},
            {"facts", std::move(facts)},
            {"origins", std::move(origins)},
            {"aliases",
             {{"group", s.aliases.group},
              {"groupCount", s.aliases.groupCount},
              {"exactTests", s.aliases.exactTests},
              {"undecided", s.aliases.undecided}}},
            {"relations", std::move(relations)},
            {"changed", s.changed},
            {"changedCount", s.changedCount},
            {"changesExact", std::move(changesExact)},
            {"notes", s.notes},
            {"traffic", s.traffic},
            {"buffers", std::move(buffers)},
            {"bufferOf", s.bufferOf},
            {"valuesDropped", s.valuesDropped}};
}

std::shared_ptr<const Snapshot> snapshotFromJson(const Fields &f, std::span<const ValueBytes> values)
{
    auto s = std::make_shared<Snapshot>();
    s->step = static_cast<int>(f.integer("step", -1, kIntMax));
    s->statement = f.string("statement");
    // Each list item names its place: "step 4, fact 2".
    const std::string stepWhere = f.where().substr(0, f.where().rfind(", snapshot"));
    const json &facts = f.array("facts");
    s->facts.reserve(facts.size());
    for (std::size_t i = 0; i < facts.size(); ++i)
        s->facts.push_back(factFromJson(Fields(facts[i], stepWhere + ", fact " + std::to_string(i)), values));
    const json &origins = f.array("origins");
    for (std::size_t i = 0; i < origins.size(); ++i) {
        const Fields o(origins[i], stepWhere + ", origin " + std::to_string(i));
        s->origins.push_back(
            {static_cast<int>(o.integer("step", -1, kIntMax)), o.string("statement"), o.strings("referenced")});
    }
    const Fields a(f.object("aliases"), f.where() + ", aliases");
    for (std::int64_t g : a.integers("group", 0, kIntMax))
        s->aliases.group.push_back(static_cast<int>(g));
    s->aliases.groupCount = static_cast<int>(a.integer("groupCount", 0, kIntMax));
    s->aliases.exactTests = a.integer("exactTests", 0, kInt64Max);
    s->aliases.undecided = a.integer("undecided", 0, kInt64Max);
    const json &relations = f.array("relations");
    for (std::size_t i = 0; i < relations.size(); ++i)
        s->relations.push_back(relationFromJson(Fields(relations[i], stepWhere + ", relation " + std::to_string(i))));
    const json &changed = f.array("changed");
    for (std::size_t i = 0; i < changed.size(); ++i) {
        const json &list = changed[i];
        if (!list.is_array())
            f.fail("'changed' item " + std::to_string(i) + " should be an array, not " + list.type_name());
        std::vector<std::int64_t> indices;
        indices.reserve(list.size());
        for (const json &x : list) {
            if (!x.is_number_unsigned() || x.get<std::uint64_t>() > static_cast<std::uint64_t>(kInt64Max))
                f.fail("'changed' item " + std::to_string(i) + " should hold element indices (integers >= 0)");
            indices.push_back(x.get<std::int64_t>());
        }
        s->changed.push_back(std::move(indices));
    }
    s->changedCount = f.integers("changedCount", 0, kInt64Max);
    const json &exact = f.array("changesExact");
    for (std::size_t i = 0; i < exact.size(); ++i) {
        if (!exact[i].is_boolean())
            f.fail("'changesExact' item " + std::to_string(i) + " should be true or false, not " +
                   exact[i].type_name());
        s->changesExact.push_back(exact[i].get<bool>());
    }
    s->notes = f.strings("notes");
    const json &traffic = f.array("traffic");
    if (traffic.size() != s->traffic.size())
        f.fail("'traffic' has " + std::to_string(traffic.size()) + " items, not " + std::to_string(s->traffic.size()));
    for (std::size_t d = 0; d < traffic.size(); ++d) {
        if (!traffic[d].is_number_unsigned())
            f.fail("'traffic' item " + std::to_string(d) + " should be an unsigned integer, not " +
                   traffic[d].type_name());
        s->traffic[d] = traffic[d].get<std::uint64_t>();
    }
    const json &buffers = f.array("buffers");
    for (std::size_t i = 0; i < buffers.size(); ++i)
        s->buffers.push_back(bufferFromJson(Fields(buffers[i], stepWhere + ", buffer " + std::to_string(i))));
    for (std::int64_t b : f.integers("bufferOf", -1, kIntMax))
        s->bufferOf.push_back(static_cast<int>(b));
    s->valuesDropped = f.boolean("valuesDropped");
    if (std::string problem = snapshotProblem(*s); !problem.empty())
        throw SchemaError(stepWhere + ", " + problem);
    return s;
}

// True when the bytes a fact's strides reach do not fit int64 (a live object
// never has such a layout; the canvas would compute with it).
bool extentOverflows(const MemoryFact &f)
{
    if (f.strides.size() != f.shape.size())
        return true;
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    for (std::size_t d = 0; d < f.shape.size(); ++d) {
        if (f.shape[d] <= 0)
            return false; // no elements: nothing is reached
        std::int64_t reach = 0;
        if (__builtin_mul_overflow(f.shape[d] - 1, f.strides[d], &reach) ||
            __builtin_add_overflow(reach < 0 ? lo : hi, reach, reach < 0 ? &lo : &hi))
            return true;
    }
    return __builtin_add_overflow(hi, f.itemSize(), &hi) || f.data + static_cast<Address>(hi) < f.data ||
        Address {0} - static_cast<Address>(lo) > f.data;
}

// The product of `shape` times `item` bytes, or -1 when it overflows int64.
std::int64_t checkedBytes(const std::vector<std::int64_t> &shape, std::int64_t item)
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        if (d < 0 || __builtin_mul_overflow(n, d, &n))
            return -1;
    return __builtin_mul_overflow(n, item, &n) ? -1 : n;
}

std::string factProblem(const MemoryFact &f)
{
    if (f.shape.size() != f.strides.size())
        return "shape has " + std::to_string(f.shape.size()) + " dims but strides " + std::to_string(f.strides.size());
    if (f.shape.size() > kMaxDims)
        return "shape has " + std::to_string(f.shape.size()) + " dims, more than " + std::to_string(kMaxDims);
    const std::int64_t bytes = checkedBytes(f.shape, f.itemSize());
    if (bytes < 0)
        return "shape has a negative dimension or more elements than fit in 64 bits";
    if (!f.valuesCaptured && !f.values.empty())
        return "values present though valuesCaptured is false";
    if (f.valuesCaptured && static_cast<std::uint64_t>(bytes) != f.values.size())
        return "values hold " + std::to_string(f.values.size()) +
            " bytes, not numel × itemsize = " + std::to_string(bytes);
    return {};
}

std::string sizeProblem(const char *what, std::size_t size, std::size_t facts)
{
    if (size == facts)
        return {};
    return std::string(what) + " has " + std::to_string(size) + " items for " + std::to_string(facts) + " facts";
}

} // namespace

std::int64_t ValueTable::indexOf(const ValueBytes &bytes)
{
    if (bytes.empty())
        return -1;
    const auto [it, added] = m_index.emplace(bytes.id(), static_cast<std::int64_t>(m_values.size()));
    if (added)
        m_values.push_back(bytes); // keeps the holder alive, so its id stays unique
    return it->second;
}

json ValueTable::toJson() const
{
    json out = json::array();
    for (const ValueBytes &v : m_values)
        out.push_back(json::binary(asBytes(v)));
    return out;
}

std::string snapshotProblem(const Snapshot &s)
{
    const std::size_t n = s.facts.size();
    for (std::size_t i = 0; i < n; ++i)
        if (std::string p = factProblem(s.facts[i]); !p.empty())
            return "fact " + std::to_string(i) + ": " + p;
    const std::pair<const char *, std::size_t> perFact[] = {
        {"origins", s.origins.size()},           {"aliases.group", s.aliases.group.size()},
        {"changed", s.changed.size()},           {"changedCount", s.changedCount.size()},
        {"changesExact", s.changesExact.size()}, {"bufferOf", s.bufferOf.size()}};
    for (const auto &[what, size] : perFact)
        if (std::string p = sizeProblem(what, size, n); !p.empty())
            return p;
    if (s.aliases.groupCount < 0 || static_cast<std::size_t>(s.aliases.groupCount) > n)
        return "aliases.groupCount is " + std::to_string(s.aliases.groupCount) + " for " + std::to_string(n) + " facts";
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = "fact " + std::to_string(i) + ": ";
        if (s.aliases.group[i] < 0 || s.aliases.group[i] >= s.aliases.groupCount)
            return where + "alias group " + std::to_string(s.aliases.group[i]) + " is out of range [0, " +
                std::to_string(s.aliases.groupCount) + ")";
        if (s.bufferOf[i] < -1 || s.bufferOf[i] >= static_cast<int>(s.buffers.size()))
            return where + "buffer " + std::to_string(s.bufferOf[i]) + " is out of range (" +
                std::to_string(s.buffers.size()) + " buffers)";
        const std::int64_t numel = s.facts[i].numel();
        if (s.changedCount[i] < static_cast<std::int64_t>(s.changed[i].size()))
            return where + "changedCount " + std::to_string(s.changedCount[i]) + " is less than the " +
                std::to_string(s.changed[i].size()) + " changes listed";
        for (std::int64_t e : s.changed[i])
            if (e < 0 || e >= numel)
                return where + "changed element " + std::to_string(e) + " is out of range (" + std::to_string(numel) +
                    " elements)";
    }
    for (std::size_t r = 0; r < s.relations.size(); ++r) {
        const FactRelation &rel = s.relations[r];
        if (rel.from < 0 || rel.to < 0 || static_cast<std::size_t>(rel.from) >= n ||
            static_cast<std::size_t>(rel.to) >= n)
            return "relation " + std::to_string(r) + ": from " + std::to_string(rel.from) + " to " +
                std::to_string(rel.to) + " is out of range (" + std::to_string(n) + " facts)";
    }
    for (std::size_t b = 0; b < s.buffers.size(); ++b) {
        const BufferInfo &buffer = s.buffers[b];
        if (buffer.hi <= buffer.lo)
            return "buffer " + std::to_string(b) + ": its end is not after its start";
        for (int fi : buffer.facts) {
            if (fi < 0 || static_cast<std::size_t>(fi) >= n)
                return "buffer " + std::to_string(b) + ": fact " + std::to_string(fi) + " is out of range (" +
                    std::to_string(n) + " facts)";
            // What the canvas draws of a fact must lie in its buffer, and its
            // layout must be one a live object could have had.
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            if (!f.isSupported())
                continue;
            if (extentOverflows(f))
                return "fact " + std::to_string(fi) + ": the byte extent of its strides overflows int64";
            if (f.numel() > 0) {
                const auto [lo, hi] = f.extent();
                if (lo < buffer.lo || hi > buffer.hi)
                    return "fact " + std::to_string(fi) + ": its bytes lie outside buffer " + std::to_string(b);
            }
        }
    }
    return {};
}

json infoToJson(const RecordingInfo &info)
{
    return {{"created", info.created},
            {"memscopeVersion", info.memscopeVersion},
            {"pythonVersion", info.pythonVersion},
            {"frameworks", info.frameworks},
            {"devices", info.devices},
            {"source", info.source},
            {"title", info.title}};
}

RecordingInfo infoFromJson(const json &j)
{
    const Fields f(j, "info");
    RecordingInfo info;
    info.created = f.string("created");
    info.memscopeVersion = f.string("memscopeVersion");
    info.pythonVersion = f.string("pythonVersion");
    for (const auto &[name, version] : f.object("frameworks").items()) {
        if (!version.is_string())
            f.fail("'frameworks' entry \"" + name + "\" should be a string, not " + version.type_name());
        info.frameworks[name] = version.get<std::string>();
    }
    info.devices = f.strings("devices");
    info.source = f.string("source");
    info.title = f.string("title");
    return info;
}

json stepToJson(const Step &step, ValueTable &values)
{
    return {{"status", stepStatusName(step.status)},
            {"code", step.code},
            {"filename", step.filename},
            {"range", {step.range.line, step.range.column, step.range.endLine, step.range.endColumn}},
            {"output", step.output},
            {"outputAbridged", step.outputAbridged},
            {"error", step.error},
            {"exitCode", step.exitCode},
            {"seconds", step.seconds},
            {"snapshot", step.snapshot ? snapshotToJson(*step.snapshot, values) : json(nullptr)}};
}

std::shared_ptr<const Step> stepFromJson(const json &j, std::size_t index, std::span<const ValueBytes> values)
{
    const std::string where = "step " + std::to_string(index);
    const Fields f(j, where);
    auto step = std::make_shared<Step>();
    step->status = f.enumeration<Step::Status>("status", static_cast<int>(Step::Status::Exited) + 1, stepStatusName);
    step->code = f.string("code");
    step->filename = f.string("filename");
    const auto range = f.integers("range", 0, kIntMax);
    if (range.size() != 4)
        f.fail("'range' has " + std::to_string(range.size()) + " items, not 4 (line, column, end line, end column)");
    step->range = {static_cast<int>(range[0]), static_cast<int>(range[1]), static_cast<int>(range[2]),
                   static_cast<int>(range[3])};
    step->output = f.string("output");
    step->outputAbridged = f.boolean("outputAbridged");
    step->error = f.string("error");
    step->exitCode = static_cast<int>(f.integer("exitCode", -kIntMax - 1, kIntMax));
    step->seconds = f.number("seconds");
    if (const json &s = f.at("snapshot"); !s.is_null())
        step->snapshot = snapshotFromJson(Fields(s, where + ", snapshot"), values);
    return step;
}

} // namespace memscope::engine::recording
