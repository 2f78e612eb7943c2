"""Validation problems on the canvas: a small amber triangle with "!" on the top-left corner of each node at
fault, its tooltip naming the problems. A Group, Map or Filter with a problem inside shows the mark too, its
tooltip saying where inside. Remembered by node path and painted whenever a level is shown; never undo entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPolygonItem

from pflow_studio.canvas.level_view import LevelView
from pflow_studio.canvas.node_classes import PflowViewNode
from pflow_studio.canvas.run_state import exclamation_mark

Path = tuple[str, ...]
PROBLEM_COLOR = (250, 190, 40)
SIGN_COLOR = (40, 30, 0)
SIZE = 18.0


class ProblemMarks:
    """The problems of one canvas: `set_problems({path: text})` shows them (replacing the ones before).
    `label_of(path)` names a node for the tooltips of the containers holding it."""

    def __init__(self, view: LevelView, level_path: Callable[[], Path], label_of: Callable[[Path], str]) -> None:
        self._view = view
        self._level_path = level_path
        self._label_of = label_of
        self._problems: dict[Path, str] = {}

    def set_problems(self, problems: Mapping[Path, str]) -> None:
        self._problems = {tuple(path): text for path, text in problems.items() if path}
        self.apply()

    def apply(self) -> None:
        """Show the marks of the shown level (after it was (re)built or the problems changed)."""
        texts = self.texts()
        for node_id, node in self._view.nodes.items():
            _show_mark(node, texts.get(node_id, ""))

    def texts(self) -> dict[str, str]:
        """Node id on the shown level -> its tooltip text (its own problems, then those inside it)."""
        shown = self._level_path()
        depth = len(shown)
        own: dict[str, list[str]] = {}
        inside: dict[str, list[str]] = {}
        for path, text in self._problems.items():
            if path[:depth] != shown or len(path) == depth:
                continue
            if len(path) == depth + 1:
                own.setdefault(path[depth], []).append(text)
            else:
                where = " \u203a ".join(self._label_of(path[:end]) for end in range(depth + 2, len(path) + 1))
                inside.setdefault(path[depth], []).append(f"inside, {where}: {text}")
        return {node_id: "\n".join([*own.get(node_id, []), *inside.get(node_id, [])])
                for node_id in own.keys() | inside.keys()}


def _show_mark(node: PflowViewNode, text: str) -> None:
    item = node.view
    mark = getattr(item, "_pf_problem", None)
    if not text:
        if mark is not None:
            mark.hide()
        return
    if mark is None:
        mark = item._pf_problem = _new_mark(item)
    mark.setPos(0.0, 0.0)
    mark.setToolTip(text)
    mark.show()


def _new_mark(parent) -> QGraphicsPolygonItem:
    half = SIZE / 2
    triangle = QPolygonF([QPointF(0.0, -half - 2.0), QPointF(half + 1.0, half - 1.0), QPointF(-half - 1.0, half - 1.0)])
    mark = QGraphicsPolygonItem(triangle, parent)
    mark.setBrush(QBrush(QColor(*PROBLEM_COLOR)))
    mark.setPen(QPen(QColor(*SIGN_COLOR), 1.2))
    mark.setZValue(6)
    exclamation_mark(mark, SIGN_COLOR, lower=1.5)
    mark.setCursor(Qt.CursorShape.WhatsThisCursor)
    return mark


def problem_text(node: PflowViewNode) -> str:
    """The problems the node's mark shows ("" when it shows none)."""
    mark = getattr(node.view, "_pf_problem", None)
    return mark.toolTip() if mark is not None and mark.isVisible() else ""
