"""The stall watchdog on real clusters: with the controller's default 3 s heartbeat (a hand-started
`ipcluster`), engines SIGKILLed with their nannies are dropped only after ~30-40 s; the Map says within
15 s that it is stalled and which engines hold its work. Engines on this machine whose processes ended
end the Map with `NoEngines` at once; engines elsewhere cannot be judged, so the Map goes on until the
controller drops them (the test stops it 5 s after the notice rather than wait ~40 s for that). Elements
that are merely slow get the notice too, and the Map finishes normally."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest

from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster import process_id, stall
from pflow_studio.runtime.cluster.errors import NoEngines
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.clusters import start_cluster
from tests.support.processes import kill

pytestmark = pytest.mark.fault


def slow_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(bindings["seconds"])
    return {"y": bindings["x"] * 2}


class Heard:
    """A runner listener that keeps each notice with the monotonic time it came."""

    def __init__(self, cancel_after_stall: float | None = None) -> None:
        self.notices: list[tuple[float, RunnerNotice]] = []
        self.cancel = CancelToken()  # the run's; cancelled `cancel_after_stall` s after the first stall notice
        self.cancel_after_stall = cancel_after_stall

    def __call__(self, notice: RunnerNotice) -> None:
        self.notices.append((time.monotonic(), notice))
        if notice.kind == NoticeKind.STALLED and self.cancel_after_stall is not None:
            threading.Timer(self.cancel_after_stall, self.cancel.cancel).start()
            self.cancel_after_stall = None

    def of(self, kind: NoticeKind) -> list[tuple[float, RunnerNotice]]:
        return [(when, notice) for when, notice in self.notices if notice.kind == kind]


@pytest.fixture
def slow_heart_cluster(tmp_path):
    """2 engines on a controller with ipyparallel's default heartbeat (like `ipcluster start`)."""
    local = start_cluster(tmp_path / "profile", n=2, ping=None)
    yield local
    local.stop()


def run_and_kill_every_engine(local: Any, expected: type[Exception] = NoEngines,
                              heard: Heard | None = None) -> tuple[float, Heard, Exception]:
    """Run 40 elements of 0.3 s; once 4 are done SIGKILL every engine and its nanny. Returns when the
    kill was, what the runner said, and the `expected` error that ended the Map."""
    engines, nannies = local.engine_pids(), local.nanny_pids()
    killed: list[float] = []

    def kill_all_at_4(done: int, total: int) -> None:
        if done >= 4 and not killed:
            for engine in engines:
                kill(nannies[engine])
                kill(engines[engine])
            killed.append(time.monotonic())

    heard = heard or Heard()
    runner = ClusterRunner(local.client, on_event=heard)
    items = [{"x": i, "seconds": 0.3} for i in range(40)]
    with pytest.raises(expected) as raised:
        runner.map(slow_double, items, progress=kill_all_at_4, cancel=heard.cancel)
    assert killed
    return killed[0], heard, raised.value


def assert_stall_told_within_15_s(killed: float, heard: Heard, engines: list[int]) -> None:
    stalls = heard.of(NoticeKind.STALLED)
    assert stalls, [n.message for _, n in heard.notices]
    when, first = stalls[0]
    assert when - killed < 15, first.message
    assert first.message.startswith("Map stalled: no result for ")
    on_host = f" on {socket.gethostname()}"  # the engines' host, learnt from the chunks they returned
    assert f"engines {', '.join(map(str, sorted(engines)))}{on_host} hold its work" in first.message


@pytest.mark.timeout(120)
def test_engines_on_this_machine_killed_stall_told_and_map_ended_within_15_s(slow_heart_cluster):
    engines = sorted(slow_heart_cluster.client.ids)
    killed, heard, error = run_and_kill_every_engine(slow_heart_cluster)
    assert time.monotonic() - killed < 15
    assert "their processes ended" in str(error)
    assert_stall_told_within_15_s(killed, heard, engines)


@pytest.mark.timeout(180)
def test_engines_elsewhere_killed_stall_told_within_15_s_and_the_map_goes_on(slow_heart_cluster, monkeypatch):
    # engines on another machine (whose processes this one cannot see): as if this machine were another
    monkeypatch.setattr(process_id, "process_table", lambda: "another machine")
    engines = sorted(slow_heart_cluster.client.ids)
    killed, heard, _ = run_and_kill_every_engine(slow_heart_cluster, Cancelled, Heard(cancel_after_stall=5.0))
    assert_stall_told_within_15_s(killed, heard, engines)
    told, _ = heard.of(NoticeKind.STALLED)[0]
    assert time.monotonic() - told >= 5.0  # not ended at the notice, as engines of this machine would be


@pytest.mark.timeout(120)
def test_slow_elements_get_the_stall_notice_and_the_map_still_finishes(slow_heart_cluster, monkeypatch):
    monkeypatch.setattr(stall, "QUIET", 0.5)
    heard = Heard()
    runner = ClusterRunner(slow_heart_cluster.client, on_event=heard, chunksize=1)
    items = [{"x": i, "seconds": 3.0} for i in range(2)]
    outcomes = runner.map(slow_double, items, progress=lambda done, total: None, cancel=CancelToken())
    assert [o.value["y"] for o in outcomes] == [0, 2]
    assert heard.of(NoticeKind.STALLED)
