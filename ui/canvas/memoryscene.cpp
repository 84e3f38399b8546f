// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/memoryscene.h"

#include "engine/scalar.h"
#include "engine/text/wording.h"
#include "ui/byteslabel.h"
#include "ui/canvas/cellitem.h"
#include "ui/canvas/variableitem.h"
#include "ui/models/objectsmodel.h"

#include <QFont>
#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QLocale>
#include <QPainter>
#include <QPen>
#include <QStyleOptionGraphicsItem>
#include <QTextDocument>

#include <functional>
#include <limits>

#include <algorithm>
#include <map>
#include <set>

using namespace memscope::engine;

namespace memscope::ui {

namespace {

constexpr qreal kVarX = 24;
constexpr qreal kVarW = 250;
constexpr qreal kVarH = 58;
constexpr qreal kVarGap = 12;
constexpr qreal kLaneX = 300;
constexpr qreal kBlockX = kLaneX + 40;
constexpr qreal kCellW = 78;
constexpr qreal kCellH = 38;
constexpr qreal kRowGap = 18; // room for the offsets under each row
constexpr int kDefaultCols = 8;

struct Cell
{
    QString value;
    std::set<int> facts;
    std::vector<std::pair<int, std::int64_t>> views; ///< (fact, element) whose bytes cover this cell
    bool changed = false;
};

struct Region
{
    Device device;
    Address lo = 0;
    Address hi = 0;
    int group = 0;
    std::vector<int> facts;
    int primary = -1;
    std::int64_t item = 1;
    int number = 0; ///< "buf N"
    Framework owner = Framework::Other; ///< who allocated it
    int cols = kDefaultCols;
    std::vector<Cell> cells; ///< empty in bar mode
    QRectF block; ///< where the cells or bar are drawn

    std::int64_t cellCount() const { return static_cast<std::int64_t>((hi - lo + item - 1) / item); }
};

QFont monoFont(int pointSize, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans Mono"));
    f.setStyleHint(QFont::Monospace);
    f.setPointSize(pointSize);
    f.setBold(bold);
    return f;
}

QFont uiFont(int pointSize, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSize(pointSize);
    f.setBold(bold);
    return f;
}

QString hex(Address a)
{
    return QStringLiteral("0x") + QString::number(a, 16);
}

QString elementText(const MemoryFact &f, std::int64_t element)
{
    const auto item = static_cast<std::size_t>(f.itemSize());
    const auto at = static_cast<std::size_t>(element) * item;
    if (!f.valuesCaptured || at + item > f.values.size())
        return {};
    return QString::fromStdString(formatScalar(f.dtype, loadScalar(f.dtype, f.values.data() + at)));
}

QString indexText(const MemoryFact &f, std::int64_t flat)
{
    const Layout l {f.dtype, 0, f.shape, f.strides};
    QStringList parts;
    for (auto i : l.unravel(flat))
        parts << QString::number(i);
    return QString::fromStdString(f.label()) + QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// For each byte offset from `regionLo` (of `regionBytes`), the smallest flat
// index of an element of `f` that starts there, or -1. Built one dimension at
// a time over the distinct addresses reached so far: a stride-0 dimension adds
// none (np.broadcast_to(np.zeros(3), (10**9, 3)) costs 3 entries, not 3e9), and
// a dimension with stride s adds at most regionBytes / |s| per address, so the
// work is bounded by the region's bytes, never by the view's logical size.
// Keeping the smallest flat index per address is exact: equal partial addresses
// are completed by the same later indices.
std::vector<std::int64_t> firstElementAt(const MemoryFact &f, Address regionLo, std::int64_t regionBytes)
{
    std::vector<std::int64_t> at(static_cast<std::size_t>(std::max<std::int64_t>(0, regionBytes)), -1);
    if (f.data < regionLo || f.data - regionLo >= static_cast<Address>(regionBytes) || f.numel() <= 0)
        return at;
    // C-order weight of each dimension (its step in flat index).
    const std::size_t ndim = f.shape.size();
    std::vector<std::int64_t> weight(ndim, 1);
    for (std::size_t d = ndim; d-- > 1;)
        if (__builtin_mul_overflow(weight[d], f.shape[d], &weight[d - 1]))
            return at; // more elements than int64 counts: nothing sensible to show per cell
    at[static_cast<std::size_t>(f.data - regionLo)] = 0;
    std::vector<std::int64_t> next;
    for (std::size_t d = 0; d < ndim; ++d) {
        const std::int64_t n = f.shape[d];
        const std::int64_t stride = f.strides[d];
        if (n <= 1 || stride == 0 || stride >= regionBytes || stride <= -regionBytes)
            continue; // no new addresses in the region; index 0 is the smallest already
        next.assign(at.size(), -1);
        for (std::int64_t o = 0; o < regionBytes; ++o) {
            const std::int64_t base = at[static_cast<std::size_t>(o)];
            if (base < 0)
                continue;
            for (std::int64_t i = 0; i < n; ++i) {
                const std::int64_t o2 = o + i * stride; // |stride| < regionBytes: no overflow before the break
                if (o2 < 0 || o2 >= regionBytes)
                    break; // further i only go further away
                std::int64_t &slot = next[static_cast<std::size_t>(o2)];
                const std::int64_t flat = base + i * weight[d];
                if (slot < 0 || flat < slot)
                    slot = flat;
            }
        }
        at.swap(next);
    }
    return at;
}

// Tooltips render rich text when Qt guesses they contain some: names and code
// written by the user ('<h1>BIG</h1><img src=...>') must show as typed.
QString plainTip(const QString &text)
{
    return Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal);
}

QGraphicsSimpleTextItem *placeText(QGraphicsScene *scene, const QString &text, const QFont &font, const QColor &color,
                                   QPointF pos)
{
    auto *t = scene->addSimpleText(text, font);
    t->setBrush(color);
    t->setPos(pos);
    return t;
}

} // namespace

MemoryScene::MemoryScene(QObject *parent)
    : QGraphicsScene(parent)
    , m_colors(Theme::lightColors())
{ }

void MemoryScene::settle()
{
    if (m_flash && m_flash->state() == QAbstractAnimation::Running) {
        m_flash->setCurrentTime(m_flash->duration()); // its last value: the steady highlight
        m_flash->stop();
    }
}

void MemoryScene::setSnapshot(std::shared_ptr<const Snapshot> snapshot, std::optional<std::uint64_t> selected)
{
    m_snapshot = std::move(snapshot);
    if (selected)
        m_selected = *selected;
    rebuild();
}

void MemoryScene::setColors(const ThemeColors &colors)
{
    m_colors = colors;
    rebuild();
}

void MemoryScene::setRawAddresses(bool raw)
{
    m_rawAddresses = raw;
    rebuild();
}

void MemoryScene::setSelectedObject(std::uint64_t objectId)
{
    m_selected = objectId;
    rebuild();
}

void MemoryScene::setTextScale(qreal scale)
{
    m_textScale = std::clamp<qreal>(scale, 0.5, 4.0);
    rebuild();
}

void MemoryScene::setCaption(const QString &caption)
{
    m_caption = caption;
    rebuild();
}

QList<QGraphicsItem *> MemoryScene::itemsOfKind(ItemKind kind) const
{
    QList<QGraphicsItem *> out;
    for (QGraphicsItem *i : items())
        if (i->data(kKindKey).toInt() == static_cast<int>(kind))
            out << i;
    return out;
}

void MemoryScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    for (QGraphicsItem *i : items(event->scenePos())) {
        const int kind = i->data(kKindKey).toInt();
        if ((kind == static_cast<int>(ItemKind::Variable) || kind == static_cast<int>(ItemKind::Cell)) && m_snapshot) {
            const auto facts = i->data(kFactKey).toList();
            if (!facts.isEmpty()) {
                const auto idx = static_cast<std::size_t>(facts.first().toInt());
                if (idx < m_snapshot->facts.size())
                    Q_EMIT objectClicked(m_snapshot->facts[idx].objectId);
            }
            break;
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void MemoryScene::rebuild()
{
    if (m_flash) { // its cells are about to go
        m_flash->stop();
        delete m_flash;
        m_flash = nullptr;
    }
    clear();
    setBackgroundBrush(m_colors.canvasBackground);
    const ThemeColors &c = m_colors;
    if (!m_snapshot || m_snapshot->facts.empty()) {
        // A step of a timeline (shown again, or recorded) says what it is; a fresh session, what to do.
        const QString text = m_snapshot && m_snapshot->step > 0
            ? tr("Step %1 · %2\nNo arrays or tensors at this step.")
                  .arg(m_snapshot->step)
                  .arg(QString::fromStdString(m_snapshot->statement).section(QLatin1Char('\n'), 0, 0).left(80))
            : tr("No arrays or tensors yet. Create one in the console, for example\n"
                 "    import numpy as np; a = np.arange(6.0).reshape(2, 3)");
        auto *t = placeText(this, text, uiFont(12), c.mutedText, {24, 24});
        t->setData(kKindKey, static_cast<int>(ItemKind::Caption));
        setSceneRect(itemsBoundingRect().adjusted(-20, -20, 40, 40));
        return;
    }
    const Snapshot &s = *m_snapshot;

    // --- Regions: one per buffer (one allocation, every view of it), in the
    // engine's order: device, then creation; numbers and colours are the
    // buffer's own for its whole life.
    std::vector<int> unsupported;
    for (std::size_t i = 0; i < s.facts.size(); ++i)
        if (!s.facts[i].isSupported() || s.facts[i].numel() == 0)
            unsupported.push_back(static_cast<int>(i));
    std::vector<Region> regions;
    for (const BufferInfo &b : s.buffers) {
        Region r;
        r.device = b.device;
        r.group = b.number - 1; // the colour follows the buffer, not the names around it
        r.number = b.number;
        r.owner = b.owner;
        r.lo = b.lo;
        r.hi = b.hi;
        for (int fi : b.facts)
            if (s.facts[static_cast<std::size_t>(fi)].isSupported() &&
                s.facts[static_cast<std::size_t>(fi)].numel() > 0)
                r.facts.push_back(fi);
        if (!r.facts.empty())
            regions.push_back(std::move(r));
    }

    for (std::size_t n = 0; n < regions.size(); ++n) {
        Region &r = regions[n];
        r.primary = *std::max_element(r.facts.begin(), r.facts.end(), [&](int a, int b) {
            return s.facts[static_cast<std::size_t>(a)].nbytes() < s.facts[static_cast<std::size_t>(b)].nbytes();
        });
        const MemoryFact &p = s.facts[static_cast<std::size_t>(r.primary)];
        r.item = p.itemSize();
        if (p.shape.size() >= 2 && p.shape.back() <= 16 && Layout {p.dtype, 0, p.shape, p.strides}.isCContiguous() &&
            p.data == r.lo)
            r.cols = static_cast<int>(p.shape.back());
        if (r.cellCount() > kMaxCells)
            continue; // bar mode
        r.cells.resize(static_cast<std::size_t>(r.cellCount()));
        // Primary first, so its values win where several views cover a cell.
        std::vector<int> order = r.facts;
        std::stable_partition(order.begin(), order.end(), [&](int i) { return i == r.primary; });
        const auto regionBytes = static_cast<std::int64_t>(r.hi - r.lo);
        for (int fi : order) {
            const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
            const Layout l {f.dtype, 0, f.shape, f.strides};
            // Per byte of the buffer, never per logical element: work bounded by the cells.
            const std::vector<std::int64_t> at = firstElementAt(f, r.lo, regionBytes);
            std::vector<std::int64_t> firstOfCell(r.cells.size(), -1);
            for (std::int64_t off = 0; off < regionBytes; ++off) {
                const std::int64_t e = at[static_cast<std::size_t>(off)];
                if (e < 0)
                    continue;
                const std::int64_t firstCell = off / r.item;
                const std::int64_t lastCell = (off + f.itemSize() - 1) / r.item;
                for (std::int64_t k = firstCell; k <= lastCell && k < r.cellCount(); ++k) {
                    std::int64_t &first = firstOfCell[static_cast<std::size_t>(k)];
                    if (first < 0 || e < first)
                        first = e;
                    Cell &cell = r.cells[static_cast<std::size_t>(k)];
                    if (cell.value.isEmpty() && off % r.item == 0 && f.itemSize() == r.item && k == firstCell)
                        cell.value = elementText(f, e);
                }
            }
            for (std::size_t k = 0; k < r.cells.size(); ++k)
                if (firstOfCell[k] >= 0 && r.cells[k].facts.insert(fi).second)
                    r.cells[k].views.emplace_back(fi, firstOfCell[k]); // the first element seen there
            // Changed elements (a list the change tracker bounds) light the cells they cover.
            for (std::int64_t e : s.changed[static_cast<std::size_t>(fi)]) {
                if (e < 0 || e >= f.numel())
                    continue;
                const auto off = static_cast<std::int64_t>(f.data - r.lo) + l.flatOffset(e);
                for (std::int64_t k = std::max<std::int64_t>(0, off / r.item);
                     k <= (off + f.itemSize() - 1) / r.item && k < r.cellCount(); ++k)
                    r.cells[static_cast<std::size_t>(k)].changed = true;
            }
        }
    }

    QList<QGraphicsRectItem *> flashing;
    const QFont cellFont = monoFont(11);
    const QFont nameFont = monoFont(13, true);
    const QFont smallFont = uiFont(9);
    const QFont offsetFont = monoFont(8);

    // --- Caption.
    qreal y = 20;
    {
        auto *step = placeText(this, tr("Step %1").arg(s.step), uiFont(13, true), c.text, {kVarX, y});
        step->setData(kKindKey, static_cast<int>(ItemKind::Caption));
        QString statement = m_caption.isEmpty() ? QString::fromStdString(s.statement).trimmed() : m_caption;
        statement = statement.section(QLatin1Char('\n'), 0, 0);
        auto *st = placeText(this, statement, monoFont(12), c.text, {kVarX + 90, y + 1});
        st->setData(kKindKey, static_cast<int>(ItemKind::Caption));
        placeText(this,
                  m_rawAddresses ? tr("raw addresses") : tr("addresses relative to each buffer (View ▸ Raw addresses)"),
                  uiFont(9), c.mutedText, {kVarX, y + 24});
        y += 14;
        y += 40;
    }

    // --- Lanes, buffers, variables.
    std::map<int, QRectF> varBoxOfFact;
    std::vector<QGraphicsRectItem *> lanes; // widened at the end to what they hold
    std::map<int, const Region *> regionOfFact;
    std::size_t ri = 0;
    while (ri < regions.size()) {
        const Device device = regions[ri].device;
        const qreal laneTop = y;
        QString laneTitle;
        if (device.isCpu())
            laneTitle = tr("Host memory (cpu)");
        else if (device.emulated)
            laneTitle = tr("%1 — emulated (no GPU found) · host code cannot read it directly")
                            .arg(QString::fromStdString(device.spec()));
        else
            laneTitle = tr("%1 — GPU memory").arg(QString::fromStdString(device.spec()));
        y += 36;
        const std::size_t first = ri;
        for (; ri < regions.size() && regions[ri].device == device; ++ri) {
            Region &r = regions[ri];
            const MemoryFact &p = s.facts[static_cast<std::size_t>(r.primary)];
            const QColor color = c.groupColor(r.group);
            const QColor fill = c.groupFill(r.group);
            // Header: buf N · size · owner · who views it.
            QStringList viewers;
            for (int fi : r.facts)
                viewers << QString::fromStdString(s.facts[static_cast<std::size_t>(fi)].label());
            const QString header =
                tr("buf %1 · %2 · %3%4")
                    .arg(r.number)
                    .arg(bytesLabel(r.hi - r.lo))
                    .arg(frameworkLabel(r.owner))
                    .arg(viewers.size() > 1 ? tr(" · shared by %1").arg(viewers.join(QStringLiteral(", ")))
                                            : QString());
            auto *h = placeText(this, header, uiFont(10), c.mutedText, {kBlockX, y});
            h->setData(kKindKey, static_cast<int>(ItemKind::Caption));
            const qreal blockTop = y + 22;
            qreal blockHeight = 0;
            if (!r.cells.empty()) {
                const int rows = static_cast<int>((r.cells.size() + static_cast<std::size_t>(r.cols) - 1) /
                                                  static_cast<std::size_t>(r.cols));
                for (std::size_t k = 0; k < r.cells.size(); ++k) {
                    const Cell &cell = r.cells[k];
                    const qreal cx = kBlockX + static_cast<qreal>(static_cast<int>(k) % r.cols) * kCellW;
                    const qreal cy = blockTop + static_cast<qreal>(static_cast<int>(k) / r.cols) * (kCellH + kRowGap);
                    const bool selected = m_selected && std::any_of(cell.facts.begin(), cell.facts.end(), [&](int fi) {
                                              return s.facts[static_cast<std::size_t>(fi)].objectId == m_selected;
                                          });
                    const Address at = r.lo + static_cast<Address>(static_cast<std::int64_t>(k) * r.item);
                    const QString offset = m_rawAddresses ? QStringLiteral("…") + QString::number(at, 16).right(6)
                                                          : QStringLiteral("+0x") + QString::number(at - r.lo, 16);
                    // The tooltip reads the snapshot later: keep it alive with the item.
                    auto tip = [snapshot = m_snapshot, views = cell.views, changed = cell.changed, at,
                                number = r.number, lo = r.lo, item = r.item] {
                        QStringList seenAs;
                        for (const auto &[fi, e] : views)
                            seenAs << indexText(snapshot->facts[static_cast<std::size_t>(fi)], e);
                        return plainTip(
                            tr("buf %1 + 0x%2\naddress %3 … %4 (%5 B)\n%6%7")
                                .arg(number)
                                .arg(QString::number(at - lo, 16), hex(at), hex(at + static_cast<Address>(item) - 1))
                                .arg(item)
                                .arg(seenAs.isEmpty() ? tr("not viewed by any variable")
                                                      : tr("seen as ") + seenAs.join(QStringLiteral(", ")))
                                .arg(changed ? tr("\nchanged by the last step") : QString()));
                    };
                    auto *rect = new CellItem(
                        QRectF(cx, cy, kCellW, kCellH), cell.value.isEmpty() ? QStringLiteral("·") : cell.value, offset,
                        cellFont, offsetFont, cell.changed ? c.changedCellText() : c.text, c.mutedText, std::move(tip));
                    rect->setPen(QPen(selected ? c.text : color, selected ? 3.0 : 1.5));
                    rect->setBrush(cell.changed ? c.changed : (cell.facts.empty() ? c.boxBackground : fill));
                    addItem(rect);
                    rect->setData(kKindKey, static_cast<int>(ItemKind::Cell));
                    rect->setData(kChangedKey, cell.changed);
                    rect->setData(kTextKey, cell.value);
                    rect->setData(kGroupKey, r.group);
                    QVariantList facts;
                    for (int fi : cell.facts)
                        facts << fi;
                    rect->setData(kFactKey, facts);
                    if (cell.changed)
                        flashing << rect;
                }
                // Which views saw the change, beside the buffer.
                QStringList changedIn;
                for (int fi : r.facts) {
                    const auto &ch = s.changed[static_cast<std::size_t>(fi)];
                    if (ch.empty())
                        continue;
                    QStringList where;
                    for (std::size_t k = 0; k < ch.size() && k < 3; ++k)
                        where << indexText(s.facts[static_cast<std::size_t>(fi)], ch[k]);
                    changedIn << where.join(QStringLiteral(", ")) + (ch.size() > 3 ? QStringLiteral(", …") : QString());
                }
                if (!changedIn.isEmpty()) {
                    const qreal noteX = kBlockX + std::min<int>(r.cols, static_cast<int>(r.cells.size())) * kCellW + 16;
                    placeText(this, tr("changed by this step:"), uiFont(9, true), c.dark ? c.changedText : c.text,
                              {noteX, blockTop});
                    qreal ny = blockTop + 18;
                    for (const QString &line : changedIn) {
                        placeText(this, line, monoFont(9), c.mutedText, {noteX, ny});
                        ny += 16;
                    }
                }
                blockHeight = rows * (kCellH + kRowGap);
                r.block = QRectF(kBlockX, blockTop, std::min<int>(r.cols, static_cast<int>(r.cells.size())) * kCellW,
                                 rows * (kCellH + kRowGap) - kRowGap);
            } else {
                // Scaled bar: the buffer, with each view's extent as a strip under it.
                const qreal width = kDefaultCols * kCellW;
                r.block = QRectF(kBlockX, blockTop, width, 30);
                auto *bar = addRect(r.block, QPen(color, 1.5), fill);
                bar->setData(kKindKey, static_cast<int>(ItemKind::Buffer));
                bar->setData(kGroupKey, r.group);
                bar->setToolTip(tr("buf %1: %2 … %3\n%4 elements of %5 (too many to draw one by one)")
                                    .arg(r.number)
                                    .arg(hex(r.lo), hex(r.hi))
                                    .arg(r.cellCount())
                                    .arg(QString::fromLatin1(numpyName(p.dtype).data())));
                placeText(this,
                          tr("%1 × %2").arg(QLocale().toString(r.cellCount()),
                                            QString::fromLatin1(numpyName(p.dtype).data())),
                          monoFont(10), c.text, {kBlockX + 8, blockTop + 7});
                qreal strip = blockTop + 34;
                const double span = static_cast<double>(r.hi - r.lo);
                for (int fi : r.facts) {
                    const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
                    const auto [lo, hi] = f.extent();
                    const qreal x0 = kBlockX + width * static_cast<double>(lo - r.lo) / span;
                    const qreal x1 = kBlockX + width * static_cast<double>(hi - r.lo) / span;
                    auto *seg = addRect(QRectF(x0, strip, std::max<qreal>(2, x1 - x0), 6), Qt::NoPen, color);
                    seg->setToolTip(
                        plainTip(tr("%1: bytes %2 … %3").arg(QString::fromStdString(f.label()), hex(lo), hex(hi))));
                    strip += 9;
                }
                blockHeight = strip - blockTop + 6;
            }
            // Variables of this buffer, beside it.
            qreal vy = blockTop - 18;
            for (int fi : r.facts) {
                const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
                const QRectF box(kVarX, vy, kVarW, kVarH);
                const bool selected = f.objectId == m_selected;
                QString detail = tr("%1 %2 strides %3")
                                     .arg(QString::fromLatin1(numpyName(f.dtype).data()), shapeString(f.shape),
                                          shapeString(f.strides));
                if (!f.device.isCpu())
                    detail += QStringLiteral(" · ") + QString::fromStdString(f.device.toString());
                // A module's weights are told from plain tensors (issue 8).
                if (f.typeName.ends_with(".Parameter"))
                    detail += tr(" · Parameter");
                if (std::find(f.flags.begin(), f.flags.end(), "requires_grad") != f.flags.end())
                    detail += tr(" · requires_grad");
                auto *b = new VariableItem(box, {namesString(f), frameworkLabel(f.framework), detail, f.readOnly},
                                           nameFont, smallFont, c.text, c.groupText(r.group), c.mutedText);
                b->setPen(QPen(color, selected ? 4.0 : 2.5));
                b->setBrush(c.boxBackground);
                addItem(b);
                b->setData(kKindKey, static_cast<int>(ItemKind::Variable));
                b->setData(kFactKey, QVariantList {fi});
                b->setData(kGroupKey, r.group);
                b->setData(kTextKey, QString::fromStdString(f.label()));
                const auto [lo, hi] = f.extent();
                b->setToolTip(
                    plainTip(tr("%1\n%2 … %3 (%4)\nbuf %5 + 0x%6%7")
                                 .arg(namesString(f), hex(lo), hex(hi), bytesLabel(f.nbytes()))
                                 .arg(r.number)
                                 .arg(QString::number(lo - r.lo, 16))
                                 .arg(f.flags.empty() ? QString() : QStringLiteral("\n") + QString::fromStdString([&] {
                                                                        std::string j;
                                                                        for (const auto &fl : f.flags)
                                                                            j += (j.empty() ? "" : ", ") + fl;
                                                                        return j;
                                                                    }()))));
                varBoxOfFact[fi] = box;
                regionOfFact[fi] = &r;
                // Connector to the first byte it views.
                QPointF target;
                if (!r.cells.empty()) {
                    const auto k = static_cast<int>((f.extent().first - r.lo) / static_cast<Address>(r.item));
                    target = QPointF(kBlockX + (k % r.cols) * kCellW,
                                     blockTop + (k / r.cols) * (kCellH + kRowGap) + kCellH / 2);
                } else {
                    target = QPointF(kBlockX +
                                         r.block.width() * static_cast<double>(f.extent().first - r.lo) /
                                             static_cast<double>(r.hi - r.lo),
                                     blockTop + 15);
                    target.setX(std::max(target.x(), kBlockX));
                }
                QPainterPath path(QPointF(kVarX + kVarW, vy + kVarH / 2));
                path.cubicTo(QPointF(kVarX + kVarW + 60, vy + kVarH / 2), QPointF(target.x() - 60, target.y()), target);
                auto *conn = addPath(path, QPen(color, 2.5));
                conn->setData(kKindKey, static_cast<int>(ItemKind::Connector));
                conn->setData(kFactKey, fi);
                conn->setData(kGroupKey, r.group);
                vy += kVarH + kVarGap;
            }
            y = std::max(blockTop + blockHeight, vy) + 24;
        }
        // The lane behind its buffers.
        const bool host = device.isCpu();
        auto *lane = addRect(QRectF(kLaneX, laneTop, 400, y - laneTop),
                             QPen(host ? c.laneHostBorder : c.laneDeviceBorder, 1.5), host ? c.laneHost : c.laneDevice);
        lane->setZValue(-10);
        lanes.push_back(lane);
        lane->setData(kKindKey, static_cast<int>(ItemKind::Lane));
        lane->setToolTip(plainTip(QString::fromStdString(device.toString())));
        auto *title = placeText(this, laneTitle, uiFont(11, true), c.text, {kLaneX + 16, laneTop + 8});
        title->setData(kKindKey, static_cast<int>(ItemKind::Caption));
        Q_UNUSED(first);
        y += 16;
    }

    // Objects MemScope sees but cannot draw.
    for (int fi : unsupported) {
        const MemoryFact &f = s.facts[static_cast<std::size_t>(fi)];
        auto *b = addRect(QRectF(kVarX, y, kVarW, kVarH), QPen(c.mutedText, 1.5, Qt::DashLine), c.boxBackground);
        b->setData(kKindKey, static_cast<int>(ItemKind::Variable));
        b->setData(kFactKey, QVariantList {fi});
        placeText(this, namesString(f), monoFont(13, true), c.text, {kVarX + 10, y + 6});
        // The reason at a readable size, cut to the box; the whole of it in the tooltip.
        const QString reason = f.isSupported() ? tr("empty (no bytes)")
                                               : QString::fromStdString(f.unsupported).section(QLatin1Char('\n'), 0, 0);
        placeText(this, QFontMetricsF(uiFont(9)).elidedText(reason, Qt::ElideRight, kVarW - 20), uiFont(9), c.mutedText,
                  {kVarX + 10, y + 33});
        b->setToolTip(
            plainTip(QString::fromStdString(f.typeName + ": " + (f.isSupported() ? "no elements" : f.unsupported))));
        y += kVarH + kVarGap;
    }

    // --- Arrows for copies, conversions and transfers (with their statement).
    int labelSlot = 0;
    for (const FactRelation &rel : s.relations) {
        if (rel.statement.empty() || rel.relation == Relation::Alias || rel.relation == Relation::Unrelated)
            continue;
        const auto a = regionOfFact.find(rel.from);
        const auto b = regionOfFact.find(rel.to);
        if (a == regionOfFact.end() || b == regionOfFact.end() || a->second == b->second)
            continue;
        const QRectF from = a->second->block;
        const QRectF to = b->second->block;
        const bool transfer = rel.relation == Relation::Transfer;
        const qreal bulge = std::max(from.right(), to.right()) + 70 + 30 * (labelSlot % 3);
        QPainterPath path(QPointF(from.right() + 4, from.center().y()));
        path.cubicTo(QPointF(bulge, from.center().y()), QPointF(bulge, to.center().y()),
                     QPointF(to.right() + 8, to.center().y()));
        QPen pen(transfer ? c.transferArrow : c.arrow, 2.0, transfer ? Qt::SolidLine : Qt::DashLine);
        auto *arrow = addPath(path, pen);
        arrow->setData(kKindKey, static_cast<int>(ItemKind::Arrow));
        // Arrow head at the target.
        const QPointF tip(to.right() + 6, to.center().y());
        QPolygonF head;
        head << tip << tip + QPointF(10, -6) << tip + QPointF(10, 6);
        addPolygon(head, QPen(pen.color()), pen.color());
        const QString label1 = QString::fromStdString(rel.statement).trimmed().section(QLatin1Char('\n'), 0, 0);
        const QString label2 = QString::fromStdString(relationSummary(rel)); // the one wording (engine/text)
        arrow->setData(kTextKey, label1 + QStringLiteral(": ") + label2);
        arrow->setToolTip(plainTip(label1 + QStringLiteral("\n") + label2));
        const QPointF mid(bulge + 12, (from.center().y() + to.center().y()) / 2 - 21);
        auto *t1 = placeText(this, label1, monoFont(10), c.text, mid + QPointF(8, 4));
        auto *t2 = placeText(this, label2, uiFont(9), c.mutedText, mid + QPointF(8, 22));
        const qreal w = std::max(t1->boundingRect().width(), t2->boundingRect().width()) + 16;
        auto *box = addRect(QRectF(mid, QSizeF(w, 42)), QPen(c.laneHostBorder), c.boxBackground);
        // Labels sit above everything they cross (lane titles included).
        box->setZValue(5);
        t1->setZValue(6);
        t2->setZValue(6);
        box->setData(kKindKey, static_cast<int>(ItemKind::ArrowLabel));
        box->setData(kTextKey, label1 + QStringLiteral(": ") + label2);
        ++labelSlot;
    }
    // Changed cells flash once, then keep the steady highlight until the next step.
    if (!flashing.isEmpty()) {
        m_flash = new QVariantAnimation(this);
        m_flash->setDuration(700);
        const QColor from = c.dark ? QColor(0xff, 0xb3, 0x00) : QColor(0xff, 0x9f, 0x1a);
        const QColor to = c.changed;
        m_flash->setStartValue(0.0);
        m_flash->setEndValue(1.0);
        connect(m_flash, &QVariantAnimation::valueChanged, this, [flashing, from, to](const QVariant &v) {
            const double t = v.toDouble();
            const QColor mix = QColor::fromRgbF(from.redF() + (to.redF() - from.redF()) * t,
                                                from.greenF() + (to.greenF() - from.greenF()) * t,
                                                from.blueF() + (to.blueF() - from.blueF()) * t);
            for (QGraphicsRectItem *item : flashing)
                item->setBrush(mix);
        });
        m_flash->start();
    }

    // Lanes as wide as the widest thing in them (and the same width each).
    qreal right = kLaneX + 400;
    for (QGraphicsItem *i : items(Qt::AscendingOrder))
        if (i->zValue() > -10 && !i->parentItem())
            right = std::max(right, i->sceneBoundingRect().right());
    for (QGraphicsRectItem *lane : lanes) {
        QRectF r = lane->rect();
        r.setRight(right + 24);
        lane->setRect(r);
    }
    setSceneRect(itemsBoundingRect().adjusted(-20, -10, 40, 40));
}

} // namespace memscope::ui
