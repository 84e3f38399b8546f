// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QSizeF>
#include <QString>

class QPainter;

namespace memscope::ui {

/// A picture of one step in one or more pages, each painted on demand, so
/// only one page is ever held as pixels.
class PagedPicture
{
public:
    virtual ~PagedPicture() = default;
    virtual int pageCount() const = 0;
    virtual QSizeF pageSize(int page) const = 0; ///< in pixels at 100 % (SVG user units)
    virtual void paint(QPainter &painter, int page) const = 0;
};

/// A page as pixels: `scale` device pixels per pixel (2: high-DPI).
QImage pageImage(const PagedPicture &picture, int page, qreal scale, const QColor &background);
/// PNG bytes of an image (no time stamp: the same pixels give the same bytes).
QByteArray pngBytes(const QImage &image);
/// A page as SVG, at 96 dpi so text is written in the pixels it has on screen.
QByteArray pageSvg(const PagedPicture &picture, int page, const QString &title);

} // namespace memscope::ui
