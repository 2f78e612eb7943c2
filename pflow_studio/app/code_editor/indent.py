"""Four-space indentation: what Tab, Shift+Tab, Enter and Backspace do to Python text in an editor."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

INDENT = 4


def leading(text: str) -> str:
    """The whitespace a line starts with."""
    return text[: len(text) - len(text.lstrip(" \t"))]


def next_line_indent(line: str) -> str:
    """The indent of the line after `line` (the text before the cursor): the same, four more after a ':'."""
    indent = leading(line)
    return indent + " " * INDENT if line.rstrip().endswith(":") else indent


def spaces_to_delete(before: str) -> int:
    """How many characters Backspace removes after `before` (the line's text before the cursor): in leading
    spaces, back to the previous multiple of four; elsewhere one."""
    if not before or before.strip(" "):
        return 1
    return len(before) % INDENT or INDENT


def dedent_width(line: str) -> int:
    """How many characters a dedent removes from the start of `line`: up to four spaces, or one tab."""
    if line.startswith("\t"):
        return 1
    head = line[:INDENT]
    return len(head) - len(head.lstrip(" "))


def tab_spaces(column: int) -> str:
    """The spaces Tab inserts at `column`: up to the next multiple of four."""
    return " " * (INDENT - column % INDENT)


def spans_lines(cursor: QTextCursor) -> bool:
    """True when the cursor's selection covers more than one line."""
    if not cursor.hasSelection():
        return False
    document = cursor.document()
    return document.findBlock(cursor.selectionStart()) != document.findBlock(cursor.selectionEnd())


def shift_lines(cursor: QTextCursor, dedent: bool) -> None:
    """Indent (or dedent) every line the selection touches by four spaces, as one undo step; the selection then
    covers those lines whole. A line ending the selection at its first column is left alone."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    end_position = cursor.selectionEnd()
    last = document.findBlock(end_position)
    if cursor.hasSelection() and last != first and end_position == last.position():
        last = last.previous()
    edit = QTextCursor(document)
    edit.beginEditBlock()
    block = first
    while block.isValid():
        edit.setPosition(block.position())
        if dedent:
            edit.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor,
                              dedent_width(block.text()))
            edit.removeSelectedText()
        elif block.text().strip() or first == last:
            edit.insertText(" " * INDENT)
        if block == last:
            break
        block = block.next()
    edit.endEditBlock()
    cursor.setPosition(first.position())
    cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
