"""A cluster left without engines is given up after the grace period, unless engines are being started in place
of the lost ones (a Map whose elements kill their engines one after the other must wait for the replacements).
A mock client stands for the moment between the last engine's death and its replacement's registration, which a
real cluster passes through too briefly to catch at will."""

from __future__ import annotations

import types

import pytest

from pflow_studio.runtime.cluster.errors import NoEngines
from pflow_studio.runtime.cluster.liveness import ClusterWatch


def look(watch: ClusterWatch) -> set[int] | None:
    watch._last_check -= 10.0  # as if the last look was long ago
    return watch.poll(left=2, total=20)


def test_no_engines_past_the_grace_ends_the_map():
    watch = ClusterWatch(types.SimpleNamespace(ids=[]), engine_grace=0.0)
    assert look(watch) == set()
    with pytest.raises(NoEngines, match="all engines left the cluster; 2 of 20"):
        look(watch)


def test_no_engines_while_replacements_start_is_waited_for():
    coming = [True]
    client = types.SimpleNamespace(ids=[])
    watch = ClusterWatch(client, engine_grace=0.0, engines_coming=lambda: coming[0])
    for _ in range(3):
        assert look(watch) == set()
    client.ids = [4]
    assert look(watch) == {4}
    client.ids, coming[0] = [], False  # a replacement that never came: the grace counts again
    assert look(watch) == set()
    with pytest.raises(NoEngines):
        look(watch)
