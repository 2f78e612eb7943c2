"""The edited document without a view: edits by level path, one undo step each, announced by
`level_edited(path, select)`; refusals change nothing and say why."""

from __future__ import annotations

import pytest

from pflow_studio.canvas import WorkflowDocument
from pflow_studio.canvas.levels import INPUTS_NODE
from pflow_studio.runtime import operations
from pflow_studio.runtime.model import PortRef
from pflow_studio.runtime.registry import default_registry
from tests.support.workflows import sample


@pytest.fixture
def document(qtbot) -> WorkflowDocument:
    """A document editing sample(), recording what it announces in `document.announced`."""
    document = WorkflowDocument(default_registry())
    document.set_workflow(sample())
    document.announced = []
    document.level_edited.connect(lambda path, select: document.announced.append((path, select)))
    return document


def test_an_edit_is_announced_on_push_undo_and_redo(document):
    added = document.add_node((), "math.negate", (0.0, 400.0))
    assert document.announced == [((), [added])]
    document.undo_stack.undo()
    assert added not in document.workflow().nodes
    document.undo_stack.redo()
    assert added in document.workflow().nodes
    assert document.announced == [((), [added]), ((), []), ((), [added])]


def test_edits_inside_a_group_name_its_path(document):
    [group] = document.edit_level((), "collapse", lambda level: [operations.collapse(level, ["add", "mul"]).id])
    assert document.is_group_level((group,)) and not document.is_group_level(())
    document.announced.clear()
    document.set_field((group,), "mul", "input_values", "b", 7.0, "set input b")
    assert document.announced == [((group,), [])]
    assert document.node_at((group, "mul")).input_values == {"b": 7.0}
    [boundary] = [b for b in document.level((group,)).inputs if PortRef("add", "a") in b.targets]
    assert document.change_edges((group,), [(PortRef(INPUTS_NODE, boundary.name), PortRef("add", "a"))], [],
                                 "disconnect")
    assert PortRef("add", "a") not in boundary.targets and document.undo_stack.count() == 3
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.node_at((group, "mul")).input_values == {"b": 10.0}
    assert document.announced[-2:] == [((group,), []), ((group,), [])]


def test_a_refused_edit_changes_nothing_and_says_why(qtbot, document):
    before = document.workflow().canonical()
    with qtbot.waitSignal(document.message) as blocker:
        assert not document.change_edges((), [], [(PortRef("mul", "result"), PortRef("add", "a"))], "connect")
    assert "cycle" in blocker.args[0]
    assert document.workflow().canonical() == before
    assert document.undo_stack.count() == 0 and document.announced == []


def test_set_workflow_replaces_the_model_and_clears_the_history(qtbot, document):
    document.move_nodes((), {"add": [1.0, 2.0]})
    assert document.undo_stack.canUndo()
    replacement = sample()
    with qtbot.waitSignal(document.replaced):
        document.set_workflow(replacement)
    assert document.workflow() is replacement
    assert not document.undo_stack.canUndo()

