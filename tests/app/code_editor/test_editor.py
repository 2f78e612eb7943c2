"""The code editor widget alone: highlighting, gutter, indentation, commits, undo, the error mark."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QFocusEvent, QFont, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip, QVBoxLayout, QWidget

from pflow_studio.app.code_editor.editor import ERROR_BACKGROUND, CodeEditor
from pflow_studio.app.code_editor.highlighter import STYLE, char_format

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def make(qtbot, text: str = "", commits: list | None = None, **kwargs) -> CodeEditor:
    editor = CodeEditor(text, (commits if commits is not None else []).append, **kwargs)
    qtbot.addWidget(editor)
    editor.resize(420, 260)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def formats_at(editor: CodeEditor, line: int, column: int):
    """The highlighter's format over `column` of 0-based `line`."""
    block = editor.document().findBlockByNumber(line)
    ranges = block.layout().formats()
    for fmt_range in ranges:
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return None


def select_lines(editor: CodeEditor, first: int, last: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(first).position() + 1)
    cursor.setPosition(editor.document().findBlockByNumber(last).position() + 2, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def put_cursor(editor: CodeEditor, position: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)


def test_keywords_strings_and_comments_get_the_styles_formats(qtbot):
    editor = make(qtbot, 'def f(x):\n    """a\n    b"""\n    return x  # done\n\n\ndef g():\n    """c"""\n')
    keyword = formats_at(editor, 0, 1)
    assert keyword is not None and keyword.fontWeight() == QFont.Weight.Bold
    assert keyword.foreground().color() == QColor("#81a1c1")
    string_inside = formats_at(editor, 2, 4)  # the second line of a triple-quoted string
    assert string_inside is not None and string_inside.foreground().color() == QColor("#a3be8c")
    returned = formats_at(editor, 3, 6)
    assert returned is not None and returned.foreground().color() == keyword.foreground().color()
    assert formats_at(editor, 7, 6).foreground().color() == QColor("#a3be8c")  # a one-line docstring alike
    comment = formats_at(editor, 3, 15)
    assert comment.foreground().color() == QColor("#8f99a8") and comment.fontItalic()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(editor, "x = '''")  # opens a string: the lines after it are re-highlighted as string
    qtbot.waitUntil(lambda: formats_at(editor, 3, 6).foreground().color() == QColor("#a3be8c"), timeout=2000)
    assert char_format.cache_info().currsize > 3  # formats are made once per token type


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours."""
    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_token_colour_reads_on_the_editor_and_on_the_failed_line():
    from pygments.styles import get_style_by_name

    for token, _style in get_style_by_name(STYLE):
        colour = char_format(token).foreground().color()
        if char_format(token).foreground().style() == Qt.BrushStyle.NoBrush:
            continue
        assert contrast(colour, QColor("#1f2228")) >= 5, token
        assert contrast(colour, ERROR_BACKGROUND) >= 4.4, token


def test_gutter_width_grows_with_the_line_count(qtbot):
    editor = make(qtbot, "\n".join(["x = 1"] * 9))
    narrow = editor.gutter.width()
    assert editor.viewportMargins().left() == narrow > 0
    editor.setPlainText("\n".join(["x = 1"] * 120))
    assert editor.gutter.width() > narrow
    assert editor.viewportMargins().left() == editor.gutter.width()
    assert editor.gutter.width() - narrow == editor.gutter.fontMetrics().horizontalAdvance("9")


def test_tab_and_shift_tab_indent_and_dedent_every_selected_line(qtbot):
    editor = make(qtbot, "a = 1\nb = 2\n\nc = 3\nd = 4")
    select_lines(editor, 0, 3)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    a = 1\n    b = 2\n\n    c = 3\nd = 4"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "        a = 1\n        b = 2\n\n        c = 3\nd = 4"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)  # nothing left to remove
    assert editor.toPlainText() == "a = 1\nb = 2\n\nc = 3\nd = 4"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # each shift is one undo step
    assert editor.toPlainText() == "    a = 1\n    b = 2\n\n    c = 3\nd = 4"
    put_cursor(editor, len(editor.toPlainText()) - len("d = 4"))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # no selection: four spaces at the cursor
    assert editor.toPlainText().endswith("\n    d = 4")
    put_cursor(editor, len(editor.toPlainText()))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # after 9 characters: up to column 12
    assert editor.toPlainText().endswith("\n    d = 4   ")


def test_enter_keeps_the_indent_and_adds_four_after_a_colon_backspace_removes_four(qtbot):
    editor = make(qtbot)
    qtbot.keyClicks(editor, "for i in range(3):")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "if i:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "print(i)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "for i in range(3):\n    if i:\n        print(i)\n        "
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, "x = i")
    assert editor.toPlainText().endswith("\n    x = i")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "  ")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # 6 spaces: back to 4
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText().endswith("x = i\n")


def test_ctrl_enter_commits_once_and_focus_out_commits(qtbot):
    commits: list[str] = []
    form = QWidget()
    qtbot.addWidget(form)
    editor = CodeEditor("result = x", commits.append, parent=form)
    other = QLineEdit(form)
    layout = QVBoxLayout(form)
    layout.addWidget(editor)
    layout.addWidget(other)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=2000)
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " * 2")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)  # unchanged since: no second commit
    assert commits == ["result = x * 2"] and editor.toPlainText() == "result = x * 2"
    qtbot.keyClicks(editor, " + 1")
    QApplication.sendEvent(editor, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.PopupFocusReason))
    assert len(commits) == 1  # a context menu opening: no apply (the panel would rebuild under the menu)
    other.setFocus()
    qtbot.waitUntil(lambda: len(commits) == 2, timeout=2000)
    assert commits[-1] == "result = x * 2 + 1"
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=2000)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=2000)
    assert len(commits) == 2


def test_undo_within_the_editor_and_a_compact_editor_commits_on_enter(qtbot):
    commits: list[str] = []
    editor = make(qtbot, "x", commits, compact=True)
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " + 1")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == "x" and not commits
    qtbot.keyClicks(editor, " * y")
    qtbot.keyClick(editor, Qt.Key.Key_Return, SHIFT)  # a line break, not a commit
    assert not commits and editor.blockCount() == 2
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert commits == ["x * y\n"]


def test_error_line_mark_and_tooltip_clear_when_edited(qtbot):
    editor = make(qtbot, "a = 1\nb = a / 0\nc = 2\n")
    editor.set_error(2, "ZeroDivisionError: division by zero")
    assert editor.error_line == 2
    marked = [s for s in editor.extraSelections() if s.format.background().color() == ERROR_BACKGROUND]
    assert len(marked) == 1 and marked[0].cursor.blockNumber() == 1
    row = editor.blockBoundingGeometry(editor.document().findBlockByNumber(1)).translated(editor.contentOffset())
    assert editor.line_at(int(row.center().y())) == 2
    for widget in (editor.viewport(), editor.gutter):  # hovering over the line or its number tells the error
        editor.set_error(2, f"ZeroDivisionError: division by zero ({widget.objectName()})")
        at = QPoint(4, int(row.center().y()))
        QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, at, widget.mapToGlobal(at)))
        assert QToolTip.text() == editor.error_message
    editor.set_error(9, "beyond the text")  # a line the text no longer has: no mark
    assert editor.error_line is None
    editor.set_error(2, "ZeroDivisionError: division by zero")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "d")
    assert editor.error_line is None and not editor.error_message
    assert not [s for s in editor.extraSelections() if s.format.background().color() == ERROR_BACKGROUND]
