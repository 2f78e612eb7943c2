"""Which runner a Map uses: in this process, or an ipyparallel cluster reached through the manager.

`cluster_runner` returns a `ClusterRunner` whose cluster is found only when the first Map runs (a
workflow without Maps never starts one): with `connect_first`, a running cluster of the manager's
profile is used when one answers; otherwise the manager starts a cluster that this session owns
(`engines` engines, one per core by default, local unless the profile starts them elsewhere), the embedded
default. `say` hears, in one line, which cluster the Maps run on and where its engines are ("2 engines on
h2 and this machine"), so the CLI and the app can tell the user, and what became of engines lost during a
Map: those this session started are replaced (`keeper.manager_keeper`).
"""

from __future__ import annotations

from collections.abc import Callable

import ipyparallel as ipp

from pflow_studio.cluster_panel.keeper import manager_keeper
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.where import engines_where
from pflow_studio.runtime.cluster.errors import ClusterError
from pflow_studio.runtime.cluster.notices import RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner


def cluster_runner(
    get_manager: Callable[[], ClusterManager],
    *,
    engines: int | None = None,
    connect_first: bool = True,
    say: Callable[[str], None] = lambda message: None,
    on_notice: Callable[[RunnerNotice], None] | None = None,
) -> ClusterRunner:
    """A ClusterRunner on the cluster of the manager `get_manager()` gives when the first Map runs."""
    used: list[ClusterManager] = []  # the manager, once a Map asked for it

    def provide() -> ipp.Client:
        manager = get_manager()
        used[:] = [manager]
        if connect_first and not manager.connected:
            try:  # only the client: no snapshot of the engines (a question to each) before the Map
                client = manager.connect_client(timeout=manager.call_timeout)
            except ClusterError:
                pass
            else:
                if client.ids:
                    say(f"Maps run on the running cluster of profile '{manager.profile}' "
                        f"({len(client.ids)} engines, controller {manager.controller_url or 'local'})")
                    return client
        started = not manager.connected
        client = manager.ensure_cluster(engines)
        where = engines_where([engine.host for engine in manager.info().engines])
        if started:
            say(f"Maps run on a cluster started for this session: {where} (profile '{manager.profile}'); "
                "it is stopped at exit")
        else:
            say(f"Maps run on the cluster of profile '{manager.profile}' ({where})")
        return client

    keeper = manager_keeper(lambda: used[0] if used else None, say)
    return ClusterRunner(provide, on_event=on_notice, keeper=keeper)
