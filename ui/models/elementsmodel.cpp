// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/elementsmodel.h"

#include "engine/scalar.h"

#include <algorithm>

using namespace memscope::engine;

namespace memscope::ui {

ElementsModel::ElementsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

const MemoryFact *ElementsModel::fact() const
{
    return m_factIndex >= 0 ? &m_snapshot->facts[static_cast<std::size_t>(m_factIndex)] : nullptr;
}

void ElementsModel::setSnapshot(std::shared_ptr<const Snapshot> snapshot, std::uint64_t objectId, bool live)
{
    beginResetModel();
    m_live = live;
    const bool sameObject = objectId == m_objectId;
    m_windows.clear(); // values may have changed with the step
    m_requested.clear();
    m_snapshot = std::move(snapshot);
    m_objectId = objectId;
    m_factIndex = -1;
    if (m_snapshot)
        for (std::size_t i = 0; i < m_snapshot->facts.size(); ++i)
            if (m_snapshot->facts[i].objectId == objectId && m_snapshot->facts[i].isSupported())
                m_factIndex = static_cast<int>(i);
    if (!sameObject) {
        m_rowOffset = 0;
        m_columnOffset = 0;
    }
    m_rowOffset = std::clamp<qint64>(m_rowOffset, 0, std::max<qint64>(0, totalRows() - 1));
    m_columnOffset = std::clamp<qint64>(m_columnOffset, 0, std::max<qint64>(0, totalColumns() - 1));
    const std::size_t lead = fact() && fact()->shape.size() > 2 ? fact()->shape.size() - 2 : 0;
    if (!sameObject || m_leading.size() != lead)
        m_leading.assign(lead, 0);
    for (std::size_t d = 0; d < lead; ++d)
        m_leading[d] = std::clamp<std::int64_t>(m_leading[d], 0, std::max<std::int64_t>(0, fact()->shape[d] - 1));
    endResetModel();
}

void ElementsModel::setLeadingIndex(std::vector<std::int64_t> index)
{
    beginResetModel();
    m_leading = std::move(index);
    endResetModel();
}

qint64 ElementsModel::totalRows() const
{
    const MemoryFact *f = fact();
    if (!f || f->numel() == 0) // no elements: no grid, whatever the other dimensions say
        return 0;
    if (f->shape.empty())
        return 1;
    return f->shape.size() == 1 ? f->shape[0] : f->shape[f->shape.size() - 2];
}

qint64 ElementsModel::totalColumns() const
{
    const MemoryFact *f = fact();
    if (!f || f->numel() == 0)
        return 0;
    return f->shape.size() < 2 ? 1 : f->shape.back();
}

void ElementsModel::setRowOffset(qint64 offset)
{
    beginResetModel();
    m_rowOffset = std::clamp<qint64>(offset, 0, std::max<qint64>(0, totalRows() - 1));
    endResetModel();
}

void ElementsModel::setColumnOffset(qint64 offset)
{
    beginResetModel();
    m_columnOffset = std::clamp<qint64>(offset, 0, std::max<qint64>(0, totalColumns() - 1));
    endResetModel();
}

int ElementsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !fact())
        return 0;
    return static_cast<int>(std::clamp<qint64>(totalRows() - m_rowOffset, 0, kPageRows));
}

int ElementsModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !fact())
        return 0;
    return static_cast<int>(std::clamp<qint64>(totalColumns() - m_columnOffset, 0, kPageColumns));
}

std::int64_t ElementsModel::flatIndex(const QModelIndex &index) const
{
    const MemoryFact *f = fact();
    if (!f || f->shape.empty())
        return 0;
    std::vector<std::int64_t> idx = m_leading;
    idx.push_back(m_rowOffset + index.row());
    if (f->shape.size() >= 2)
        idx.push_back(m_columnOffset + index.column());
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < f->shape.size(); ++d)
        flat = flat * f->shape[d] + idx[d];
    return flat;
}

QVariant ElementsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index))
        return {};
    const MemoryFact &f = *fact();
    const std::int64_t flat = flatIndex(index);
    if (role == FlatIndexRole)
        return static_cast<qlonglong>(flat);
    if (role == ChangedRole || role == Qt::BackgroundRole) {
        const auto &changed = m_snapshot->changed[static_cast<std::size_t>(m_factIndex)];
        const bool hit = std::binary_search(changed.begin(), changed.end(), flat);
        if (role == ChangedRole)
            return hit;
        return hit ? QVariant(m_changedColor) : QVariant();
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole)
        return {};
    const auto item = static_cast<std::size_t>(f.itemSize());
    const std::byte *bytes = nullptr;
    if (f.valuesCaptured && (static_cast<std::size_t>(flat) + 1) * item <= f.values.size()) {
        bytes = f.values.data() + static_cast<std::size_t>(flat) * item;
    } else if (!m_live) {
        // Memory holds the live step's values, not this step's.
        if (role != Qt::ToolTipRole)
            return QStringLiteral("—");
        return m_snapshot->valuesDropped
            ? tr("values no longer kept for step %1 (the timeline's memory budget)").arg(m_snapshot->step)
            : tr("values of objects over 1 MiB are kept only at the live step");
    } else {
        // A large object: its values come in windows, fetched when first shown.
        const qint64 first = flat / kWindow * kWindow;
        const auto w = m_windows.find(first);
        if (w != m_windows.end() &&
            static_cast<std::size_t>(flat - first + 1) * item <= static_cast<std::size_t>(w->second.size()))
            bytes = reinterpret_cast<const std::byte *>(w->second.constData()) +
                static_cast<std::size_t>(flat - first) * item;
        else if (m_requested.insert(first).second)
            Q_EMIT windowNeeded(m_objectId, first, kWindow);
    }
    if (!bytes)
        return role == Qt::ToolTipRole ? QVariant(tr("reading…")) : QVariant(QStringLiteral("…"));
    const QString text = QString::fromStdString(formatScalar(f.dtype, loadScalar(f.dtype, bytes)));
    if (role == Qt::ToolTipRole)
        return tr("%1 (%2)%3")
            .arg(text, QString::fromLatin1(numpyName(f.dtype).data()), f.readOnly ? tr(" · read-only") : QString());
    return text;
}

void ElementsModel::addWindow(std::uint64_t objectId, qint64 first, const QByteArray &bytes)
{
    if (objectId != m_objectId || !m_requested.contains(first))
        return; // stale: another object, or a step since
    m_requested.erase(first);
    m_windows[first] = bytes;
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole});
}

bool ElementsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    Q_EMIT editRequested(m_objectId, flatIndex(index), value.toString().trimmed());
    return false; // the grid shows the value once the engine has written it
}

Qt::ItemFlags ElementsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | (m_live ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

QVariant ElementsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    return orientation == Qt::Vertical ? m_rowOffset + section : m_columnOffset + section;
}

} // namespace memscope::ui
