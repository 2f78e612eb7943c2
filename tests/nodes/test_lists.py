"""List nodes: range, length, concat, item, slice; errors name the index and the input."""

from __future__ import annotations

import numpy as np
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.lists import Concat, Item, Length, Range, Slice


@pytest.mark.parametrize(
    ("start", "stop", "step", "expected"),
    [(0, 5, 1, [0, 1, 2, 3, 4]), (2, 10, 3, [2, 5, 8]), (5, 0, -2, [5, 3, 1]), (3, 3, 1, []), (5, 0, 1, [])],
)
def test_range(start, stop, step, expected):
    assert Range().compute(start=start, stop=stop, step=step) == {"result": expected}


def test_range_ports_and_errors():
    node = Range()
    assert [(p.name, p.type, p.default) for p in node.input_ports()][::2] == [("start", "int", 0), ("step", "int", 1)]
    assert node.input_port("stop").required
    with pytest.raises(NodeError, match="input 'step' must not be 0"):
        node.compute(start=0, stop=3, step=0)
    with pytest.raises(NodeError, match=r"input 'stop' must be a whole number, not 2\.5"):
        node.compute(start=0, stop=2.5, step=1)


def test_length():
    node = Length()
    assert node.compute(list=[1, 2, 3]) == {"length": 3}
    assert node.compute(list=()) == {"length": 0}
    assert node.output_port("length").type == "int"
    with pytest.raises(NodeError, match="input 'list' must be a list, not int"):
        node.compute(list=5)


def test_concat_makes_a_new_list():
    a, b = [1, 2], (3,)
    result = Concat().compute(a=a, b=b)["result"]
    assert result == [1, 2, 3] and a == [1, 2]
    with pytest.raises(NodeError, match="input 'b' must be a list, not str"):
        Concat().compute(a=[], b="abc")


@pytest.mark.parametrize(("index", "expected"), [(0, "a"), (2, "c"), (-1, "c"), (-3, "a")])
def test_item(index, expected):
    assert Item().compute(list=["a", "b", "c"], index=index) == {"item": expected}


@pytest.mark.parametrize(("index", "length"), [(3, 3), (-4, 3), (0, 0)])
def test_item_out_of_range_names_index_and_length(index, length):
    with pytest.raises(NodeError, match=rf"^index {index} is out of range for a list of length {length}$"):
        Item().compute(list=list(range(length)), index=index)


def test_item_bad_inputs():
    with pytest.raises(NodeError, match="input 'index' must be a whole number, not '1'"):
        Item().compute(list=[1, 2], index="1")
    with pytest.raises(NodeError, match="input 'list' must be a list, not dict"):
        Item().compute(list={"a": 1}, index=0)


@pytest.mark.parametrize(
    ("start", "stop", "step", "expected"),
    [
        (None, None, None, [0, 1, 2, 3, 4, 5]),
        (2, None, None, [2, 3, 4, 5]),
        (None, 2, None, [0, 1]),
        (1, -1, 2, [1, 3]),
        (None, None, -1, [5, 4, 3, 2, 1, 0]),
        (10, 20, None, []),
    ],
)
def test_slice(start, stop, step, expected):
    assert Slice().compute(list=list(range(6)), start=start, stop=stop, step=step) == {"result": expected}


def test_slice_ports_are_optional_and_step_zero_is_an_error():
    node = Slice()
    assert [p.name for p in node.input_ports() if not p.required] == ["start", "stop", "step"]
    with pytest.raises(NodeError, match="input 'step' must not be 0"):
        node.compute(list=[1], start=None, stop=None, step=0)
    assert node.compute(list=("a", "b"), start=None, stop=None, step=None) == {"result": ["a", "b"]}


def test_list_inputs_take_an_arrays_numbers_or_rows():
    numbers, grid = np.linspace(0.0, 1.0, 3), np.arange(6).reshape(3, 2)
    assert Length().compute(list=numbers) == {"length": 3}
    concatenated = Concat().compute(a=numbers, b=[7])["result"]
    assert concatenated == [0.0, 0.5, 1.0, 7] and type(concatenated[0]) is float  # not numpy's sum a + b
    assert Item().compute(list=grid, index=-1)["item"].tolist() == [4, 5]
    assert Slice().compute(list=numbers, start=1, stop=None, step=None) == {"result": [0.5, 1.0]}
    with pytest.raises(NodeError, match="input 'list' must be a list, not float64"):
        Length().compute(list=np.float64(2.0))
