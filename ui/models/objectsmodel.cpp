// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/models/objectsmodel.h"

#include "ui/byteslabel.h"

#include <QTextDocument>

using namespace memscope::engine;

namespace memscope::ui {

QString shapeString(const std::vector<std::int64_t> &shape)
{
    return QString::fromStdString(shapeText(shape));
}

QString namesString(const MemoryFact &fact)
{
    QStringList names;
    for (const auto &n : fact.names)
        names << QString::fromStdString(n);
    return names.isEmpty() ? QString::fromStdString(fact.label()) : names.join(QStringLiteral(", "));
}

QString frameworkLabel(Framework f)
{
    switch (f) {
    case Framework::NumPy:
        return QStringLiteral("NumPy");
    case Framework::Torch:
        return QStringLiteral("PyTorch");
    case Framework::TensorFlow:
        return QStringLiteral("TensorFlow");
    case Framework::Jax:
        return QStringLiteral("JAX");
    case Framework::CuPy:
        return QStringLiteral("CuPy");
    case Framework::MemScope:
        return QStringLiteral("MemScope");
    case Framework::Other:
        break;
    }
    return QStringLiteral("other");
}

ObjectsModel::ObjectsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ObjectsModel::setSnapshot(std::shared_ptr<const Snapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

int ObjectsModel::rowOf(std::uint64_t objectId) const
{
    if (!m_snapshot)
        return -1;
    for (std::size_t i = 0; i < m_snapshot->facts.size(); ++i)
        if (m_snapshot->facts[i].objectId == objectId)
            return static_cast<int>(i);
    return -1;
}

int ObjectsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_snapshot ? 0 : static_cast<int>(m_snapshot->facts.size());
}

int ObjectsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ObjectsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index))
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const MemoryFact &f = m_snapshot->facts[row];
    if (role == ObjectIdRole)
        return QVariant::fromValue<qulonglong>(f.objectId);
    const bool ok = f.isSupported();
    if (role == Qt::ToolTipRole && !ok)
        return Qt::convertFromPlainText(QString::fromStdString(f.unsupported)); // never rich text from user objects
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Name:
        return namesString(f);
    case Framework:
        return frameworkLabel(f.framework);
    case DType:
        return ok ? QString::fromLatin1(numpyName(f.dtype).data()) : tr("unsupported");
    case Shape:
        return ok ? shapeString(f.shape) : QString();
    case Device:
        return ok ? QString::fromStdString(f.device.toString()) : QString();
    case Bytes:
        if (role == SortRole)
            return static_cast<qlonglong>(ok ? f.nbytes() : 0);
        return ok ? bytesLabel(f.nbytes()) : QString();
    case Group:
        return m_snapshot->aliases.group[row];
    case ReadOnly:
        return ok && f.readOnly ? tr("read-only") : QString();
    case CreatedBy:
        return QString::fromStdString(m_snapshot->origins[row].statement).trimmed();
    }
    return {};
}

QVariant ObjectsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Name"),  QT_TR_NOOP("Framework"), QT_TR_NOOP("dtype"),
                                        QT_TR_NOOP("Shape"), QT_TR_NOOP("Device"),    QT_TR_NOOP("Bytes"),
                                        QT_TR_NOOP("Group"), QT_TR_NOOP("Access"),    QT_TR_NOOP("Created by")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace memscope::ui
