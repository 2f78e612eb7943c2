"""Liveness of the cluster during one Map: engines to start with, engines still there, a controller that
still answers. Nothing here blocks on a dead cluster: waits poll, and the controller is probed with a
plain TCP connection (ipyparallel's own calls hang when it is gone).

`ClusterWatch.wait_for_engines` returns the engine ids once there are any, or raises `NoEngines` after
`timeout` seconds; `ClusterWatch.poll` (called often) looks at most every `CHECK` seconds and returns
the engine ids it sees, raising `NoEngines` when none was left for `engine_grace` seconds (not counting
the time `engines_coming()` says engines are being started in place of lost ones) and `ControllerLost` when
the controller failed two probes in a row.
"""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster.errors import ControllerLost, NoEngines

CHECK = 1.0  # seconds between liveness checks (engines, controller)


class ClusterWatch:
    """Watches one client's cluster for one Map (see the module docstring)."""

    def __init__(self, client: Any, engine_grace: float, engines_coming: Callable[[], bool] = lambda: False) -> None:
        self.client = client
        self.engine_grace = engine_grace
        self.engines_coming = engines_coming
        self._last_check = time.monotonic()
        self._no_engines_since: float | None = None
        self._probe_failures = 0

    def wait_for_engines(self, timeout: float, total: int, cancel: CancelToken) -> list[int]:
        """The engine ids once there are any; `NoEngines` after `timeout` s, `Cancelled` if cancelled
        (`total`: the Map's elements, for the error messages)."""
        deadline = time.monotonic() + timeout
        while True:
            ids = list(self.client.ids)
            if ids:
                return ids
            self.check_controller(total, total, force=True)
            if time.monotonic() >= deadline:
                raise NoEngines(f"no engines connected to the cluster after {timeout:g} s; "
                                "start engines (Cluster dock or `ipcluster start`) and run again")
            if cancel.wait(0.2):
                raise Cancelled("the run was cancelled")

    def poll(self, left: int, total: int) -> set[int] | None:
        """The engine ids now, or None when the last look was under `CHECK` s ago. `left` of `total`
        elements are unfinished (for the error messages)."""
        now = time.monotonic()
        if now - self._last_check < CHECK:
            return None
        self._last_check = now
        self.check_controller(left, total)
        ids = set(self.client.ids)
        if ids or self.engines_coming():
            self._no_engines_since = None
        elif self._no_engines_since is None:
            self._no_engines_since = now
        elif now - self._no_engines_since > self.engine_grace:
            raise NoEngines(f"all engines left the cluster; {left} of {total} "
                            "elements did not run (start engines and run again)")
        return ids

    def check_controller(self, left: int, total: int, force: bool = False) -> None:
        """Raise `ControllerLost` when the controller failed two probes in a row (one if `force`)."""
        url = getattr(self.client, "_config", {}).get("registration", "")
        if not url or getattr(self.client, "_ssh", False):
            return
        if port_open(url):
            self._probe_failures = 0
            return
        self._probe_failures += 1
        if self._probe_failures >= 2 or force:
            raise ControllerLost(f"the cluster's controller ({url}) stopped answering; "
                                 f"{left} of {total} elements did not finish")


def port_open(url: str) -> bool:
    """Can a TCP connection be opened to `url` (tcp://host:port)? Non-TCP urls count as open."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "tcp" or not parsed.port:
        return True
    host = parsed.hostname or "127.0.0.1"
    if host in ("*", "0.0.0.0"):
        host = "127.0.0.1"
    try:
        with socket.create_connection((host, parsed.port), timeout=1.0):
            return True
    except OSError:
        return False
