// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace memscope::ui {

/// Lower-case ASCII letters, digits, '-' and '_' only, at most 60 characters,
/// never empty, never starting with '.' or '-': a lesson's id or a script's
/// name may be anything ("../../etc", "<script>"), a file name may not.
QString sanitizedFileName(const QString &name, const QString &fallback = QStringLiteral("export"));

/// Writes an export's files into one folder and nowhere else. Files go to a
/// staging folder inside it first (created with a fresh name, so nothing is
/// followed or overwritten there) and are moved into place only by commit():
/// a failed or cancelled export leaves the folder as it was. Moving renames
/// over a file of the same name, so a symbolic link there is replaced, never
/// followed; a sub-folder that is a link is refused.
class OutputFolder
{
public:
    OutputFolder();
    virtual ~OutputFolder(); ///< removes whatever was staged and not committed
    OutputFolder(const OutputFolder &) = delete;
    OutputFolder &operator=(const OutputFolder &) = delete;

    /// Why `dir` cannot take an export (a file, a folder holding files without
    /// `overwrite`); empty when it can. Checked before anything runs.
    static QString refusal(const QString &dir, bool overwrite);
    /// Creates `dir` when missing (with its parents). A folder that already
    /// holds files is refused unless `overwrite`.
    bool open(const QString &dir, bool overwrite, QString *error);
    /// Stages `bytes` as `relativePath` ("step-01.png", "numpy-views/step-01.png").
    /// Its parts must be plain names: no "..", no absolute path, no hidden file.
    bool write(const QString &relativePath, const QByteArray &bytes, QString *error);
    /// Moves every staged file into place. Checks every target first, so a
    /// refused one (a folder in the way, a sub-folder that is a link) moves
    /// nothing; a move that fails anyway (permissions, a full disk) is undone
    /// with every one before it.
    bool commit(QString *error);

    QString path() const { return m_dir; }
    const QStringList &staged() const { return m_files; }

protected:
    /// rename(2), with errno set on failure (tests make it fail).
    virtual bool renameFile(const QString &from, const QString &to);

private:
    QString m_dir;
    std::unique_ptr<QTemporaryDir> m_staging;
    QStringList m_files;
    bool m_created = false; ///< open() made the folder (removed again when nothing was committed)
    bool m_committed = false;
};

} // namespace memscope::ui
