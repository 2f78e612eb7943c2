"""Python syntax highlighting driven by Pygments' Python lexer, one text block (line) at a time.

Pygments is the field's standard highlighter: its Python lexer knows every token of the language as it
grows (f-strings, soft keywords, numbers with underscores), so the editor keeps no tokenizer of its own.
A block is lexed from the lexer state the previous block ended in (a triple-quoted string goes on over
lines); the state is kept as the block's user state (an index into the stacks met so far), so Qt
re-highlights only the blocks an edit changes and those whose starting state it changed. Lexed line by
line, tokens come out as Pygments gives them for the whole text, but for docstrings (Pygments matches a
docstring whole, so a multi-line one comes out as a plain string): every docstring is coloured as a string.
Colours are Pygments' "nord" style (the app's dark theme is Nord-like) with its dimmest colours lightened
to read on the editor's background (and on the failed line's).
"""

from __future__ import annotations

from functools import cache

from pygments.lexer import ExtendedRegexLexer, LexerContext
from pygments.lexers.python import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import String, _TokenType
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

STYLE = "nord"
# nord's greys, red and dark blue read at 3-4:1 on the editor's #1f2228; these lighter ones at 5:1 or more
LIGHTER = {"616e87": "8f99a8", "616e88": "8f99a8", "bf616a": "d57a83", "5e81ac": "7b9cc4"}


class _ResumablePythonLexer(ExtendedRegexLexer, PythonLexer):
    """Pygments' Python lexer run through a `LexerContext`, whose state stack is left where a line ends."""


@cache
def _lexer() -> _ResumablePythonLexer:
    return _ResumablePythonLexer()


@cache
def char_format(token: _TokenType) -> QTextCharFormat:
    """The text format of a Pygments token type in the editor's style."""
    # a docstring over several lines is lexed line by line as a plain string: one-line docstrings look the same
    style = get_style_by_name(STYLE).style_for_token(String.Double if token in String.Doc else token)
    fmt = QTextCharFormat()
    colour = style["color"]
    if colour:
        fmt.setForeground(QColor(f"#{LIGHTER.get(colour.lower(), colour)}"))
    if style["bold"]:
        fmt.setFontWeight(QFont.Weight.Bold)
    if style["italic"]:
        fmt.setFontItalic(True)
    return fmt


class PythonHighlighter(QSyntaxHighlighter):
    """Highlights a document as Python (see the module docstring)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._stacks: list[tuple[str, ...]] = [("root",)]  # block state -> lexer state stack
        self._ids: dict[tuple[str, ...], int] = {("root",): 0}

    def highlightBlock(self, text: str) -> None:
        previous = self.previousBlockState()
        context = LexerContext(text + "\n", 0, stack=list(self._stacks[max(previous, 0)]))
        for start, token, value in _lexer().get_tokens_unprocessed(context=context):
            if start < len(text):
                self.setFormat(start, min(len(value), len(text) - start), char_format(token))
        self.setCurrentBlockState(self._state_id(tuple(context.stack)))

    def _state_id(self, stack: tuple[str, ...]) -> int:
        if stack not in self._ids:
            self._ids[stack] = len(self._stacks)
            self._stacks.append(stack)
        return self._ids[stack]
