"""What "Open in Console" binds (app/console/names.py): a node's outputs and a Map element's inputs and outputs by
name, names that are no identifiers or clash with the fixed ones left to the dicts, and the lines saying so."""

from __future__ import annotations

import numpy

from pflow_studio.app.console.names import describe, element_names, output_names


def test_a_nodes_outputs_one_port_and_several():
    assert output_names({"result": 5}) == {"value": 5, "outputs": {"result": 5}, "result": 5}
    names = output_names({"a": 1, "b": 2})
    assert names["value"] == {"a": 1, "b": 2} and (names["a"], names["b"]) == (1, 2)


def test_an_elements_inputs_outputs_index_and_error():
    names = element_names(4, {"x": 4}, {"y": 40}, {"offset": 0})
    assert names == {"value": 40, "outputs": {"y": 40}, "y": 40, "offset": 0, "x": 4,
                     "inputs": {"offset": 0, "x": 4}, "index": 4}
    failed = element_names(3, {"x": 3}, None, None, "ValueError: no score for 3")
    assert (failed["value"], failed["error"], failed["x"]) == (None, "ValueError: no score for 3", 3)
    assert element_names(0, None, 7)["value"] == 7  # a whole-result output


def test_ports_that_are_no_names_stay_in_the_dicts():
    names = element_names(1, {"my input": 1, "class": 2, "value": 3, "index": 4}, {"out-1": 5})
    assert names["inputs"] == {"my input": 1, "class": 2, "value": 3, "index": 4}
    assert (names["value"], names["index"]) == (5, 1)  # the fixed names win
    assert not {"my input", "class", "out-1"} & set(names)


def test_describe_says_each_name_in_short():
    text = describe({"value": list(range(100)), "grid": numpy.zeros((3, 4)), "x": "a" * 500})
    lines = text.splitlines()
    assert lines[0].startswith("  value = [0, 1, 2") and "..." in lines[0]
    assert lines[1] == "  grid  = ndarray of shape (3, 4), dtype float64"
    assert len(lines[2]) < 110
