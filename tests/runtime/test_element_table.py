"""Element outcomes in columns: `element_loop.run_elements` (the loop engines and the serial runner share) gives
one list per output with sparse failures and prints; an `ElementTable` takes blocks (contiguous, or scattered
as the Map's elements served from the store leave them) and gives output lists, statuses and one element at a
time."""

from __future__ import annotations

import pickle
import sys
from array import array

from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.element_loop import ElementRows, as_columns, run_elements
from pflow_studio.runtime.element_table import ElementTable, OutcomeBlock, failed_block
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.outcomes import ItemOutcome
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner


def square(bindings):
    x = bindings["x"]
    if x == 3:
        raise ValueError("no 3")
    if x == 4:
        print("four")
    return {"y": x * x, "z": bindings["offset"]}


def test_the_loop_runs_rows_into_one_list_per_output_with_sparse_failures_and_prints():
    rows = ElementRows(("x",), [list(range(6))], {"offset": 0.5})
    ran = run_elements(square, rows, start=10)
    assert (ran.names, len(ran)) == (("y", "z"), 6)
    assert ran.columns == [[0, 1, 4, None, 16, 25], [0.5, 0.5, 0.5, None, 0.5, 0.5]]
    assert list(ran.failures) == [3] and ran.failures[3][0] == "ValueError: no 3" and "no 3" in ran.failures[3][1]
    assert ran.printed == {4: ("four\n", "")}
    assert list(ran.stamps) == sorted(ran.stamps) and len(ran.stamps) == 7
    assert rows[2] == {"offset": 0.5, "x": 2} and rows.part(4, 6).columns == [[4, 5]]


def test_results_that_are_not_dicts_of_the_same_outputs_stay_whole():
    assert as_columns([{"a": 1}, {"b": 2}], {}) == (None, [[{"a": 1}, {"b": 2}]])
    assert as_columns([3, 4], {}) == (None, [[3, 4]])
    assert as_columns([{"a": 1}, None], {1: ("boom", "")}, ("a",)) == (("a",), [[1, None]])


def test_a_table_takes_blocks_and_gives_the_output_lists_themselves():
    table = ElementTable(6, ("y",))
    first = OutcomeBlock(0, ("y",), [[10, None, 12]], array("d", [1, 2, 3]), array("d", [2, 3, 4]),
                         {1: ("boom", "trace")}, {2: ("hi\n", "")}, engine=1, host="a")
    table.add(first)
    table.add(failed_block(3, 1, "lost", "", engine=2, when=9.0))
    assert table.statuses() == ["ok", "failed", "ok", "failed", "not_run", "not_run"]
    assert table.ok == 2 and table.failed_indices() == [1, 3]
    served = [ItemOutcome(0, True, {"y": 50}, engine=0, host="b", started=0.5, finished=0.75, cached=True),
              ItemOutcome(1, True, {"y": 40}, host="c", cached=True)]
    table.add(OutcomeBlock.of_outcomes(served, 0), [5, 4])  # scattered: the served elements of a Map
    assert table.statuses()[4:] == ["cached", "cached"]
    assert table.output("y") == [10, None, 12, None, 40, 50] and table.output("y") is table.columns["y"]
    two = table[2]
    assert (two.ok, two.value, two.engine, two.host, two.started, two.finished, two.stdout) == \
           (True, {"y": 12}, 1, "a", 3.0, 4.0, "hi\n")
    one = table[1]
    assert (one.ok, one.value, one.error, one.traceback) == (False, None, "boom", "trace")
    five = table[5]
    assert (five.cached, five.engine, five.host, five.value) == (True, 0, "b", {"y": 50})
    assert table.dicts is None  # every value went into columns


def test_whole_results_are_kept_per_element_when_they_are_not_columns():
    table = ElementTable(2, ())
    table.add(OutcomeBlock(0, None, [[7, {"q": 1}]], array("d", [0, 1]), array("d", [1, 2])))
    assert [outcome.value for outcome in table] == [7, {"q": 1}]
    assert table.output("q") == [None, 1]


def test_the_serial_runner_captures_prints_per_element_and_gives_the_streams_back():
    streams = sys.stdout, sys.stderr
    table = SerialRunner().map(square, [{"x": x, "offset": 0} for x in range(6)], progress=lambda *_: None,
                               cancel=CancelToken())
    assert (sys.stdout, sys.stderr) == streams
    assert table[4].stdout == "four\n" and table[3].error == "ValueError: no 3" and table[5].value == {"y": 25, "z": 0}


def test_equal_failures_of_a_chunk_are_sent_and_kept_once():
    def broken(bindings):
        return {"y": undefined_name}  # noqa: F821  (the bug every element hits)

    ran = run_elements(broken, ElementRows(("x",), [list(range(1000))], {}))
    first, last = ran.failures[0], ran.failures[999]
    assert first == last and first[1] is last[1] and "NameError" in first[0]
    back = pickle.loads(pickle.dumps(ran.failures))
    assert back[0][1] is back[999][1] and len(pickle.dumps(ran.failures)) < 20 * 1000 + len(first[1])


def test_a_map_body_runs_elements_in_columns_as_it_runs_bindings():
    """Columns go to the compiled plan as value tuples (no dict per element): the same results and failures."""
    body = Workflow()
    body.add_node("math.divide", id="f", label="Divide")
    task = BodyTask(body, "f", default_registry(), ("result",))
    rows = ElementRows(("b",), [[1, 0, 4, 0.5]], {"a": 2})
    by_columns = run_elements(task, rows)
    by_dicts = run_elements(task, [rows[i] for i in range(len(rows))])
    assert by_columns.columns == by_dicts.columns == [[2.0, None, 0.5, 4.0]]
    assert by_columns.failures == by_dicts.failures and "node 'Divide' failed" in by_columns.failures[1][0]
