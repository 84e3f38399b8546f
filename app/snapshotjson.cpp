// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/snapshotjson.h"

#include "engine/text/wording.h"

#include <QJsonArray>
#include <QLocale>
#include <QStringList>

using namespace memscope::engine;

namespace memscope::app {

namespace {

QString hex(Address a)
{
    return QStringLiteral("0x") + QString::number(a, 16);
}

QJsonArray ints(const std::vector<std::int64_t> &v)
{
    QJsonArray a;
    for (auto x : v)
        a.append(static_cast<qint64>(x));
    return a;
}

QString tupleText(const std::vector<std::int64_t> &v)
{
    return QString::fromStdString(shapeText(v));
}

QString label(const Snapshot &s, int i)
{
    return QString::fromStdString(s.facts[static_cast<std::size_t>(i)].label());
}

} // namespace

QJsonObject snapshotToJson(const Snapshot &s)
{
    QJsonArray objects;
    for (std::size_t i = 0; i < s.facts.size(); ++i) {
        const MemoryFact &f = s.facts[i];
        QJsonObject o;
        QJsonArray names;
        for (const auto &n : f.names)
            names.append(QString::fromStdString(n));
        o[QStringLiteral("names")] = names;
        o[QStringLiteral("framework")] = QString::fromLatin1(frameworkName(f.framework).data());
        o[QStringLiteral("type")] = QString::fromStdString(f.typeName);
        if (!f.isSupported()) {
            o[QStringLiteral("unsupported")] = QString::fromStdString(f.unsupported);
        } else {
            o[QStringLiteral("dtype")] = QString::fromLatin1(numpyName(f.dtype).data());
            o[QStringLiteral("shape")] = ints(f.shape);
            o[QStringLiteral("strides")] = ints(f.strides);
            o[QStringLiteral("data")] = hex(f.data);
            const auto [lo, hi] = f.extent();
            o[QStringLiteral("extent")] = QJsonArray {hex(lo), hex(hi)};
            o[QStringLiteral("nbytes")] = static_cast<qint64>(f.nbytes());
            o[QStringLiteral("device")] = QString::fromStdString(f.device.toString());
            o[QStringLiteral("readonly")] = f.readOnly;
            if (f.allocation.known)
                o[QStringLiteral("allocation")] =
                    QJsonArray {hex(f.allocation.base), static_cast<qint64>(f.allocation.size)};
            QJsonArray flags;
            for (const auto &fl : f.flags)
                flags.append(QString::fromStdString(fl));
            o[QStringLiteral("flags")] = flags;
        }
        o[QStringLiteral("alias_group")] = s.aliases.group[i];
        if (s.origins[i].step >= 0)
            o[QStringLiteral("created_by")] = QString::fromStdString(s.origins[i].statement).trimmed();
        if (!s.changed[i].empty()) {
            o[QStringLiteral("changed")] = ints(s.changed[i]); // capped list
            if (i < s.changedCount.size())
                o[QStringLiteral("changed_count")] = static_cast<qint64>(s.changedCount[i]); // exact total
        }
        objects.append(o);
    }
    QJsonArray relations;
    for (const FactRelation &r : s.relations) {
        QJsonObject o;
        o[QStringLiteral("from")] = label(s, r.from);
        o[QStringLiteral("to")] = label(s, r.to);
        o[QStringLiteral("relation")] = QString::fromLatin1(relationName(r.relation).data());
        o[QStringLiteral("bytes")] = static_cast<qint64>(r.bytes);
        o[QStringLiteral("direction")] = QString::fromLatin1(directionName(r.direction).data());
        o[QStringLiteral("summary")] = QString::fromStdString(relationSummary(r));
        if (!r.statement.empty()) {
            o[QStringLiteral("statement")] = QString::fromStdString(r.statement).trimmed();
            o[QStringLiteral("at_step")] = r.step;
        }
        relations.append(o);
    }
    QJsonObject traffic;
    for (Direction d : {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D})
        traffic[QString::fromLatin1(directionName(d).data())] =
            static_cast<qint64>(s.traffic[static_cast<std::size_t>(d)]);
    QJsonObject out;
    out[QStringLiteral("step")] = s.step;
    out[QStringLiteral("statement")] = QString::fromStdString(s.statement).trimmed();
    out[QStringLiteral("objects")] = objects;
    out[QStringLiteral("relations")] = relations;
    out[QStringLiteral("traffic")] = traffic;
    QJsonArray notes;
    for (const std::string &note : s.notes)
        notes.append(QString::fromStdString(note));
    if (!notes.isEmpty())
        out[QStringLiteral("notes")] = notes;
    if (s.aliases.undecided)
        out[QStringLiteral("undecided_pairs")] = static_cast<qint64>(s.aliases.undecided);
    return out;
}

QString snapshotToText(const Snapshot &s, const Snapshot *previous)
{
    QStringList lines;
    const auto existedBefore = [previous](const MemoryFact &f) {
        if (!previous)
            return false;
        for (const MemoryFact &p : previous->facts)
            if (p.objectId == f.objectId && p.names == f.names)
                return true;
        return false;
    };
    for (std::size_t i = 0; i < s.facts.size(); ++i) {
        const MemoryFact &f = s.facts[i];
        if (existedBefore(f))
            continue;
        // Every name: a step that adds a path to an object (params = list(lin.parameters()))
        // lists it again, and says which names it has now.
        QStringList all;
        for (const std::string &n : f.names)
            all << QString::fromStdString(n);
        const QString names = all.isEmpty() ? QString::fromStdString(f.label()) : all.join(QStringLiteral(", "));
        if (!f.isSupported()) {
            const QString why = QString::fromStdString(f.unsupported);
            lines << QStringLiteral("    %1  %2: %3")
                         .arg(names, QString::fromStdString(f.typeName),
                              why.startsWith(QLatin1String("not shown")) ? why
                                                                         : QStringLiteral("not shown (%1)").arg(why));
            continue;
        }
        lines << QStringLiteral("    %1  %2 %3 %4 strides %5 on %6 at %7, %8%9")
                     .arg(names, QString::fromLatin1(frameworkName(f.framework).data()),
                          QString::fromLatin1(numpyName(f.dtype).data()), tupleText(f.shape), tupleText(f.strides),
                          QString::fromStdString(f.device.toString()), hex(f.data),
                          QString::fromStdString(bytesText(static_cast<std::uint64_t>(f.nbytes()))),
                          f.readOnly ? QStringLiteral(", read-only") : QString());
    }
    for (const FactRelation &r : s.relations) {
        if (r.statement.empty() || r.step != s.step)
            continue; // groups are listed below; earlier steps' links were printed then
        lines << QStringLiteral("    %1").arg(QString::fromStdString(relationSentence(s, r)));
    }
    for (std::size_t i = 0; i < s.facts.size(); ++i) {
        if (s.changed[i].empty())
            continue;
        QStringList idx;
        for (std::size_t k = 0; k < s.changed[i].size() && k < 8; ++k)
            idx << QString::number(s.changed[i][k]);
        // The list is capped; the count is the exact total.
        const qint64 count = i < s.changedCount.size() ? s.changedCount[i] : qint64(s.changed[i].size());
        if (count > static_cast<qint64>(idx.size()))
            idx << QStringLiteral("... (%1 in all)").arg(QLocale::c().toString(count));
        lines << QStringLiteral("    changed %1: element%2 %3%4")
                     .arg(label(s, static_cast<int>(i)), count > 1 ? QStringLiteral("s") : QString(),
                          idx.join(QStringLiteral(", ")),
                          s.changesExact[i] ? QString() : QStringLiteral(" (page granularity)"));
    }
    QStringList groups;
    for (const auto &members : s.aliases.members()) {
        QStringList names;
        for (int m : members)
            names << label(s, m);
        groups << QStringLiteral("{%1}").arg(names.join(QStringLiteral(", ")));
    }
    if (!groups.isEmpty())
        lines << QStringLiteral("    share memory: %1").arg(groups.join(QStringLiteral(" ")));
    QStringList traffic;
    for (Direction d : {Direction::H2H, Direction::H2D, Direction::D2H, Direction::D2D})
        if (const auto n = s.traffic[static_cast<std::size_t>(d)])
            traffic << QStringLiteral("%1 %2").arg(QString::fromLatin1(directionName(d).data()),
                                                   QString::fromStdString(bytesText(n)));
    if (!traffic.isEmpty())
        lines << QStringLiteral("    copy traffic: %1").arg(traffic.join(QStringLiteral(", ")));
    for (const std::string &note : s.notes)
        lines << QStringLiteral("    note: %1").arg(QString::fromStdString(note));
    return lines.join(QLatin1Char('\n'));
}

} // namespace memscope::app
