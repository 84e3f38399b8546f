// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Text helpers of the lesson parser: tokens that keep quoted and bracketed
// parts whole, names as MemScope tracks them, and the names a step's Python
// code binds (read from the text, never by running it).

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace memscope::engine {

/// Steps over quoted text ('...' or "...", backslash escapes) while a line
/// is scanned character by character: `skip(text, i)` is true for a quote
/// mark or any character inside quotes (and moves `i` past an escaped one).
struct QuoteSkipper
{
    char quote = 0;

    bool skip(std::string_view text, std::size_t &i)
    {
        const char c = text[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
            return true;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            return true;
        }
        return false;
    }
};

/// `s` without leading and trailing spaces, tabs and carriage returns.
std::string_view trimmed(std::string_view s);

/// Splits at `separator` outside quotes and (), [], {}: `sd['a b'] x` is two
/// tokens. A space separator splits at runs of blanks and drops empty parts;
/// any other keeps them (`1,,2` gives an empty middle part).
std::vector<std::string_view> splitTopLevel(std::string_view text, char separator);

/// A Python identifier (ASCII letters, digits, `_`, and any non-ASCII
/// character, not starting with a digit).
bool isIdentifier(std::string_view s);
/// Identifiers joined by dots: `ValueError`, `torch.cuda.OutOfMemoryError`.
bool isDottedIdentifier(std::string_view s);
/// A name as MemScope tracks it: an identifier followed by `.attr` and
/// `[...]` parts with balanced brackets and quotes (`lin.weight`,
/// `sd['bias']`, `params[1]`).
bool isNamePath(std::string_view s);
/// The identifier a path starts with: `lin` of `lin.weight`.
std::string_view pathRoot(std::string_view path);

/// Names bound by Python code, as far as the text shows: plain identifiers
/// and tuples of them assigned with `=` (chained and annotated too, not
/// augmented), `for NAME in`, `import NAME`, `import x as NAME`,
/// `from m import NAME, x as NAME`, `with ... as NAME`, `except E as NAME`,
/// `NAME :=`, `def NAME` and `class NAME`. `a[0] = ...` and `a.x = ...` bind
/// nothing.
std::set<std::string> boundNames(std::string_view code);

} // namespace memscope::engine
