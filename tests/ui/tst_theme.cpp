// SPDX-License-Identifier: GPL-3.0-or-later
// Both themes' colours: every text the canvas and the console draw reads at
// 4.5:1 or better (WCAG AA) on what it is drawn on, and the buffer colours are
// told apart from each other and from the "changed" highlight.

#include "ui/theme.h"

#include <QTest>

#include <cmath>

using namespace memscope::ui;

namespace {

struct Lab
{
    double l, a, b;
};

// CIE L*a*b* (D65) of an sRGB colour, for colour differences as people see them.
Lab lab(const QColor &c)
{
    const auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    const double r = lin(c.redF()), g = lin(c.greenF()), b = lin(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

double deltaE(const QColor &p, const QColor &q)
{
    const Lab a = lab(p), b = lab(q);
    return std::hypot(a.l - b.l, a.a - b.a, a.b - b.b);
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contrast_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void contrast()
    {
        QFETCH(bool, dark);
        const ThemeColors c = dark ? Theme::darkColors() : Theme::lightColors();
        const auto check = [](const QColor &text, const QColor &on, const char *what) {
            const double ratio = contrastRatio(text, on);
            QVERIFY2(ratio >= 4.5,
                     qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                                    .arg(QLatin1String(what), text.name(), on.name())
                                    .arg(ratio, 0, 'f', 2)));
        };
        for (const QColor &bg : {c.canvasBackground, c.laneHost, c.laneDevice, c.boxBackground}) {
            check(c.text, bg, "text");
            check(c.mutedText, bg, "muted text");
            check(c.error, bg, "error");
            check(c.prompt, bg, "prompt");
        }
        check(c.changedCellText(), c.changed, "a changed cell's value");
        check(dark ? c.changedText : c.text, c.laneHost, "\"changed by this step\"");
        for (int g = 0; g < ThemeColors::kGroupColors; ++g) {
            check(c.text, c.groupFill(g), "a cell's value on its buffer's fill");
            check(c.groupText(g), c.boxBackground, "a framework label in its buffer's colour");
        }
    }

    void bufferColoursAreDistinct_data() { contrast_data(); }
    void bufferColoursAreDistinct()
    {
        QFETCH(bool, dark);
        const ThemeColors c = dark ? Theme::darkColors() : Theme::lightColors();
        for (int g = 0; g < ThemeColors::kGroupColors; ++g) {
            // Never mistaken for the highlight of a changed cell.
            QVERIFY2(
                deltaE(c.groupFill(g), c.changed) > 20,
                qPrintable(QStringLiteral("fill %1 vs changed: %2").arg(g).arg(deltaE(c.groupFill(g), c.changed))));
            for (int h = 0; h < g; ++h)
                QVERIFY2(deltaE(c.groupColor(g), c.groupColor(h)) > 12,
                         qPrintable(QStringLiteral("colours %1 and %2: %3")
                                        .arg(g)
                                        .arg(h)
                                        .arg(deltaE(c.groupColor(g), c.groupColor(h)))));
        }
        QCOMPARE(c.groupColor(ThemeColors::kGroupColors), c.groupColor(0)); // then they cycle
    }
};

QTEST_APPLESS_MAIN(TestTheme)
#include "tst_theme.moc"
