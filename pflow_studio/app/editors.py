"""Value editors for the properties panel, one per kind of value, plain Qt widgets.

`make_editor(type_name, value, commit, choices=None, hint="")` returns a widget showing `value`
that calls `commit(new_value)` once the user has finished an edit that changes the value
(Enter or focus out for text, Ctrl+Enter or focus out for code, a click for a checkbox, a pick for a
combo). Text that does not parse as the type (or that `check` refuses) is refused: the editor shows the
old value again and `commit` is not called. Code ("code" hint; "expression": a compact one) gets the
`app.code_editor` editor.
Blank text commits `empty` when one is given (e.g. the canvas's UNSET: "no value of my own").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from pflow_studio.app.code_editor.editor import CodeEditor

Commit = Callable[[Any], None]
REFUSE = object()  # `empty` default: blank text is not a value


def make_editor(type_name: str, value: Any, commit: Commit, choices: Sequence[Any] | None = None,
                hint: str = "", placeholder: str = "", empty: Any = REFUSE,
                check: Callable[[Any], str] | None = None) -> QWidget:
    """The editor fitting a value of port type `type_name` (see the module docstring); `check(value)`, when
    given, says why a typed value is refused ("" accepts it)."""
    if choices is not None or hint == "combo":
        return ChoiceEditor(list(choices or []), value, commit)
    if type_name == "bool" or hint == "check":
        return BoolEditor(value, commit)
    if hint in ("code", "expression"):
        return CodeEditor(value, commit, compact=hint == "expression")
    if type_name in ("int", "float"):
        editor: _LineEditor = NumberEditor(type_name, value, commit, placeholder)
    elif hint == "list":
        editor = NamesEditor(value, commit, placeholder)
    elif type_name in ("str", "path") or hint == "text":
        editor = TextEditor(value, commit, placeholder)
    else:
        editor = JsonEditor(type_name, value, commit, placeholder)
    editor.empty = empty
    editor.check = check
    return editor


class ChoiceEditor(QComboBox):
    def __init__(self, choices: list[Any], value: Any, commit: Commit) -> None:
        super().__init__()
        self.choices = choices if value in choices or value is None else [*choices, value]
        self.addItems([str(c) for c in self.choices])
        if value in self.choices:
            self.setCurrentIndex(self.choices.index(value))
        self._value = value
        self._commit = commit
        self.activated.connect(self._picked)

    def _picked(self, index: int) -> None:
        chosen = self.choices[index]
        if chosen != self._value:
            self._value = chosen
            self._commit(chosen)


class BoolEditor(QCheckBox):
    def __init__(self, value: Any, commit: Commit) -> None:
        super().__init__()
        self.setChecked(bool(value))
        self.toggled.connect(lambda checked: commit(bool(checked)))


class _LineEditor(QLineEdit):
    """A line edit that parses its text on Enter/focus out and commits a changed value."""

    def __init__(self, value: Any, commit: Commit, placeholder: str = "") -> None:
        super().__init__()
        self._value = value
        self._commit = commit
        self.empty: Any = REFUSE
        self.check: Callable[[Any], str] | None = None
        self.setText(self.format(value) if value is not None else "")
        self.setPlaceholderText(placeholder)
        self.editingFinished.connect(self._finished)

    def format(self, value: Any) -> str:
        return str(value)

    def parse(self, text: str) -> Any:
        """The value of `text`; raise ValueError when it does not fit."""
        return text

    def _finished(self) -> None:
        text = self.text()
        if not text.strip() and self.empty is not REFUSE:
            if self._value is not None:
                self._value = None
                self._commit(self.empty)
            return
        if not text.strip() and self._value is None:
            return
        if self._value is not None and text == self.format(self._value):
            return  # unchanged text (e.g. a float field showing an int value)
        try:
            value = self.parse(text)
            if self.check is not None and self.check(value):
                raise ValueError(self.check(value))
        except ValueError as exc:
            self.setToolTip(f"Not accepted: {exc}")
            self.setText(self.format(self._value) if self._value is not None else "")
            return
        self.setToolTip("")
        if value == self._value and type(value) is type(self._value):
            return
        self._value = value
        self._commit(value)


class TextEditor(_LineEditor):
    pass


class NumberEditor(_LineEditor):
    def __init__(self, type_name: str, value: Any, commit: Commit, placeholder: str = "") -> None:
        self.type_name = type_name
        super().__init__(value, commit, placeholder)

    def format(self, value: Any) -> str:
        return repr(value) if isinstance(value, float) else str(value)

    def parse(self, text: str) -> Any:
        text = text.strip().replace("_", "")
        if self.type_name == "int":
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a whole number") from None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("only finite numbers can be saved")
        return number


class NamesEditor(_LineEditor):
    """A list of names as comma-separated text: "x, n:int"."""

    def format(self, value: Any) -> str:
        return ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else json.dumps(value)

    def parse(self, text: str) -> Any:
        return [part.strip() for part in text.split(",") if part.strip()]


class JsonEditor(_LineEditor):
    """Any plain-JSON value; `any` ports also take bare text as a string."""

    _TYPES = {"list": list, "dict": dict}

    def __init__(self, type_name: str, value: Any, commit: Commit, placeholder: str = "") -> None:
        self.type_name = type_name
        super().__init__(value, commit, placeholder)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def format(self, value: Any) -> str:
        try:
            return json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            return repr(value)

    def parse(self, text: str) -> Any:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            if self.type_name == "any":
                return text
            raise ValueError(f"invalid JSON: {exc.msg}") from None
        wanted = self._TYPES.get(self.type_name)
        if wanted is not None and not isinstance(value, wanted):
            raise ValueError(f"expected a JSON {self.type_name}, not {type(value).__name__}")
        return value
