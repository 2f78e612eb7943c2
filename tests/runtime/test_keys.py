"""Cache keys in one place (runtime.keys): what makes a cached node result or a stored Map element stale."""

from __future__ import annotations

import threading

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.keys import body_signature, element_key_prefix, element_keys, node_key
from pflow_studio.runtime.model import BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.registry import default_registry
from tests.support.nodes import Number, make_registry


def states(executor: Executor, workflow: Workflow) -> dict[str, str]:
    events: list[ev.Event] = []
    executor.run(workflow, listeners=[events.append])
    return {e.path[-1]: ("cached" if e.cached else e.kind) for e in events if e.kind == ev.FINISHED and e.path}


def test_a_group_holding_a_file_read_reruns_and_what_follows_sees_the_new_text(tmp_path):
    source = tmp_path / "words.txt"
    source.write_text("old")
    body = Workflow()
    body.add_node("file.read_text", id="read", inputs={"path": str(source)})
    body.outputs.append(BoundaryOutput("text", PortRef("read", "text")))
    workflow = Workflow()
    workflow.add_node("core.group", id="group", body=body)
    workflow.add_node("text.concat", id="shout", inputs={"b": "!"})
    workflow.connect("group", "text", "shout", "a")
    executor = Executor(default_registry())
    assert executor.run(workflow).outputs["shout"] == {"text": "old!"}
    source.write_text("new")
    assert executor.run(workflow).outputs["shout"] == {"text": "new!"}  # not the cached "old!"
    assert states(executor, workflow) == {"group": "finished", "read": "finished", "shout": "cached"}


def test_a_python_node_set_to_never_cache_runs_every_time():
    registry = default_registry()
    workflow = Workflow()
    workflow.add_node("py.expression", {"expression": "1 + 1", "inputs": []}, id="pure")
    workflow.add_node("py.expression", {"expression": "2 + 2", "inputs": [], "never_cache": True}, id="impure")
    executor = Executor(registry)
    executor.run(workflow)
    assert states(executor, workflow) == {"pure": "cached", "impure": "finished"}


def test_a_new_version_of_a_node_type_changes_its_key():
    class NumberV2(Number):
        version = "2"

    old, new = Registry(), Registry()
    old.register(Number)
    new.register(NumberV2)  # the same type name, a newer implementation
    workflow = Workflow()
    workflow.add_node("test.number", {"value": 3}, id="n")
    node = workflow.nodes["n"]
    assert node_key(node, old, {}) == node_key(node, old, {}) != node_key(node, new, {})
    assert body_signature(workflow, old) != body_signature(workflow, new)


def test_element_keys_follow_the_values_not_their_origin():
    registry = make_registry()
    body = Workflow()
    body.add_node("test.square_offset", id="fn")
    settings = {"mode": "ports", "mapped": ["x"], "combine": "zip"}
    prefix = element_key_prefix(body, "fn", settings, {"offset": 1.0}, registry)
    same = element_key_prefix(body, "fn", settings, {"offset": 1.0}, registry)
    other_broadcast = element_key_prefix(body, "fn", settings, {"offset": 2.0}, registry)
    edited = body.copy()
    edited.nodes["fn"].input_values["offset"] = 5.0
    other_body = element_key_prefix(edited, "fn", settings, {"offset": 1.0}, registry)
    assert prefix == same and len({prefix, other_broadcast, other_body}) == 3
    items = [{"x": 1, "offset": 1.0}, {"x": 2, "offset": 1.0}, {"x": 1, "offset": 1.0}, {"x": threading.Lock()}]
    first, second, again, unpicklable = element_keys(prefix, ["x"], items)
    assert first == again != second and unpicklable is None
    assert element_keys(other_broadcast, ["x"], items[:1]) != [first]


def test_element_digests_tell_apart_every_value_and_type():
    from pflow_studio.runtime.keys import KEY_BYTES, element_digests

    prefix = bytes(range(32))

    def split(digests: bytes) -> list[bytes]:
        return [digests[i:i + KEY_BYTES] for i in range(0, len(digests), KEY_BYTES)]

    ints = split(element_digests(prefix, [[1, 2, -3, 2**63 - 1, 1]])[0])
    floats = split(element_digests(prefix, [[1.0, 2.0, -0.0, 0.0]])[0])
    mixed = split(element_digests(prefix, [[1, 1.0, True, "1", 2**70, None]])[0])
    pairs = split(element_digests(prefix, [[1, 1, 2], [1.0, 2.0, 1.0]])[0])
    assert ints[0] == ints[4] and len(set(ints)) == 4 and len(set(floats)) == 4
    assert len(set(mixed)) == 6 and len(set(pairs)) == 3 and not set(ints) & set(floats)
    assert ints[0] == mixed[0] and floats[0] == mixed[1]  # a column of one type or of several: the same key
    assert split(element_digests(prefix, [[1, 2, 3]], [2, 0])[0]) == [split(element_digests(prefix, [[3]])[0])[0],
                                                                      ints[0]]
    assert split(element_digests(bytes(32), [[1, "1"]])[0])[0] == ints[0]  # its own digest: no prefix in it
    assert split(element_digests(bytes(32), [[1, "1"]])[0])[1] != mixed[3]  # a hashed one: salted by the prefix
