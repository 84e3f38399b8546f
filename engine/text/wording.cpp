// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/text/wording.h"

#include <cstdio>

namespace memscope::engine {

namespace {

std::string firstLine(const std::string &text)
{
    std::size_t b = text.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const std::size_t nl = text.find('\n', b);
    std::string line = text.substr(b, nl == std::string::npos ? std::string::npos : nl - b);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
        line.pop_back();
    return nl == std::string::npos || text.find_first_not_of(" \t\r\n", nl) == std::string::npos ? line : line + " ...";
}

} // namespace

std::string groupedNumber(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string bytesText(std::uint64_t bytes)
{
    if (bytes < 1024)
        return std::to_string(bytes) + " B";
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes) / 1024;
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    char head[32];
    std::snprintf(head, sizeof head, "%.2f %s", v, units[u]);
    return std::string(head) + " (" + groupedNumber(bytes) + " B)";
}

std::string relationSummary(const FactRelation &r)
{
    const std::string kind(relationName(r.relation));
    switch (r.relation) {
    case Relation::Alias:
        return "alias, " + bytesText(r.bytes) + " shared";
    case Relation::Copy:
    case Relation::Convert:
    case Relation::Transfer:
        return kind + " · " + bytesText(r.bytes) + " · " + std::string(directionName(r.direction)) +
            (r.note.empty() ? std::string() : " · " + r.note);
    case Relation::Derived:
    case Relation::Unrelated:
        break;
    }
    return r.note.empty() ? kind : kind + " · " + r.note;
}

std::string relationSentence(const Snapshot &s, const FactRelation &r)
{
    if (!r.statement.empty())
        return firstLine(r.statement) + ": " + relationSummary(r);
    return s.facts[static_cast<std::size_t>(r.from)].label() + " ~ " + s.facts[static_cast<std::size_t>(r.to)].label() +
        ": " + relationSummary(r);
}

} // namespace memscope::engine
