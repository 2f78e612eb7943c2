"""The examples gallery (File > Examples…): the bundled projects (resources/examples/*.pflow) by their names,
each with its description (the file's `meta.name` and `meta.description`); Open (or a double-click) emits
`chosen(path)`, which the window opens as an untitled copy."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pflow_studio.app.resources import RESOURCES

EXAMPLES = RESOURCES / "examples"
PATH_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Example:
    path: pathlib.Path
    name: str
    description: str


def read_example(path: pathlib.Path) -> Example:
    """An example's name and description from its `meta` (the file name and a note when they are missing)."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("meta", {})
    except (OSError, ValueError, AttributeError) as exc:
        return Example(path, path.stem, f"Cannot read this example: {exc}")
    return Example(path, str(meta.get("name") or path.stem), str(meta.get("description") or "No description."))


def examples(folder: pathlib.Path = EXAMPLES) -> list[Example]:
    """The examples of `folder`, by name."""
    return sorted((read_example(p) for p in folder.glob("*.pflow")), key=lambda e: e.name.lower())


class ExamplesDialog(QDialog):
    """The gallery; `chosen(str path)` when the user opens one."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, folder: pathlib.Path = EXAMPLES) -> None:
        super().__init__(parent)
        self.setObjectName("examples_dialog")
        self.setWindowTitle("Examples")
        self.list = QListWidget(self)
        for example in examples(folder):
            item = QListWidgetItem(example.name, self.list)
            item.setData(PATH_ROLE, str(example.path))
            item.setToolTip(example.description)
            item.setData(Qt.ItemDataRole.WhatsThisRole, example.description)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(60)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.open_current)
        buttons.rejected.connect(self.reject)
        self.list.currentItemChanged.connect(self._show_description)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Open an example as a new, untitled project:", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        self.resize(520, 420)
        if self.list.count():
            self.list.setCurrentRow(0)

    def names(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def select(self, name: str) -> None:
        self.list.setCurrentItem(self.list.findItems(name, Qt.MatchFlag.MatchExactly)[0])

    def open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.accept()
            self.chosen.emit(item.data(PATH_ROLE))

    def _show_description(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.description.setText(current.data(Qt.ItemDataRole.WhatsThisRole) if current is not None else "")
