"""The Work items detail pane shows an element's inputs and outputs in their viewers, made only once shown and
settled; its output can be pinned in the Results dock and compared with the pinned one."""

from __future__ import annotations

import numpy as np
import pytest

from pflow_studio.app.viewers.value_tabs import SETTLE_MS
from tests.support.pictures import line_figure
from tests.support.work_items import picture_run_shown

pytestmark = pytest.mark.timeout(120)


def _settled(qtbot, tabs) -> None:
    qtbot.waitUntil(lambda: tabs.frames() != [], timeout=5_000)


def test_an_elements_inputs_and_outputs_get_their_viewers_once_shown(qtbot, window):
    panel = picture_run_shown(qtbot, window, 12, line_figure)
    detail = panel.detail
    detail.tab("printed")
    panel.select_rows([2])
    assert detail.outputs.values.keys() == {"y"} and detail.outputs.frames() == []  # not before it settles
    detail.tab("outputs")
    _settled(qtbot, detail.outputs)
    [frame] = detail.outputs.frames()
    assert (frame.entry.name, frame.title) == ("figure", "element 2.y")
    assert detail.inputs.frames() == [], "the Inputs tab was not shown: its viewers are not made"
    detail.tab("inputs")
    _settled(qtbot, detail.inputs)
    assert [(frame.title, frame.value, frame.entry.name) for frame in detail.inputs.frames()] == [
        ("element 2.x", 2, "scalar")]


def test_an_array_output_gets_the_array_viewer_and_a_failed_element_says_it_has_none(qtbot, window):
    panel = picture_run_shown(qtbot, window, 12, lambda i: np.full((3, 4), float(i)), failed_every=6)
    detail = panel.detail
    detail.tab("outputs")
    panel.select_rows([4])
    _settled(qtbot, detail.outputs)
    assert detail.outputs.frames()[0].entry.name == "array"
    panel.select_rows([5])  # failed
    assert detail.outputs.frames() == [] and detail.outputs.note.text() == "No outputs: this element failed."
    assert not detail.pin_action.isEnabled()


def test_going_through_a_thousand_elements_makes_the_viewers_of_the_last_only(qtbot, window):
    panel = picture_run_shown(qtbot, window, 1000, lambda i: np.arange(5.0) * i)
    detail = panel.detail
    detail.tab("outputs")
    panel.select_rows([0])
    _settled(qtbot, detail.outputs)
    built = detail.outputs.built
    for row in range(1, 1000):  # faster than SETTLE_MS apart
        panel.select_rows([row])
    qtbot.wait(SETTLE_MS * 3)
    assert detail.outputs.built == built + 1
    assert detail.outputs.frames()[0].value.tolist() == (np.arange(5.0) * 999).tolist()


def test_pin_puts_the_output_in_the_results_dock_and_compare_shows_two_elements_side_by_side(qtbot, window):
    panel = picture_run_shown(qtbot, window, 12, line_figure)
    detail = panel.detail
    detail.tab("outputs")
    panel.select_rows([3])
    detail.compare_action.trigger()
    assert "Pin a value first" in window.statusBar().currentMessage()
    detail.pin_action.trigger()
    [pinned] = window.results.pinned_frames()
    assert pinned.title == "element 3.y" and pinned.entry.name == "figure"
    panel.select_rows([7])
    _settled(qtbot, detail.outputs)
    detail.compare_action.trigger()
    [comparison] = window.results.comparisons
    assert [comparison.widget(i).title for i in range(comparison.count())] == ["element 3.y", "element 7.y"]
    comparison.close()
