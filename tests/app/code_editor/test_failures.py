"""Finding the failing line of a node's code in a traceback (no widgets)."""

from __future__ import annotations

import traceback

from pflow_studio.app.code_editor.failures import code_file, failing_line
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry

SOURCE = "def f(v):\n    return 1 / v\n\nresult = [f(v) for v in x]\n"


def test_the_innermost_frame_of_the_nodes_code_is_the_failing_line():
    workflow = Workflow()
    node = workflow.add_node("py.code", {"code": SOURCE, "inputs": ["x"]}, id="code")
    instance = default_registry().get("py.code")(dict(node.properties))
    try:
        instance.compute(x=[1, 0])
    except ZeroDivisionError as exc:
        text = "".join(traceback.format_exception(exc))
    filename = code_file(node)
    assert text.count(filename) >= 2  # the list's line, then the function's
    assert failing_line(text, filename) == 2
    assert failing_line(text, "<py.code-00000000>") is None
    node.properties["code"] = SOURCE + "\n"  # edited: another file name, so no line of it failed
    assert failing_line(text, code_file(node)) is None
    assert code_file(workflow.add_node("math.add", id="add")) is None
