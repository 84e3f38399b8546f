// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#endif

#include <QAbstractTableModel>
#include <QColor>

#include <map>
#include <memory>
#include <set>

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

    /// `live`: the snapshot is the live step's, so memory holds its values
    /// (large objects are read in windows, cells are editable). A past step
    /// shows only the values its snapshot kept, and nothing is editable.
    void setSnapshot(std::shared_ptr<const engine::Snapshot> snapshot, std::uint64_t objectId, bool live = true);
    bool isLive() const { return m_live; }
    std::uint64_t objectId() const { return m_objectId; }
    const std::shared_ptr<const engine::Snapshot> &snapshot() const { return m_snapshot; }
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

    /// Elements per fetched window of a large object.
    static constexpr qint64 kWindow = 4096;
    /// Rows shown at once: Qt's headers keep data per section, so 10^8 rows
    /// are shown a page at a time (the editor picks the page).
    static constexpr qint64 kPageRows = 100000;
    /// Columns shown at once, for the same reason: np.zeros((2, 10**7)) is
    /// shown a page of columns at a time.
    static constexpr qint64 kPageColumns = 1000;
    /// Rows and columns of the whole grid (0 for an object without elements).
    qint64 totalRows() const;
    qint64 totalColumns() const;
    qint64 rowOffset() const { return m_rowOffset; }
    void setRowOffset(qint64 offset);
    qint64 columnOffset() const { return m_columnOffset; }
    void setColumnOffset(qint64 offset);
    /// Values of elements [first, ...) of the shown object, fetched on request.
    void addWindow(std::uint64_t objectId, qint64 first, const QByteArray &bytes);

Q_SIGNALS:
    void editRequested(std::uint64_t objectId, qint64 flatIndex, const QString &text);
    /// Values the snapshot does not hold are needed (a visible part of a large object).
    void windowNeeded(std::uint64_t objectId, qint64 first, qint64 count) const;

private:
    std::shared_ptr<const engine::Snapshot> m_snapshot;
    std::uint64_t m_objectId = 0;
    int m_factIndex = -1;
    bool m_live = true;
    std::vector<std::int64_t> m_leading;
    qint64 m_rowOffset = 0;
    qint64 m_columnOffset = 0;
    std::map<qint64, QByteArray> m_windows; ///< fetched values of a large object, by first element
    mutable std::set<qint64> m_requested; ///< windows asked for and not yet here
    QColor m_changedColor = QColor(0xfd, 0xe6, 0x8a);
};

} // namespace memscope::ui
