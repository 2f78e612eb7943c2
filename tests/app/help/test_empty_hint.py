"""An empty canvas says how to start; the hint goes when a node is added and comes back when the level is
empty again (delete, undo, a new project, an empty Group body)."""

from __future__ import annotations

from pflow_studio.app.help.empty_hint import HINT


def test_the_hint_shows_only_on_an_empty_level(window, qtbot):
    hint = window.help.hint
    assert hint.text() == HINT and "Tab" in HINT and "Examples" in HINT
    assert hint.isVisible()
    viewport = hint.parentWidget()
    assert viewport.rect().contains(hint.geometry())
    assert abs(hint.geometry().center().x() - viewport.rect().center().x()) <= 2
    window.add_node_at_centre("math.add")
    assert not hint.isVisible()
    window.canvas.undo_stack.undo()
    assert hint.isVisible()
    window.canvas.undo_stack.redo()
    window.canvas.select_all()
    window.canvas.delete_selected()
    assert hint.isVisible()


def test_the_hint_follows_the_shown_level(window, workflows, qtbot):
    window.canvas.set_workflow(workflows.map())
    hint = window.help.hint
    assert not hint.isVisible()
    window.canvas.go_to(("map",))
    assert not hint.isVisible()  # the Map's body holds its node
    window.files.new()
    assert hint.isVisible()
