"""The parameter-sweep example runs in the window as it does headless: a figure per element in the Map's
contact sheet, each titled with its damping ratio; the summary plot drawn in the Results dock."""

from __future__ import annotations

import pytest

from tests.support.pictures import colours
from tests.support.viewers import drawn_share
from tests.support.window import run_window
from tests.support.work_items import thumbnails_drawn

pytestmark = pytest.mark.timeout(180)
RATIOS = [0.15, 0.25, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0]


def test_the_parameter_sweep_runs_in_the_window(qtbot, window, workflows, dialogs):
    dialogs.answers["trust"] = True  # the example's Python code
    assert window.files.load(str(workflows.examples / "parameter_sweep.pflow"))
    assert run_window(qtbot, window).status == "ok"
    window.canvas.select(["summary"])
    [summary] = window.results.frames()
    view = summary.viewer.view
    qtbot.waitUntil(view.isVisible)
    assert drawn_share(view) > 0.02
    assert summary.value.axes[0].get_title() == "Settling time (|x| < 0.05)"

    window.canvas.select(["sweep"])
    outputs = dict(window.results.shown[1])
    assert [figure.axes[0].get_title() for figure in outputs["figure"]] == [
        f"Damped oscillator, damping ratio {ratio:g}" for ratio in RATIOS]
    assert window.work_items.show_selected()
    panel = window.work_items.panel
    panel.views.setCurrentWidget(panel.sheet)
    thumbnails_drawn(qtbot, panel)
    sheet, model = panel.sheet, panel.sheet.model()
    assert model.count == len(RATIOS)
    picture = sheet.viewport().grab().toImage()
    assert len(colours(picture.copy(sheet.visualRect(model.cell(0))))) > 20, "the element's plot is in its tile"
