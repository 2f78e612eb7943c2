"""The properties panel: label, properties, unconnected inputs and Map settings of one node.

It shows the node selected on the canvas's open level and edits it only through the canvas API
(`rename`, `set_property`, `set_input_value`), so every edit is undoable. Clearing an input's
text removes the node's own value (the port default applies again). It rebuilds itself
(deferred to the event loop, never inside an editor's own signal) when the selection or the
model changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pflow_studio.app import port_names_form
from pflow_studio.app.editors import REFUSE, TextEditor, make_editor
from pflow_studio.canvas import UNSET
from pflow_studio.nodes.api import NO_DEFAULT, NodeType, Prop
from pflow_studio.nodes.properties import expected, fits
from pflow_studio.nodes.registry import Registry, UnknownNodeType
from pflow_studio.runtime.container_types import MAP_TYPE
from pflow_studio.runtime.containers import is_function_container
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import Node, level_at

MAPPED_PER_ROW = 4  # the Map's mapped-input check boxes per row


def _hidden(type_name: str, instance: NodeType) -> set[str]:
    """Properties a Map or Filter does not use in its mode (`mapped` has its own checkboxes)."""
    if not is_function_container(instance):
        return set()
    if instance.values.get("mode") == "vistrails":
        return {"mapped", "combine"}
    return {"mapped", "input_ports"} | ({"output_port"} if type_name == MAP_TYPE else set())


class PropertiesPanel(QWidget):
    """Edits the selected node through `canvas` (see the module docstring); `refreshed` follows each rebuild."""

    refreshed = Signal()

    def __init__(self, canvas: Any, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.registry = registry
        self.node_id: str | None = None   # the selected node
        self.shown_id: str | None = None  # the node the form shows (set when it is rebuilt)
        self.editors: dict[str, QWidget] = {}  # "label", "prop:<name>", "input:<name>", "mapped:<name>", "port:..."
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._pending = False
        canvas.selection_changed.connect(self._selection_changed)
        canvas.changed.connect(self.schedule_refresh)
        canvas.level_changed.connect(lambda _levels: self._selection_changed(canvas.selected_node_ids()))
        self.refresh()

    # -- what to show ------------------------------------------------------------------------

    def _selection_changed(self, node_ids: list[str]) -> None:
        self.node_id = node_ids[0] if len(node_ids) == 1 else None
        self.schedule_refresh()

    @property
    def pending(self) -> bool:
        """True while a rebuild is scheduled but not done."""
        return self._pending

    def schedule_refresh(self) -> None:
        """Rebuild at the next turn of the event loop (once, however often it is asked)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.refresh)  # dropped if the panel is deleted first

    def current_node(self) -> Node | None:
        if self.node_id is None:
            return None
        try:
            return self.canvas.node_at((*self.canvas.level_path(), self.node_id))
        except (KeyError, ValueError, LookupError):
            return None

    def refresh(self) -> None:
        """Rebuild the form for the current node now."""
        self._pending = False
        self.editors = {}
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        page = QWidget()
        layout = QVBoxLayout(page)
        node = self.current_node()
        self.shown_id = node.id if node is not None else None
        if node is None:
            note = QLabel("Select one node to see its properties.", page)
            note.setObjectName("hint")
            note.setWordWrap(True)
            layout.addWidget(note)
        else:
            self._build(node, page, layout)
        layout.addStretch(1)
        self.scroll.setWidget(page)
        self.refreshed.emit()

    # -- the form ----------------------------------------------------------------------------

    def _build(self, node: Node, page: QWidget, layout: QVBoxLayout) -> None:
        try:
            node_class = self.registry.get(node.type_name)
            instance = instantiate(node, self.registry)
        except UnknownNodeType:
            layout.addWidget(QLabel(f"Unknown node type '{node.type_name}'.", page))
            return
        title = QLabel(f"<b>{node_class.display_name()}</b> <span style='color:gray'>{node.type_name}</span>", page)
        layout.addWidget(title)
        if node_class.description():
            about = QLabel(node_class.description(), page)
            about.setObjectName("hint")
            about.setWordWrap(True)
            layout.addWidget(about)
        form = self._section(layout, "Node", page)
        label = TextEditor(node.label, lambda text: self.canvas.rename(node.id, text), node.id)
        self.editors["label"] = label
        form.addRow("Label", label)
        self._properties(node, node_class, instance, layout, page)
        if is_function_container(instance):
            self._mapped(node, instance, layout, page)
        if node.body is not None:
            port_names_form.add_section(self.canvas, node, instance, layout, page, self.editors, self.schedule_refresh)
        self._inputs(node, instance, layout, page)

    def _section(self, layout: QVBoxLayout, title: str, page: QWidget) -> QFormLayout:
        box = QGroupBox(title, page)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addWidget(box)
        return form

    def _properties(self, node: Node, node_class: type[NodeType], instance: NodeType, layout: QVBoxLayout,
                    page: QWidget) -> None:
        props = [p for p in node_class.properties if p.name not in _hidden(node.type_name, instance)]
        if not props:
            return
        form = self._section(layout, "Properties", page)
        for prop in props:
            value = instance.values.get(prop.name)
            editor = make_editor(prop.type, value, self._setter(node.id, prop.name), prop.choices, prop.widget,
                                 placeholder=instance.empty_means(prop.name), check=_fits(prop),
                                 empty=_clearable(prop))
            editor.setToolTip(prop.doc)
            self.editors[f"prop:{prop.name}"] = editor
            if prop.widget in ("code", "expression"):  # the whole row's width, its name above it
                form.addRow(QLabel(prop.name, page))
                form.addRow(editor)
            else:
                form.addRow(prop.name, editor)

    def _mapped(self, node: Node, instance: Any, layout: QVBoxLayout, page: QWidget) -> None:
        function = instance.function()
        if function is None or instance.values.get("mode") == "vistrails":
            return
        form = self._section(layout, "Mapped inputs (one list element per task)", page)
        names = [p.name for p in function.input_ports()]
        mapped = [str(n) for n in instance.values.get("mapped") or []]
        grid = QGridLayout()  # MAPPED_PER_ROW boxes a row: a Map's settings fit the 1280x800 window
        for index, name in enumerate(names):
            box = QCheckBox(name, page)
            box.setChecked(name in mapped)
            box.setToolTip("checked: takes a list, one element per task; unchecked: one value for every task")
            box.toggled.connect(lambda checked, name=name: self._toggle_mapped(node.id, names, name, checked))
            self.editors[f"mapped:{name}"] = box
            grid.addWidget(box, *divmod(index, MAPPED_PER_ROW))
        form.addRow(grid)

    def _toggle_mapped(self, node_id: str, order: list[str], name: str, checked: bool) -> None:
        node = self.canvas.node_at((*self.canvas.level_path(), node_id))
        current = {str(n) for n in node.properties.get("mapped") or []}
        current = current | {name} if checked else current - {name}
        self.canvas.set_property(node_id, "mapped", [n for n in order if n in current])

    def _inputs(self, node: Node, instance: NodeType, layout: QVBoxLayout, page: QWidget) -> None:
        level = level_at(self.canvas.workflow(), self.canvas.level_path())
        connected = {edge.target.port for edge in level.incoming(node.id)}
        ports = [p for p in instance.input_ports() if p.name not in connected]
        if not ports:
            return
        form = self._section(layout, "Input values (unconnected inputs)", page)
        for port in ports:
            value = node.input_values.get(port.name)
            if port.default is not NO_DEFAULT:
                placeholder = f"default: {port.default!r}"
            else:
                placeholder = "optional" if port.optional else "required"
            editor = make_editor(port.type, value, self._input_setter(node.id, port.name), placeholder=placeholder,
                                 empty=UNSET)
            editor.setToolTip(f"{port.name}: {port.type}" + (f"\n{port.doc}" if port.doc else ""))
            self.editors[f"input:{port.name}"] = editor
            form.addRow(f"{port.name} ({port.type})", editor)

    def _setter(self, node_id: str, name: str) -> Any:
        return lambda value: self.canvas.set_property(node_id, name, value)

    def _input_setter(self, node_id: str, name: str) -> Any:
        return lambda value: self.canvas.set_input_value(node_id, name, value)


def _fits(prop: Prop) -> Callable[[Any], str]:
    """The dock's check of a typed property value: the one of load and validation (`nodes.properties`)."""
    return lambda value: "" if fits(prop, value) else f"'{prop.name}' must be {expected(prop)}"


def _clearable(prop: Prop) -> Any:
    """What a blank number field of `prop` means: None where the number is optional (default None, e.g. an
    array reduction's axis), else blank text is refused."""
    return None if prop.default is None and prop.type in ("int", "float") else REFUSE
