"""The failing line of a Python node's code (runtime.user_code): from a traceback, a failed run, a failed Map
element or a syntax error; never for code edited since."""

from __future__ import annotations

import traceback

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.user_code import code_file, failing_line, user_code_line

REGISTRY = default_registry()
SOURCE = "def f(v):\n    return 1 / v\n\nresult = [f(v) for v in x]\n"


def test_the_innermost_frame_of_the_nodes_code_is_the_failing_line():
    workflow = Workflow()
    node = workflow.add_node("py.code", {"code": SOURCE, "inputs": ["x"]}, id="code")
    instance = REGISTRY.get("py.code")(dict(node.properties))
    try:
        instance.compute(x=[1, 0])
    except ZeroDivisionError as exc:
        text = "".join(traceback.format_exception(exc))
    filename = code_file(node)
    assert text.count(filename) >= 2  # the list's line, then the function's
    assert failing_line(text, filename) == 2 == user_code_line(text, node)
    assert failing_line(text, "<py.code-00000000>") is None
    node.properties["code"] = SOURCE + "\n"  # edited: another file name, so no line of it failed
    assert failing_line(text, code_file(node)) is None and user_code_line(text, node) is None
    adder = workflow.add_node("math.add", id="add")
    assert code_file(adder) is None and user_code_line(text, adder) is None


def test_the_line_of_a_failed_node_and_of_a_failed_element():
    workflow = Workflow()
    workflow.add_node("py.code", {"code": "y = 1\nz = y / x\n", "inputs": ["x"], "outputs": ["z"]},
                      id="code", inputs={"x": 0})
    workflow.add_node("py.expression", {"expression": "10 // (x - 2)"}, id="each", inputs={"x": 0})
    wrap_in_map(workflow, "each", mapped=["x"], map_id="map", registry=REGISTRY)
    workflow.nodes["map"].input_values["x"] = [1, 2, 3]
    result = Executor(REGISTRY).run(workflow)
    failures = {failure.path: failure for failure in result.failures}
    assert user_code_line(failures[("code",)].traceback, workflow.nodes["code"]) == 2
    element = failures[("map",)].details[0]
    assert element["index"] == 1
    assert user_code_line(element["traceback"], workflow.nodes["map"].body.nodes["each"]) == 1
    assert user_code_line(failures[("code",)].traceback, workflow.nodes["map"].body.nodes["each"]) is None


def test_a_syntax_error_gives_its_line_while_the_code_still_fails_there():
    workflow = Workflow()
    node = workflow.add_node("py.code", {"code": "a = 1\nb = (\n", "inputs": []}, id="code")
    message = REGISTRY.get("py.code")(dict(node.properties)).check()[0]
    assert message.startswith("syntax error in code at line 2")
    assert user_code_line(message, node) == 2
    node.properties["code"] = "a = 1\nb = 2\n"
    assert user_code_line(message, node) is None
