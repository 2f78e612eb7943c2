"""The words of the Work items view: tracebacks with pflow-studio's frames folded (wherever they ran), the
header's counts, the Map's badge and durations."""

from __future__ import annotations

from pflow_studio.app.work_items.texts import badge, counts_text, duration_text, run_header
from pflow_studio.app.work_items.tracebacks import fold_own_frames, user_first, where_raised
from pflow_studio.runtime.element_store.records import RunInfo

ENGINE_TRACEBACK = """Traceback (most recent call last):
  File "/srv/env/lib/python3.11/site-packages/pflow_studio/runtime/level_run.py", line 201, in _run_node
    produced = instance.execute(inputs.values, context)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "C:\\Users\\me\\pflow_studio\\nodes\\api.py", line 198, in execute
    return self.compute(**inputs)
  File "<py.code-040c7cf1>", line 3, in <module>
    result = helper(x)
  File "/home/me/mylib/helpers.py", line 9, in helper
    return numpy_call(v)
  File "/work/pflow_studio/nodes/library/python_code.py", line 40, in trampoline
    return f()
ZeroDivisionError: integer division or modulo by zero

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/work/pflow_studio/runtime/mapping.py", line 12, in run
    x()
KeyError: 'x'
"""


def test_our_frames_fold_into_one_line_per_run_and_the_rest_stays():
    text, folded = fold_own_frames(ENGINE_TRACEBACK)
    assert folded == 4
    lines = text.splitlines()
    assert lines[:3] == ["Traceback (most recent call last):", "  … 2 pflow-studio frames …",
                         '  File "<py.code-040c7cf1>", line 3, in <module>']
    assert '  File "/home/me/mylib/helpers.py", line 9, in helper' in lines
    assert lines[lines.index("    return numpy_call(v)") + 1] == "  … 1 pflow-studio frame …"
    assert "ZeroDivisionError: integer division or modulo by zero" in lines and lines[-1] == "KeyError: 'x'"
    assert "During handling of the above exception, another exception occurred:" in lines
    assert "produced = instance.execute" not in text and "site-packages" not in text


def test_a_traceback_without_our_frames_is_left_alone():
    plain = 'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\nValueError: x'
    assert fold_own_frames(plain) == (plain, 0)
    assert fold_own_frames("") == ("", 0)


def test_the_message_and_the_users_failing_line_come_first():
    text, folded = user_first("", ENGINE_TRACEBACK)
    lines = text.splitlines()
    assert lines[:2] == ["KeyError: 'x'", "  at /home/me/mylib/helpers.py, line 9, in helper:  return numpy_call(v)"]
    assert folded == 4 and lines[3:5] == ["Traceback (most recent call last):", "  … 2 pflow-studio frames …"]
    assert "level_run.py" in user_first("", ENGINE_TRACEBACK, show_all=True)[0]
    in_node = ENGINE_TRACEBACK.replace("/home/me/mylib/helpers.py", "/usr/lib/python3.11/site-packages/lib.py")
    assert where_raised(in_node) == "  at line 3 of the code:  result = helper(x)"  # a library's frame is not theirs
    assert user_first("node 'f' failed: bad", "")[0] == "node 'f' failed: bad"
    assert where_raised("") == "" and user_first("", "") == ("", 0)


def run_info(total=1000, **counts) -> RunInfo:
    full = {"ok": 0, "failed": 0, "cached": 0, "not_run": 0, **counts}
    return RunInfo(1, "", ("map",), "Map", "body", total, "failed", 0.0, 1.0, full)


def test_counts_badges_and_durations():
    run = run_info(ok=940, failed=12, cached=48)
    assert counts_text(run) == "1,000 elements: 940 ok, 12 failed, 48 from the store"
    assert badge(run) == ("12 failed", True)
    assert badge(run_info(ok=940, cached=48, not_run=12)) == ("988 stored", False)
    assert badge(run_info(not_run=1000)) == ("", False) and badge(None) == ("", False)
    assert "no run in the element store yet" in run_header("Map", None)
    assert run_header("Map", run).startswith("Map: last run ") and "finished with failures" in run_header("Map", run)
    assert [duration_text(s) for s in (0, 1e-7, 3.1e-6, 0.0001, 0.214, 2.137, 12.34, 245)] == \
        ["", "< 1 µs", "3 µs", "100 µs", "214 ms", "2.14 s", "12.3 s", "4 min 05 s"]
