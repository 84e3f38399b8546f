// SPDX-License-Identifier: GPL-3.0-or-later

#include <QAbstractItemModelTester>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/operations.h"
#include "engine/runtime.h"
#include "ui/devicesmodel.h"
#include "ui/mainwindow.h"
#endif

using namespace memscope;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // keep the user's settings out of it

    void showsDevices()
    {
        engine::RuntimeOptions o;
        o.useCuda = false;
        o.emulatedCapacity = 1 << 20;
        engine::Runtime runtime(o);
        ui::MainWindow window(runtime, nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *model = window.devicesModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0, ui::DevicesModel::Name).data().toString(), QStringLiteral("cpu"));
        QCOMPARE(model->index(1, ui::DevicesModel::Name).data().toString(), QStringLiteral("cuda:0 (emulated)"));
        QCOMPARE(model->index(1, ui::DevicesModel::Kind).data().toString(), QStringLiteral("GPU (emulated)"));
        QVERIFY(!model->index(1, 0).data(Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(window.findChild<QTableView *>(QStringLiteral("devicesView")));

        // Bytes in use follow allocations after a refresh.
        const auto before = model->index(1, ui::DevicesModel::InUse).data(Qt::UserRole).toULongLong();
        engine::Tensor t = engine::Tensor::zeros(runtime, runtime.resolve("cuda:0"), engine::DType::Float32, {1000});
        model->refresh();
        const auto after = model->index(1, ui::DevicesModel::InUse).data(Qt::UserRole).toULongLong();
        QVERIFY(after >= before + 4000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
