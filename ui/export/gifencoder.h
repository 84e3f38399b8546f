// TEMP STUB
#pragma once
#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QSize>
namespace memscope::ui {
class GifEncoder
{
public:
    GifEncoder(QSize, QColor, int) { }
    bool addFrame(const QImage &) { return true; }
    QByteArray finish() { return "GIF89a"; }
    QString error() const { return {}; }
};
} // namespace memscope::ui
