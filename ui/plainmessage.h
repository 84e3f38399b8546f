// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace memscope::ui {

/// A warning box whose text is shown as typed, never as markup: messages
/// carry paths and Python's words (QMessageBox guesses rich text from a '<').
void warnPlain(QWidget *parent, const QString &title, const QString &text);

} // namespace memscope::ui
