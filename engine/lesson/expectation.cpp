// SPDX-License-Identifier: GPL-3.0-or-later
// parseExpectation: one line of a lesson's ```expect block.
#include "engine/lesson/expectation.h"

#include "engine/error.h"
#include "engine/lesson/lessontext.h"
#include "engine/scalar.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace memscope::engine {

namespace {

struct KeywordInfo
{
    std::string_view word;
    Expectation::Kind kind;
};

constexpr std::array<KeywordInfo, 17> kKeywords = {{
    {"alias", Expectation::Kind::Alias},
    {"copy", Expectation::Kind::Copy},
    {"convert", Expectation::Kind::Convert},
    {"transfer", Expectation::Kind::Transfer},
    {"same", Expectation::Kind::Same},
    {"unrelated", Expectation::Kind::Unrelated},
    {"shared", Expectation::Kind::Shared},
    {"readonly", Expectation::Kind::ReadOnly},
    {"writable", Expectation::Kind::Writable},
    {"device", Expectation::Kind::OnDevice},
    {"dtype", Expectation::Kind::DTypeIs},
    {"shape", Expectation::Kind::ShapeIs},
    {"value", Expectation::Kind::ValueIs},
    {"changed", Expectation::Kind::Changed},
    {"unchanged", Expectation::Kind::Unchanged},
    {"traffic", Expectation::Kind::Traffic},
    {"raises", Expectation::Kind::Raises},
}};

std::string keywordList()
{
    std::string out;
    for (const KeywordInfo &k : kKeywords) {
        if (!out.empty())
            out += ", ";
        out += k.word;
    }
    return out;
}

std::string quoted(std::string_view s)
{
    return "'" + elideText(s, 60) + "'";
}

bool parseUnsigned(std::string_view s, std::uint64_t &out)
{
    if (s.empty())
        return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

bool parseSigned(std::string_view s, std::int64_t &out)
{
    if (s.empty())
        return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// "(2, 3)", "(5,)", "()": integers >= 0 separated by commas.
std::optional<std::vector<std::int64_t>> parseShape(std::string_view s)
{
    if (s.size() < 2 || s.front() != '(' || s.back() != ')')
        return std::nullopt;
    std::string_view inner = trimmed(s.substr(1, s.size() - 2));
    std::vector<std::int64_t> shape;
    if (inner.empty())
        return shape;
    if (inner.back() == ',')
        inner = trimmed(inner.substr(0, inner.size() - 1));
    for (std::string_view part : splitTopLevel(inner, ',')) {
        std::int64_t v = 0;
        if (!parseSigned(trimmed(part), v) || v < 0)
            return std::nullopt;
        shape.push_back(v);
    }
    // "(5)" is an int in Python, not a tuple; "(2, 3)" needs no trailing comma.
    if (shape.size() == 1 && s.substr(1, s.size() - 2).find(',') == std::string_view::npos)
        return std::nullopt;
    return shape;
}

// Splits `x[1, 2]` into the path `x` and the index {1, 2}: the last bracket
// group, when it holds integers only; else the path is the whole text.
void splitIndex(std::string_view text, std::string &path, std::vector<std::int64_t> &index)
{
    path = std::string(text);
    index.clear();
    if (text.empty() || text.back() != ']')
        return;
    const std::size_t open = text.rfind('[');
    if (open == std::string_view::npos || open == 0)
        return;
    const std::string_view inner = trimmed(text.substr(open + 1, text.size() - open - 2));
    if (inner.empty())
        return;
    std::vector<std::int64_t> parsed;
    for (std::string_view part : splitTopLevel(inner, ',')) {
        std::int64_t v = 0;
        if (!parseSigned(trimmed(part), v))
            return;
        parsed.push_back(v);
    }
    path = std::string(text.substr(0, open));
    index = std::move(parsed);
}

const std::string kNameHint = " (expected a Python name or path like lin.weight or sd['bias'])";

} // namespace

std::vector<std::string> Expectation::names() const
{
    std::vector<std::string> out;
    auto add = [&](const std::string &n) {
        if (n.empty())
            return;
        for (const std::string &candidate : {n, std::string(pathRoot(n))})
            if (!candidate.empty() && std::find(out.begin(), out.end(), candidate) == out.end())
                out.push_back(candidate);
    };
    switch (kind) {
    case Kind::Traffic:
    case Kind::Raises:
        break;
    case Kind::Alias:
    case Kind::Copy:
    case Kind::Convert:
    case Kind::Transfer:
    case Kind::Same:
    case Kind::Unrelated:
    case Kind::Shared:
        add(a);
        add(b);
        break;
    default:
        add(a);
        break;
    }
    return out;
}

std::string_view expectationKindName(Expectation::Kind k)
{
    for (const KeywordInfo &info : kKeywords)
        if (info.kind == k)
            return info.word;
    return "?";
}

std::variant<Expectation, std::string> parseExpectation(std::string_view line)
{
    using Kind = Expectation::Kind;
    Expectation e;
    std::string_view rest = trimmed(line);
    std::vector<std::string_view> tokens = splitTopLevel(rest, ' ');
    if (!tokens.empty() && tokens.front() == "claim") {
        e.claim = true;
        tokens.erase(tokens.begin());
        rest = trimmed(rest.substr(5));
    }
    e.text = std::string(rest);
    if (tokens.empty())
        return std::string(e.claim ? "claim without an expectation" : "empty expectation") + " (expected " +
            keywordList() + ")";
    const std::string_view word = tokens.front();
    const auto info =
        std::find_if(kKeywords.begin(), kKeywords.end(), [&](const KeywordInfo &k) { return k.word == word; });
    if (info == kKeywords.end())
        return "unknown expectation " + quoted(word) + " (expected " + keywordList() + ")";
    e.kind = info->kind;
    const std::vector<std::string_view> args(tokens.begin() + 1, tokens.end());
    const std::string w(word);

    auto checkName = [&](std::string_view n) -> std::optional<std::string> {
        if (!isNamePath(n))
            return quoted(n) + " is not a name" + kNameHint;
        return std::nullopt;
    };

    switch (e.kind) {
    case Kind::Alias:
    case Kind::Copy:
    case Kind::Convert:
    case Kind::Transfer:
    case Kind::Same:
    case Kind::Unrelated:
        if (args.size() != 2)
            return w + " wants two names (" + w + " X Y)";
        break;
    case Kind::Shared:
        if (args.size() != 3 || !parseUnsigned(args[2], e.bytes))
            return "shared wants two names and a byte count (shared X Y 48)";
        break;
    case Kind::ReadOnly:
    case Kind::Writable:
        if (args.size() != 1)
            return w + " wants one name (" + w + " X)";
        break;
    case Kind::OnDevice: {
        if (args.size() != 2)
            return "device wants a name and a device (device X cpu, cuda or cuda:N)";
        const std::string_view d = args[1];
        std::uint64_t index = 0;
        if (!(d == "cpu" || d == "cuda" || (d.starts_with("cuda:") && parseUnsigned(d.substr(5), index))))
            return quoted(d) + " is not a device (expected cpu, cuda or cuda:N)";
        e.device = std::string(d);
        break;
    }
    case Kind::DTypeIs:
        if (args.size() != 2)
            return "dtype wants a name and a dtype (dtype X float32)";
        try {
            e.dtype = parseDType(args[1]);
        } catch (const Error &) {
            return quoted(args[1]) + " is not a dtype (expected a NumPy dtype name such as float32, int64 or bool)";
        }
        break;
    case Kind::ShapeIs: {
        if (args.size() != 2)
            return "shape wants a name and a shape (shape X (2, 3))";
        auto shape = parseShape(args[1]);
        if (!shape)
            return quoted(args[1]) + " is not a shape (expected a tuple like (2, 3), (5,) or ())";
        e.shape = std::move(*shape);
        break;
    }
    case Kind::ValueIs:
        if (args.size() != 3 || (args[1] != "==" && args[1] != "!="))
            return "value wants a name, == or != and a value (value X[0, 1] == 7.5)";
        e.notEqual = args[1] == "!=";
        e.value = std::string(args[2]);
        break;
    case Kind::Changed:
    case Kind::Unchanged:
        if (args.size() != 1)
            return w + " wants one name, optionally indexed (" + w + " X or " + w + " X[0, 1])";
        break;
    case Kind::Traffic: {
        if (args.size() != 2)
            return "traffic wants a direction and a byte count (traffic H2D 48)";
        static constexpr std::array kDirections = {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D};
        const auto d = std::find_if(kDirections.begin(), kDirections.end(),
                                    [&](Direction x) { return directionName(x) == args[0]; });
        if (d == kDirections.end())
            return quoted(args[0]) + " is not a direction (expected H2H, H2D, D2H or D2D)";
        e.direction = *d;
        if (!parseUnsigned(args[1], e.bytes))
            return quoted(args[1]) + " is not a byte count (expected a whole number of bytes)";
        return e;
    }
    case Kind::Raises:
        if (args.size() != 1)
            return "raises wants one exception name (raises ZeroDivisionError)";
        if (!isDottedIdentifier(args[0]))
            return quoted(args[0]) + " is not an exception name (expected a name like ValueError)";
        e.a = std::string(args[0]);
        return e;
    }

    if (e.kind == Kind::ValueIs || e.kind == Kind::Changed || e.kind == Kind::Unchanged)
        splitIndex(args[0], e.a, e.index);
    else
        e.a = std::string(args[0]);
    if (auto bad = checkName(e.a))
        return *bad;
    const bool twoNames = e.kind == Kind::Alias || e.kind == Kind::Copy || e.kind == Kind::Convert ||
        e.kind == Kind::Transfer || e.kind == Kind::Same || e.kind == Kind::Unrelated || e.kind == Kind::Shared;
    if (twoNames) {
        e.b = std::string(args[1]);
        if (auto bad = checkName(e.b))
            return *bad;
    }
    return e;
}

} // namespace memscope::engine
