"""The Arrays category: making arrays, stacking, reductions along an axis, and errors that say what numpy
refused."""

from __future__ import annotations

import numpy as np
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library import arrays as ar
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner
from pflow_studio.runtime.validation import validate


def test_from_list_keeps_the_shape_and_takes_a_dtype():
    made = ar.FromList().compute(values=[[1, 2], [3, 4]])["array"]
    assert made.shape == (2, 2) and made.dtype.kind == "i"
    assert ar.FromList({"dtype": "float32"}).compute(values=[1, 2])["array"].dtype == np.float32


def test_a_ragged_list_is_refused_with_numpy_reason():
    with pytest.raises(NodeError, match=r"cannot make an array of input 'values': .*inhomogeneous"):
        ar.FromList().compute(values=[[1, 2], [3]])
    with pytest.raises(NodeError, match="must be an array, a list or a number, not str"):
        ar.FromList().compute(values="123")


def test_linspace_and_arange():
    assert np.array_equal(ar.Linspace().compute(start=0.0, stop=1.0, num=5)["array"], [0, 0.25, 0.5, 0.75, 1])
    assert np.array_equal(ar.Linspace({"endpoint": False}).compute(start=0, stop=1, num=4)["array"],
                          [0, 0.25, 0.5, 0.75])
    assert np.array_equal(ar.Arange().compute(start=1, stop=2, step=0.25)["array"], [1, 1.25, 1.5, 1.75])


@pytest.mark.parametrize(("node", "inputs", "message"), [
    (ar.Arange(), {"start": 0, "stop": 1, "step": 0}, "input 'step' must not be 0"),
    (ar.Arange(), {"start": 0, "stop": 1e12, "step": 1e-3}, r"arange would make \d+ elements"),
    (ar.Linspace(), {"start": 0, "stop": 1, "num": -1}, "input 'num' must be a whole number of at least 0"),
    (ar.Linspace(), {"start": 0, "stop": 1, "num": 2**40}, "linspace would make"),
])
def test_sizes_that_make_no_sense_are_refused_before_allocating(node, inputs, message):
    with pytest.raises(NodeError, match=message):
        node.compute(**inputs)


def test_stack_joins_along_a_new_axis_and_names_a_shape_mismatch():
    assert ar.Stack().compute(arrays=[np.zeros(3), [1, 2, 3]])["array"].shape == (2, 3)
    assert ar.Stack({"axis": 1}).compute(arrays=[np.zeros(3), np.ones(3)])["array"].shape == (3, 2)
    with pytest.raises(NodeError, match="cannot stack the arrays: all input arrays must have the same shape"):
        ar.Stack().compute(arrays=[np.zeros(3), np.zeros(4)])
    with pytest.raises(NodeError, match="non-empty list"):
        ar.Stack().compute(arrays=[])


@pytest.mark.parametrize(("node_type", "whole", "along_0"), [
    (ar.Sum, 15.0, [3.0, 5.0, 7.0]),
    (ar.Mean, 2.5, [1.5, 2.5, 3.5]),
    (ar.Min, 0.0, [0.0, 1.0, 2.0]),
    (ar.Max, 5.0, [3.0, 4.0, 5.0]),
    (ar.Std, np.std(np.arange(6.0)), [1.5, 1.5, 1.5]),
])
def test_reductions_over_all_axes_give_a_python_number_and_along_an_axis_an_array(node_type, whole, along_0):
    data = np.arange(6.0).reshape(2, 3)
    result = node_type().compute(array=data)["result"]
    assert type(result) is float and result == pytest.approx(whole)
    assert np.allclose(node_type({"axis": 0}).compute(array=data)["result"], along_0)


def test_reductions_take_lists_a_ddof_and_name_a_bad_axis():
    assert ar.Sum().compute(array=[1, 2, 3])["result"] == 6 and type(ar.Sum().compute(array=[1, 2])["result"]) is int
    assert ar.Std({"ddof": 1}).compute(array=[1.0, 3.0])["result"] == pytest.approx(np.sqrt(2))
    with pytest.raises(NodeError, match=r"cannot take the sum of an array of shape \(3,\): axis 2 is out of bounds"):
        ar.Sum({"axis": 2}).compute(array=[1, 2, 3])
    with pytest.raises(NodeError, match="cannot take the maximum of an array of shape"):
        ar.Max().compute(array=[])


def test_to_list_gives_numbers_for_1d_and_rows_for_more():
    assert ar.ToList().compute(array=np.arange(3.0))["list"] == [0.0, 1.0, 2.0]
    assert all(type(v) is float for v in ar.ToList().compute(array=np.arange(3.0))["list"])
    rows = ar.ToList().compute(array=np.arange(6).reshape(3, 2))["list"]
    assert len(rows) == 3 and [r.tolist() for r in rows] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(NodeError, match="at least one dimension"):
        ar.ToList().compute(array=np.float64(2.0))


@pytest.mark.parametrize("through_to_list", [True, False], ids=["through Array to List", "directly"])
def test_a_map_runs_over_an_arrays_elements(through_to_list):
    body = Workflow()
    body.add_node("math.multiply", id="fn", inputs={"b": 10.0})
    wf = Workflow()
    wf.add_node("array.linspace", id="xs", inputs={"start": 0.0, "stop": 1.0, "num": 3})
    wf.add_node("core.map", {"mapped": ["a"]}, id="map", body=body, is_output=True)
    if through_to_list:
        wf.add_node("array.to_list", id="items")
        wf.connect("xs", "array", "items", "array")
        wf.connect("items", "list", "map", "a")
    else:
        wf.connect("xs", "array", "map", "a")
    assert validate(wf, default_registry()) == []
    result = Executor(default_registry(), runner=SerialRunner(), cache=False).run(wf)
    assert result.outputs["map"] == {"result": [0.0, 5.0, 10.0]}
