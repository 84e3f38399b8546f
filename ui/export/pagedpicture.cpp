// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/pagedpicture.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>

namespace memscope::ui {

namespace {

/// Screen pixels per inch: a 13 px font is written as 13 px, and point-sized
/// fonts (the window view) come out the size they have on screen, not as
/// many pixels as they have points.
constexpr int kSvgDpi = 96;

} // namespace

QImage pageImage(const PagedPicture &picture, int page, qreal scale, const QColor &background)
{
    const QSizeF size = picture.pageSize(page);
    QImage image((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(background);
    QPainter p(&image);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    picture.paint(p, page);
    p.end();
    return image;
}

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray pageSvg(const PagedPicture &picture, int page, const QString &title)
{
    const QSizeF size = picture.pageSize(page);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(kSvgDpi);
    svg.setSize(size.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), size));
    svg.setTitle(title);
    svg.setDescription(QStringLiteral("MemScope"));
    QPainter p(&svg);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    picture.paint(p, page);
    p.end();
    return bytes;
}

} // namespace memscope::ui
