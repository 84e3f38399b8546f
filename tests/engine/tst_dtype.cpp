// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/dtype.h"
#include "engine/error.h"

#include <set>
#include <string>
#endif

using namespace memscope::engine;

class TestDType : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void itemSizes_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("size");
        QTest::addColumn<QString>("numpy");
        QTest::newRow("bool") << int(DType::Bool) << 1 << "bool";
        QTest::newRow("int8") << int(DType::Int8) << 1 << "int8";
        QTest::newRow("int16") << int(DType::Int16) << 2 << "int16";
        QTest::newRow("int32") << int(DType::Int32) << 4 << "int32";
        QTest::newRow("int64") << int(DType::Int64) << 8 << "int64";
        QTest::newRow("uint8") << int(DType::UInt8) << 1 << "uint8";
        QTest::newRow("uint16") << int(DType::UInt16) << 2 << "uint16";
        QTest::newRow("uint32") << int(DType::UInt32) << 4 << "uint32";
        QTest::newRow("uint64") << int(DType::UInt64) << 8 << "uint64";
        QTest::newRow("float16") << int(DType::Float16) << 2 << "float16";
        QTest::newRow("bfloat16") << int(DType::BFloat16) << 2 << "bfloat16";
        QTest::newRow("float32") << int(DType::Float32) << 4 << "float32";
        QTest::newRow("float64") << int(DType::Float64) << 8 << "float64";
        QTest::newRow("complex64") << int(DType::Complex64) << 8 << "complex64";
        QTest::newRow("complex128") << int(DType::Complex128) << 16 << "complex128";
    }
    void itemSizes()
    {
        QFETCH(int, type);
        QFETCH(int, size);
        QFETCH(QString, numpy);
        const auto t = static_cast<DType>(type);
        QCOMPARE(int(itemSize(t)), size);
        QCOMPARE(QString::fromLatin1(numpyName(t).data(), qsizetype(numpyName(t).size())), numpy);
        // Every spelling reads back to the same dtype.
        QCOMPARE(parseDType(numpyName(t)), t);
        QCOMPARE(parseDType(torchName(t)), t);
        QCOMPARE(parseDType(tfName(t)), t);
    }

    // kAllDTypes holds every enumerator once, and each one has names of its own
    // that read back to it (a new dtype missing from the list, or two dtypes
    // sharing a spelling, fails here).
    void allListed()
    {
        std::set<DType> listed(kAllDTypes.begin(), kAllDTypes.end());
        QCOMPARE(listed.size(), kAllDTypes.size()); // no duplicates
        QCOMPARE(int(listed.size()), int(DType::Complex128) + 1); // every enumerator up to the last
        for (int i = 0; i <= int(DType::Complex128); ++i)
            QVERIFY2(listed.contains(static_cast<DType>(i)), qPrintable(QString::number(i)));
        std::set<std::string> numpyNames, torchNames, tfNames;
        for (DType t : kAllDTypes) {
            QVERIFY(numpyNames.insert(std::string(numpyName(t))).second);
            QVERIFY(torchNames.insert(torchName(t)).second);
            QVERIFY(tfNames.insert(tfName(t)).second);
            QCOMPARE(parseDType(numpyName(t)), t);
            QCOMPARE(parseDType(torchName(t)), t);
            QCOMPARE(parseDType(tfName(t)), t);
            QVERIFY(itemSize(t) >= 1 && itemSize(t) <= 16);
        }
    }

    void spellings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("type");
        QTest::newRow("torch.float") << "torch.float" << int(DType::Float32);
        QTest::newRow("torch.double") << "torch.double" << int(DType::Float64);
        QTest::newRow("torch.half") << "torch.half" << int(DType::Float16);
        QTest::newRow("torch.long") << "torch.long" << int(DType::Int64);
        QTest::newRow("torch.cfloat") << "torch.cfloat" << int(DType::Complex64);
        QTest::newRow("np.float32") << "np.float32" << int(DType::Float32);
        QTest::newRow("f4") << "f4" << int(DType::Float32);
        QTest::newRow("<f8") << "<f8" << int(DType::Float64);
        QTest::newRow("|b1") << "|b1" << int(DType::Bool);
        QTest::newRow("u2") << "u2" << int(DType::UInt16);
        QTest::newRow("c16") << "c16" << int(DType::Complex128);
        QTest::newRow("dtype('int8')") << "dtype('int8')" << int(DType::Int8);
        QTest::newRow("tf.bfloat16") << "tf.bfloat16" << int(DType::BFloat16);
        QTest::newRow("spaces") << "  Float32 " << int(DType::Float32);
    }
    void spellings()
    {
        QFETCH(QString, text);
        QFETCH(int, type);
        QCOMPARE(parseDType(text.toStdString()), static_cast<DType>(type));
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("code");
        QTest::newRow("empty") << "" << int(ErrorCode::InvalidArgument);
        QTest::newRow("float128") << "float128" << int(ErrorCode::InvalidArgument);
        QTest::newRow("object") << "object" << int(ErrorCode::InvalidArgument);
        QTest::newRow("big-endian") << ">f8" << int(ErrorCode::Unsupported);
    }
    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(int, code);
        try {
            parseDType(text.toStdString());
            QFAIL("no error");
        } catch (const Error &e) {
            QCOMPARE(int(e.code()), code);
            QVERIFY2(QString::fromUtf8(e.what()).contains(text), e.what()); // names the bad text
        }
    }
};

QTEST_APPLESS_MAIN(TestDType)
#include "tst_dtype.moc"
