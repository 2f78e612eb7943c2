"""A Map over a plot node on a real cluster: numpy arrays go to engines as elements, each element's figure is
drawn there and comes back, one figure per element, drawing what the same element draws serially."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner
from tests.support.figures import pixels

pytestmark = pytest.mark.timeout(180)

SAMPLES = """import numpy as np
samples = [np.random.default_rng(i).normal(scale=i + 1, size=300) for i in range(4)]
"""


def histogram_map() -> Workflow:
    body = Workflow()
    body.add_node("plot.histogram", {"title": "Samples", "bins": 15}, id="fn")
    wf = Workflow()
    wf.add_node("py.code", {"inputs": [], "outputs": ["samples:list"], "code": SAMPLES}, id="samples")
    wf.add_node("core.map", {"mapped": ["values"]}, id="map", body=body, is_output=True)
    wf.connect("samples", "samples", "map", "values")
    return wf


def test_a_map_over_a_plot_node_gives_one_figure_per_element_drawn_on_the_engines(cluster):
    events: list[ev.Event] = []
    ours = Executor(default_registry(), runner=ClusterRunner(cluster.client), cache=False).run(
        histogram_map(), listeners=[events.append])
    serial = Executor(default_registry(), runner=SerialRunner(), cache=False).run(histogram_map())
    assert ours.ok, ours.failures
    figures = ours.outputs["map"]["figure"]
    assert len(figures) == 4 and all(isinstance(f, Figure) for f in figures)
    drawn = [pixels(f) for f in figures]
    assert all(np.array_equal(a, pixels(b)) for a, b in zip(drawn, serial.outputs["map"]["figure"], strict=True))
    assert not any(np.array_equal(drawn[i], drawn[j]) for i in range(4) for j in range(i + 1, 4))
    ran = [outcome for e in events if e.kind == ev.ITEMS for outcome in e.details["table"]]
    assert len(ran) == 4 and {outcome.engine for outcome in ran} <= set(cluster.client.ids)
