// SPDX-License-Identifier: GPL-3.0-or-later

#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/error.h"
#include "engine/halffloat.h"
#include "engine/scalar.h"
#include <cmath>
#include <cstring>
#endif

using namespace memscope::engine;

Q_DECLARE_METATYPE(memscope::engine::DType)
Q_DECLARE_METATYPE(memscope::engine::Scalar)

namespace {

Scalar roundTrip(DType type, const Scalar &v)
{
    std::byte buf[16] = {};
    storeScalar(type, v, buf);
    return loadScalar(type, buf);
}

QString fmt(DType t, const Scalar &v)
{
    return QString::fromStdString(formatScalar(t, v));
}

} // namespace

class TestScalar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseAccepts_data()
    {
        QTest::addColumn<DType>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shown"); // formatted after a store/load round trip
        QTest::newRow("int8 max") << DType::Int8 << "127"
                                  << "127";
        QTest::newRow("int8 min") << DType::Int8 << "-128"
                                  << "-128";
        QTest::newRow("int8 plus") << DType::Int8 << " +5 "
                                   << "5";
        QTest::newRow("uint8 max") << DType::UInt8 << "255"
                                   << "255";
        QTest::newRow("uint64 max") << DType::UInt64 << "18446744073709551615"
                                    << "18446744073709551615";
        QTest::newRow("int64 min") << DType::Int64 << "-9223372036854775808"
                                   << "-9223372036854775808";
        QTest::newRow("bool True") << DType::Bool << "True"
                                   << "True";
        QTest::newRow("bool 0") << DType::Bool << "0"
                                << "False";
        QTest::newRow("float32 0.1") << DType::Float32 << "0.1"
                                     << "0.1";
        QTest::newRow("float32 nan") << DType::Float32 << "nan"
                                     << "nan";
        QTest::newRow("float32 -inf") << DType::Float32 << "-inf"
                                      << "-inf";
        QTest::newRow("float64 inf") << DType::Float64 << "Infinity"
                                     << "inf";
        QTest::newRow("float64 1") << DType::Float64 << "1"
                                   << "1.0";
        QTest::newRow("float64 exp") << DType::Float64 << "2.5e-3"
                                     << "0.0025";
        QTest::newRow("float16 max") << DType::Float16 << "65504"
                                     << "65500.0"; // NumPy prints 65500.0 too
        QTest::newRow("float16 0.1") << DType::Float16 << "0.1"
                                     << "0.1";
        QTest::newRow("float16 rounds") << DType::Float16 << "0.3"
                                        << "0.3";
        QTest::newRow("bfloat16 1.5") << DType::BFloat16 << "1.5"
                                      << "1.5";
        QTest::newRow("bfloat16 0.1") << DType::BFloat16 << "0.1"
                                      << "0.1";
        QTest::newRow("complex") << DType::Complex128 << "1+2j"
                                 << "(1+2j)";
        QTest::newRow("complex parens") << DType::Complex64 << "(3-4j)"
                                        << "(3-4j)";
        QTest::newRow("complex imag") << DType::Complex128 << "2.5j"
                                      << "(0+2.5j)";
        QTest::newRow("complex real") << DType::Complex128 << "7"
                                      << "(7+0j)";
        QTest::newRow("complex exp") << DType::Complex128 << "1e-3-2e+2j"
                                     << "(0.001-200j)";
        // Python's float() spellings stay accepted next to the refusals below.
        QTest::newRow("float64 -inf") << DType::Float64 << "-inf"
                                      << "-inf";
        QTest::newRow("float64 +inf") << DType::Float64 << "+inf"
                                      << "inf";
        QTest::newRow("float64 nan") << DType::Float64 << "NaN"
                                     << "nan";
        QTest::newRow("float64 -Infinity") << DType::Float64 << "-Infinity"
                                           << "-inf";
        QTest::newRow("float64 underflow") << DType::Float64 << "1e-400"
                                           << "0.0";
        QTest::newRow("float64 largest") << DType::Float64 << "1.7976931348623157e308"
                                         << "1.7976931348623157e+308";
        QTest::newRow("float64 +5") << DType::Float64 << "+5"
                                    << "5.0";
        QTest::newRow("complex128 infj") << DType::Complex128 << "infj"
                                         << "(0+infj)";
        QTest::newRow("float16 rounds to max") << DType::Float16 << "65519"
                                               << "65500.0";
    }
    void parseAccepts()
    {
        QFETCH(DType, type);
        QFETCH(QString, text);
        QFETCH(QString, shown);
        const Scalar v = parseScalar(type, text.toStdString());
        QCOMPARE(fmt(type, roundTrip(type, v)), shown);
    }

    void parseRejects_data()
    {
        QTest::addColumn<DType>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("int8 300") << DType::Int8 << "300" << int(ErrorCode::OutOfRange) << "[-128, 127]";
        QTest::newRow("int8 -129") << DType::Int8 << "-129" << int(ErrorCode::OutOfRange) << "int8";
        QTest::newRow("uint8 -1") << DType::UInt8 << "-1" << int(ErrorCode::OutOfRange) << "[0, 255]";
        QTest::newRow("uint64 2^64") << DType::UInt64 << "18446744073709551616" << int(ErrorCode::OutOfRange)
                                     << "uint64";
        QTest::newRow("int64 2^63") << DType::Int64 << "9223372036854775808" << int(ErrorCode::OutOfRange) << "int64";
        QTest::newRow("int32 3.5") << DType::Int32 << "3.5" << int(ErrorCode::ParseError) << "not an integer";
        QTest::newRow("int32 abc") << DType::Int32 << "abc" << int(ErrorCode::ParseError) << "'abc'";
        QTest::newRow("int32 minus") << DType::Int32 << "-" << int(ErrorCode::ParseError) << "int32";
        QTest::newRow("float32 abc") << DType::Float32 << "abc" << int(ErrorCode::ParseError) << "float32";
        QTest::newRow("float32 1e39") << DType::Float32 << "1e39" << int(ErrorCode::OutOfRange) << "overflows float32";
        QTest::newRow("float16 70000") << DType::Float16 << "70000" << int(ErrorCode::OutOfRange)
                                       << "overflows float16";
        QTest::newRow("float64 1.2.3") << DType::Float64 << "1.2.3" << int(ErrorCode::ParseError) << "'1.2.3'";
        QTest::newRow("empty") << DType::Float64 << "  " << int(ErrorCode::ParseError) << "empty";
        QTest::newRow("bool 2") << DType::Bool << "2" << int(ErrorCode::ParseError) << "bool";
        QTest::newRow("complex junk") << DType::Complex64 << "1+2k" << int(ErrorCode::ParseError) << "complex64";
        // Finite numbers beyond every float dtype are refused, not stored as inf.
        const QString digits400(400, QLatin1Char('9'));
        for (DType t : {DType::Float64, DType::Float32, DType::Float16, DType::BFloat16}) {
            const QString name = QString::fromLatin1(numpyName(t).data());
            for (const QString &text : {QStringLiteral("1e400"), QStringLiteral("-1e400"), QStringLiteral("1.8e308"),
                                        QStringLiteral("+1e400"), digits400})
                QTest::addRow("%s %s", qPrintable(name), qPrintable(text.left(12)))
                    << t << text << int(ErrorCode::OutOfRange) << ("overflows " + name);
        }
        for (DType t : {DType::Complex128, DType::Complex64}) {
            const QString name = QString::fromLatin1(numpyName(t).data());
            for (const QString &text : {QStringLiteral("1e400j"), QStringLiteral("1e400+1j"),
                                        QStringLiteral("1-1e400j"), QStringLiteral("(1.8e308+0j)"), digits400})
                QTest::addRow("%s %s", qPrintable(name), qPrintable(text.left(12)))
                    << t << text << int(ErrorCode::OutOfRange) << ("overflows " + name);
        }
        // C spellings Python refuses.
        QTest::newRow("int8 +-5") << DType::Int8 << "+-5" << int(ErrorCode::ParseError) << "'+-5'";
        QTest::newRow("int64 +-5") << DType::Int64 << "+-5" << int(ErrorCode::ParseError) << "'+-5'";
        QTest::newRow("uint8 +-0") << DType::UInt8 << "+-0" << int(ErrorCode::ParseError) << "'+-0'";
        QTest::newRow("float64 +-5") << DType::Float64 << "+-5" << int(ErrorCode::ParseError) << "'+-5'";
        QTest::newRow("float32 ++5") << DType::Float32 << "++5" << int(ErrorCode::ParseError) << "'++5'";
        QTest::newRow("complex128 +-5") << DType::Complex128 << "+-5" << int(ErrorCode::ParseError) << "'+-5'";
        QTest::newRow("float64 nan(123)") << DType::Float64 << "nan(123)" << int(ErrorCode::ParseError) << "'nan(123)'";
        QTest::newRow("float32 nan()") << DType::Float32 << "nan()" << int(ErrorCode::ParseError) << "'nan()'";
        QTest::newRow("complex nan(1)j") << DType::Complex128 << "nan(1)j" << int(ErrorCode::ParseError)
                                         << "complex128";
    }
    void parseRejects()
    {
        QFETCH(DType, type);
        QFETCH(QString, text);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        try {
            parseScalar(type, text.toStdString());
            QFAIL("accepted");
        } catch (const Error &e) {
            QCOMPARE(int(e.code()), code);
            QVERIFY2(QString::fromUtf8(e.what()).contains(mentions), e.what());
        }
    }

    // Messages quote what was typed, but never megabytes of it.
    void longTextIsElided_data()
    {
        QTest::addColumn<DType>("type");
        QTest::addColumn<QString>("text");
        QTest::newRow("int8 500 digits") << DType::Int8 << QString(500, QLatin1Char('7'));
        QTest::newRow("float64 500 x") << DType::Float64 << QString(500, QLatin1Char('x'));
        QTest::newRow("float32 500 digits") << DType::Float32 << QString(500, QLatin1Char('9'));
        QTest::newRow("complex 500 x") << DType::Complex64 << QString(500, QLatin1Char('x')) + QLatin1Char('j');
        QTest::newRow("bool 500 x") << DType::Bool << QString(500, QLatin1Char('x'));
        QTest::newRow("float64 2 MB") << DType::Float64 << QString(2'000'000, QLatin1Char('1'));
        QTest::newRow("int8 utf-8") << DType::Int8 << QString(300, QChar(0x00e9));
    }
    void longTextIsElided()
    {
        QFETCH(DType, type);
        QFETCH(QString, text);
        try {
            parseScalar(type, text.toStdString());
            QFAIL("accepted");
        } catch (const Error &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.size() < 200, e.what());
            QVERIFY2(!message.contains(QChar::ReplacementCharacter), e.what()); // no cut UTF-8 sequence
        }
        QCOMPARE(QString::fromStdString(elideText(std::string(100, 'a'))),
                 QString(80, QLatin1Char('a')) + QStringLiteral("… (100 characters)"));
        QCOMPARE(elideText("short"), std::string("short"));
    }

    // NumPy's casts are compared with the installed NumPy in
    // tests/python/test_memscope_casts.py; these are the platform-independent ones.
    void numpyCasts_data()
    {
        QTest::addColumn<DType>("type");
        QTest::addColumn<Scalar>("value");
        QTest::addColumn<QString>("shown");
        QTest::newRow("-2.9 -> int32 truncates") << DType::Int32 << Scalar(-2.9) << "-2";
        QTest::newRow("int 258 -> uint8") << DType::UInt8 << Scalar(std::int64_t {258}) << "2";
        QTest::newRow("int -1 -> uint16") << DType::UInt16 << Scalar(std::int64_t {-1}) << "65535";
        QTest::newRow("nan -> bool") << DType::Bool << Scalar(std::nan("")) << "True";
        QTest::newRow("0.0 -> bool") << DType::Bool << Scalar(0.0) << "False";
        QTest::newRow("complex -> float64") << DType::Float64 << Scalar(std::complex<double>(1.5, 2)) << "1.5";
        QTest::newRow("bool -> float32") << DType::Float32 << Scalar(true) << "1.0";
        QTest::newRow("65519 -> float16") << DType::Float16 << Scalar(65519.0) << "65500.0";
        QTest::newRow("65520 -> float16 inf") << DType::Float16 << Scalar(65520.0) << "inf";
        QTest::newRow("1e39 -> float32 inf") << DType::Float32 << Scalar(1e39) << "inf";
        QTest::newRow("uint64 max -> float64")
            << DType::Float64 << Scalar(~std::uint64_t {0}) << "1.8446744073709552e+19";
        QTest::newRow("float -> complex64") << DType::Complex64 << Scalar(2.0) << "(2+0j)";
    }
    void numpyCasts()
    {
        QFETCH(DType, type);
        QFETCH(Scalar, value);
        QFETCH(QString, shown);
        QCOMPARE(fmt(type, roundTrip(type, value)), shown);
    }

    // Every binary16 pattern survives half -> float -> half (NaNs stay NaN).
    void halfRoundTripExhaustive()
    {
        for (std::uint32_t b = 0; b <= 0xFFFF; ++b) {
            const auto bits = static_cast<std::uint16_t>(b);
            const float f = halfBitsToFloat(bits);
            if (std::isnan(f)) {
                QVERIFY(std::isnan(halfBitsToFloat(floatToHalfBits(f))));
                continue;
            }
            if (floatToHalfBits(f) != bits)
                QFAIL(qPrintable(QStringLiteral("half 0x%1 does not round-trip").arg(b, 4, 16)));
        }
    }

    void halfRoundsToNearestEven()
    {
        // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to even (1.0).
        QCOMPARE(doubleToHalfBits(1.0 + std::ldexp(1.0, -11)), std::uint16_t(0x3C00));
        QCOMPARE(doubleToHalfBits(1.0 + 3 * std::ldexp(1.0, -11)), std::uint16_t(0x3C02));
        QCOMPARE(doubleToHalfBits(std::ldexp(1.0, -24)), std::uint16_t(0x0001)); // smallest subnormal
        QCOMPARE(doubleToHalfBits(std::ldexp(1.0, -25)), std::uint16_t(0x0000)); // tie to even (zero)
        QCOMPARE(doubleToHalfBits(-0.0), std::uint16_t(0x8000));
        QCOMPARE(floatToBFloat16Bits(1.0f + std::ldexp(1.0f, -8)), std::uint16_t(0x3F80)); // tie -> even
        QCOMPARE(bfloat16BitsToFloat(0x3FC0), 1.5f);
    }

    void equality()
    {
        QVERIFY(scalarEquals(Scalar(std::int64_t {3}), Scalar(3.0)));
        QVERIFY(!scalarEquals(Scalar(std::nan("")), Scalar(std::nan(""))));
        QVERIFY(scalarEquals(Scalar(std::complex<double>(2, 0)), Scalar(std::uint64_t {2})));
        QVERIFY(!scalarEquals(Scalar(true), Scalar(std::int64_t {2})));
    }
};

QTEST_APPLESS_MAIN(TestScalar)
#include "tst_scalar.moc"
