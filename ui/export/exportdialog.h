// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace memscope::ui {

struct ExportOptions; // ui/export/exporter.h (its engine headers are more than moc can read)

/// File ▸ Export steps…: the options of `memscope export`, remembered
/// between uses (QSettings `export/...`).
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    /// `steps`: how many steps there are to export (numbered from 1).
    ExportDialog(int steps, bool dark, QWidget *parent = nullptr);

    ExportOptions options() const;
    void setOptions(const ExportOptions &options);
    /// Saves the choices for the next time (called on OK).
    void remember() const;

private:
    void updateOk();

    QLineEdit *m_folder = nullptr;
    QComboBox *m_view = nullptr;
    QComboBox *m_theme = nullptr;
    QComboBox *m_slideSize = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
    QSpinBox *m_first = nullptr;
    QSpinBox *m_last = nullptr;
    QCheckBox *m_png = nullptr;
    QCheckBox *m_svg = nullptr;
    QCheckBox *m_html = nullptr;
    QCheckBox *m_md = nullptr;
    QCheckBox *m_gif = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace memscope::ui
