"""The canvas and the nesting limit (issue 11, point 4): it opens the deepest file load allows and shows its
deepest level; an edit that would nest one level more (collapse, wrap in a Map, paste a Group) is refused with
the limit's message and changes nothing."""

from __future__ import annotations

import pytest

from pflow_studio.project.file_format import loads
from pflow_studio.runtime.nesting import MAX_NESTING
from tests.support.projects import nested_groups

pytestmark = pytest.mark.fault

PATH = tuple(f"g{level}" for level in reversed(range(MAX_NESTING)))  # top Group first


@pytest.fixture
def deepest(canvas):
    """The canvas showing the deepest file load allows, at its top level."""
    canvas.set_workflow(loads(nested_groups(MAX_NESTING)).workflow)
    return canvas


def test_opens_the_deepest_allowed_file_down_to_its_last_level(deepest):
    assert set(deepest._view.nodes) == {"one", PATH[0]}
    deepest.go_to(PATH)
    assert deepest.level_path() == PATH and "leaf" in deepest._view.nodes


@pytest.mark.parametrize("edit", ["collapse_selection", "wrap_selected_in_map"])
def test_an_edit_one_level_deeper_is_refused(qtbot, deepest, edit):
    deepest.go_to(PATH)
    before = deepest.workflow().canonical()
    deepest.select(["leaf"])
    with qtbot.waitSignal(deepest.message) as blocker:
        assert getattr(deepest, edit)() is None
    assert blocker.args[0].endswith(f"Groups nest {MAX_NESTING + 1} deep at '{'/'.join(PATH[:3])}/.../g1/g0/"
                                    f"{blocker.args[0].split('/')[-1]}")
    assert f"at most {MAX_NESTING} levels are supported" in blocker.args[0]
    assert deepest.workflow().canonical() == before and not deepest.undo_stack.canUndo()


def test_pasting_a_group_one_level_too_deep_is_refused(qtbot, deepest):
    deepest.go_to(PATH[:1])
    deepest.select([PATH[1]])
    deepest.copy()
    deepest.go_to(PATH)
    before = deepest.workflow().canonical()
    with qtbot.waitSignal(deepest.message) as blocker:
        deepest.paste()
    assert blocker.args[0].startswith(f"cannot paste: Groups nest {2 * MAX_NESTING - 1} deep at "
                                      f"'{'/'.join(PATH[:3])}/...")
    assert deepest.workflow().canonical() == before
