// SPDX-License-Identifier: GPL-3.0-or-later
// The export's animation: GIFs decode back (with giflib's reader) to the
// frames that went in, exact colours or quantised, and bad input is refused.

#include "ui/export/gifencoder.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <functional>

using namespace memscope::ui;

namespace {

// GIF decoding through giflib's reader, from memory.
struct GifInput
{
    QByteArray bytes;
    qsizetype at = 0;
};

int readGif(GifFileType *gif, GifByteType *into, int length)
{
    auto *input = static_cast<GifInput *>(gif->UserData);
    const int n = int(std::min<qsizetype>(length, input->bytes.size() - input->at));
    std::memcpy(into, input->bytes.constData() + input->at, std::size_t(n));
    input->at += n;
    return n;
}

/// Decodes `bytes` and hands the decoded file to `check` (null on failure).
void withDecoded(const QByteArray &bytes, const std::function<void(GifFileType *)> &check)
{
    GifInput input {bytes, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&input, readGif, &error);
    if (gif && DGifSlurp(gif) != GIF_OK) {
        DGifCloseFile(gif, &error);
        gif = nullptr;
    }
    check(gif);
    if (gif)
        DGifCloseFile(gif, &error);
}

QColor pixel(GifFileType *gif, int frame, int x, int y)
{
    const SavedImage &image = gif->SavedImages[frame];
    const ColorMapObject *map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
    const GifColorType c = map->Colors[image.RasterBits[y * image.ImageDesc.Width + x]];
    return QColor(c.Red, c.Green, c.Blue);
}

QImage quadrants(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    QPainter painter(&image);
    const int w = size.width() / 2, h = size.height() / 2;
    painter.fillRect(0, 0, w, h, Qt::red);
    painter.fillRect(w, 0, size.width() - w, h, Qt::green);
    painter.fillRect(0, h, w, size.height() - h, Qt::blue);
    painter.fillRect(w, h, size.width() - w, size.height() - h, Qt::white);
    return image;
}

} // namespace

class TestGifEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gifFlatColours()
    {
        const QSize size(40, 30);
        GifEncoder encoder(size, QColor(Qt::yellow), 250);
        QVERIFY2(encoder.addFrame(quadrants(size)), qPrintable(encoder.error()));
        QImage small(20, 10, QImage::Format_ARGB32);
        small.fill(Qt::black);
        QVERIFY2(encoder.addFrame(small), qPrintable(encoder.error()));
        QVERIFY2(encoder.addFrame(quadrants(size).mirrored(true, false)), qPrintable(encoder.error()));
        const QByteArray bytes = encoder.finish();
        QVERIFY2(!bytes.isEmpty(), qPrintable(encoder.error()));
        QVERIFY(bytes.startsWith("GIF89a"));
        QVERIFY(bytes.contains(QByteArray("\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00", 19)));
        QVERIFY(bytes.endsWith(";"));

        withDecoded(bytes, [&](GifFileType *gif) {
            QVERIFY(gif);
            QCOMPARE(gif->SWidth, size.width());
            QCOMPARE(gif->SHeight, size.height());
            QCOMPARE(gif->ImageCount, 3);
            for (int i = 0; i < gif->ImageCount; ++i) {
                QCOMPARE(gif->SavedImages[i].ImageDesc.Width, size.width());
                QCOMPARE(gif->SavedImages[i].ImageDesc.Height, size.height());
                GraphicsControlBlock control;
                QCOMPARE(DGifSavedExtensionToGCB(gif, i, &control), GIF_OK);
                QCOMPARE(control.DelayTime, 25);
                QCOMPARE(control.TransparentColor, NO_TRANSPARENT_COLOR);
            }
            QCOMPARE(pixel(gif, 0, 0, 0), QColor(Qt::red));
            QCOMPARE(pixel(gif, 0, 39, 0), QColor(Qt::green));
            QCOMPARE(pixel(gif, 0, 0, 29), QColor(Qt::blue));
            QCOMPARE(pixel(gif, 0, 39, 29), QColor(Qt::white));
            QCOMPARE(pixel(gif, 1, 19, 9), QColor(Qt::black)); // the small frame, top left
            QCOMPARE(pixel(gif, 1, 20, 9), QColor(Qt::yellow)); // the background around it
            QCOMPARE(pixel(gif, 1, 5, 10), QColor(Qt::yellow));
            QCOMPARE(pixel(gif, 2, 0, 0), QColor(Qt::green));
            QCOMPARE(pixel(gif, 2, 39, 29), QColor(Qt::blue));
        });

        // The same frames give the same bytes.
        GifEncoder again(size, QColor(Qt::yellow), 250);
        QVERIFY(again.addFrame(quadrants(size)));
        QVERIFY(again.addFrame(small));
        QVERIFY(again.addFrame(quadrants(size).mirrored(true, false)));
        QCOMPARE(again.finish(), bytes);
    }

    void gifManyColours()
    {
        const QSize size(300, 200);
        QImage gradient(size, QImage::Format_RGB32);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                gradient.setPixel(x, y, qRgb(x * 255 / 299, y * 255 / 199, (x + y) % 256));
        const auto encode = [&] {
            GifEncoder encoder(size, Qt::white, 1000);
            if (!encoder.addFrame(gradient) || !encoder.addFrame(quadrants(size)))
                return QByteArray();
            return encoder.finish();
        };
        const QByteArray bytes = encode();
        QVERIFY(!bytes.isEmpty());
        QCOMPARE(encode(), bytes);
        withDecoded(bytes, [&](GifFileType *gif) {
            QVERIFY(gif);
            QCOMPARE(gif->ImageCount, 2);
            QCOMPARE(gif->SavedImages[0].ImageDesc.Width, size.width());
            // Quantised: near the colour that went in.
            for (const QPoint p : {QPoint(0, 0), QPoint(150, 100), QPoint(299, 199), QPoint(37, 180)}) {
                const QColor in = gradient.pixelColor(p);
                const QColor out = pixel(gif, 0, p.x(), p.y());
                const int distance = std::abs(in.red() - out.red()) + std::abs(in.green() - out.green()) +
                    std::abs(in.blue() - out.blue());
                QVERIFY2(
                    distance < 96,
                    qPrintable(QStringLiteral("%1,%2: %3 became %4").arg(p.x()).arg(p.y()).arg(in.name(), out.name())));
            }
            QCOMPARE(pixel(gif, 1, 299, 199), QColor(Qt::white));
        });
    }

    void gifFailures()
    {
        GifEncoder empty(QSize(10, 10), Qt::white, 100);
        QVERIFY(empty.finish().isEmpty());
        QVERIFY(!empty.error().isEmpty());

        GifEncoder tooSmall(QSize(0, 10), Qt::white, 100);
        QVERIFY(!tooSmall.addFrame(quadrants(QSize(4, 4))));
        QVERIFY(!tooSmall.error().isEmpty());
        QVERIFY(tooSmall.finish().isEmpty());

        GifEncoder nullFrame(QSize(10, 10), Qt::white, 100);
        QVERIFY(!nullFrame.addFrame(QImage()));
        QVERIFY(!nullFrame.error().isEmpty());
        QVERIFY(nullFrame.finish().isEmpty());
    }
};

QTEST_MAIN(TestGifEncoder)
#include "tst_gifencoder.moc"
