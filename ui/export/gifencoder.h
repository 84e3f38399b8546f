// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The export's animation (steps.gif) through giflib: one frame per step,
// written as it comes, so only the current frame is ever held in memory.

#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QSize>
#include <QString>

struct GifFileType; // gif_lib.h stays inside gifencoder.cpp

namespace memscope::ui {

/// Streams frames into an animated GIF in memory (looping forever). Frames
/// smaller than the animation's size are drawn at the top left over `background`.
class GifEncoder
{
public:
    /// `delayMs`: how long each frame shows (GIF counts hundredths of a second).
    GifEncoder(QSize size, QColor background, int delayMs);
    ~GifEncoder();
    GifEncoder(const GifEncoder &) = delete;
    GifEncoder &operator=(const GifEncoder &) = delete;

    /// Frames of at most 256 colours keep them exactly; others are quantised.
    bool addFrame(const QImage &frame); // false + error() on failure
    /// Finishes the file; the GIF's bytes (empty on failure).
    QByteArray finish();
    QString error() const;

private:
    bool fail(const QString &what, int gifError);
    void close();

    QSize m_size;
    QColor m_background;
    int m_delayCs = 0; ///< hundredths of a second
    GifFileType *m_gif = nullptr;
    QByteArray m_bytes;
    QString m_error;
    int m_frames = 0;
};

} // namespace memscope::ui
