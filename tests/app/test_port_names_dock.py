"""The properties dock renames a Group's ports, and a Map's over a Group; a Map over a plain node says how."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from pflow_studio.app.properties_panel import PropertiesPanel
from tests.app.test_window_editing import type_into
from tests.canvas.test_port_names import collapsed


@pytest.fixture
def panel(qtbot, canvas) -> PropertiesPanel:
    panel = PropertiesPanel(canvas, canvas.registry)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def show(qtbot, panel, node_id: str) -> None:
    panel.canvas.select([node_id])
    qtbot.waitUntil(lambda: panel.shown_id == node_id and not panel.pending, timeout=2000)


def test_the_dock_renames_group_and_map_ports_undoably(qtbot, canvas, panel):
    group = collapsed(canvas)
    show(qtbot, panel, group)
    assert [k for k in panel.editors if k.startswith("port:")] == [
        "port:input:a", "port:input:b", "port:input:b_2", "port:output:result"]
    type_into(qtbot, panel.editors["port:input:b_2"], "offset")
    assert [b.name for b in canvas.node_at((group,)).body.inputs] == ["a", "b", "offset"]
    qtbot.waitUntil(lambda: "port:input:offset" in panel.editors and not panel.pending, timeout=2000)
    type_into(qtbot, panel.editors["port:input:offset"], "a")  # taken: refused, the field shows the name again
    qtbot.waitUntil(lambda: not panel.pending, timeout=2000)
    assert panel.editors["port:input:offset"].text() == "offset"
    canvas.select([group])
    map_id = canvas.wrap_selected_in_map()
    show(qtbot, panel, map_id)
    type_into(qtbot, panel.editors["port:output:result"], "total")
    assert list(canvas.view_node(map_id).outputs()) == ["total"]
    canvas.undo_stack.undo()
    assert list(canvas.view_node(map_id).outputs()) == ["result"]


def test_a_map_over_a_plain_node_explains_where_its_port_names_come_from(qtbot, canvas, panel):
    multiply = canvas.add_node("math.multiply", (0, 0))
    canvas.select([multiply])
    map_id = canvas.wrap_selected_in_map()
    show(qtbot, panel, map_id)
    assert not [k for k in panel.editors if k.startswith("port:")]
    texts = [label.text() for label in panel.scroll.widget().findChildren(QLabel)]
    assert any("collapse 'Multiply' into a Group" in text for text in texts), texts
