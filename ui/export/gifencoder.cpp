// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/gifencoder.h"

#include <QPainter>

#include <gif_lib.h>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace memscope::ui {

namespace {

int writeBytes(GifFileType *gif, const GifByteType *data, int length)
{
    static_cast<QByteArray *>(gif->UserData)->append(reinterpret_cast<const char *>(data), length);
    return length;
}

/// One frame as palette indices and its colour map.
struct IndexedFrame
{
    std::vector<GifByteType> pixels;
    std::vector<GifColorType> colors;
};

/// The frame's exact colours, sorted (so the same picture gives the same
/// bytes), when there are at most 256 of them.
bool exactPalette(const QImage &image, IndexedFrame &out)
{
    std::vector<QRgb> palette;
    palette.reserve(257);
    const int w = image.width();
    for (int y = 0; y < image.height(); ++y) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        QRgb last = 0;
        for (int x = 0; x < w; ++x) {
            const QRgb c = row[x] & 0xffffffu;
            if (x > 0 && c == last) // runs of one colour are the common case
                continue;
            last = c;
            const auto at = std::lower_bound(palette.begin(), palette.end(), c);
            if (at != palette.end() && *at == c)
                continue;
            if (palette.size() == 256)
                return false;
            palette.insert(at, c);
        }
    }
    out.colors.resize(palette.size());
    for (std::size_t i = 0; i < palette.size(); ++i)
        out.colors[i] = {GifByteType(qRed(palette[i])), GifByteType(qGreen(palette[i])),
                         GifByteType(qBlue(palette[i]))};
    out.pixels.resize(std::size_t(w) * std::size_t(image.height()));
    GifByteType *index = out.pixels.data();
    for (int y = 0; y < image.height(); ++y) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            const QRgb c = row[x] & 0xffffffu;
            *index++ = GifByteType(std::lower_bound(palette.begin(), palette.end(), c) - palette.begin());
        }
    }
    return true;
}

/// giflib's median-cut quantiser for frames of many colours (gradients,
/// antialiased photos of the window).
bool quantizedPalette(const QImage &image, IndexedFrame &out)
{
    const std::size_t count = std::size_t(image.width()) * std::size_t(image.height());
    std::vector<GifByteType> red(count), green(count), blue(count);
    std::size_t i = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x, ++i) {
            red[i] = GifByteType(qRed(row[x]));
            green[i] = GifByteType(qGreen(row[x]));
            blue[i] = GifByteType(qBlue(row[x]));
        }
    }
    out.pixels.resize(count);
    out.colors.resize(256);
    int size = 256;
    // giflib's quantiser sorts through a file-static axis variable: one at a time.
    static std::mutex quantizer;
    const std::lock_guard lock(quantizer);
    if (GifQuantizeBuffer(unsigned(image.width()), unsigned(image.height()), &size, red.data(), green.data(),
                          blue.data(), out.pixels.data(), out.colors.data()) != GIF_OK)
        return false;
    out.colors.resize(std::size_t(std::clamp(size, 1, 256)));
    return true;
}

} // namespace

GifEncoder::GifEncoder(QSize size, QColor background, int delayMs)
    : m_size(size)
    , m_background(background)
    , m_delayCs(std::clamp((delayMs + 5) / 10, 2, 0xffff)) // viewers play shorter delays as 0.1 s
{
    if (size.width() < 1 || size.height() < 1 || size.width() > 0xffff || size.height() > 0xffff) {
        m_error = QStringLiteral("GIF: size %1×%2 out of range").arg(size.width()).arg(size.height());
        return;
    }
    int error = 0;
    m_gif = EGifOpen(&m_bytes, writeBytes, &error);
    if (!m_gif) {
        fail(QStringLiteral("cannot start"), error);
        return;
    }
    EGifSetGifVersion(m_gif, true);
    // No global colour map: every frame carries its own.
    if (EGifPutScreenDesc(m_gif, size.width(), size.height(), 8, 0, nullptr) != GIF_OK) {
        fail(QStringLiteral("cannot write the screen"), m_gif->Error);
        return;
    }
    // NETSCAPE2.0 with a loop count of 0: loop forever.
    static const GifByteType netscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    static const GifByteType loop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(m_gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
        EGifPutExtensionBlock(m_gif, sizeof netscape, netscape) != GIF_OK ||
        EGifPutExtensionBlock(m_gif, sizeof loop, loop) != GIF_OK || EGifPutExtensionTrailer(m_gif) != GIF_OK)
        fail(QStringLiteral("cannot write the loop block"), m_gif->Error);
}

GifEncoder::~GifEncoder()
{
    close();
}

void GifEncoder::close()
{
    if (!m_gif)
        return;
    int error = 0;
    if (EGifCloseFile(m_gif, &error) != GIF_OK && m_error.isEmpty())
        m_error = QStringLiteral("GIF: cannot finish: %1").arg(QString::fromUtf8(GifErrorString(error)));
    m_gif = nullptr; // freed by EGifCloseFile, even on error
}

bool GifEncoder::fail(const QString &what, int gifError)
{
    if (m_error.isEmpty()) {
        const char *reason = GifErrorString(gifError);
        m_error = QStringLiteral("GIF: ") + what;
        if (reason)
            m_error += QStringLiteral(": ") + QString::fromUtf8(reason);
    }
    close();
    return false;
}

bool GifEncoder::addFrame(const QImage &frame)
{
    if (!m_gif) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("GIF: already finished");
        return false;
    }
    if (frame.isNull())
        return fail(QStringLiteral("frame %1 is empty").arg(m_frames + 1), 0);

    // The frame over the background, at the top left, in one 32-bit format.
    QImage canvas;
    if (frame.size() == m_size && !frame.hasAlphaChannel()) {
        canvas = frame.convertToFormat(QImage::Format_RGB32);
    } else {
        canvas = QImage(m_size, QImage::Format_RGB32);
        canvas.fill(m_background);
        QPainter painter(&canvas);
        painter.drawImage(QPoint(0, 0), frame);
    }

    IndexedFrame indexed;
    if (!exactPalette(canvas, indexed) && !quantizedPalette(canvas, indexed))
        return fail(QStringLiteral("cannot reduce frame %1 to 256 colours").arg(m_frames + 1), 0);
    canvas = QImage(); // only the indexed frame from here on

    // giflib takes power-of-two colour maps: padded with the last colour.
    const int mapSize = 1 << GifBitSize(int(indexed.colors.size()));
    indexed.colors.resize(std::size_t(mapSize), indexed.colors.back());
    ColorMapObject *map = GifMakeMapObject(mapSize, indexed.colors.data());
    if (!map)
        return fail(QStringLiteral("out of memory"), E_GIF_ERR_NOT_ENOUGH_MEM);

    GraphicsControlBlock control {};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.UserInputFlag = false;
    control.DelayTime = m_delayCs;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType extension[4];
    const size_t extensionSize = EGifGCBToExtension(&control, extension);

    // EGifPutImageDesc copies the map.
    bool ok = EGifPutExtension(m_gif, GRAPHICS_EXT_FUNC_CODE, int(extensionSize), extension) == GIF_OK &&
        EGifPutImageDesc(m_gif, 0, 0, m_size.width(), m_size.height(), false, map) == GIF_OK;
    GifFreeMapObject(map);
    for (int y = 0; ok && y < m_size.height(); ++y)
        ok = EGifPutLine(m_gif, indexed.pixels.data() + std::size_t(y) * std::size_t(m_size.width()), m_size.width()) ==
            GIF_OK;
    if (!ok)
        return fail(QStringLiteral("cannot write frame %1").arg(m_frames + 1), m_gif->Error);
    ++m_frames;
    return true;
}

QByteArray GifEncoder::finish()
{
    if (m_gif && m_frames == 0)
        fail(QStringLiteral("no frame to write"), 0);
    if (!m_gif) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("GIF: already finished");
        return {};
    }
    close(); // writes the trailer
    if (!m_error.isEmpty())
        return {};
    return std::exchange(m_bytes, {});
}

QString GifEncoder::error() const
{
    return m_error;
}

} // namespace memscope::ui
