// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/checkcommand.h"

#include "app/python/pythonbackend.h"
#include "engine/lesson/environment.h"
#include "engine/lesson/lessonrunner.h"
#include "engine/runtime.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <future>

using namespace memscope::engine;

namespace memscope::app {

namespace {

/// A lesson file larger than this is no lesson (it is read whole).
constexpr qint64 kMaxLessonBytes = 4 << 20;

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    std::fflush(stream);
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

using Source = LessonSource;

Source readFile(const QString &path)
{
    QFile file(path);
    if (QFileInfo(path).isDir())
        return {{}, path, QStringLiteral("%1 is a folder, not a lesson").arg(path)};
    if (!file.open(QIODevice::ReadOnly))
        return {{}, path, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    QByteArray bytes = file.read(kMaxLessonBytes + 1);
    if (bytes.size() > kMaxLessonBytes)
        return {{}, path, QStringLiteral("%1 is larger than 4 MiB; that is no lesson").arg(path)};
    return {bytes, path, {}};
}

LessonEnvironment describeMachine(python::PythonBackend &backend, const Runtime &runtime)
{
    std::promise<std::string> text; // the interpreter's package metadata
    backend.describeEnvironment([&text](std::string t) { text.set_value(std::move(t)); });
    return lessonEnvironment(text.get_future().get(), runtime.hasRealCuda());
}

/// Tallies over one lesson or all of them.
struct Tally
{
    int held = 0;
    int failed = 0;
    int claimsHeld = 0;
    int claimsNotHeld = 0;
    int stepsSkipped = 0;

    void add(const Tally &o)
    {
        held += o.held;
        failed += o.failed;
        claimsHeld += o.claimsHeld;
        claimsNotHeld += o.claimsNotHeld;
        stepsSkipped += o.stepsSkipped;
    }
    QString toString() const
    {
        QString s = QStringLiteral("%1 held, %2 failed").arg(held).arg(failed);
        if (claimsHeld + claimsNotHeld > 0)
            s += QStringLiteral("; claims: %1 held, %2 not held").arg(claimsHeld).arg(claimsNotHeld);
        if (stepsSkipped > 0)
            s += QStringLiteral("; %1 step(s) skipped").arg(stepsSkipped);
        return s;
    }
};

/// Runs one lesson and reports it; the tally says how it went.
Tally checkLesson(python::PythonBackend &backend, const Lesson &lesson, const LessonEnvironment &machine, bool json,
                  QJsonArray &jsonLessons)
{
    Tally tally;
    QJsonObject jl;
    jl[QStringLiteral("id")] = q(lesson.id);
    jl[QStringLiteral("title")] = q(lesson.title);
    jl[QStringLiteral("file")] = q(lesson.file);
    if (!json)
        print(stdout, QStringLiteral("%1 (%2, %3)\n").arg(q(lesson.title), q(lesson.id), q(lesson.file)));
    std::promise<void> reset; // a fresh namespace per lesson
    backend.reset([&reset] { reset.set_value(); });
    reset.get_future().get();

    const QString lessonMissing = q(machine.missing(lesson.requirements));
    QJsonArray jsteps;
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const LessonStep &step = lesson.steps[i];
        QJsonObject js;
        js[QStringLiteral("title")] = q(step.title);
        js[QStringLiteral("line")] = step.line;
        if (!json)
            print(stdout, QStringLiteral("  %1. %2 (line %3)\n").arg(i + 1).arg(q(step.title)).arg(step.line));
        std::vector<Requirement> needs = step.requires_;
        const QString missing = lessonMissing.isEmpty() ? q(machine.missing(needs)) : lessonMissing;
        if (!missing.isEmpty()) { // skipped, and said so: never counted as held
            ++tally.stepsSkipped;
            js[QStringLiteral("skipped")] = QStringLiteral("needs %1, not available here").arg(missing);
            if (!json)
                print(stdout, QStringLiteral("     SKIPPED   needs %1, not available here\n").arg(missing));
            jsteps.append(js);
            continue;
        }
        std::promise<StepObservation> done;
        runLessonStep(backend, lesson, step, [&done](StepObservation o) { done.set_value(std::move(o)); });
        StepObservation observed = done.get_future().get();
        observed.versions = machine.versions;

        QJsonArray jexp;
        bool expectsRaise = false;
        for (const Expectation &e : step.expectations) {
            expectsRaise = expectsRaise || e.kind == Expectation::Kind::Raises;
            const ExpectationResult r = checkExpectation(e, observed);
            QString verdict;
            if (e.claim) {
                (r.held ? tally.claimsHeld : tally.claimsNotHeld)++;
                verdict = r.held ? QStringLiteral("claim held    ") : QStringLiteral("claim NOT HELD");
            } else {
                (r.held ? tally.held : tally.failed)++;
                verdict = r.held ? QStringLiteral("held          ") : QStringLiteral("FAILED        ");
            }
            QJsonObject je;
            je[QStringLiteral("expectation")] = q(e.text);
            je[QStringLiteral("line")] = e.line;
            je[QStringLiteral("claim")] = e.claim;
            je[QStringLiteral("held")] = r.held;
            je[QStringLiteral("observed")] = q(r.observed);
            je[QStringLiteral("evidence")] = q(r.evidence);
            jexp.append(je);
            if (!json) {
                QString line = QStringLiteral("     %1 %2 — %3").arg(verdict, q(e.text), q(r.observed));
                if (!r.held || e.claim)
                    line += QStringLiteral("\n                    evidence: %1").arg(q(r.evidence));
                print(stdout, line + QLatin1Char('\n'));
            }
        }
        if (!observed.raised.empty()) {
            js[QStringLiteral("raised")] = q(observed.raised);
            js[QStringLiteral("raised_message")] = q(observed.raisedMessage);
            if (!expectsRaise) { // code that raised where nothing said it would: the lesson is wrong here
                ++tally.failed;
                if (!json)
                    print(stdout,
                          QStringLiteral("     FAILED         the step's code raised %1: %2\n")
                              .arg(q(observed.raised), q(observed.raisedMessage)));
            }
        }
        js[QStringLiteral("expectations")] = jexp;
        jsteps.append(js);
    }
    jl[QStringLiteral("steps")] = jsteps;
    jl[QStringLiteral("ok")] = tally.failed == 0;
    jl[QStringLiteral("summary")] = tally.toString();
    jsonLessons.append(jl);
    if (!json)
        print(stdout,
              QStringLiteral("  %1: %2\n\n")
                  .arg(tally.failed == 0 ? QStringLiteral("ok") : QStringLiteral("FAILED"), tally.toString()));
    return tally;
}

} // namespace

LessonSource findLesson(const QString &nameOrPath)
{
    if (QFileInfo::exists(nameOrPath) || nameOrPath.contains(QLatin1Char('/')) ||
        nameOrPath.endsWith(QLatin1String(".md")))
        return readFile(nameOrPath);
    const QString bundled = QStringLiteral(":/lessons/%1.md").arg(nameOrPath);
    if (QFile::exists(bundled))
        return readFile(bundled);
    QStringList ids;
    for (const QString &path : bundledLessons()) {
        const Source s = readFile(path);
        const auto parsed = parseLesson(s.text.toStdString(), path.toStdString());
        if (const auto *lesson = std::get_if<Lesson>(&parsed)) {
            if (q(lesson->id) == nameOrPath)
                return s;
            ids << q(lesson->id);
        }
    }
    return {{},
            nameOrPath,
            QStringLiteral("no lesson named '%1' (bundled: %2)").arg(nameOrPath, ids.join(QStringLiteral(", ")))};
}

QStringList bundledLessons()
{
    QStringList out;
    for (const QString &name :
         QDir(QStringLiteral(":/lessons")).entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
        out << QStringLiteral(":/lessons/") + name;
    return out;
}

int checkLessonsCommand(Runtime &runtime, const CheckOptions &options)
{
    // Every lesson is read and parsed before anything runs: a malformed one
    // stops the check with its file and line.
    QStringList names = options.lessons;
    if (options.all)
        names = bundledLessons();
    if (names.isEmpty()) {
        print(stderr, QStringLiteral("memscope check: name a lesson, a lesson file, or --all\n"));
        return 2;
    }
    std::vector<Lesson> lessons;
    for (const QString &name : names) {
        const Source source = findLesson(name);
        if (!source.error.isEmpty()) {
            print(stderr, QStringLiteral("memscope check: %1\n").arg(source.error));
            return 2;
        }
        auto parsed = parseLesson(source.text.toStdString(), source.file.toStdString());
        if (const auto *error = std::get_if<LessonError>(&parsed)) {
            print(stderr, QStringLiteral("memscope check: %1\nnothing ran.\n").arg(q(error->toString())));
            return 2;
        }
        lessons.push_back(std::move(std::get<Lesson>(parsed)));
    }

    python::PythonBackendOptions backendOptions;
    backendOptions.executable = options.python.toStdString();
    python::PythonBackend backend(runtime, backendOptions);
    if (const std::string error = backend.waitForStart(); !error.empty()) {
        print(stderr, QStringLiteral("memscope check: %1\n").arg(q(error)));
        return 2;
    }
    backend.setOutputHandler([](OutputStream, std::string_view) {}); // a lesson's prints are not the report
    const LessonEnvironment machine = describeMachine(backend, runtime);
    if (!options.json)
        print(stdout, QStringLiteral("observed with %1; %2\n\n").arg(q(machine.versions), q(runtime.cudaStatus())));

    Tally total;
    QJsonArray jsonLessons;
    for (const Lesson &lesson : lessons)
        total.add(checkLesson(backend, lesson, machine, options.json, jsonLessons));
    const bool ok = total.failed == 0;
    if (options.json) {
        QJsonObject doc;
        doc[QStringLiteral("ok")] = ok;
        doc[QStringLiteral("versions")] = q(machine.versions);
        doc[QStringLiteral("cuda")] = q(runtime.cudaStatus());
        doc[QStringLiteral("summary")] = total.toString();
        doc[QStringLiteral("lessons")] = jsonLessons;
        print(stdout, QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)));
    } else if (lessons.size() > 1) {
        print(stdout, QStringLiteral("%1 lessons: %2\n").arg(lessons.size()).arg(total.toString()));
    }
    return ok ? 0 : 1;
}

} // namespace memscope::app
