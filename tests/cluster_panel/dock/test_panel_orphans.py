"""The Cluster dock at the app's start ends what a dead session of ours left running and logs it; a detached
cluster is offered in the banner and left alone."""

from __future__ import annotations

import pytest

from pflow_studio.cluster_panel.dock.panel import ClusterDock
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from tests.support.processes import dead_process, sleeper

pytestmark = pytest.mark.fault


@pytest.mark.timeout(60)
def test_the_dock_ends_orphans_at_start_logs_them_and_offers_only_the_detached(qtbot, manager):
    crashed = dead_process()
    orphan = [sleeper(manager.profile_dir, "orphan", crashed) for _ in range(3)]
    detached = sleeper(manager.profile_dir, "detached")
    state = StateFile(manager.profile_dir)
    state.put(OwnedRecord(tag="orphan", cluster_id="pflow-crashed", owner=crashed, processes=orphan))
    state.put(OwnedRecord(tag="detached", cluster_id="pflow-kept", owner=None, detached=True, processes=[detached]))

    dock = ClusterDock(manager, refresh_ms=300)
    qtbot.addWidget(dock)
    try:
        qtbot.waitUntil(lambda: dock.worker.in_flight == 0 and not dock.worker.busy, timeout=30_000)
        log = dock.log_view.toPlainText()
        assert (f"Ended 3 leftover cluster processes of an earlier run (owner pid {crashed.pid} died, "
                "cluster 'pflow-crashed')") in log
        assert not any(ref.alive() for ref in orphan) and detached.alive()
        assert [left.cluster_id for left in dock.banner.remaining] == ["pflow-kept"]
    finally:
        dock.shutdown()
