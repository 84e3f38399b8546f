// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/canvastips.h"

#include "engine/scalar.h"
#include "engine/snapshot.h"
#include "ui/byteslabel.h"
#include "ui/canvas/elementmap.h"
#include "ui/models/objectsmodel.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <algorithm>

using namespace memscope::engine;

namespace memscope::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MemoryCanvas", text);
}

QString hex(std::uint64_t a)
{
    return QStringLiteral("0x") + QString::number(a, 16);
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString valueOf(const MemoryFact &f, std::int64_t element)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    const auto at = static_cast<std::size_t>(element) * item;
    if (!f.valuesCaptured || element < 0 || at + item > f.values.size())
        return {};
    return q(formatScalar(f.dtype, loadScalar(f.dtype, f.values.data() + at)));
}

QString elementLine(const MemoryFact &f, std::int64_t e)
{
    const QString v = valueOf(f, e);
    return q(indexText(f, e)) + (v.isEmpty() ? QString() : QStringLiteral(" = ") + v);
}

QString cellTip(const Snapshot &s, const GBuffer &b, const GCell &cell)
{
    QStringList seenAs;
    for (const auto &[fi, e] : cell.views)
        seenAs << q(indexText(s.facts[static_cast<std::size_t>(fi)], e));
    const Address at = b.lo + cell.offset;
    return tr("buf %1 + 0x%2\naddress %3 … %4 (%5 B)\n%6%7")
        .arg(b.number)
        .arg(QString::number(cell.offset, 16), hex(at), hex(at + static_cast<Address>(b.cellBytes) - 1))
        .arg(b.cellBytes)
        .arg(seenAs.isEmpty() ? tr("not viewed by any variable") : tr("seen as ") + seenAs.join(QStringLiteral(", ")))
        .arg(cell.changed ? tr("\nchanged by the last step") : QString());
}

QString variableTip(const Snapshot &s, const CanvasGeometry &g, int fi)
{
    const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
    if (!f.isSupported() || f.numel() == 0)
        return q(f.typeName) + QStringLiteral(": ") + (f.isSupported() ? tr("no elements") : q(f.unsupported));
    const auto [lo, hi] = f.extent();
    QString tip = namesString(f);
    if (const GVariable *v = g.variableOf(fi)) // the box's lines, whole where cut
        for (const GText &line : v->details)
            tip += QStringLiteral("\n") + line.whole();
    tip += QStringLiteral("\n") + hex(lo) + QStringLiteral(" … ") + hex(hi) + QStringLiteral(" (") +
        bytesLabel(f.nbytes()) + QStringLiteral(")");
    for (const GBuffer &b : g.buffers)
        if (std::find_if(b.maps.begin(), b.maps.end(), [&](const GMapRow &m) { return m.fact == fi; }) !=
                b.maps.end() ||
            std::find_if(b.strips.begin(), b.strips.end(), [&](const GStrip &st) { return st.fact == fi; }) !=
                b.strips.end())
            tip += tr("\nbuf %1 + 0x%2").arg(b.number).arg(QString::number(lo - b.lo, 16));
    if (!f.flags.empty()) {
        QStringList flags;
        for (const auto &fl : f.flags)
            flags << q(fl);
        tip += QStringLiteral("\n") + flags.join(QStringLiteral(", "));
    }
    return tip;
}

QString barTip(const Snapshot &s, const GBuffer &b, QPointF at)
{
    // The element under the mouse and its neighbours: a value excerpt.
    const MemoryFact &p = s.facts[static_cast<std::size_t>(b.primary)];
    const double span = static_cast<double>(b.hi - b.lo);
    const auto offset = static_cast<std::int64_t>((at.x() - b.block.left()) / b.block.width() * span);
    QString tip =
        tr("buf %1: %2 … %3 (%4)\n%5 cells of %6, too many to draw one by one")
            .arg(b.number)
            .arg(hex(b.lo), hex(b.hi), bytesLabel(b.hi - b.lo))
            .arg(QLocale().toString(static_cast<qlonglong>((b.hi - b.lo) / std::max<std::int64_t>(1, b.cellBytes))))
            .arg(QString::fromLatin1(numpyName(p.dtype).data()));
    const std::int64_t rel = offset - static_cast<std::int64_t>(p.data - b.lo);
    const Layout l = p.layout();
    const std::int64_t e = p.itemSize() > 0 ? rel / p.itemSize() : -1;
    // Only where the primary view has an element (a buffer can extend past it).
    if (rel >= 0 && l.isCContiguous() && e >= 0 && e < p.numel()) {
        QStringList values;
        for (std::int64_t k = std::max<std::int64_t>(0, e - 2); k < std::min(p.numel(), e + 3); ++k) {
            const QString v = valueOf(p, k);
            if (v.isEmpty())
                break;
            values << v;
        }
        tip += tr("\nhere: %1 (buf %2 + 0x%3)").arg(q(indexText(p, e))).arg(b.number).arg(QString::number(offset, 16));
        if (!values.isEmpty())
            tip += tr("\nvalues from [%1]: %2")
                       .arg(std::max<std::int64_t>(0, e - 2))
                       .arg(values.join(QStringLiteral(", ")));
        else
            tip += tr("\nvalues not kept for this step");
    }
    return tip;
}

} // namespace

QString canvasTip(const Snapshot &s, const CanvasGeometry &g, const CanvasHit &hit, QPointF at)
{
    using Kind = CanvasHit::Kind;
    const GBuffer *b = hit.buffer >= 0 ? &g.buffers[static_cast<std::size_t>(hit.buffer)] : nullptr;
    switch (hit.kind) {
    case Kind::None:
        return {};
    case Kind::Variable:
        return variableTip(s, g, hit.fact);
    case Kind::Cell:
        return cellTip(s, *b, b->cells[static_cast<std::size_t>(hit.index)]);
    case Kind::Mark: {
        const GMapRow &row = b->maps[static_cast<std::size_t>(hit.row)];
        const MemoryFact &f = s.facts[static_cast<std::size_t>(row.fact)];
        if (hit.index < 0)
            return tr("%1: %2 %3, one mark per element it touches, numbered in its element order")
                .arg(q(f.label()), QString::fromLatin1(numpyName(f.dtype).data()), shapeString(f.shape));
        const GMark &m = row.marks[static_cast<std::size_t>(hit.index)];
        const std::int64_t off = elementOffset(f, b->lo, m.index);
        return tr("%1\nelement %2 of %3 · buf %4 + 0x%5 (%6 B)%7")
            .arg(elementLine(f, m.index))
            .arg(m.index)
            .arg(q(f.label()))
            .arg(b->number)
            .arg(QString::number(off, 16))
            .arg(f.itemSize())
            .arg(m.changed ? tr("\nchanged by the last step") : QString());
    }
    case Kind::Strip: {
        const GStrip &st = b->strips[static_cast<std::size_t>(hit.index)];
        const MemoryFact &f = s.facts[static_cast<std::size_t>(st.fact)];
        const auto [lo, hi] = f.extent();
        QString tip = tr("%1: bytes %2 … %3 · %4 elements")
                          .arg(q(f.label()), hex(lo), hex(hi))
                          .arg(QLocale().toString(static_cast<qlonglong>(f.numel())));
        if (st.density < 0.999)
            tip += tr("\ntouches %1 % of the bytes it spans").arg(QLocale().toString(st.density * 100, 'g', 3));
        QStringList values;
        for (std::int64_t k = 0; k < std::min<std::int64_t>(f.numel(), 5); ++k) {
            const QString v = valueOf(f, k);
            if (v.isEmpty())
                break;
            values << v;
        }
        if (!values.isEmpty())
            tip += tr("\nfirst values: %1").arg(values.join(QStringLiteral(", ")));
        return tip;
    }
    case Kind::Bar:
        return barTip(s, *b, at);
    case Kind::Note:
        return b->notes[static_cast<std::size_t>(hit.index)].whole();
    case Kind::Header:
        return b->header.whole();
    case Kind::Arrow:
        return g.arrows[static_cast<std::size_t>(hit.index)].text;
    }
    return {};
}

} // namespace memscope::ui
