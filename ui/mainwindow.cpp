// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "engine/runtime.h"
#include "ui/devicesmodel.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace memscope::ui {

MainWindow::MainWindow(engine::Runtime &runtime, QWidget *parent)
    : QMainWindow(parent)
    , m_runtime(runtime)
    , m_devices(new DevicesModel(runtime, this))
{
    setWindowTitle(tr("MemScope"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *heading = new QLabel(tr("<h2>Memory spaces</h2><p>Each device is its own address space: the same address "
                                  "on two devices names different bytes.</p>"),
                               central);
    heading->setWordWrap(true);
    layout->addWidget(heading);

    auto *table = new QTableView(central);
    table->setObjectName(QStringLiteral("devicesView"));
    table->setModel(m_devices);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(table);
    setCentralWidget(central);

    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MemScope"), this, &MainWindow::showAbout);

    statusBar()->showMessage(QString::fromStdString(m_runtime.cudaStatus()));
    resize(900, 420);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About MemScope"),
                       tr("<h3>MemScope %1</h3><p>Shows which arrays and tensors share memory.</p>"
                          "<p>Qt %2<br>%3</p><p>GPL-3.0-or-later</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                                QString::fromStdString(m_runtime.cudaStatus()).toHtmlEscaped()));
}

} // namespace memscope::ui
