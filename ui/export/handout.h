// TEMP STUB (replaced by the helper's)
#pragma once
#include "ui/export/exportdocument.h"
#include <QByteArray>
namespace memscope::ui {
using HandoutImages = std::vector<QStringList>;
struct HandoutOptions
{
    bool dark = false;
};
QByteArray htmlHandout(const ExportDocument &doc, const HandoutImages &images, const HandoutOptions &options = {});
QByteArray markdownHandout(const ExportDocument &doc, const HandoutImages &images);
QString htmlEscaped(const QString &text);
} // namespace memscope::ui
