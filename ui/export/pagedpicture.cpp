// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/pagedpicture.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>

#include <png.h>

#include <cmath>

namespace memscope::ui {

namespace {

/// Screen pixels per inch: a 13 px font is written as 13 px, and point-sized
/// fonts (the window view) come out the size they have on screen, not as
/// many pixels as they have points.
constexpr int kSvgDpi = 96;

void appendBytes(png_structp png, png_bytep data, png_size_t length)
{
    static_cast<QByteArray *>(png_get_io_ptr(png))->append(reinterpret_cast<const char *>(data), qsizetype(length));
}

} // namespace

QImage pageImage(const PagedPicture &picture, int page, qreal scale, const QColor &background)
{
    const QSizeF size = picture.pageSize(page);
    // Opaque: three channels in the PNG, not four (a quarter less to compress).
    QImage image((size * scale).toSize(), QImage::Format_RGB32);
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
    // 0xffRRGGBB words, read in place (libpng drops the filler and swaps to
    // RGB per row), not converted into a second picture-sized copy first.
    const QImage rgb = image.format() == QImage::Format_RGB32 ? image : image.convertToFormat(QImage::Format_RGB32);
    QByteArray bytes;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        return {};
    }
    // libpng reports errors by longjmp: nothing with a destructor is made
    // between here and the end but what existed before.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return {};
    }
    png_set_write_fn(png, &bytes, appendBytes, nullptr);
    png_set_IHDR(png, info, png_uint_32(rgb.width()), png_uint_32(rgb.height()), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    // The pixel density says how large a high-DPI picture is meant to be shown.
    const auto perMetre = png_uint_32(std::lround(96 / 0.0254 * image.devicePixelRatio()));
    png_set_pHYs(png, info, perMetre, perMetre, PNG_RESOLUTION_METER);
    // One filter instead of libpng's per-row search over five, and a fast
    // zlib level: canvas pictures are flat colours that compress well either
    // way, and the search took most of an export's time (docs/PERFORMANCE.md).
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN) { // memory order B, G, R, 0xff
        png_set_bgr(png);
        png_set_filler(png, 0, PNG_FILLER_AFTER);
    } else { // 0xff, R, G, B
        png_set_filler(png, 0, PNG_FILLER_BEFORE);
    }
    for (int y = 0; y < rgb.height(); ++y)
        png_write_row(png, rgb.constScanLine(y));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
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
