"""The Work items view while and after runs: a Map says what will run before its elements run, a stopped run
shows what finished (the rest 'not run') and the next run computes only the rest; and a run on a real local
cluster lists engines and hosts, with an engine's traceback folded."""

from __future__ import annotations

import pytest

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.settings import make_settings
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.window import run_window
from tests.support.work_items import column, scoring_map

pytestmark = pytest.mark.timeout(180)


def test_the_map_says_what_will_run_before_its_elements_run(qtbot, window):
    canvas = window.canvas
    canvas.set_workflow(scoring_map(6, failing="False", seconds=0.3))
    assert run_window(qtbot, window).status == "ok"
    canvas.set_input_value("numbers", "stop", 8)  # two new elements; the first six are stored
    seen = []
    window.runs.event.connect(lambda _event: seen.append(canvas.progress_text("map")))
    with qtbot.waitSignal(window.runs.finished, timeout=60_000):
        window.actions["run"].trigger()
        qtbot.waitUntil(lambda: canvas.progress_text("map") == "2 of 8 will run", timeout=30_000)
        assert canvas.store_badge_text("map") == ""  # the last run's badge is gone while it runs
    assert canvas.progress_text("map") == "8/8" and "7/8" in seen
    assert canvas.store_badge_text("map") == "8 stored"


def test_after_stop_the_view_shows_what_finished_and_the_next_run_computes_the_rest(qtbot, window):
    canvas = window.canvas
    canvas.set_workflow(scoring_map(20, failing="False", seconds=0.2))
    canvas.select(["map"])
    panel = window.work_items.panel
    with qtbot.waitSignal(window.runs.finished, timeout=60_000) as stopped:
        window.actions["run"].trigger()
        qtbot.waitUntil(lambda: canvas.progress_text("map") in ("3/20", "4/20"), timeout=30_000)
        window.actions["stop"].trigger()
    assert stopped.args[0].status == "cancelled"
    statuses = column(panel, "Status")
    done = statuses.count("ok")
    assert 3 <= done < 20 and statuses == ["ok"] * done + ["not run"] * (20 - done)
    assert "stopped" in panel.header.text() and f"{20 - done} not run" in panel.header.text()
    assert canvas.store_badge_text("map") == f"{done} stored"
    panel.select_rows([19])
    assert "did not run" in panel.detail.inputs.note.text()
    with qtbot.waitSignal(window.runs.finished, timeout=60_000):
        window.actions["run"].trigger()
        qtbot.waitUntil(lambda: canvas.progress_text("map") == f"{20 - done} of 20 will run", timeout=30_000)
        window.actions["stop"].trigger()


@pytest.mark.timeout(300)
def test_a_cluster_run_lists_engines_and_hosts(qtbot, tmp_path, dialogs, cluster):
    window = MainWindow(settings=make_settings(tmp_path / "settings.ini"),
                        runner_factory=lambda: ClusterRunner(cluster.client))
    window.show()
    qtbot.waitExposed(window)
    try:
        window.canvas.set_workflow(scoring_map())
        assert run_window(qtbot, window, timeout=120_000).status == "ok"
        window.canvas.select(["map"])
        panel = window.work_items.panel
        assert column(panel, "Status") == ["failed" if i in (3, 7) else "ok" for i in range(12)]
        assert set(column(panel, "Engine")) <= {"0", "1"} and all(column(panel, "Host"))
        panel.select_rows([7])
        text = panel.detail.error.toPlainText()
        assert text.startswith("node 'score' failed: ValueError: no score for 7") and "pflow-studio frames …" in text
        assert "engine" in panel.detail.title.text()
        assert run_window(qtbot, window, timeout=120_000, trigger=panel.actions["rerun_failed"].trigger).status == "ok"
        assert column(panel, "Status") == ["failed" if i in (3, 7) else "from store" for i in range(12)]
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
        window.deleteLater()
