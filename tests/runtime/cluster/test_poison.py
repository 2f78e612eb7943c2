"""An element that kills its engine (os._exit, a signal), on a fresh real 2-engine cluster whose engines the
test's Cluster launched (so their exit status is known and lost ones are replaced): the Map ends, only that
element fails, named with its engine and exit status, every other element has its value, and the cluster is
back to 2 engines."""

from __future__ import annotations

import os
import re
import signal
import time
from typing import Any

import pytest

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.processes import wait_until

pytestmark = pytest.mark.fault

POISON = 7


def exit_at_poison(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.02)
    if bindings["x"] == POISON:
        os._exit(3)
    return {"y": bindings["x"] * 2}


def sigkill_at_poison(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.02)
    if bindings["x"] == POISON:
        os.kill(os.getpid(), signal.SIGKILL)
    return {"y": bindings["x"] * 2}


def run_poisoned(local, body, **runner_kwargs):
    said: list[str] = []
    notices: list[RunnerNotice] = []
    runner = ClusterRunner(local.client, keeper=local.keeper(said.append), on_event=notices.append, **runner_kwargs)
    items = [{"x": i} for i in range(20)]
    outcomes = runner.map(body, items, progress=lambda d, n: None, cancel=CancelToken())
    return outcomes, said, notices


def assert_only_the_poison_failed(outcomes, status: str) -> None:
    failed = [o for o in outcomes if not o.ok]
    assert [o.index for o in failed] == [POISON], [(o.index, o.error) for o in failed]
    assert re.fullmatch(rf"engine \d+ died while running element {POISON} \({status}\)", failed[0].error), \
        failed[0].error
    assert [o.value["y"] for o in outcomes if o.ok] == [2 * i for i in range(20) if i != POISON]


@pytest.mark.timeout(150)
def test_an_element_calling_os_exit_fails_alone_and_its_engines_are_replaced(fresh_cluster):
    outcomes, said, notices = run_poisoned(fresh_cluster, exit_at_poison)
    assert_only_the_poison_failed(outcomes, "exit code 3")
    assert said and all(line.endswith("(exit code 3); started an engine in its place") for line in said), said
    assert any(n.kind == NoticeKind.LOST and "in halves" in n.message for n in notices)
    assert wait_until(lambda: len(fresh_cluster.client.ids) == 2, 60), fresh_cluster.client.ids


@pytest.mark.timeout(150)
def test_an_element_killing_its_engine_with_sigkill_is_named_with_the_signal(fresh_cluster):
    outcomes, said, _ = run_poisoned(fresh_cluster, sigkill_at_poison, chunksize=1)
    assert_only_the_poison_failed(outcomes, "signal SIGKILL")
    # run alone from the start: it killed one engine, was sent again, killed a second one and failed
    assert wait_until(lambda: len([line for line in said if "in its place" in line]) == 2, 60), said
    assert all("(signal SIGKILL); started an engine in its place" in line for line in said), said
    assert wait_until(lambda: len(fresh_cluster.client.ids) == 2, 60), fresh_cluster.client.ids
