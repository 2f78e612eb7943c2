"""Engines that join a running cluster in the middle of a Map (hand-started `ipengine`, or Start Engines
in the dock during a run): they get the body on first use and take their share; no element fails for
delivery and every element names its host. A cluster of its own, started with one engine."""

from __future__ import annotations

import functools
import os
import time
from typing import Any

import pytest

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.map_run import CARRY_MAX
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.clusters import start_cluster
from tests.support.paths import ROOT

pytestmark = pytest.mark.fault


def nap_then_double(bindings: dict[str, Any], ballast: bytes = b"") -> dict[str, Any]:
    time.sleep(0.1)
    return {"y": bindings["x"] * 2}


BODIES = {  # a small body rides along with the chunks; a big one (over CARRY_MAX) is pushed first
    "small": nap_then_double,
    "big": functools.partial(nap_then_double, ballast=os.urandom(CARRY_MAX + 1024)),
}


class StartEnginesAt:
    """A progress callback that starts `n` more engines of `local`'s cluster once `done` reaches `at`."""

    def __init__(self, local: Any, at: int, n: int) -> None:
        self.local, self.at, self.n, self.started = local, at, n, False

    def __call__(self, done: int, total: int) -> None:
        if not self.started and done >= self.at:
            self.started = True
            self.local.cluster.start_engines_sync(n=self.n, environment={"PYTHONPATH": str(ROOT)})


@pytest.fixture
def one_engine(tmp_path):
    local = start_cluster(tmp_path / "profile", n=1)
    yield local
    local.stop()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("body", BODIES)
def test_engines_joining_mid_map_get_the_body_and_take_their_share(one_engine, body):
    first = set(one_engine.client.ids)
    starter = StartEnginesAt(one_engine, 3, 2)
    runner = ClusterRunner(one_engine.client)
    outcomes = runner.map(BODIES[body], [{"x": i} for i in range(40)], progress=starter, cancel=CancelToken())
    assert starter.started
    assert [o.error for o in outcomes if not o.ok] == []
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(40)]
    assert all(o.host for o in outcomes), {o.engine for o in outcomes if not o.host}
    assert {o.engine for o in outcomes} - first, "the engines that joined ran nothing"
