// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/recordingio.h"

#include "engine/runtime.h"

#include <QCoreApplication>
#include <QStringList>

namespace memscope::ui {

engine::RecordingInfo recordingInfo(const QString &environment, const engine::Runtime &runtime, const QString &source)
{
    engine::RecordingInfo info;
    info.created = engine::recordingTimestamp();
    info.memscopeVersion = QCoreApplication::applicationVersion().toStdString();
    for (const QString &line : environment.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        // "Name version" or "Python version (path)".
        const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.size() < 2 || !words[1].front().isDigit()) // "versions unavailable: ..." is no version
            continue;
        if (words[0] == QLatin1String("Python"))
            info.pythonVersion = words[1].toStdString();
        else
            info.frameworks[words[0].toStdString()] = words[1].toStdString();
    }
    for (const engine::Device &d : runtime.devices())
        info.devices.push_back(d.toString() + " · " + runtime.backend(d)->description());
    info.source = source.toStdString();
    return info;
}

QString describeRecording(const engine::RecordingInfo &info)
{
    QStringList with;
    if (!info.pythonVersion.empty())
        with << QStringLiteral("Python %1").arg(QString::fromStdString(info.pythonVersion));
    for (const auto &[name, version] : info.frameworks)
        with << QStringLiteral("%1 %2").arg(QString::fromStdString(name), QString::fromStdString(version));
    QStringList devices;
    for (const std::string &d : info.devices)
        devices << QString::fromStdString(d.substr(0, d.find(" · ")));
    QString text = QCoreApplication::translate("memscope::ui", "recorded %1").arg(QString::fromStdString(info.created));
    if (!with.isEmpty())
        text += QCoreApplication::translate("memscope::ui", " with %1").arg(with.join(QStringLiteral(", ")));
    if (!devices.isEmpty())
        text += QCoreApplication::translate("memscope::ui", " on %1").arg(devices.join(QStringLiteral(", ")));
    return text;
}

} // namespace memscope::ui
