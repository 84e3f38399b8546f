// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace memscope::ui {

/// Registers the DejaVu Sans and DejaVu Sans Mono fonts compiled into the
/// program (copied from Debian's fonts-dejavu-core at build time), so the
/// canvas and exports measure and draw the same glyphs wherever they run,
/// whatever fonts the machine has. Safe to call more than once; false when
/// a font could not be registered.
bool loadBundledFonts();

} // namespace memscope::ui
