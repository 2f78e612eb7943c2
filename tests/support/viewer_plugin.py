"""A viewer plug-in as a node package would ship one (loaded through a real `importlib.metadata.EntryPoint`):
it shows `Money` values."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QLabel

from pflow_studio.app.viewers.registry import ViewerEntry


@dataclasses.dataclass
class Money:
    cents: int


class MoneyViewer(QLabel):
    def __init__(self, value: Money, parent=None) -> None:
        super().__init__(f"{value.cents / 100:.2f} €", parent)
        self.value = value


MONEY = ViewerEntry("money", lambda value: isinstance(value, Money), MoneyViewer, 50)


def entries() -> list[ViewerEntry]:
    return [MONEY]


def broken() -> list[ViewerEntry]:
    raise RuntimeError("this plug-in is broken")
