// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#endif

#include <QAbstractTableModel>
#include <QColor>

#include <memory>

namespace memscope::ui {

/// One object's values as a 2-D grid: its last two dimensions, at the chosen
/// indices of the others (1-D objects are one column). Nothing is copied per
/// cell: the grid is virtual, so huge objects open at once. Editing emits
/// editRequested; the value changes only when the engine has written it and a
/// new snapshot arrives.
class ElementsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { ChangedRole = Qt::UserRole + 1, FlatIndexRole };

    explicit ElementsModel(QObject *parent = nullptr);

    void setSnapshot(std::shared_ptr<const engine::Snapshot> snapshot, std::uint64_t objectId);
    std::uint64_t objectId() const { return m_objectId; }
    const engine::MemoryFact *fact() const;
    /// Indices of the leading dimensions (all but the last two).
    void setLeadingIndex(std::vector<std::int64_t> index);
    const std::vector<std::int64_t> &leadingIndex() const { return m_leading; }
    std::int64_t flatIndex(const QModelIndex &index) const;
    /// Background of cells the last step changed.
    void setChangedColor(const QColor &color) { m_changedColor = color; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void editRequested(std::uint64_t objectId, qint64 flatIndex, const QString &text);

private:
    std::shared_ptr<const engine::Snapshot> m_snapshot;
    std::uint64_t m_objectId = 0;
    int m_factIndex = -1;
    std::vector<std::int64_t> m_leading;
    QColor m_changedColor = QColor(0xfd, 0xe6, 0x8a);
};

} // namespace memscope::ui
