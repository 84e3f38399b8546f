// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/devicesmodel.h"

#include "engine/runtime.h"
#include "engine/snapshot.h"
#include "ui/byteslabel.h"

#include <algorithm>

namespace memscope::ui {

DevicesModel::DevicesModel(const engine::Runtime &runtime, QObject *parent)
    : QAbstractTableModel(parent)
    , m_runtime(runtime)
{
    refresh();
}

void DevicesModel::refresh()
{
    beginResetModel();
    m_rows.clear();
    for (const engine::Device &d : m_runtime.devices()) {
        const auto backend = m_runtime.backend(d);
        Row row;
        row.name = QString::fromStdString(d.toString());
        row.kind = d.isCpu() ? tr("host") : d.emulated ? tr("GPU (emulated)") : tr("GPU");
        row.description = QString::fromStdString(backend->description());
        row.inUse = backend->bytesInUse();
        row.emulated = d.emulated;
        const auto at = m_stepBytes.find(row.name);
        row.atStep = at == m_stepBytes.end() ? 0 : at->second;
        m_rows.push_back(row);
    }
    for (const auto &[name, bytes] : m_stepBytes) {
        if (std::any_of(m_rows.begin(), m_rows.end(), [&](const Row &r) { return r.name == name; }))
            continue;
        // A recording made on another machine: its GPU is not this one's.
        m_rows.push_back(
            {name, tr("as recorded"), tr("not on this machine"), 0, bytes, name.contains(QLatin1String("emulated"))});
    }
    endResetModel();
}

void DevicesModel::setSnapshot(const std::shared_ptr<const engine::Snapshot> &snapshot)
{
    m_stepBytes.clear();
    if (snapshot)
        for (const engine::BufferInfo &b : snapshot->buffers)
            m_stepBytes[QString::fromStdString(b.device.toString())] += b.hi - b.lo;
    refresh();
}

int DevicesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DevicesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DevicesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index))
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return row.name;
        case Kind:
            return row.kind;
        case Description:
            return row.description;
        case InUse:
            return bytesLabel(row.inUse);
        case AtStep:
            return bytesLabel(row.atStep);
        }
    } else if (role == Qt::UserRole && index.column() == InUse) {
        return row.inUse;
    } else if (role == Qt::UserRole && index.column() == AtStep) {
        return row.atStep;
    } else if (role == Qt::ToolTipRole && index.column() == AtStep) {
        return tr("Bytes of the buffers that the objects of the step shown view on this device");
    } else if (role == Qt::ToolTipRole && row.emulated) {
        return tr("No GPU was found: this device is host memory behind explicit transfers, standing in for a GPU.");
    }
    return {};
}

QVariant DevicesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Device");
    case Kind:
        return tr("Kind");
    case Description:
        return tr("Backed by");
    case InUse:
        return tr("Engine in use");
    case AtStep:
        return tr("At this step");
    }
    return {};
}

} // namespace memscope::ui
