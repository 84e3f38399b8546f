// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/outputfolder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

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

OutputFolder::OutputFolder() = default;
OutputFolder::~OutputFolder() = default;

QString OutputFolder::refusal(const QString &dir, bool overwrite)
{
    if (dir.isEmpty())
        return QStringLiteral("no output folder given (--out DIR)");
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return QStringLiteral("%1 is a file, not a folder").arg(dir);
    if (info.exists() && !overwrite &&
        !QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot).isEmpty())
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
    if (!info.exists() && !QDir().mkpath(dir)) {
        fail(error, QStringLiteral("cannot create the folder %1").arg(dir));
        return false;
    }
    m_dir = QDir(dir).absolutePath();
    m_staging = std::make_unique<QTemporaryDir>(m_dir + QStringLiteral("/.memscope-export-XXXXXX"));
    if (!m_staging->isValid()) {
        fail(error, QStringLiteral("cannot write into %1: %2").arg(dir, m_staging->errorString()));
        m_staging.reset();
        return false;
    }
    m_files.clear();
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
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) || file.write(bytes) != bytes.size() || !file.flush()) {
        fail(error, QStringLiteral("cannot write %1: %2").arg(QDir(m_dir).filePath(relativePath), file.errorString()));
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
    for (const QString &rel : m_files) {
        const QString target = QDir(m_dir).filePath(rel);
        const QString parent = QFileInfo(target).path();
        if (kindOf(parent) == Kind::Missing && !QDir().mkpath(parent)) {
            fail(error, QStringLiteral("cannot create the folder %1").arg(parent));
            return false;
        }
        // rename(2) replaces a file or a link of that name atomically and
        // never follows the link: the target is whole, old or new.
        if (std::rename(QFile::encodeName(m_staging->filePath(rel)).constData(),
                        QFile::encodeName(target).constData()) != 0) {
            fail(error,
                 QStringLiteral("cannot move %1 into place: %2")
                     .arg(target, QString::fromLocal8Bit(std::strerror(errno))));
            return false;
        }
    }
    m_staging.reset(); // removes the emptied staging folder
    return true;
}

} // namespace memscope::ui
