// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportdialog.h"

#include "ui/export/exporter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace memscope::ui {

namespace {

const QList<QSize> kSlideSizes {{1920, 1080}, {1280, 720}, {3840, 2160}};

} // namespace

ExportDialog::ExportDialog(int steps, bool dark, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export steps"));
    auto *form = new QFormLayout;

    m_folder = new QLineEdit;
    m_folder->setPlaceholderText(tr("a new or empty folder"));
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export into"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    // Rows holding a layout get their label's buddy by hand (Alt+F, Alt+T work).
    auto *folderLabel = new QLabel(tr("&Folder:"));
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);

    m_view = new QComboBox;
    m_view->addItem(tr("Canvas"), int(ExportView::Canvas));
    m_view->addItem(tr("Canvas with code and narration"), int(ExportView::CanvasCaption));
    m_view->addItem(tr("Slide (16:9)"), int(ExportView::Slide));
    m_view->addItem(tr("Whole window"), int(ExportView::Window));
    form->addRow(tr("&Picture:"), m_view);

    m_slideSize = new QComboBox;
    for (const QSize &s : kSlideSizes)
        m_slideSize->addItem(QStringLiteral("%1 × %2").arg(s.width()).arg(s.height()), s);
    form->addRow(tr("Slide &size:"), m_slideSize);
    connect(m_view, &QComboBox::currentIndexChanged, this, [this] {
        const auto v = ExportView(m_view->currentData().toInt());
        m_slideSize->setEnabled(v == ExportView::Slide || v == ExportView::Window);
    });

    m_theme = new QComboBox;
    m_theme->addItem(tr("Light"));
    m_theme->addItem(tr("Dark"));
    m_theme->setCurrentIndex(dark ? 1 : 0);
    form->addRow(tr("&Theme:"), m_theme);

    m_scale = new QDoubleSpinBox;
    m_scale->setRange(1, 4);
    m_scale->setSingleStep(0.5);
    m_scale->setDecimals(1);
    m_scale->setValue(2);
    m_scale->setSuffix(tr("×"));
    m_scale->setToolTip(tr("Pixels per point in PNG and GIF: 2 is crisp on high-DPI screens and in print."));
    form->addRow(tr("P&NG scale:"), m_scale);

    m_first = new QSpinBox;
    m_last = new QSpinBox;
    for (QSpinBox *b : {m_first, m_last})
        b->setRange(1, std::max(1, steps));
    m_first->setValue(1);
    m_last->setValue(std::max(1, steps));
    connect(m_first, &QSpinBox::valueChanged, this, [this](int v) { m_last->setMinimum(v); });
    auto *range = new QHBoxLayout;
    range->addWidget(m_first);
    range->addWidget(new QLabel(tr("to")));
    range->addWidget(m_last);
    range->addStretch();
    auto *stepsLabel = new QLabel(tr("S&teps:"));
    stepsLabel->setBuddy(m_first);
    form->addRow(stepsLabel, range);

    m_png = new QCheckBox(tr("PNG"));
    m_svg = new QCheckBox(tr("SVG"));
    m_html = new QCheckBox(tr("HTML handout"));
    m_md = new QCheckBox(tr("Markdown handout"));
    m_gif = new QCheckBox(tr("Animated GIF"));
    auto *formats = new QHBoxLayout;
    for (QCheckBox *c : {m_png, m_svg, m_html, m_md, m_gif}) {
        formats->addWidget(c);
        connect(c, &QCheckBox::toggled, this, &ExportDialog::updateOk);
    }
    form->addRow(tr("Formats:"), formats);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::updateOk);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    // The last choices, except the steps (they belong to what is open).
    QSettings settings;
    ExportOptions o;
    o.outDir = settings.value(QStringLiteral("export/folder"), QDir::home().filePath(QStringLiteral("memscope-export")))
                   .toString();
    o.view = ExportView(settings.value(QStringLiteral("export/view"), int(ExportView::Slide)).toInt());
    o.dark = dark;
    o.scale = settings.value(QStringLiteral("export/scale"), 2.0).toDouble();
    o.slideSize = settings.value(QStringLiteral("export/slideSize"), QSize(1920, 1080)).toSize();
    const QString formatsSaved =
        settings.value(QStringLiteral("export/formats"), QStringLiteral("png,svg,html,md")).toString();
    parseFormats(formatsSaved, o.formats, nullptr);
    o.firstStep = 1;
    o.lastStep = std::max(1, steps);
    setOptions(o);
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.outDir = m_folder->text().trimmed();
    o.view = ExportView(m_view->currentData().toInt());
    o.dark = m_theme->currentIndex() == 1;
    o.scale = m_scale->value();
    o.slideSize = m_slideSize->currentData().toSize();
    o.firstStep = m_first->value();
    o.lastStep = m_last->value();
    o.formats = {m_png->isChecked(), m_svg->isChecked(), m_html->isChecked(), m_md->isChecked(), m_gif->isChecked()};
    return o;
}

void ExportDialog::setOptions(const ExportOptions &o)
{
    m_folder->setText(o.outDir);
    m_view->setCurrentIndex(std::max(0, m_view->findData(int(o.view))));
    m_theme->setCurrentIndex(o.dark ? 1 : 0);
    m_scale->setValue(o.scale);
    m_slideSize->setCurrentIndex(std::max(0, m_slideSize->findData(o.slideSize)));
    m_first->setValue(o.firstStep);
    m_last->setValue(std::min(o.lastStep, m_last->maximum()));
    m_png->setChecked(o.formats.png);
    m_svg->setChecked(o.formats.svg);
    m_html->setChecked(o.formats.html);
    m_md->setChecked(o.formats.md);
    m_gif->setChecked(o.formats.gif);
    const auto v = o.view;
    m_slideSize->setEnabled(v == ExportView::Slide || v == ExportView::Window);
    updateOk();
}

void ExportDialog::remember() const
{
    const ExportOptions o = options();
    QSettings settings;
    settings.setValue(QStringLiteral("export/folder"), o.outDir);
    settings.setValue(QStringLiteral("export/view"), int(o.view));
    settings.setValue(QStringLiteral("export/scale"), o.scale);
    settings.setValue(QStringLiteral("export/slideSize"), o.slideSize);
    QStringList formats;
    const ExportFormats &f = o.formats;
    for (const auto &[on, name] :
         {std::pair {f.png, "png"}, {f.svg, "svg"}, {f.html, "html"}, {f.md, "md"}, {f.gif, "gif"}})
        if (on)
            formats << QLatin1String(name);
    settings.setValue(QStringLiteral("export/formats"), formats.join(QLatin1Char(',')));
}

void ExportDialog::updateOk()
{
    const ExportOptions o = options();
    const bool any = o.formats.png || o.formats.svg || o.formats.html || o.formats.md || o.formats.gif;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(any && !o.outDir.isEmpty());
}

} // namespace memscope::ui
