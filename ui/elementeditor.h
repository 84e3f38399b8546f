// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/session.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QHBoxLayout;
class QTableView;

namespace memscope::ui {

class ElementsModel;
class Theme;

/// The selected object's values in an editable grid, with a picker for the
/// leading dimensions of N-D objects. Edits go through the engine (checked);
/// refusals say why; "write anyway" writes through read-only memory.
class ElementEditor : public QWidget
{
    Q_OBJECT
public:
    ElementEditor(Session *session, Theme *theme, QWidget *parent = nullptr);

    void showObject(std::shared_ptr<const engine::Snapshot> snapshot, std::uint64_t objectId);
    /// Editable only at the live step; at a past one the grid shows that
    /// step's values and `pastReason` says why nothing can be typed.
    void setLive(bool live, const QString &pastReason = {});
    bool isLive() const { return m_live; }
    ElementsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString message() const;
    void setWriteAnyway(bool on);
    /// First row shown, for objects with more rows than a page.
    void setFirstRow(qint64 row);
    /// First column shown, for objects with more columns than a page.
    void setFirstColumn(qint64 column);

private:
    void rebuildDimensionPicker();
    void syncPagePickers();
    void onEditRequested(std::uint64_t objectId, qint64 flat, const QString &text);
    void onEditFinished(bool ok, const QString &message);

    Session *m_session;
    Theme *m_theme;
    ElementsModel *m_model;
    QTableView *m_view;
    QLabel *m_title;
    QLabel *m_message;
    QCheckBox *m_writeAnyway;
    QHBoxLayout *m_dims;
    std::vector<std::int64_t> m_pickerShape; ///< shape the dimension picker was built for
    bool m_live = true;
    QString m_pastReason; ///< why nothing can be edited off the live step
};

} // namespace memscope::ui
