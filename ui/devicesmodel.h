// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>

#include <map>
#include <memory>
#include <vector>

namespace memscope::engine {
class Runtime;
struct Snapshot;
} // namespace memscope::engine

namespace memscope::ui {

/// The runtime's devices: name, address space, what backs it, bytes
/// MemScope's engine holds there, and the bytes of the buffers the step shown
/// views there (following the timeline's cursor). A device a recorded step
/// names that this machine lacks is listed as recorded. Emulated devices say
/// so in every column that names them.
class DevicesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Kind, Description, InUse, AtStep, ColumnCount };

    explicit DevicesModel(const engine::Runtime &runtime, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Re-reads the bytes in use of every device.
    void refresh();
    /// The step shown: its buffers' bytes per device (AtStep), then refresh().
    void setSnapshot(const std::shared_ptr<const engine::Snapshot> &snapshot);

private:
    const engine::Runtime &m_runtime;
    struct Row
    {
        QString name;
        QString kind;
        QString description;
        qulonglong inUse = 0;
        qulonglong atStep = 0;
        bool emulated = false;
    };
    std::vector<Row> m_rows;
    std::map<QString, qulonglong> m_stepBytes; ///< by device name, from the snapshot shown
};

} // namespace memscope::ui
