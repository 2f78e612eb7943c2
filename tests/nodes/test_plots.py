"""Plot nodes: each draws a labelled figure (pixels not all background), refuses inputs it cannot draw, and its
figure pickles (as to and from engines) into one that draws the same pixels."""

from __future__ import annotations

import pickle

import cloudpickle
import numpy as np
import pytest
from matplotlib.figure import Figure

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library import plots
from tests.support.figures import drawn_fraction, pixels

LABELS = {"title": "Decay", "x_label": "time", "y_label": "amplitude"}
T = np.linspace(0.0, 10.0, 200)


def _figures() -> dict[str, Figure]:
    return {
        "line": plots.LinePlot(LABELS).compute(y=np.exp(-T / 3) * np.cos(T), x=T)["figure"],
        "lines": plots.LinePlot(LABELS).compute(y=np.stack([T, T**2], axis=1), x=None)["figure"],
        "scatter": plots.ScatterPlot(LABELS).compute(x=T, y=np.sin(T), color=T)["figure"],
        "histogram": plots.Histogram(LABELS).compute(values=np.random.default_rng(1).normal(size=500))["figure"],
        "image": plots.ImagePlot(LABELS).compute(image=np.outer(np.sin(T[:40]), np.cos(T[:30])))["figure"],
    }


@pytest.mark.parametrize("name", ["line", "lines", "scatter", "histogram", "image"])
def test_every_plot_is_a_labelled_figure_that_draws_something(name):
    figure = _figures()[name]
    assert isinstance(figure, Figure)
    axes = figure.axes[0]
    assert (axes.get_title(), axes.get_xlabel(), axes.get_ylabel()) == ("Decay", "time", "amplitude")
    assert drawn_fraction(figure) > 0.02


def test_the_image_and_coloured_scatter_get_a_colour_bar_rgb_images_none():
    figures = _figures()
    assert len(figures["image"].axes) == 2 and len(figures["scatter"].axes) == 2
    assert len(figures["line"].axes) == 1
    rgb = plots.ImagePlot().compute(image=np.random.default_rng(0).random((8, 8, 3)))["figure"]
    assert len(rgb.axes) == 1


@pytest.mark.parametrize("node", [plots.LinePlot, plots.ScatterPlot, plots.Histogram, plots.ImagePlot])
def test_a_title_input_titles_the_plot_instead_of_the_property(node):
    data = np.outer(np.arange(4.0), np.arange(3.0))
    arrays = {"y": data[:, 0], "x": data[:, 1], "color": None, "values": data, "image": data}
    wanted = {port.name: arrays[port.name] for port in node.inputs if port.name in arrays}
    assert node(LABELS).compute(**wanted, title="zeta = 0.3")["figure"].axes[0].get_title() == "zeta = 0.3"
    assert node(LABELS).compute(**wanted, title=None)["figure"].axes[0].get_title() == "Decay"


def test_the_size_property_sets_the_figure_size():
    figure = plots.Histogram({"width": 3.0, "height": 2.0}).compute(values=[1, 2, 2, 3])["figure"]
    assert tuple(figure.get_size_inches()) == (3.0, 2.0)


@pytest.mark.parametrize(("node", "inputs", "message"), [
    (plots.ImagePlot(), {"image": np.zeros(5)}, r"input 'image' must be a 2-D or 3-D array, got shape \(5,\)"),
    (plots.ImagePlot(), {"image": np.zeros((4, 4, 2))}, r"H x W x 3 / 4 \(colours\), got shape \(4, 4, 2\)"),
    (plots.LinePlot(), {"y": [1, 2, 3], "x": [1, 2]}, "cannot draw the lines: x and y must have same first"),
    (plots.LinePlot(), {"y": np.array([1j]), "x": None}, "input 'y' must hold real numbers, not complex128"),
    (plots.ScatterPlot(), {"x": [1], "y": [[1]], "color": None}, "input 'y' must be a 1-D array"),
])
def test_inputs_that_cannot_be_drawn_are_refused(node, inputs, message):
    with pytest.raises(NodeError, match=message):
        node.compute(**inputs)


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_a_figure_pickles_into_one_drawing_the_same_pixels(dumps):
    for figure in _figures().values():
        copy = pickle.loads(dumps(figure))
        assert isinstance(copy, Figure) and copy is not figure
        assert np.array_equal(pixels(copy), pixels(figure))
