"""Select all / bulk selection: each wire is restyled once, and wires look as NodeGraphQt makes them."""

from __future__ import annotations

import pytest
from NodeGraphQt.qgraphics.pipe import PipeItem

from pflow_studio.runtime.model import Workflow


def chain(count: int) -> Workflow:
    workflow = Workflow()
    previous = None
    for i in range(count):
        workflow.add_node("math.add", id=f"n{i}", label=f"add {i}", pos=(i * 220.0, 0.0))
        if previous is not None:
            workflow.connect(previous, "result", f"n{i}", "a")
        previous = f"n{i}"
    return workflow


@pytest.fixture
def wire_calls(monkeypatch) -> dict[str, int]:
    """Counts of wire restyles (PipeItem.highlight / reset), the real methods still run."""
    calls = {"highlight": 0, "reset": 0}
    for name in calls:
        original = getattr(PipeItem, name)

        def counted(self, _original=original, _name=name):
            calls[_name] += 1
            return _original(self)

        monkeypatch.setattr(PipeItem, name, counted)
    return calls


def highlighted(canvas) -> set[str]:
    """Target node ids of the highlighted wires on the shown level."""
    wires = {pipe for node in canvas._view.nodes.values() for port in node.view.inputs
             for pipe in port.connected_pipes}
    return {pipe.input_port.node.id for pipe in wires if pipe.highlighted()}


def test_select_all_restyles_each_wire_once(canvas, wire_calls):
    canvas.set_workflow(chain(60))
    wire_calls.update(highlight=0, reset=0)
    canvas.select_all()
    assert len(canvas.selected_node_ids()) == 60
    # NodeGraphQt alone resets + highlights every wire once per end: 118 resets, 118 highlights
    assert wire_calls == {"highlight": 59, "reset": 0}
    assert highlighted(canvas) == {f"n{i}" for i in range(1, 60)}
    canvas.select([])
    assert wire_calls["reset"] == 59
    assert highlighted(canvas) == set()


def test_bulk_selection_leaves_wires_as_nodegraphqt_would(canvas):
    canvas.set_workflow(chain(5))
    canvas.select(["n2"])
    assert highlighted(canvas) == {"n2", "n3"}  # its input wire and its output wire
    canvas.select(["n0", "n2"])
    assert highlighted(canvas) == {"n1", "n2", "n3"}
    canvas.select(["n4"])
    assert highlighted(canvas) == {"n4"}
    # a plain Qt selection change (not bulk) still goes through NodeGraphQt's own handler
    canvas.view_node("n0").view.setSelected(True)
    assert highlighted(canvas) == {"n1", "n4"}
