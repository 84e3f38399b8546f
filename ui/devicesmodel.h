// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>

#include <vector>

namespace memscope::engine {
class Runtime;
}

namespace memscope::ui {

/// The runtime's devices: name, address space, what backs it, bytes in use.
/// Emulated devices say so in every column that names them.
class DevicesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Kind, Description, InUse, ColumnCount };

    explicit DevicesModel(const engine::Runtime &runtime, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Re-reads the bytes in use of every device.
    void refresh();

private:
    const engine::Runtime &m_runtime;
    struct Row
    {
        QString name;
        QString kind;
        QString description;
        qulonglong inUse = 0;
        bool emulated = false;
    };
    std::vector<Row> m_rows;
};

} // namespace memscope::ui
