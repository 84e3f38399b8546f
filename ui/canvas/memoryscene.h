// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// moc (Qt 6.4) cannot parse GCC 12's <concepts>; it needs only the names below.
#ifndef Q_MOC_RUN
#include "engine/snapshot.h"
#endif
#include "ui/theme.h"

#include <QGraphicsScene>
#include <QVariantAnimation>

#include <memory>
#include <optional>

namespace memscope::ui {

/// The memory canvas: one lane per address space; each buffer a block of
/// cells (values, in address order) or a scaled bar when large; each variable
/// a labelled box joined to exactly the bytes it views; aliases share a
/// colour; copies, conversions and transfers are arrows labelled with the
/// statement and the bytes moved; cells changed by the last step are lit.
class MemoryScene : public QGraphicsScene
{
    Q_OBJECT
public:
    /// What each item is, in QGraphicsItem::data(kKindKey), for tests and hit testing.
    enum class ItemKind { Lane = 1, Buffer, Cell, Variable, Connector, Arrow, ArrowLabel, Caption };
    static constexpr int kKindKey = 0;
    static constexpr int kFactKey = 1; ///< variables, connectors: fact index
    static constexpr int kGroupKey = 2; ///< alias group, for colour checks
    static constexpr int kChangedKey = 3; ///< cells: changed by the last step
    static constexpr int kTextKey = 4; ///< cells: the value shown; arrows: the label
    /// Buffers with more elements than this are drawn as a scaled bar.
    static constexpr int kMaxCells = 64;

    explicit MemoryScene(QObject *parent = nullptr);
    /// Ends a running change flash at its steady highlight, so a picture taken
    /// now is the same on every run (screenshots, exports).
    void settle();

    /// Redraws for `snapshot`, outlining `selected` when given (one rebuild).
    void setSnapshot(std::shared_ptr<const engine::Snapshot> snapshot, std::optional<std::uint64_t> selected = {});
    void setColors(const ThemeColors &colors);
    void setRawAddresses(bool raw);
    bool rawAddresses() const { return m_rawAddresses; }
    /// Outlines the cells of one object (0: none).
    void setSelectedObject(std::uint64_t objectId);
    std::uint64_t selectedObject() const { return m_selected; }
    /// One scale for every text on the canvas (1.0 = 100 %; presentation mode
    /// raises it). The layout reflows at the new size; it never shrinks text.
    void setTextScale(qreal scale);
    qreal textScale() const { return m_textScale; }
    /// The caption line above the lanes ("Step 4 · t2 = torch.tensor(a)").
    void setCaption(const QString &caption);

    QList<QGraphicsItem *> itemsOfKind(ItemKind kind) const;

Q_SIGNALS:
    void objectClicked(std::uint64_t objectId);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;

private:
    void rebuild();

    std::shared_ptr<const engine::Snapshot> m_snapshot;
    ThemeColors m_colors;
    /// Changed cells flash (strong colour fading to the steady highlight).
    QVariantAnimation *m_flash = nullptr;
    bool m_rawAddresses = false;
    std::uint64_t m_selected = 0;
    QString m_caption;
    qreal m_textScale = 1.0;
};

} // namespace memscope::ui
