// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/console/consolewidget.h"

#include "ui/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QScrollBar>
#include <QSettings>
#include <QTextBlock>

#include <utility>

namespace memscope::ui {

namespace {
constexpr int kHistoryLimit = 1000;
const QString kPrompt = QStringLiteral(">>> ");
const QString kContinuation = QStringLiteral("... ");

QString abridged(const QString &text)
{
    if (text.size() <= ConsoleWidget::kMaxChunk)
        return text;
    const qsizetype head = 64 * 1024;
    const qsizetype tail = 4 * 1024;
    return text.left(head) + QStringLiteral("\n[... %1 characters not shown ...]\n").arg(text.size() - head - tail) +
        text.right(tail);
}
} // namespace

ConsoleWidget::ConsoleWidget(Session *session, Theme *theme, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_session(session)
    , m_theme(theme)
    , m_runningLabel(new QLabel(this))
    , m_search(new QLineEdit(this))
    , m_completions(new QListWidget(this))
{
    setObjectName(QStringLiteral("console"));
    setUndoRedoEnabled(false);
    setWordWrapMode(QTextOption::WrapAnywhere);
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    if (font().pointSizeF() > 0)
        m_basePointSize = font().pointSizeF();
    // Scrollback is bounded by trimScrollback (lines and characters), not by
    // setMaximumBlockCount: Qt's own trimming would move blocks under the
    // positions and marks this widget keeps.

    m_runningLabel->setText(tr("running… Ctrl+C interrupts"));
    m_runningLabel->setObjectName(QStringLiteral("runningLabel"));
    m_runningLabel->setAutoFillBackground(true);
    m_runningLabel->setMargin(4);
    m_runningLabel->hide();

    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("search history (Enter accepts, Esc cancels, Ctrl+R older)"));
    m_search->hide();
    connect(m_search, &QLineEdit::textEdited, this, [this] {
        m_searchFrom = static_cast<int>(m_history.size()) - 1;
        updateReverseSearch(false);
    });
    m_search->installEventFilter(this);

    m_completions->setObjectName(QStringLiteral("completions"));
    m_completions->hide();
    connect(m_completions, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { applyCompletion(item->text()); });

    m_history = QSettings().value(QStringLiteral("console/history")).toStringList();
    m_historyIndex = static_cast<int>(m_history.size());

    if (m_session) {
        connect(m_session, &Session::outputAvailable, this, &ConsoleWidget::appendOutput);
        connect(m_session, &Session::lineFinished, this, &ConsoleWidget::onLineFinished);
        connect(m_session, &Session::runFinished, this, &ConsoleWidget::onRunFinished);
        connect(m_session, &Session::busyChanged, this, &ConsoleWidget::setRunning);
        connect(m_session, &Session::completionsAvailable, this, &ConsoleWidget::showCompletions);
        connect(m_session, &Session::stepAppended, this, &ConsoleWidget::onStepAppended);
        connect(m_session, &Session::cursorMoved, this, &ConsoleWidget::markStep);
        connect(m_session, &Session::resetFinished, this, [this] {
            QTextCharFormat note;
            if (m_theme)
                note.setForeground(m_theme->colors().mutedText);
            insertBeforePrompt(tr("# Python restarted: an empty namespace and an empty timeline\n"), note);
        });
    }
    if (m_theme)
        connect(m_theme, &Theme::changed, this, &ConsoleWidget::restyle);
    restyle();
    if (m_session && m_session->hasBackend()) {
        showPrompt();
    } else {
        appendOutput(Session::Stream::Stderr, tr("Python is not available: the console is disabled.\n"));
        setReadOnly(true);
    }
}

void ConsoleWidget::restyle()
{
    if (!m_theme)
        return;
    QPalette p = m_runningLabel->palette();
    p.setColor(QPalette::Window, m_theme->colors().changed);
    p.setColor(QPalette::WindowText, m_theme->colors().dark ? Qt::white : Qt::black);
    m_runningLabel->setPalette(p);
}

void ConsoleWidget::setFontScale(qreal scale)
{
    m_fontScale = scale;
    QFont f = font();
    f.setPointSizeF(m_basePointSize * scale);
    setFont(f); // children (running label, search, completions) follow
}

QString ConsoleWidget::inputText() const
{
    QTextCursor c(document());
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    return c.selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
}

void ConsoleWidget::setInputText(const QString &text)
{
    QTextCursor c(document());
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    c.insertText(text, QTextCharFormat());
    setTextCursor(c);
}

void ConsoleWidget::submitInput(const QString &line)
{
    setInputText(line);
    submit();
}

void ConsoleWidget::appendOutput(Session::Stream stream, const QString &text)
{
    QTextCharFormat f;
    if (stream == Session::Stream::Stderr && m_theme)
        f.setForeground(m_theme->colors().error);
    insertBeforePrompt(abridged(text), f);
}

int ConsoleWidget::insertBeforePrompt(const QString &text, const QTextCharFormat &format)
{
    trimScrollback(text.size());
    // Output goes before the prompt (threads may print while the user types).
    QTextCursor c(document());
    const bool promptVisible = m_promptShown;
    const QString input = promptVisible ? inputText() : QString();
    if (promptVisible) {
        c.setPosition(m_promptStart);
        c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        c.removeSelectedText();
    } else {
        c.movePosition(QTextCursor::End);
    }
    c.insertText(text, format);
    const int start = c.position() - static_cast<int>(text.size());
    if (promptVisible) {
        m_promptShown = false;
        showPrompt();
        setInputText(input);
    }
    // Follow the output, unless the person is looking at an earlier step's input.
    if (!m_session || m_session->isLive())
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    return start;
}

void ConsoleWidget::showRecording(const QString &header, const std::vector<std::shared_ptr<const engine::Step>> &steps)
{
    setReadOnly(true);
    m_promptShown = false;
    clear();
    QTextCharFormat note, prompt, error;
    if (m_theme) {
        note.setForeground(m_theme->colors().mutedText);
        prompt.setForeground(m_theme->colors().prompt);
        error.setForeground(m_theme->colors().error);
    }
    QTextCursor c(document());
    c.insertText(QStringLiteral("# ") + header + QLatin1Char('\n'), note);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const engine::Step &step = *steps[i];
        const QTextBlock first = c.block();
        const QStringList lines = QString::fromStdString(step.code).split(QLatin1Char('\n'));
        for (qsizetype l = 0; l < lines.size(); ++l) {
            c.insertText(l == 0 ? kPrompt : kContinuation, prompt);
            c.insertText(lines[l] + QLatin1Char('\n'), QTextCharFormat());
        }
        QTextBlock(first).setUserState(static_cast<int>(i) + 1);
        if (!step.output.empty())
            c.insertText(abridged(QString::fromStdString(step.output)), QTextCharFormat());
        if (!step.error.empty())
            c.insertText(abridged(QString::fromStdString(step.error)), error);
        if (!c.atBlockStart())
            c.insertText(QStringLiteral("\n"), QTextCharFormat());
    }
    c.insertText(tr("# end of the recording: %n step(s); nothing here runs", nullptr, static_cast<int>(steps.size())),
                 note);
    if (m_session)
        markStep(m_session->cursor(), m_session->stepCount());
}

void ConsoleWidget::trimScrollback(qsizetype incoming)
{
    // Bounded in lines and in characters: 20,000 lines of 256 KiB each would
    // be gigabytes. The oldest lines go first; the prompt and input stay.
    const qsizetype excessChars = document()->characterCount() + incoming - m_scrollbackLimit;
    const int excessLines = document()->blockCount() + 1 - kMaxScrollbackLines;
    if (excessChars <= 0 && excessLines <= 0)
        return;
    const int keepFrom = m_promptShown ? m_promptStart : document()->characterCount() - 1;
    // Whole lines only: the first line kept starts after both excesses.
    int removed = 0;
    if (excessLines > 0) {
        const QTextBlock b = document()->findBlockByNumber(excessLines);
        removed = b.isValid() ? b.position() : keepFrom;
    }
    if (excessChars > removed) {
        QTextBlock first = document()->findBlock(static_cast<int>(std::min<qsizetype>(excessChars, keepFrom)));
        if (first.isValid() && first.position() < excessChars)
            first = first.next();
        removed = first.isValid() ? first.position() : keepFrom;
    }
    removed = std::min(removed, keepFrom);
    if (removed <= 0)
        return;
    // Marks in the removed lines go with them (their blocks' nodes are reused).
    if (m_sourceBlock.isValid() && m_sourceBlock.position() < removed)
        m_sourceBlock = QTextBlock();
    QTextCursor c(document());
    c.setPosition(0);
    c.setPosition(removed, QTextCursor::KeepAnchor);
    c.removeSelectedText();
    m_promptStart -= removed;
    m_inputStart -= removed;
}

void ConsoleWidget::onStepAppended(const std::shared_ptr<const engine::Step> &step, int index)
{
    if (step->filename == "<edit>") {
        // An edit in the grid is echoed as the Python line it equals, so a
        // demo can be replayed from its transcript.
        QTextCharFormat f;
        if (m_theme)
            f.setForeground(m_theme->colors().mutedText);
        QTextCursor c(document());
        c.movePosition(QTextCursor::End);
        const bool atLineStart = c.atBlockStart() || m_promptShown;
        const int at = insertBeforePrompt((atLineStart ? QString() : QStringLiteral("\n")) + kPrompt +
                                              QString::fromStdString(step->code) + QLatin1Char('\n'),
                                          f);
        QTextBlock block = document()->findBlock(at + (atLineStart ? 0 : 1));
        block.setUserState(index + 1);
        return;
    }
    if (m_sourceBlock.isValid() && m_sourceBlock.userState() <= 0)
        m_sourceBlock.setUserState(index + 1);
}

void ConsoleWidget::markStep(int index, int count)
{
    QList<QTextEdit::ExtraSelection> marks;
    // Marked when not live; in a recording every step is (none is live).
    const bool recording = m_session && m_session->isRecording();
    if (index >= 0 && (index < count - 1 || recording)) {
        // The input whose first step is the latest one at or before `index`.
        for (QTextBlock b = document()->lastBlock(); b.isValid(); b = b.previous()) {
            if (b.userState() <= 0 || b.userState() > index + 1)
                continue;
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(b);
            mark.format.setBackground(m_theme ? m_theme->colors().changed : QColor(0xfd, 0xe6, 0x8a));
            mark.format.setProperty(QTextFormat::FullWidthSelection, true);
            marks << mark;
            // Scrolled to once per move, not on every step a running script adds.
            if (index != m_markedIndex)
                verticalScrollBar()->setValue(std::max(0, b.firstLineNumber() - 2));
            break;
        }
    }
    m_markedIndex = marks.isEmpty() ? -1 : index;
    setExtraSelections(marks);
}

void ConsoleWidget::showPrompt()
{
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    if (!c.atBlockStart())
        c.insertText(QStringLiteral("\n"), QTextCharFormat());
    m_promptStart = c.position();
    QTextCharFormat f;
    if (m_theme)
        f.setForeground(m_theme->colors().prompt);
    f.setFontWeight(QFont::Bold);
    c.insertText(m_continuation ? kContinuation : kPrompt, f);
    m_inputStart = c.position();
    c.setCharFormat(QTextCharFormat());
    setTextCursor(c);
    m_promptShown = true;
    ensureCursorVisible();
}

void ConsoleWidget::submit()
{
    if (!m_session || m_running || !m_promptShown)
        return;
    QString text = inputText();
    QStringList lines = text.split(QLatin1Char('\n'));
    const QString line = lines.takeFirst();
    m_pendingLines = lines + m_pendingLines;
    // Freeze the echoed line and send it.
    QTextCursor c(document());
    c.movePosition(QTextCursor::End);
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    if (!m_continuation) // a block's steps belong to its first line (its handle follows edits)
        m_sourceBlock = document()->findBlock(m_promptStart);
    c.insertText(line + QLatin1Char('\n'), QTextCharFormat());
    m_promptShown = false;
    constexpr qsizetype kMaxHistoryLine = 64 * 1024; // a pasted document is no history entry
    if (!line.trimmed().isEmpty() && line.size() <= kMaxHistoryLine &&
        (m_history.isEmpty() || m_history.last() != line)) {
        m_history << line;
        while (m_history.size() > kHistoryLimit)
            m_history.removeFirst();
        saveHistory();
    }
    m_historyIndex = static_cast<int>(m_history.size());
    m_draft.clear();
    m_session->submitLine(line);
}

void ConsoleWidget::saveHistory() const
{
    // Bounded in bytes too: one pasted 2 MB line must not make the settings
    // file megabytes long and rewritten after every statement. The newest
    // lines are kept; a single line over kMaxSavedLine is not saved at all.
    constexpr qsizetype kMaxSavedLine = 4096;
    constexpr qsizetype kMaxSavedBytes = 256 * 1024;
    QStringList saved;
    qsizetype bytes = 0;
    for (auto it = m_history.crbegin(); it != m_history.crend(); ++it) {
        if (it->size() > kMaxSavedLine)
            continue;
        bytes += it->size();
        if (bytes > kMaxSavedBytes)
            break;
        saved.prepend(*it);
    }
    QSettings().setValue(QStringLiteral("console/history"), saved);
}

void ConsoleWidget::onLineFinished(const engine::RunEnd &end)
{
    m_continuation = end.status == engine::RunEnd::Status::Incomplete;
    if (end.status != engine::RunEnd::Status::Incomplete && end.status != engine::RunEnd::Status::Ok)
        m_pendingLines.clear(); // a pasted block stops at its first error
    showPrompt();
    if (!m_pendingLines.isEmpty())
        submitInput(m_pendingLines.takeFirst());
}

bool ConsoleWidget::canStartRun() const
{
    return m_session && !m_running && m_promptShown && m_pendingLines.isEmpty();
}

QTextCursor ConsoleWidget::writeRunHeader(const QString &header)
{
    // Over the prompt line, in the muted colour: what is about to run.
    QTextCursor c(document());
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    QTextCharFormat note;
    if (m_theme)
        note.setForeground(m_theme->colors().mutedText);
    m_sourceBlock = document()->findBlock(m_promptStart);
    c.insertText(header + QLatin1Char('\n'), note);
    return c;
}

bool ConsoleWidget::runScript(const QString &path, const QByteArray &source)
{
    if (!canStartRun())
        return false;
    // The prompt line records what ran; the script's output follows it.
    writeRunHeader(tr("# run %1").arg(path));
    m_promptShown = false;
    m_session->runScript(source, path);
    return true;
}

bool ConsoleWidget::runLessonStep(const QString &header, const QString &code, engine::StepSource source)
{
    if (!canStartRun())
        return false;
    QTextCursor c = writeRunHeader(QStringLiteral("# ") + header);
    // The code as it runs, in the console's own prompts, so the transcript
    // can be replayed by hand.
    QString echoed;
    const QStringList lines = code.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        echoed += (line.isEmpty() || line.front().isSpace() ? kContinuation : kPrompt) + line + QLatin1Char('\n');
    c.insertText(echoed, QTextCharFormat());
    m_promptShown = false;
    m_lessonRun = true;
    m_session->runSource(std::move(source));
    return true;
}

void ConsoleWidget::onRunFinished(const engine::RunEnd &end)
{
    if (std::exchange(m_lessonRun, false)) {
        appendOutput(Session::Stream::Stdout,
                     end.status == engine::RunEnd::Status::Ok
                         ? tr("# the lesson step ran: %n statement(s)\n", nullptr, end.steps)
                         : tr("# the lesson step stopped at statement %n of it\n", nullptr, end.steps));
        m_continuation = false;
        showPrompt();
        return;
    }
    QString summary;
    switch (end.status) {
    case engine::RunEnd::Status::Ok:
        summary = tr("# the script ran: %n step(s)", nullptr, end.steps);
        break;
    case engine::RunEnd::Status::Exited:
        summary = tr("# the script ended with sys.exit(%1) after %n step(s)", nullptr, end.steps).arg(end.exitCode);
        break;
    case engine::RunEnd::Status::SyntaxError:
        summary = tr("# the script does not compile: nothing ran");
        break;
    default:
        summary = tr("# the script stopped at step %n of it", nullptr, end.steps);
        break;
    }
    appendOutput(Session::Stream::Stdout, summary + QLatin1Char('\n'));
    m_continuation = false;
    showPrompt();
}

void ConsoleWidget::setRunning(bool running)
{
    m_running = running;
    m_runningLabel->setVisible(running);
    m_runningLabel->adjustSize();
    m_runningLabel->move(width() - m_runningLabel->width() - verticalScrollBar()->width() - 6, 6);
}

void ConsoleWidget::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    m_search->setGeometry(4, height() - m_search->sizeHint().height() - 4, width() - 8, m_search->sizeHint().height());
    setRunning(m_running);
}

void ConsoleWidget::insertFromMimeData(const QMimeData *source)
{
    if (textCursor().position() < m_inputStart)
        moveCursor(QTextCursor::End);
    QTextCursor c = textCursor();
    c.insertText(source->text(), QTextCharFormat());
}

void ConsoleWidget::browseHistory(int delta)
{
    if (m_history.isEmpty())
        return;
    if (m_historyIndex == m_history.size())
        m_draft = inputText();
    m_historyIndex = std::clamp(m_historyIndex + delta, 0, static_cast<int>(m_history.size()));
    setInputText(m_historyIndex == m_history.size() ? m_draft : m_history.at(m_historyIndex));
}

void ConsoleWidget::startReverseSearch()
{
    if (m_search->isVisible()) {
        updateReverseSearch(true);
        return;
    }
    m_draft = inputText();
    m_searchFrom = static_cast<int>(m_history.size()) - 1;
    m_search->clear();
    m_search->show();
    m_search->setFocus();
}

void ConsoleWidget::updateReverseSearch(bool older)
{
    const QString needle = m_search->text();
    int from = older ? m_searchFrom - 1 : m_searchFrom;
    for (int i = from; i >= 0; --i) {
        if (m_history.at(i).contains(needle)) {
            m_searchFrom = i;
            setInputText(m_history.at(i));
            return;
        }
    }
}

void ConsoleWidget::finishReverseSearch(bool accept)
{
    if (!accept)
        setInputText(m_draft);
    m_search->hide();
    setFocus();
    moveCursor(QTextCursor::End);
}

void ConsoleWidget::showCompletions(const QStringList &items)
{
    if (items.isEmpty() || !m_promptShown)
        return;
    if (items.size() == 1) {
        applyCompletion(items.first());
        return;
    }
    m_completions->clear();
    m_completions->addItems(items);
    m_completions->setCurrentRow(0);
    const QRect r = cursorRect();
    m_completions->setGeometry(r.left(), r.bottom() + 2, 320, std::min(200, 20 * static_cast<int>(items.size()) + 6));
    m_completions->show();
    m_completions->setFocus();
}

void ConsoleWidget::applyCompletion(const QString &item)
{
    m_completions->hide();
    setFocus();
    // Completions replace the text before the cursor on the input's last line.
    const QString input = inputText();
    const int cut = static_cast<int>(input.lastIndexOf(QLatin1Char('\n'))) + 1;
    setInputText(input.left(cut) + item);
}

bool ConsoleWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            finishReverseSearch(false);
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            finishReverseSearch(true); // consumed: Enter accepts, it does not run the line
            return true;
        }
        if (key->key() == Qt::Key_R && (key->modifiers() & Qt::ControlModifier)) {
            updateReverseSearch(true);
            return true;
        }
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void ConsoleWidget::keyPressEvent(QKeyEvent *event)
{
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    // Typing is for the live step: the timeline goes back there.
    if (m_session && !m_session->isLive() && !m_session->isRecording() && !ctrl && !event->text().isEmpty() &&
        event->text().at(0).isPrint())
        m_session->goLive();
    if (m_completions->isVisible()) {
        if (event->key() == Qt::Key_Escape) {
            m_completions->hide();
            setFocus();
            return;
        }
        if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter || event->key() == Qt::Key_Tab) {
            if (auto *item = m_completions->currentItem())
                applyCompletion(item->text());
            return;
        }
    }
    if (ctrl && event->key() == Qt::Key_C) {
        if (textCursor().hasSelection()) {
            copy();
        } else if (m_running) {
            m_session->interrupt();
        } else if (m_promptShown) {
            // Cancel the current input (and an unfinished block), as a terminal does.
            moveCursor(QTextCursor::End);
            insertPlainText(QStringLiteral("^C"));
            m_promptShown = false;
            m_pendingLines.clear();
            if (m_continuation && m_session)
                m_session->cancelInput(); // Python forgets the block's lines; nothing runs
            m_continuation = false;
            showPrompt();
        }
        return;
    }
    if (ctrl && event->key() == Qt::Key_L) {
        const QString input = inputText();
        clear();
        m_promptShown = false;
        if (!m_running) {
            showPrompt();
            setInputText(input);
        }
        return;
    }
    if (ctrl && event->key() == Qt::Key_R) {
        startReverseSearch();
        return;
    }
    if (m_running || !m_promptShown) {
        if (event->matches(QKeySequence::Copy) || event->matches(QKeySequence::SelectAll))
            QPlainTextEdit::keyPressEvent(event);
        return; // no typing while a statement runs
    }
    QTextCursor c = textCursor();
    if (c.position() < m_inputStart && !event->text().isEmpty()) {
        moveCursor(QTextCursor::End);
        c = textCursor();
    }
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (event->modifiers() & Qt::ShiftModifier) {
            c.insertText(QStringLiteral("\n"));
            return;
        }
        submit();
        return;
    case Qt::Key_Up:
        browseHistory(-1);
        return;
    case Qt::Key_Down:
        browseHistory(+1);
        return;
    case Qt::Key_Backspace:
        if (c.position() <= m_inputStart && !c.hasSelection())
            return;
        break;
    case Qt::Key_Left:
        if (c.position() <= m_inputStart)
            return;
        break;
    case Qt::Key_Home:
        c.setPosition(m_inputStart,
                      event->modifiers() & Qt::ShiftModifier ? QTextCursor::KeepAnchor : QTextCursor::MoveAnchor);
        setTextCursor(c);
        return;
    case Qt::Key_Tab: {
        const QString input = inputText();
        const QString line = input.mid(input.lastIndexOf(QLatin1Char('\n')) + 1);
        if (line.trimmed().isEmpty()) {
            c.insertText(QStringLiteral("    "));
        } else if (m_session) {
            m_session->requestCompletions(line);
        }
        return;
    }
    default:
        break;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace memscope::ui
