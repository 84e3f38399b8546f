// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/elementeditor.h"

#include "engine/scalar.h"
#include "ui/models/elementsmodel.h"
#include "ui/models/objectsmodel.h"
#include "ui/theme.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>

#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <climits>

namespace memscope::ui {

ElementEditor::ElementEditor(Session *session, Theme *theme, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_theme(theme)
    , m_model(new ElementsModel(this))
    , m_view(new QTableView(this))
    , m_title(new QLabel(tr("Select an object on the canvas or in the objects table."), this))
    , m_message(new QLabel(this))
    , m_writeAnyway(new QCheckBox(tr("Write anyway (read-only memory)"), this))
    , m_dims(new QHBoxLayout)
{
    setObjectName(QStringLiteral("elementEditor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_writeAnyway);
    layout->addLayout(top);
    layout->addLayout(m_dims);
    m_view->setObjectName(QStringLiteral("elementsView"));
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setDefaultSectionSize(90);
    m_view->verticalHeader()->setDefaultSectionSize(24);
    // Fixed sizes keep the headers O(1) per section: 10^8 rows open at once.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    layout->addWidget(m_view, 1);
    m_message->setObjectName(QStringLiteral("editMessage"));
    m_message->setWordWrap(true);
    // What was typed is shown as typed, never as markup; and however long the
    // message, it never widens the window (it wraps or is cut at the window's width).
    m_message->setTextFormat(Qt::PlainText);
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setWordWrap(true); // long names and shapes wrap rather than being cut
    layout->addWidget(m_message);
    m_writeAnyway->setToolTip(tr("Writes through a read-only view, such as a TensorFlow tensor or a NumPy array "
                                 "with writeable=False, to show which other views see the change."));
    m_writeAnyway->setEnabled(false);
    connect(m_model, &ElementsModel::editRequested, this, &ElementEditor::onEditRequested);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ElementEditor::syncPagePickers);
    if (m_session) {
        connect(m_session, &Session::editFinished, this, &ElementEditor::onEditFinished);
        // Large objects: the visible windows are read when the interpreter is free.
        connect(m_model, &ElementsModel::windowNeeded, m_session, &Session::readElements, Qt::QueuedConnection);
        connect(m_session, &Session::elementsAvailable, m_model, &ElementsModel::addWindow);
    }
    if (m_theme) {
        m_model->setChangedColor(m_theme->colors().changed);
        connect(m_theme, &Theme::changed, this, [this] { m_model->setChangedColor(m_theme->colors().changed); });
    }
}

QString ElementEditor::message() const
{
    return m_message->text();
}

void ElementEditor::setWriteAnyway(bool on)
{
    m_writeAnyway->setChecked(on);
}

void ElementEditor::showObject(std::shared_ptr<const engine::Snapshot> snapshot, std::uint64_t objectId)
{
    const std::size_t oldLead = m_model->leadingIndex().size();
    const std::uint64_t oldObject = m_model->objectId();
    m_model->setSnapshot(std::move(snapshot), objectId, m_live);
    const engine::MemoryFact *f = m_model->fact();
    if (!f) {
        m_title->setText(tr("Select an object on the canvas or in the objects table."));
        m_writeAnyway->setEnabled(false);
    } else {
        m_title->setText(tr("<b>%1</b> · %2 %3 %4 · %5%6")
                             .arg(namesString(*f).toHtmlEscaped(), frameworkLabel(f->framework),
                                  QString::fromLatin1(engine::numpyName(f->dtype).data()), shapeString(f->shape),
                                  QString::fromStdString(f->device.toString()),
                                  f->readOnly ? tr(" · <b>read-only</b>") : QString()));
        m_writeAnyway->setEnabled(f->readOnly && m_live);
    }
    // The shape too: a freed object's id can come back as another object's.
    const std::vector<std::int64_t> shape = f ? f->shape : std::vector<std::int64_t> {};
    if (oldObject != objectId || oldLead != m_model->leadingIndex().size() || shape != m_pickerShape) {
        m_pickerShape = shape;
        rebuildDimensionPicker();
    }
}

void ElementEditor::setLive(bool live, const QString &pastReason)
{
    const bool changed = live != m_live;
    m_live = live;
    m_pastReason = pastReason;
    if (!live) {
        m_message->setStyleSheet(QString());
        m_message->setText(pastReason);
    } else if (changed) {
        m_message->clear();
    }
    if (changed)
        showObject(m_model->snapshot(), m_model->objectId());
}

void ElementEditor::setFirstRow(qint64 row)
{
    m_model->setRowOffset(row);
}

void ElementEditor::setFirstColumn(qint64 column)
{
    m_model->setColumnOffset(column);
}

void ElementEditor::syncPagePickers()
{
    // The page may move without the spin boxes (setFirstRow, a clamp on a new step).
    for (const auto &[name, value] : {std::pair {QStringLiteral("firstRow"), m_model->rowOffset()},
                                      std::pair {QStringLiteral("firstColumn"), m_model->columnOffset()}})
        if (auto *spin = findChild<QSpinBox *>(name)) {
            const QSignalBlocker block(spin);
            spin->setValue(static_cast<int>(std::min<qint64>(value, INT_MAX)));
        }
}

void ElementEditor::rebuildDimensionPicker()
{
    while (QLayoutItem *item = m_dims->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const engine::MemoryFact *f = m_model->fact();
    if (f && m_model->totalColumns() > ElementsModel::kPageColumns) {
        // More columns than a page: pick where the page starts, as for rows.
        auto *first = new QSpinBox;
        first->setObjectName(QStringLiteral("firstColumn"));
        first->setRange(0, static_cast<int>(std::min<qint64>(m_model->totalColumns() - 1, INT_MAX)));
        first->setSingleStep(static_cast<int>(ElementsModel::kPageColumns / 2));
        first->setValue(static_cast<int>(m_model->columnOffset()));
        first->setToolTip(tr("first column shown; %1 columns at a time").arg(ElementsModel::kPageColumns));
        connect(first, &QSpinBox::valueChanged, this, [this](int v) { m_model->setColumnOffset(v); });
        m_dims->addWidget(new QLabel(tr("Columns from")));
        m_dims->addWidget(first);
        m_dims->addWidget(new QLabel(tr("of %1").arg(QLocale().toString(m_model->totalColumns()))));
    }
    if (f && m_model->totalRows() > ElementsModel::kPageRows) {
        // More rows than a page: pick where the page starts.
        auto *first = new QSpinBox;
        first->setObjectName(QStringLiteral("firstRow"));
        first->setRange(0, static_cast<int>(std::min<qint64>(m_model->totalRows() - 1, INT_MAX)));
        first->setSingleStep(static_cast<int>(ElementsModel::kPageRows / 2));
        first->setValue(static_cast<int>(m_model->rowOffset()));
        first->setToolTip(tr("first row shown; %1 rows at a time").arg(ElementsModel::kPageRows));
        connect(first, &QSpinBox::valueChanged, this, [this](int v) { m_model->setRowOffset(v); });
        m_dims->addWidget(new QLabel(tr("Rows from")));
        m_dims->addWidget(first);
        m_dims->addWidget(new QLabel(tr("of %1").arg(QLocale().toString(m_model->totalRows()))));
    }
    if (!f || f->shape.size() <= 2) {
        m_dims->addStretch(1);
        return;
    }
    m_dims->addWidget(new QLabel(tr("Showing [")));
    for (std::size_t d = 0; d + 2 < f->shape.size(); ++d) {
        auto *spin = new QSpinBox;
        spin->setObjectName(QStringLiteral("dim%1").arg(d));
        spin->setRange(0, static_cast<int>(std::clamp<std::int64_t>(f->shape[d] - 1, 0, INT_MAX)));
        spin->setValue(static_cast<int>(m_model->leadingIndex()[d]));
        spin->setToolTip(tr("index along dimension %1 (size %2)").arg(d).arg(f->shape[d]));
        connect(spin, &QSpinBox::valueChanged, this, [this, d](int v) {
            auto idx = m_model->leadingIndex();
            idx[d] = v;
            m_model->setLeadingIndex(idx);
        });
        m_dims->addWidget(spin);
        m_dims->addWidget(new QLabel(QStringLiteral(",")));
    }
    m_dims->addWidget(new QLabel(tr(":, :]")));
    m_dims->addStretch(1);
}

void ElementEditor::onEditRequested(std::uint64_t objectId, qint64 flat, const QString &text)
{
    if (!m_session)
        return;
    if (text.size() > qsizetype(engine::kMaxScalarText)) {
        // A pasted document is no value: refused here, before it reaches the engine or a widget.
        onEditFinished(false,
                       tr("a text of %1 characters is not a value (values have at most %2)")
                           .arg(QLocale().toString(text.size()))
                           .arg(engine::kMaxScalarText));
        return;
    }
    if (!m_live) {
        onEditFinished(false, m_pastReason);
        return;
    }
    m_message->setText(tr("writing…"));
    m_session->writeElement(objectId, flat, text, m_writeAnyway->isChecked() && m_writeAnyway->isEnabled());
}

void ElementEditor::onEditFinished(bool ok, const QString &message)
{
    const QColor color = m_theme ? (ok ? m_theme->colors().mutedText : m_theme->colors().error) : QColor();
    m_message->setStyleSheet(color.isValid() ? QStringLiteral("color: %1").arg(color.name()) : QString());
    // The engine quotes typed text elided; anything else long is cut here.
    constexpr qsizetype kMaxMessage = 400;
    const QString shown = message.size() > kMaxMessage ? message.left(kMaxMessage) + QStringLiteral("…") : message;
    m_message->setText(ok ? tr("wrote: %1").arg(shown) : tr("refused: %1").arg(shown));
}

} // namespace memscope::ui
