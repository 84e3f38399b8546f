// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/lesson/lessontext.h"

#include <array>

namespace memscope::engine {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool isIdentStart(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

bool isIdentChar(char c)
{
    return isIdentStart(c) || (c >= '0' && c <= '9');
}

std::size_t identifierEnd(std::string_view s, std::size_t i)
{
    if (i >= s.size() || !isIdentStart(s[i]))
        return i;
    while (i < s.size() && isIdentChar(s[i]))
        ++i;
    return i;
}

// Python code as logical statements: comments dropped, string literals
// emptied (`"a=b"` becomes `""`), lines inside brackets or after a backslash
// joined, `;` separating statements.
std::vector<std::string> logicalStatements(std::string_view code)
{
    std::vector<std::string> out;
    std::string current;
    int depth = 0;
    auto flush = [&] {
        const std::string_view t = trimmed(current);
        if (!t.empty())
            out.emplace_back(t);
        current.clear();
    };
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '#') {
            while (i + 1 < code.size() && code[i + 1] != '\n')
                ++i;
            continue;
        }
        if (c == '\'' || c == '"') {
            const bool triple = code.substr(i, 3) == std::string(3, c);
            std::size_t j = i + (triple ? 3 : 1);
            while (j < code.size()) {
                if (code[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (triple ? code.substr(j, 3) == std::string(3, c) : code[j] == c)
                    break;
                if (!triple && code[j] == '\n')
                    break;
                ++j;
            }
            current += c;
            current += c;
            i = triple ? std::min(code.size(), j + 3) - 1 : std::min(code.size(), j + 1) - 1;
            if (!triple && j < code.size() && code[j] == '\n')
                i = j - 1; // unterminated: the newline still ends the statement
            continue;
        }
        if (c == '\\' && i + 1 < code.size() && code[i + 1] == '\n') {
            current += ' ';
            ++i;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            --depth;
        if (c == '\n') {
            if (depth == 0)
                flush();
            else
                current += ' ';
            continue;
        }
        if (c == ';' && depth == 0) {
            flush();
            continue;
        }
        current += c;
    }
    flush();
    return out;
}

// Position of the first `ch` at bracket depth 0 (strings are already empty), or npos.
std::size_t findTopLevel(std::string_view s, char ch, std::size_t from = 0)
{
    int depth = 0;
    for (std::size_t i = from; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            --depth;
        else if (c == ch && depth == 0)
            return i;
    }
    return std::string_view::npos;
}

// Binds the identifiers of an assignment target: `a`, `a, b`, `(a, *b)`, `[a, (b, c)]`.
void bindTarget(std::string_view target, std::set<std::string> &bound)
{
    target = trimmed(target);
    if (target.size() >= 2 &&
        ((target.front() == '(' && target.back() == ')') || (target.front() == '[' && target.back() == ']')))
        target = target.substr(1, target.size() - 2);
    for (std::string_view part : splitTopLevel(target, ',')) {
        part = trimmed(part);
        if (!part.empty() && part.front() == '*')
            part = trimmed(part.substr(1));
        if (part.empty())
            continue;
        if (part.front() == '(' || part.front() == '[')
            bindTarget(part, bound);
        else if (isIdentifier(part))
            bound.emplace(part);
    }
}

bool startsWithWord(std::string_view s, std::string_view word)
{
    return s.starts_with(word) && (s.size() == word.size() || !isIdentChar(s[word.size()]));
}

// Every `as NAME` (or `as (a, b)`) in `s`.
void bindAsClauses(std::string_view s, std::set<std::string> &bound)
{
    for (std::size_t at = s.find(" as "); at != std::string_view::npos; at = s.find(" as ", at + 4)) {
        std::string_view rest = trimmed(s.substr(at + 4));
        if (!rest.empty() && rest.front() == '(') {
            const std::size_t close = rest.find(')');
            if (close != std::string_view::npos)
                bindTarget(rest.substr(0, close + 1), bound);
            continue;
        }
        const std::size_t end = identifierEnd(rest, 0);
        if (end > 0)
            bound.emplace(rest.substr(0, end));
    }
}

void bindStatement(std::string_view s, std::set<std::string> &bound, int nesting = 0)
{
    s = trimmed(s);
    if (s.empty() || nesting > 16)
        return;
    // Walrus anywhere: `if (n := len(a)) > 2:`.
    for (std::size_t at = s.find(":="); at != std::string_view::npos; at = s.find(":=", at + 2)) {
        std::size_t end = at;
        while (end > 0 && isBlank(s[end - 1]))
            --end;
        std::size_t begin = end;
        while (begin > 0 && isIdentChar(s[begin - 1]))
            --begin;
        if (isIdentifier(s.substr(begin, end - begin)))
            bound.emplace(s.substr(begin, end - begin));
    }
    if (startsWithWord(s, "async"))
        s = trimmed(s.substr(5));
    if (startsWithWord(s, "def") || startsWithWord(s, "class")) {
        const std::string_view rest = trimmed(s.substr(s.starts_with("def") ? 3 : 5));
        const std::size_t end = identifierEnd(rest, 0);
        if (end > 0)
            bound.emplace(rest.substr(0, end));
        return;
    }
    if (startsWithWord(s, "import")) {
        for (std::string_view part : splitTopLevel(s.substr(6), ',')) {
            part = trimmed(part);
            const std::size_t as = part.find(" as ");
            if (as != std::string_view::npos) {
                const std::string_view alias = trimmed(part.substr(as + 4));
                if (isIdentifier(alias))
                    bound.emplace(alias);
            } else if (const std::string_view root = pathRoot(part); isIdentifier(root)) {
                bound.emplace(root);
            }
        }
        return;
    }
    if (startsWithWord(s, "from")) {
        const std::size_t imp = s.find(" import ");
        if (imp == std::string_view::npos)
            return;
        std::string_view names = trimmed(s.substr(imp + 8));
        if (!names.empty() && names.front() == '(' && names.back() == ')')
            names = names.substr(1, names.size() - 2);
        for (std::string_view part : splitTopLevel(names, ',')) {
            part = trimmed(part);
            const std::size_t as = part.find(" as ");
            const std::string_view name = as == std::string_view::npos ? part : trimmed(part.substr(as + 4));
            if (isIdentifier(name))
                bound.emplace(name);
        }
        return;
    }
    static constexpr std::array kCompound = {"if", "elif", "else", "while", "for", "with", "try", "except", "finally"};
    for (const char *kw : kCompound) {
        if (!startsWithWord(s, kw))
            continue;
        const std::size_t colon = findTopLevel(s, ':');
        const std::string_view head = s.substr(0, colon);
        if (startsWithWord(s, "for")) {
            const std::size_t in = head.find(" in ");
            if (in != std::string_view::npos)
                bindTarget(head.substr(3, in - 3), bound);
        } else if (startsWithWord(s, "with") || startsWithWord(s, "except")) {
            bindAsClauses(head, bound);
        }
        if (colon != std::string_view::npos)
            bindStatement(s.substr(colon + 1), bound, nesting + 1);
        return;
    }
    // Assignment: every part before a top-level `=` that is no comparison,
    // augmented assignment or walrus is a target.
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            --depth;
        if (c != '=' || depth != 0)
            continue;
        if (i + 1 < s.size() && s[i + 1] == '=') {
            ++i;
            continue;
        }
        if (i > 0 && std::string_view("=!<>+-*/%&|^@:").find(s[i - 1]) != std::string_view::npos)
            continue;
        parts.push_back(s.substr(start, i - start));
        start = i + 1;
    }
    for (std::string_view target : parts) {
        // `x: int = 3`: the annotation is no target.
        const std::size_t colon = findTopLevel(target, ':');
        bindTarget(colon == std::string_view::npos ? target : target.substr(0, colon), bound);
    }
}

} // namespace

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitTopLevel(std::string_view text, char separator)
{
    std::vector<std::string_view> out;
    const bool blanks = separator == ' ';
    int depth = 0;
    QuoteSkipper quotes;
    std::size_t start = 0;
    auto cut = [&](std::size_t end) {
        const std::string_view part = text.substr(start, end - start);
        if (!blanks || !part.empty())
            out.push_back(part);
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (quotes.skip(text, i))
            continue;
        const char c = text[i];
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            --depth;
        else if (depth == 0 && (blanks ? isBlank(c) : c == separator)) {
            cut(i);
            start = i + 1;
        }
    }
    cut(text.size());
    return out;
}

bool isIdentifier(std::string_view s)
{
    return !s.empty() && identifierEnd(s, 0) == s.size();
}

bool isDottedIdentifier(std::string_view s)
{
    const std::vector<std::string_view> parts = [&] {
        std::vector<std::string_view> p;
        std::size_t start = 0;
        for (std::size_t dot = s.find('.'); dot != std::string_view::npos; dot = s.find('.', start)) {
            p.push_back(s.substr(start, dot - start));
            start = dot + 1;
        }
        p.push_back(s.substr(start));
        return p;
    }();
    for (std::string_view p : parts)
        if (!isIdentifier(p))
            return false;
    return true;
}

bool isNamePath(std::string_view s)
{
    std::size_t i = identifierEnd(s, 0);
    if (i == 0)
        return false;
    while (i < s.size()) {
        if (s[i] == '.') {
            const std::size_t end = identifierEnd(s, i + 1);
            if (end == i + 1)
                return false;
            i = end;
            continue;
        }
        if (s[i] != '[')
            return false;
        // A balanced [...] with quotes: `['a b']`, `[0]`, `['x]']`.
        int depth = 0;
        QuoteSkipper quotes;
        const std::size_t open = i;
        for (; i < s.size(); ++i) {
            if (quotes.skip(s, i))
                continue;
            const char c = s[i];
            if (c == '[')
                ++depth;
            else if (c == ']' && --depth == 0)
                break;
        }
        if (i >= s.size() || i == open + 1)
            return false; // unclosed, or `[]`
        ++i;
    }
    return true;
}

std::string_view pathRoot(std::string_view path)
{
    return path.substr(0, identifierEnd(path, 0));
}

std::set<std::string> boundNames(std::string_view code)
{
    std::set<std::string> bound;
    for (const std::string &statement : logicalStatements(code))
        bindStatement(statement, bound);
    return bound;
}

} // namespace memscope::engine
