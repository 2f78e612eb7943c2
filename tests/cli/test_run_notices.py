"""Which cluster runner notices `pflow-studio run` prints on stderr (through its `say`): engines lost, a
Map that stalled, cancelling; not the chatter of chunks sent and done."""

from __future__ import annotations

import argparse

from pflow_studio.cli.run import _cluster_runner, _RunCluster
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice


def test_stalled_and_lost_notices_are_said_chunk_notices_are_not():
    said: list[str] = []
    runner = _cluster_runner(argparse.Namespace(engines=None, profile="p"), _RunCluster("p", said.append), said.append)
    stalled = "Map stalled: no result for 8 s; engines 0, 1 hold its work (4 elements)"
    runner.notify(RunnerNotice(NoticeKind.STALLED, stalled))
    runner.notify(RunnerNotice(NoticeKind.LOST, "engine 1 was lost"))
    runner.notify(RunnerNotice(NoticeKind.CHUNK, "2 elements done on engine 0", 0, 2, 4))
    assert said == [stalled, "engine 1 was lost"]
