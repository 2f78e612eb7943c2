"""When the stall watchdog speaks (a fake clock) and how its notice names the engines holding the work."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.cluster.stall import FACTOR, QUIET, REPEAT, StallWatch, holders, stall_message


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_due_after_quiet_seconds_then_at_most_every_repeat_seconds_until_a_result_comes():
    clock = Clock()
    watch = StallWatch(clock)
    clock.now += QUIET - 0.1
    assert watch.due(0.1, [4]) is None
    clock.now += 0.2
    assert watch.due(0.1, [4]) == pytest.approx(QUIET + 0.1)
    clock.now += REPEAT - 1
    assert watch.due(0.1, [4]) is None
    clock.now += 1
    assert watch.due(0.1, [4]) is not None
    assert watch.stalled
    watch.heard()
    assert not watch.stalled
    clock.now += QUIET - 0.1
    assert watch.due(0.1, [4]) is None
    clock.now += 0.2
    assert watch.due(0.1, [4]) is not None  # a new stall is told at once


def test_long_chunks_wait_several_times_their_expected_time_and_nothing_pending_is_never_stalled():
    clock = Clock()
    watch = StallWatch(clock)
    clock.now += QUIET + 1
    assert watch.due(2.0, [1, 4]) is None  # the 4-element chunk should take 10 s (one element of slack)
    assert watch.due(None, []) is None and not watch.stalled
    clock.now += FACTOR * 10.0
    assert watch.due(2.0, [1, 4]) is not None


def test_message_names_each_engine_once_and_counts_every_pending_element():
    message = stall_message(12.4, [(1, 3), (0, 2), (1, 1), (None, 4)])
    assert message.startswith("Map stalled: no result for 12 s; engines 0, 1 hold its work (10 elements)")
    assert "engine 3 holds its work (2 elements)" in stall_message(9, [(3, 2)])
    assert "engines not known yet hold its work (5 elements)" in stall_message(9, [(None, 5)])


def test_message_names_the_hosts_of_the_engines_where_known():
    hosts = {3: "h2", 4: "h2", 0: "box"}.get
    assert "; engines 0 on box and 3, 4 on h2 hold its work (4 elements)" in stall_message(
        9, [(3, 2), (4, 1), (0, 1)], lambda engine: hosts(engine, ""))
    assert "; engine 3 on h2 holds its work" in stall_message(9, [(3, 2)], lambda engine: hosts(engine, ""))
    assert "; engines 3 on h2 and 5 hold its work" in stall_message(9, [(3, 2), (5, 1)], lambda e: hosts(e, ""))


def test_holders_keep_known_engines_and_leave_the_rest_unnamed_when_the_controller_cannot_say():
    assert holders(object(), [(2, object(), 3), (0, object(), 1)]) == [(2, 3), (0, 1)]
    assert holders(object(), [(2, object(), 3), (None, object(), 1)]) == [(2, 3), (None, 1)]
