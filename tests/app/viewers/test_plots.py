"""Plots and pictures draw something: a 1-D array's line, a 2-D array's heatmap, a figure value and an image are
not all background; long lines are reduced to their min / max envelope."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from PySide6.QtCore import Qt

from pflow_studio.app.viewers.plots import HEATMAP_SIDE, decimate, downsample_minmax
from tests.support.viewers import drawn_share, shown_frame

pytestmark = pytest.mark.timeout(120)


def plotted(qtbot, frame):
    """The widget holding the drawing of a frame's viewer, once painted."""
    viewer = frame.viewer
    widget = viewer.plot if hasattr(viewer, "plot") else viewer.view
    qtbot.waitUntil(lambda: widget.isVisible())
    qtbot.wait(50)
    return widget


@pytest.mark.parametrize("value", [np.sin(np.linspace(0, 20, 10_000_000)), np.random.default_rng(1).random((200, 300))],
                         ids=["line of 10^7 points", "heatmap"])
def test_an_array_plot_is_drawn(qtbot, value):
    widget = plotted(qtbot, shown_frame(qtbot, value))
    assert drawn_share(widget) > 0.02


def test_a_figure_value_is_drawn_and_left_as_it_was(qtbot):
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().plot([0, 1, 2, 3], [0, 3, 1, 2], linewidth=4, color="red")
    canvas = figure.canvas
    frame = shown_frame(qtbot, figure)
    assert drawn_share(plotted(qtbot, frame)) > 0.02
    assert figure.canvas is canvas  # the viewer drew a copy


def test_in_a_wide_pane_the_toolbar_stands_beside_the_figure(qtbot):
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().plot([0, 1, 2])
    frame = shown_frame(qtbot, figure, size=(900, 300))
    view = plotted(qtbot, frame)
    toolbar, canvas = view.toolbar, view.canvas
    assert toolbar.orientation() == Qt.Orientation.Vertical
    assert toolbar.geometry().right() < canvas.geometry().left() and canvas.height() > 0.8 * view.height()
    frame.resize(600, 600)
    qtbot.waitUntil(lambda: toolbar.orientation() == Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: toolbar.geometry().bottom() < canvas.geometry().top())


def test_an_image_array_is_drawn_in_its_colours(qtbot):
    image = np.zeros((40, 60, 3), np.uint8)
    image[:, :30] = (255, 0, 0)
    image[:, 30:] = (0, 0, 255)
    widget = plotted(qtbot, shown_frame(qtbot, image))
    picture = widget.grab().toImage()
    colours = {picture.pixelColor(x, picture.height() // 2).getRgb()[:3] for x in range(picture.width())}
    assert (255, 0, 0) in colours and (0, 0, 255) in colours


def test_downsampling_keeps_the_envelope():
    values = np.random.default_rng(2).normal(size=1_000_003)
    values[777_777] = 50.0
    values[12] = np.nan
    x, y = downsample_minmax(values, columns=1_000)
    assert len(y) <= 2_002 and len(x) == len(y)
    assert np.nanmax(y) == 50.0 and np.nanmin(y) == np.nanmin(values)
    assert x[-1] < len(values)
    short = np.arange(10)
    assert np.array_equal(downsample_minmax(short)[1], short)
    shown, steps = decimate(np.zeros((5_000, 300)), side=1_000)
    assert steps == (5, 1) and shown.shape == (1_000, 300)
    assert decimate(np.zeros((10, 1_000_001)), side=1_000)[0].shape == (10, 1_000)
    assert max(decimate(np.zeros((1_000, 10_000)))[0].shape) <= HEATMAP_SIDE
