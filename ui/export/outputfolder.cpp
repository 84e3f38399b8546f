// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/outputfolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <csignal>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace memscope::ui {

namespace {

void fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

bool plainPart(const QString &part)
{
    return !part.isEmpty() && !part.startsWith(QLatin1Char('.')) && !part.contains(QLatin1Char('\\'));
}

enum class Kind { Missing, File, Folder, Link, Other };

// lstat: a link is reported as a link, never as what it points to.
Kind kindOf(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return Kind::Missing;
    if (S_ISLNK(st.st_mode))
        return Kind::Link;
    if (S_ISDIR(st.st_mode))
        return Kind::Folder;
    if (S_ISREG(st.st_mode))
        return Kind::File;
    return Kind::Other;
}

} // namespace

QString sanitizedFileName(const QString &name, const QString &fallback)
{
    QString out;
    for (const QChar c : name.toLower()) {
        const char16_t u = c.unicode();
        const bool keep = (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'_';
        if (keep)
            out += c;
        else if (!out.isEmpty() && !out.endsWith(QLatin1Char('-')))
            out += QLatin1Char('-');
        if (out.size() >= 60)
            break;
    }
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    return out.isEmpty() ? fallback : out;
}

namespace {

/// Staging folders are named after the process that made them, so one left
/// by a killed export (Ctrl+C) can be told from one still in use.
const QString kStagingPrefix = QStringLiteral(".memscope-export-");

bool isStaging(const QString &name)
{
    return name.startsWith(kStagingPrefix);
}

/// A staging folder whose process is gone.
bool isStale(const QString &name)
{
    const QString pid = name.mid(kStagingPrefix.size()).section(QLatin1Char('-'), 0, 0);
    bool ok = false;
    const long id = pid.toLong(&ok);
    return ok && id > 0 && ::kill(pid_t(id), 0) != 0 && errno == ESRCH;
}

} // namespace

OutputFolder::OutputFolder() = default;

bool OutputFolder::renameFile(const QString &from, const QString &to)
{
    return std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

OutputFolder::~OutputFolder()
{
    m_staging.reset();
    // A folder this export made and never filled goes again.
    if (m_created && !m_committed)
        QDir().rmdir(m_dir);
}

QString OutputFolder::refusal(const QString &dir, bool overwrite)
{
    if (dir.isEmpty())
        return QStringLiteral("no output folder given (--out DIR)");
    const QFileInfo info(dir);
    if (kindOf(dir) == Kind::Link && !info.exists())
        return QStringLiteral("%1 is a link to a folder that does not exist").arg(dir);
    if (info.exists() && !info.isDir())
        return QStringLiteral("%1 is a file, not a folder").arg(dir);
    if (!info.exists() || overwrite)
        return {};
    // What a killed export left (its staging folder) does not count as files.
    const QStringList entries =
        QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    if (std::any_of(entries.begin(), entries.end(), [](const QString &e) { return !isStaging(e); }))
        return QStringLiteral("%1 already holds files; nothing was written (--force writes into it, replacing "
                              "files of the same names)")
            .arg(dir);
    return {};
}

bool OutputFolder::open(const QString &dir, bool overwrite, QString *error)
{
    if (const QString why = refusal(dir, overwrite); !why.isEmpty()) {
        fail(error, why);
        return false;
    }
    const QFileInfo info(dir);
    if (!info.exists()) {
        if (!QDir().mkpath(dir)) {
            fail(error, QStringLiteral("cannot create the folder %1").arg(dir));
            return false;
        }
        m_created = true;
    }
    m_dir = QDir(dir).absolutePath();
    for (const QString &e :
         QDir(m_dir).entryList({kStagingPrefix + QLatin1Char('*')}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        if (isStale(e) && kindOf(QDir(m_dir).filePath(e)) == Kind::Folder)
            QDir(QDir(m_dir).filePath(e)).removeRecursively();
    m_staging = std::make_unique<QTemporaryDir>(
        QStringLiteral("%1/%2%3-XXXXXX").arg(m_dir, kStagingPrefix).arg(QCoreApplication::applicationPid()));
    if (!m_staging->isValid()) {
        fail(error, QStringLiteral("cannot write into %1: %2").arg(dir, m_staging->errorString()));
        m_staging.reset();
        return false;
    }
    m_files.clear();
    m_committed = false;
    return true;
}
bool OutputFolder::write(const QString &relativePath, const QByteArray &bytes, QString *error)
{
    if (!m_staging) {
        fail(error, QStringLiteral("no output folder is open"));
        return false;
    }
    const QStringList parts = relativePath.split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (!plainPart(part)) {
            fail(error,
                 QStringLiteral("refusing the file name '%1' (not a plain name inside the folder)").arg(relativePath));
            return false;
        }
    if (m_files.contains(relativePath)) {
        fail(error, QStringLiteral("%1 was written twice by one export").arg(relativePath));
        return false;
    }
    const QString staged = m_staging->filePath(relativePath);
    if (parts.size() > 1 && !QDir().mkpath(QFileInfo(staged).path())) {
        fail(error, QStringLiteral("cannot create a folder for %1").arg(relativePath));
        return false;
    }
    QFile file(staged);
    // NewOnly: a fresh file in a folder only this export made; nothing is followed.
    errno = 0;
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) || file.write(bytes) != bytes.size() || !file.flush()) {
        // QFile says "Unknown error" for a full disk; the system says which.
        const QString why = errno != 0 ? QString::fromLocal8Bit(std::strerror(errno)) : file.errorString();
        fail(error, QStringLiteral("cannot write %1: %2").arg(QDir(m_dir).filePath(relativePath), why));
        return false;
    }
    file.close();
    m_files << relativePath;
    return true;
}

bool OutputFolder::commit(QString *error)
{
    if (!m_staging) {
        fail(error, QStringLiteral("no output folder is open"));
        return false;
    }
    // Every target is checked before anything moves.
    for (const QString &rel : m_files) {
        const QStringList parts = rel.split(QLatin1Char('/'));
        QString at = m_dir;
        for (int i = 0; i + 1 < parts.size(); ++i) {
            at += QLatin1Char('/') + parts.at(i);
            const Kind k = kindOf(at);
            if (k == Kind::Link) {
                fail(error,
                     QStringLiteral("%1 is a symbolic link; an export does not follow links, nothing was "
                                    "written")
                         .arg(at));
                return false;
            }
            if (k != Kind::Missing && k != Kind::Folder) {
                fail(error, QStringLiteral("%1 is in the way (not a folder); nothing was written").arg(at));
                return false;
            }
        }
        const Kind k = kindOf(QDir(m_dir).filePath(rel));
        if (k == Kind::Folder || k == Kind::Other) {
            fail(error,
                 QStringLiteral("%1 is a folder or device in the way; nothing was written")
                     .arg(QDir(m_dir).filePath(rel)));
            return false;
        }
    }
    // Each file moves in; a file it replaces moves aside into the staging
    // folder first. When a move fails, every one done is undone in reverse,
    // so the folder is as it was.
    std::vector<std::pair<QString, QString>> done; // (from, to) of each rename made
    QStringList madeFolders;
    const auto move = [this, &done](const QString &from, const QString &to) {
        if (!renameFile(from, to))
            return false;
        done.emplace_back(from, to);
        return true;
    };
    const QString aside = m_staging->filePath(QStringLiteral(".replaced"));
    for (const QString &rel : m_files) {
        const QString target = QDir(m_dir).filePath(rel);
        const QString parent = QFileInfo(target).path();
        QString why;
        if (kindOf(parent) == Kind::Missing) {
            if (QDir().mkpath(parent))
                madeFolders.prepend(parent);
            else
                why = QStringLiteral("cannot create the folder %1").arg(parent);
        }
        if (why.isEmpty() && kindOf(target) != Kind::Missing) {
            const QString old = aside + QLatin1Char('/') + rel;
            if (!QDir().mkpath(QFileInfo(old).path()) || !move(target, old))
                why = QStringLiteral("cannot move %1 aside: %2")
                          .arg(target, QString::fromLocal8Bit(std::strerror(errno)));
        }
        // rename(2) replaces nothing here (the name is free now) and never
        // follows a link: the target is whole, old or new.
        if (why.isEmpty() && !move(m_staging->filePath(rel), target))
            why = QStringLiteral("cannot move %1 into place: %2")
                      .arg(target, QString::fromLocal8Bit(std::strerror(errno)));
        if (why.isEmpty())
            continue;
        bool undone = true;
        for (auto it = done.rbegin(); it != done.rend(); ++it)
            undone = renameFile(it->second, it->first) && undone;
        for (const QString &f : madeFolders)
            QDir().rmdir(f);
        if (undone) {
            fail(error, why + QStringLiteral("; nothing was changed"));
        } else {
            m_staging->setAutoRemove(false); // it holds the files that were replaced
            fail(error,
                 why + QStringLiteral("; some files could not be put back: the ones replaced are in %1").arg(aside));
        }
        return false;
    }
    m_staging.reset(); // removes the staging folder and the replaced files
    m_committed = true;
    return true;
}

} // namespace memscope::ui
