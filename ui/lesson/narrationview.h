// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextBrowser>

namespace memscope::ui {

/// A lesson step's narration: Qt's Markdown renderer, as tall as its text
/// (the panel scrolls, not the narration). Lessons may come from anywhere, so
/// it opens no link and loads no image or other resource.
class NarrationView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit NarrationView(QWidget *parent = nullptr);

    void setNarration(const QString &markdown);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    QVariant loadResource(int type, const QUrl &name) override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void fitHeight();
};

} // namespace memscope::ui
