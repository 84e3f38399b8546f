#include "ui/export/handout.h"
namespace memscope::ui {
QByteArray htmlHandout(const ExportDocument &doc, const HandoutImages &images, const HandoutOptions &)
{
    QByteArray b = "<html>" + doc.title.toHtmlEscaped().toUtf8();
    for (auto &l : images)
        for (auto &s : l)
            b += "<img src=\"" + s.toUtf8() + "\">";
    return b;
}
QByteArray markdownHandout(const ExportDocument &doc, const HandoutImages &)
{
    return doc.title.toUtf8();
}
QString htmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}
} // namespace memscope::ui
