"""F1 (Help > Node Help) on a selected node opens its type's page, made from the node library's definitions:
description, inputs, outputs, properties with types and defaults; without a selection, the index of all
types, whose links open their pages."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from pflow_studio.app.help.pages import NODE_LINK, index_page, node_page
from pflow_studio.runtime.model import Workflow


def test_f1_on_a_node_shows_its_inputs_outputs_and_properties(window, qtbot):
    workflow = Workflow()
    workflow.add_node("py.code", {"code": "y = x * 2", "inputs": ["x"], "outputs": ["y"]}, id="code")
    window.canvas.set_workflow(workflow)
    window.canvas.select(["code"])
    action = window.actions["node_help"]
    assert action.shortcut().toString() == "F1"
    action.trigger()
    dialog = window.help.node_help
    assert dialog.isVisible() and dialog.type_name == "py.code"
    text = dialog.browser.toPlainText()
    node_type = window.registry.get("py.code")
    assert node_type.display_name() in text and node_type.description() in text
    for heading in ("Inputs", "Outputs", "Properties"):
        assert heading in text
    for prop in node_type.properties:
        assert prop.name in text and prop.type in text
    assert "x" in text and "y" in text  # this node's own ports


def test_every_node_type_has_a_page_listing_its_ports_and_defaults(window):
    for node_type in window.registry:
        page = node_page(node_type)
        for port in [*node_type.inputs, *node_type.outputs, *node_type.properties]:
            assert f"<b>{port.name}</b>" in page, (node_type.type_name, port.name)
    add = node_page(window.registry.get("math.add"))
    assert "<td>float</td>" in add
    assert node_page(window.registry.get("core.map")).count("zip") >= 2  # default and choices of `combine`


def test_without_a_selection_the_index_links_to_each_page(window):
    window.canvas.set_workflow(Workflow())
    window.actions["node_help"].trigger()
    dialog = window.help.node_help
    assert dialog.type_name == ""
    index = index_page(window.registry)
    assert all(f"{NODE_LINK}{t.type_name}" in index for t in window.registry)
    dialog.browser.anchorClicked.emit(QUrl(f"{NODE_LINK}math.add"))
    assert dialog.type_name == "math.add" and "Add" in dialog.windowTitle()
