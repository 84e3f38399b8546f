// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/lesson/lesson.h"

#include "engine/lesson/lessontext.h"

#include <algorithm>
#include <array>
#include <set>

namespace memscope::engine {

namespace {

struct RequirementInfo
{
    std::string_view word;
    Requirement requirement;
};

constexpr std::array<RequirementInfo, 5> kRequirements = {{
    {"numpy", Requirement::NumPy},
    {"torch", Requirement::Torch},
    {"tensorflow", Requirement::TensorFlow},
    {"cuda", Requirement::Cuda},
    {"cuda-or-emulated", Requirement::CudaOrEmulated},
}};

// The line (from 1) of the first byte that is not valid UTF-8, or 0 when
// all of `text` is: overlong forms, surrogates and code points past U+10FFFF
// are invalid too.
int invalidUtf8Line(std::string_view text)
{
    int line = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n')
            ++line;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return line;
        }
        if (i + n >= text.size())
            return line;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80)
                return line;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return line;
        i += n + 1;
    }
    return 0;
}

std::string requirementList()
{
    return "numpy, torch, tensorflow, cuda or cuda-or-emulated";
}

// A comma list of requirements; the message names the first unknown one.
bool parseRequirements(std::string_view list, std::vector<Requirement> &out, std::string &error)
{
    for (std::string_view part : splitTopLevel(list, ',')) {
        part = trimmed(part);
        const auto it = std::find_if(kRequirements.begin(), kRequirements.end(),
                                     [&](const RequirementInfo &r) { return r.word == part; });
        if (it == kRequirements.end()) {
            error = part.empty()
                ? "empty requirement in '" + std::string(list) + "' (expected " + requirementList() +
                    ", separated by commas)"
                : "unknown requirement '" + std::string(part) + "' (expected " + requirementList() + ")";
            return false;
        }
        if (std::find(out.begin(), out.end(), it->requirement) == out.end())
            out.push_back(it->requirement);
    }
    return true;
}

// A fence opening or closing line: "```python" gives marker "```" and info "python".
struct Fence
{
    std::string marker;
    std::string info; ///< the info string's first word
};

std::optional<Fence> fenceOf(std::string_view line)
{
    std::size_t indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == ' ')
        ++indent;
    if (indent > 3)
        return std::nullopt;
    line.remove_prefix(indent);
    if (line.empty() || (line.front() != '`' && line.front() != '~'))
        return std::nullopt;
    const char c = line.front();
    std::size_t n = 0;
    while (n < line.size() && line[n] == c)
        ++n;
    if (n < 3)
        return std::nullopt;
    const std::string_view info = trimmed(line.substr(n));
    const std::size_t space = info.find_first_of(" \t{");
    return Fence {std::string(n, c), std::string(info.substr(0, space))};
}

bool closesFence(std::string_view line, const Fence &open)
{
    const auto f = fenceOf(line);
    return f && f->info.empty() && f->marker.front() == open.marker.front() && f->marker.size() >= open.marker.size() &&
        trimmed(line).size() == f->marker.size();
}

struct Parser
{
    std::string_view file;
    std::vector<std::string_view> lines; ///< lines[0] is line 1
    LessonError error;

    bool fail(int line, std::string message)
    {
        error = {std::string(file), line, std::move(message)};
        return false;
    }

    bool frontMatter(Lesson &lesson, std::size_t &next);
    bool body(Lesson &lesson, std::size_t from);
    bool predict(LessonStep &step, int fenceLine, const std::vector<std::pair<int, std::string_view>> &content);
    bool expect(LessonStep &step, const std::vector<std::pair<int, std::string_view>> &content);
    bool finishStep(LessonStep &step, bool hasCode);
    bool checkNames(const Lesson &lesson);
};

bool Parser::frontMatter(Lesson &lesson, std::size_t &next)
{
    if (lines.empty() || trimmed(lines[0]) != "---")
        return fail(1,
                    "expected front matter: the first line must be '---', then key: value lines (id, title, "
                    "requires, summary) and a closing '---'");
    std::set<std::string> seen;
    std::size_t i = 1;
    for (; i < lines.size(); ++i) {
        const std::string_view line = trimmed(lines[i]);
        const int n = static_cast<int>(i) + 1;
        if (line == "---")
            break;
        if (line.empty())
            continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return fail(n, "expected 'key: value' in the front matter, got '" + std::string(line) + "'");
        const std::string key(trimmed(line.substr(0, colon)));
        const std::string value(trimmed(line.substr(colon + 1)));
        if (key != "id" && key != "title" && key != "requires" && key != "summary")
            return fail(n, "unknown front matter key '" + key + "' (expected id, title, requires or summary)");
        if (!seen.insert(key).second)
            return fail(n, "front matter key '" + key + "' given twice (expected each key once)");
        if (value.empty() && key != "requires")
            return fail(n, "front matter key '" + key + "' has no value (expected " + key + ": ...)");
        if (key == "id")
            lesson.id = value;
        else if (key == "title")
            lesson.title = value;
        else if (key == "summary")
            lesson.summary = value;
        else if (std::string why; !value.empty() && !parseRequirements(value, lesson.requirements, why))
            return fail(n, why);
    }
    if (i >= lines.size())
        return fail(1, "front matter is not closed (expected a '---' line after the key: value lines)");
    const int close = static_cast<int>(i) + 1;
    if (lesson.id.empty())
        return fail(close, "front matter has no id (expected 'id: ...' before this '---')");
    if (lesson.title.empty())
        return fail(close, "front matter has no title (expected 'title: ...' before this '---')");
    next = i + 1;
    return true;
}

bool Parser::predict(LessonStep &step, int fenceLine, const std::vector<std::pair<int, std::string_view>> &content)
{
    Prediction p;
    p.line = fenceLine;
    for (const auto &[n, raw] : content) {
        const std::string_view line = trimmed(raw);
        if (line.empty())
            continue;
        if (p.question.empty()) {
            if (line.starts_with("- "))
                return fail(n, "expected the question on the first line of the ```predict block, got a choice");
            p.question = std::string(line);
            continue;
        }
        if (!line.starts_with("- ") && line != "-")
            return fail(n, "expected a choice line starting with '- ' in the ```predict block");
        std::string_view text = trimmed(line.substr(1));
        Prediction::Choice choice;
        if (text.ends_with("(*)")) {
            choice.right = true;
            text = trimmed(text.substr(0, text.size() - 3));
        }
        if (text.empty())
            return fail(n, "empty choice (expected text after '- ')");
        choice.text = std::string(text);
        p.choices.push_back(std::move(choice));
    }
    if (p.question.empty())
        return fail(fenceLine, "empty ```predict block (expected a question, then '- ' choices)");
    if (p.choices.empty())
        return fail(fenceLine, "```predict block without choices (expected '- ' lines after the question)");
    if (std::none_of(p.choices.begin(), p.choices.end(), [](const Prediction::Choice &c) { return c.right; }))
        return fail(fenceLine, "```predict block without a right choice (expected ' (*)' at the end of one)");
    step.prediction = std::move(p);
    return true;
}

// `#` outside quotes and brackets, at the start or after a blank, starts a comment.
std::string_view withoutComment(std::string_view line)
{
    QuoteSkipper quotes;
    int depth = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (quotes.skip(line, i))
            continue;
        const char c = line[i];
        if (c == '[' || c == '(')
            ++depth;
        else if ((c == ']' || c == ')') && depth > 0)
            --depth;
        else if (c == '#' && depth == 0 && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            return trimmed(line.substr(0, i));
    }
    return trimmed(line);
}

bool Parser::expect(LessonStep &step, const std::vector<std::pair<int, std::string_view>> &content)
{
    for (const auto &[n, raw] : content) {
        const std::string_view line = withoutComment(raw);
        if (line.empty())
            continue;
        if (line.starts_with("requires:")) {
            std::string why;
            if (!parseRequirements(trimmed(line.substr(9)), step.requires_, why))
                return fail(n, why);
            continue;
        }
        auto parsed = parseExpectation(line);
        if (auto *message = std::get_if<std::string>(&parsed))
            return fail(n, *message);
        Expectation e = std::get<Expectation>(std::move(parsed));
        e.line = n;
        step.expectations.push_back(std::move(e));
    }
    return true;
}

bool Parser::finishStep(LessonStep &step, bool hasCode)
{
    if (!hasCode)
        return fail(step.line, "step '" + step.title + "' has no ```python block (expected one per step)");
    while (!step.narration.empty() && step.narration.back() == '\n')
        step.narration.pop_back();
    return true;
}

bool Parser::body(Lesson &lesson, std::size_t from)
{
    std::optional<LessonStep> step;
    bool hasCode = false;
    bool hasPredict = false;
    bool hasExpect = false;
    bool lastBlank = true; // narration: blank lines collapsed, none leading
    for (std::size_t i = from; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const int n = static_cast<int>(i) + 1;
        const std::string_view text = trimmed(line);
        if (line.starts_with("##") && !line.starts_with("###")) {
            if (step) {
                if (!finishStep(*step, hasCode))
                    return false;
                lesson.steps.push_back(std::move(*step));
            }
            step.emplace();
            step->line = n;
            step->title = std::string(trimmed(line.substr(2)));
            if (step->title.empty() || (line.size() > 2 && line[2] != ' '))
                return fail(n, "step heading without a title (expected '## Title')");
            hasCode = hasPredict = hasExpect = false;
            lastBlank = true;
            continue;
        }
        if (!step) {
            if (text.empty())
                continue;
            return fail(n, "text before the first step (expected a '## ' heading to start a step)");
        }
        const auto fence = fenceOf(line);
        if (fence) {
            // Collect the block up to its closing fence.
            std::vector<std::pair<int, std::string_view>> content;
            std::size_t j = i + 1;
            while (j < lines.size() && !closesFence(lines[j], *fence)) {
                content.emplace_back(static_cast<int>(j) + 1, lines[j]);
                ++j;
            }
            if (j >= lines.size())
                return fail(n,
                            "unclosed " + fence->marker + fence->info + " fence (expected a closing " + fence->marker +
                                " line)");
            const std::string &info = fence->info;
            if (info == "python") {
                if (hasCode)
                    return fail(n, "second ```python block in step '" + step->title + "' (expected one per step)");
                hasCode = true;
                step->codeLine = n + 1;
                for (const auto &[k, codeLine] : content) {
                    step->code += codeLine;
                    step->code += '\n';
                }
                if (trimmed(step->code).empty())
                    return fail(n, "empty ```python block (expected the step's code)");
            } else if (info == "predict") {
                if (hasPredict)
                    return fail(n, "second ```predict block in step '" + step->title + "' (expected at most one)");
                hasPredict = true;
                if (!predict(*step, n, content))
                    return false;
            } else if (info == "expect") {
                if (hasExpect)
                    return fail(n, "second ```expect block in step '" + step->title + "' (expected at most one)");
                hasExpect = true;
                if (!expect(*step, content))
                    return false;
            } else {
                // Any other fence is narration, kept as written.
                for (std::size_t k = i; k <= j; ++k) {
                    step->narration += lines[k];
                    step->narration += '\n';
                }
                lastBlank = false;
            }
            i = j;
            continue;
        }
        if (text.empty()) {
            if (!lastBlank)
                step->narration += '\n';
            lastBlank = true;
            continue;
        }
        step->narration += line;
        step->narration += '\n';
        lastBlank = false;
    }
    if (!step)
        return fail(static_cast<int>(lines.size()),
                    "lesson without steps (expected '## ' headings, each with a "
                    "```python block)");
    if (!finishStep(*step, hasCode))
        return false;
    lesson.steps.push_back(std::move(*step));
    return true;
}

bool Parser::checkNames(const Lesson &lesson)
{
    std::set<std::string> bound;
    for (const LessonStep &step : lesson.steps) {
        bound.merge(boundNames(step.code));
        for (const Expectation &e : step.expectations) {
            for (const std::string &name : e.names()) {
                const std::string root(pathRoot(name));
                if (!bound.contains(root))
                    return fail(e.line,
                                "'" + root +
                                    "' is not created by this step's code or an earlier step's "
                                    "(expected a name bound by an assignment, import, for, with, def or class)");
            }
        }
    }
    return true;
}

} // namespace

std::string LessonError::toString() const
{
    if (line <= 0)
        return file + ": " + message;
    return file + ":" + std::to_string(line) + ": " + message;
}

std::string_view requirementName(Requirement r)
{
    for (const RequirementInfo &info : kRequirements)
        if (info.requirement == r)
            return info.word;
    return "?";
}

std::variant<Lesson, LessonError> parseLesson(std::string_view text, std::string_view file)
{
    Parser p;
    p.file = file;
    if (const int bad = invalidUtf8Line(text))
        return LessonError {std::string(file), bad, "invalid UTF-8 (expected a UTF-8 text file)"};
    if (trimmed(text).empty())
        return LessonError {std::string(file), 0, "empty lesson (expected front matter starting with '---')"};
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3); // a byte order mark some editors write
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            if (start < text.size())
                p.lines.push_back(text.substr(start));
            break;
        }
        std::string_view line = text.substr(start, nl - start);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        p.lines.push_back(line);
        start = nl + 1;
    }
    if (!p.lines.empty() && p.lines.back().ends_with('\r'))
        p.lines.back().remove_suffix(1);

    Lesson lesson;
    lesson.file = std::string(file);
    std::size_t next = 0;
    if (!p.frontMatter(lesson, next) || !p.body(lesson, next) || !p.checkNames(lesson))
        return p.error;
    return lesson;
}

} // namespace memscope::engine
