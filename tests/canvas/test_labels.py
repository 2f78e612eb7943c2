"""Node labels: named after the type, counted from 1 per name on each level, unique there after every edit."""

from __future__ import annotations

from collections import Counter

from pflow_studio.canvas import levels


def shown_labels(canvas) -> list[str]:
    level = canvas.document.level(canvas.level_path())
    return [levels.display_label(n, canvas.registry) for n in level.nodes.values()]


def assert_unique(canvas) -> None:
    repeated = [label for label, count in Counter(shown_labels(canvas)).items() if count > 1]
    assert not repeated, shown_labels(canvas)


def test_the_first_map_and_group_on_an_empty_canvas_carry_the_bare_name(canvas):
    multiply = canvas.add_node("math.multiply", (0, 0))
    canvas.select([multiply])
    first = canvas.wrap_selected_in_map()
    assert canvas.node_at((first,)).label == "Map"
    add = canvas.add_node("math.add", (0, 200))
    canvas.select([add])
    assert canvas.node_at((canvas.wrap_selected_in_map(),)).label == "Map_2"
    one, two = canvas.add_node("math.add", (0, 400)), canvas.add_node("math.negate", (200, 400))
    canvas.select([one, two])
    group = canvas.collapse_selection()
    assert canvas.node_at((group,)).label == "Group"
    canvas.select([canvas.add_node("math.add", (0, 600)), canvas.add_node("math.add", (200, 600))])
    assert canvas.node_at((canvas.wrap_selected_in_map(),)).label == "Map_3"  # its Group is inside it
    assert_unique(canvas)


def test_nested_maps_count_on_their_own_level(canvas):
    multiply = canvas.add_node("math.multiply", (0, 0))
    canvas.select([multiply])
    inner = canvas.wrap_selected_in_map()
    canvas.select([inner])
    outer = canvas.wrap_selected_in_map()  # a Map over a Map: the inner one goes into the body
    assert canvas.node_at((outer,)).label == "Map"
    assert canvas.node_at((outer, inner)).label == "Map"
    one, two = canvas.add_node("math.add", (0, 200)), canvas.add_node("math.add", (200, 200))
    canvas.select([one, two])
    group = canvas.collapse_selection()
    canvas.open_container(group)
    canvas.select([one])
    assert canvas.node_at((group, canvas.wrap_selected_in_map())).label == "Map"


def test_labels_stay_unique_after_paste_delete_undo_and_ungroup(canvas):
    multiply = canvas.add_node("math.multiply", (0, 0))
    canvas.select([multiply])
    first = canvas.wrap_selected_in_map()
    canvas.select([first])
    canvas.copy()
    canvas.paste()
    canvas.paste()
    assert sorted(shown_labels(canvas)) == ["Map", "Map_2", "Map_3"]
    canvas.select([first])
    canvas.delete_selected()
    again = canvas.add_node("core.map", (0, 300))
    assert canvas.node_at((again,)).label == "Map"
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    canvas.undo_stack.redo()
    assert_unique(canvas)
    assert sorted(shown_labels(canvas)) == ["Map_2", "Map_3"]
    canvas.select(list(canvas.workflow().nodes))
    group = canvas.collapse_selection()
    added = [canvas.add_node("core.map", (0, 600)), canvas.add_node("core.map", (0, 800))]
    assert [canvas.node_at((n,)).label for n in added] == ["Map", "Map_2"]  # the others are in the Group
    canvas.select([group])
    canvas.ungroup_selected()
    assert sorted(shown_labels(canvas)) == ["Map", "Map_2", "Map_3", "Map_4"]
