"""The math nodes on numpy arrays: elementwise as numpy computes, errors for shapes that do not broadcast, and
arrays wired into them through the executor (cache included)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library import arithmetic as ar
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate

X = np.array([1.0, -2.0, 3.0])


@pytest.mark.parametrize(("node_type", "a", "b", "expected"), [
    (ar.Add, X, 1, [2.0, -1.0, 4.0]),
    (ar.Subtract, 1, X, [0.0, 3.0, -2.0]),
    (ar.Multiply, X, X, [1.0, 4.0, 9.0]),
    (ar.Power, X, 2, [1.0, 4.0, 9.0]),
    (ar.Modulo, X, 2, [1.0, 0.0, 1.0]),
    (ar.Minimum, X, 0, [0.0, -2.0, 0.0]),
    (ar.Maximum, 0, X, [1.0, 0.0, 3.0]),
    (ar.Add, X.reshape(3, 1), X, (X.reshape(3, 1) + X).tolist()),
])
def test_binary_nodes_work_elementwise(node_type, a, b, expected):
    result = node_type().compute(a=a, b=b)["result"]
    assert isinstance(result, np.ndarray) and result.tolist() == expected


def test_compare_gives_an_array_of_bools_and_unary_nodes_work_too():
    assert ar.Compare({"op": ">"}).compute(a=X, b=0)["result"].tolist() == [True, False, True]
    assert ar.Negate().compute(value=X)["result"].tolist() == [-1.0, 2.0, -3.0]
    assert ar.Absolute().compute(value=X)["result"].tolist() == [1.0, 2.0, 3.0]
    assert ar.Round().compute(value=np.array([1.26, 2.54]), digits=1)["result"].tolist() == [1.3, 2.5]


def test_division_by_zero_in_an_array_is_inf_as_in_numpy_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ar.Divide().compute(a=X, b=np.array([0.0, 1.0, 0.0]))["result"]
    assert result.tolist() == [np.inf, -2.0, np.inf]


def test_shapes_that_do_not_broadcast_are_an_error_naming_them():
    with pytest.raises(NodeError, match=r"cannot compute array\(3,\) \+ array\(4,\): operands could not be "
                                        r"broadcast together"):
        ar.Add().compute(a=X, b=np.zeros(4))
    with pytest.raises(NodeError, match=r"max\(array\(3,\), array\(2,\)\)"):
        ar.Maximum().compute(a=X, b=np.zeros(2))


def _sweep() -> Workflow:
    wf = Workflow()
    wf.add_node("array.linspace", id="xs", inputs={"start": 0.0, "stop": 2.0, "num": 5})
    wf.add_node("math.multiply", id="double", inputs={"b": 2.0})
    wf.add_node("array.sum", id="total", is_output=True)
    wf.connect("xs", "array", "double", "a")
    wf.connect("double", "result", "total", "array")
    return wf


def test_arrays_flow_from_array_nodes_through_math_nodes_and_are_cached():
    wf = _sweep()
    assert validate(wf, default_registry()) == []
    executor = Executor(default_registry())
    first = executor.run(wf)
    assert first.ok, first.failures
    assert first.outputs["total"] == {"result": 10.0}
    again = executor.run(wf)
    assert again.outputs["total"] == {"result": 10.0} and again.states["double"] == "cached"
    wf.nodes["xs"].input_values["num"] = 3
    assert executor.run(wf).outputs["total"] == {"result": 6.0}


def test_an_array_input_takes_a_json_list_as_its_own_value():
    wf = Workflow()
    wf.add_node("array.mean", id="mean", inputs={"array": [1, 2, 3, 6]}, is_output=True)
    assert validate(wf, default_registry()) == []
    assert Executor(default_registry(), cache=False).run(wf).outputs["mean"] == {"result": 3.0}
    wf.nodes["mean"].input_values["array"] = "text"
    assert [p.message for p in validate(wf, default_registry())] == ["value 'text' does not fit type array"]
