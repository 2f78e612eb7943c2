"""The window and the nesting limit (issue 11, point 4): the deepest file load allows opens, runs from the window
(a copy of the workflow on the run thread), saves and opens again; Maps of Maps at the limit run there too (no
cluster: in this process); one level more is an error dialog naming the limit."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.nesting import MAX_NESTING
from tests.support.projects import innermost, nested_groups, nested_maps

pytestmark = pytest.mark.fault


@pytest.mark.timeout(120)
def test_the_deepest_allowed_file_opens_runs_and_saves(qtbot, window, tmp_path):
    path = tmp_path / "deep.pflow"
    path.write_text(nested_groups(MAX_NESTING), encoding="utf-8")
    assert window.files.load(str(path))
    with qtbot.waitSignal(window.runs.finished, timeout=60_000) as blocker:
        window.actions["run"].trigger()
    assert blocker.args[0].status == "ok"
    assert blocker.args[0].result.outputs[f"g{MAX_NESTING - 1}"] == {"out": 2.0}
    window.canvas.rename("one", "One")  # something to save
    assert window.files.save()
    assert window.files.load(str(path)) and window.canvas.node_at(("one",)).label == "One"


@pytest.mark.timeout(120)
def test_maps_of_maps_at_the_limit_run_from_the_window(qtbot, window):
    window.canvas.set_workflow(nested_maps(MAX_NESTING))
    with qtbot.waitSignal(window.runs.finished, timeout=60_000) as blocker:
        window.actions["run"].trigger()
    assert blocker.args[0].status == "ok"
    assert innermost(blocker.args[0].result.outputs[f"m{MAX_NESTING - 1}"]["result"]) == (2.0, MAX_NESTING)


def test_one_level_more_is_an_error_dialog(window, dialogs, tmp_path):
    path = tmp_path / "deeper.pflow"
    path.write_text(nested_groups(MAX_NESTING + 1), encoding="utf-8")
    dialogs.answers["critical"] = None
    assert not window.files.load(str(path))
    [(name, args)] = dialogs.calls
    assert name == "critical" and args[2].endswith(f"at most {MAX_NESTING} levels are supported")
    assert f"Groups nest {MAX_NESTING + 1} deep at 'g{MAX_NESTING}/" in args[2]
