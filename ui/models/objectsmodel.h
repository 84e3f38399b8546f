// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#endif

#include <QAbstractTableModel>

#include <memory>

namespace memscope::ui {

/// Every tracked object of the latest snapshot: a read-only view.
class ObjectsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Framework, DType, Shape, Device, Bytes, Group, ReadOnly, CreatedBy, ColumnCount };
    enum Role { ObjectIdRole = Qt::UserRole + 1, SortRole };

    explicit ObjectsModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const engine::Snapshot> snapshot);
    const std::shared_ptr<const engine::Snapshot> &snapshot() const { return m_snapshot; }
    /// Row of the object with this id, or -1.
    int rowOf(std::uint64_t objectId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const engine::Snapshot> m_snapshot;
};

/// "float32 (2, 3)" style helpers shared by panels.
QString shapeString(const std::vector<std::int64_t> &shape);
QString namesString(const engine::MemoryFact &fact);
QString frameworkLabel(engine::Framework f);

} // namespace memscope::ui
