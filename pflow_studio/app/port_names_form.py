"""The properties dock's "Port names" section of a Group, or of a Map / Filter over a Group: one name
field per port; a changed name renames the Group's boundary port through `Canvas.rename_port` (one undo
step; wires, Map settings and values follow), a refused one shows the old name again. A Map over a plain
node gets a hint instead: its ports are the node's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from pflow_studio.app.editors import TextEditor
from pflow_studio.canvas import levels
from pflow_studio.canvas.boundaries import port_owner
from pflow_studio.nodes.api import NodeType
from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.model import ModelError, Node


def add_section(canvas: Any, node: Node, instance: NodeType, layout: QVBoxLayout, page: QWidget,
                editors: dict[str, QWidget], refresh: Callable[[], None]) -> None:
    """Add the section for `node` (a container shown on the canvas's level) to `layout`; its name fields
    go in `editors` as "port:input:<name>" / "port:output:<name>"; `refresh` rebuilds the form."""
    sides = [("input", [p.name for p in instance.input_ports()]), ("output", [p.name for p in instance.output_ports()])]
    renamable = [(side, name) for side, names in sides for name in names if _renamable(canvas, node, side, name)]
    if not renamable and node.type_name == GROUP_TYPE:
        return
    box = QGroupBox("Port names", page)
    form = QFormLayout(box)
    layout.addWidget(box)
    if not renamable:
        function = next(iter(node.body.nodes.values()), None) if node.body is not None else None
        name = levels.display_label(function) if function is not None else "its node"
        kind = levels.display_label(node)
        hint = QLabel(f"The ports are those of '{name}'. To name them, open '{kind}' and collapse "
                      f"'{name}' into a Group (Ctrl+G).", box)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form.addRow(hint)
        return
    for side, name in renamable:
        editor = TextEditor(name, _renamer(canvas, node.id, side, name, refresh))
        editor.check = lambda text: "" if text.strip() else "a port needs a name"
        editor.setToolTip(f"The {side} '{name}': a new name here renames it where it is used too")
        editors[f"port:{side}:{name}"] = editor
        form.addRow(f"{side} {name}", editor)


def _renamable(canvas: Any, node: Node, side: str, name: str) -> bool:
    try:
        port_owner(canvas.workflow(), canvas.level_path(), node.id, side, name)
    except ModelError:
        return False
    return True


def _renamer(canvas: Any, node_id: str, side: str, old: str, refresh: Callable[[], None]) -> Callable[[Any], None]:
    def rename(new: Any) -> None:
        if not canvas.rename_port(node_id, side, old, str(new).strip()):
            refresh()
    return rename
