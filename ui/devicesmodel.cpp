// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/devicesmodel.h"

#include "engine/runtime.h"

#include <QLocale>

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
        m_rows.push_back(row);
    }
    endResetModel();
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
            return QLocale().formattedDataSize(static_cast<qint64>(row.inUse));
        }
    } else if (role == Qt::UserRole && index.column() == InUse) {
        return row.inUse;
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
        return tr("In use");
    }
    return {};
}

} // namespace memscope::ui
