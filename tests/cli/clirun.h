// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Running the memscope executable from a test: its exit status and output;
// scripts and lessons written to a temporary folder; frameworks the
// interpreter lacks make a visible skip.

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace memscope::test {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline Run runMemscope(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MEMSCOPE_BINARY), args);
    p.waitForFinished(800000); // minutes under ASan, where TensorFlow imports slowly
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QString writeFile(QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

inline QString writeScript(QTemporaryDir &dir, const QByteArray &text)
{
    return writeFile(dir, QStringLiteral("script.py"), text);
}

// Whether the interpreter `memscope run` uses has `module` (a pip or conda
// environment may lack a framework: then the case is a visible skip).
inline bool hasModule(const char *module)
{
    const QString python = qEnvironmentVariableIsEmpty("MEMSCOPE_PYTHON") ? QStringLiteral(MEMSCOPE_DEFAULT_PYTHON)
                                                                          : qEnvironmentVariable("MEMSCOPE_PYTHON");
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QStringLiteral("import %1").arg(QLatin1String(module))});
    return p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

#define requireModule(name)                                                                                            \
    do {                                                                                                               \
        if (!hasModule(name))                                                                                          \
            QSKIP(name " is not installed in this environment");                                                       \
    } while (false)

} // namespace memscope::test
