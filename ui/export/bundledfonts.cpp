// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/bundledfonts.h"

#include <QFontDatabase>
#include <QString>

namespace memscope::ui {

bool loadBundledFonts()
{
    static const bool loaded = [] {
        bool ok = true;
        for (const char *name :
             {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"})
            ok = QFontDatabase::addApplicationFont(QStringLiteral(":/fonts/") + QLatin1String(name)) >= 0 && ok;
        return ok;
    }();
    return loaded;
}

} // namespace memscope::ui
