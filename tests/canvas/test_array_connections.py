"""The canvas's connection rules with array and figure ports: lists and numbers feed arrays, arrays feed math
inputs and list inputs, figures go only to figure inputs."""

from __future__ import annotations

from pflow_studio.canvas.connection_rules import connection_problem
from pflow_studio.runtime.model import PortRef, Workflow
from pflow_studio.runtime.registry import default_registry


def _level() -> Workflow:
    wf = Workflow()
    wf.add_node("list.range", id="range")
    wf.add_node("array.linspace", id="xs")
    wf.add_node("math.multiply", id="double")
    wf.add_node("plot.line", id="plot")
    wf.add_node("plot.save", id="save")
    wf.add_node("list.length", id="length")
    return wf


def _problem(out: tuple[str, str], inp: tuple[str, str]) -> str:
    return connection_problem(_level(), PortRef(*out), PortRef(*inp), False, default_registry())


def test_lists_numbers_and_arrays_connect_where_numpy_takes_them():
    assert _problem(("range", "result"), ("plot", "y")) == ""
    assert _problem(("xs", "array"), ("double", "a")) == ""
    assert _problem(("double", "result"), ("plot", "x")) == ""
    assert _problem(("plot", "figure"), ("save", "figure")) == ""
    assert _problem(("xs", "array"), ("length", "list")) == ""  # a list input takes an array's items


def test_figures_and_arrays_are_refused_where_they_do_not_fit():
    assert _problem(("xs", "array"), ("plot", "title")) == (
        "refused: type mismatch: output 'array' of 'Linspace' is array, input 'title' of 'Line Plot' takes str")
    assert "output 'figure' of 'Line Plot' is figure" in _problem(("plot", "figure"), ("double", "a"))
    assert "takes figure" in _problem(("xs", "array"), ("save", "figure"))
