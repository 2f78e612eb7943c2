"""What a `ClusterRunner` remembers from one Map to the next, so a body already on the engines is not
sent again and chunks of a body measured before are sized right away.

`RunnerMemory` knows which body digests each engine holds (as far as the client has seen: a chunk that
ran there, a push that succeeded), the host and process each engine reported (so elements that fail on
this side still name their engine's host, and a stalled Map can tell engines whose processes ended), the
engines that passed the engine check (`precheck`: asked once per client) and the seconds per element last
measured for each body digest. An
engine that answers "missing" or is lost is forgotten; a new client forgets every engine (its engine
ids name other processes) but keeps the element costs, which belong to the body, not to the cluster.
"""

from __future__ import annotations

from pflow_studio.runtime.cluster.process_id import ProcessId


class RunnerMemory:
    """Bodies held per engine and element costs per body (see the module docstring)."""

    def __init__(self) -> None:
        self._bodies: dict[int, set[str]] = {}  # engine id -> digests of the bodies it holds
        self._costs: dict[str, float] = {}  # body digest -> seconds per element measured last time
        self._hosts: dict[int, str] = {}  # engine id -> the host its results came from
        self._processes: dict[int, ProcessId] = {}  # engine id -> the process its results came from
        self._fit: set[int] = set()  # engines that passed the engine check

    def holds(self, engine: int, digest: str) -> bool:
        """Is `engine` known to hold the body `digest`?"""
        return digest in self._bodies.get(engine, ())

    def all_hold(self, engines: list[int], digest: str) -> bool:
        """Is every one of `engines` known to hold the body `digest`?"""
        return all(digest in self._bodies.get(engine, ()) for engine in engines)

    def body_held(self, engine: int, digest: str) -> None:
        """`engine` holds the body `digest` now (it ran a chunk of it, or the body was pushed there)."""
        self._bodies.setdefault(engine, set()).add(digest)

    def body_missing(self, engine: int, digest: str) -> None:
        """`engine` answered that it lacks the body `digest` (evicted, or the engine restarted)."""
        self._bodies.get(engine, set()).discard(digest)

    def forget_engine(self, engine: int) -> None:
        """`engine` was lost: nothing is known about what it holds."""
        self._bodies.pop(engine, None)
        self._fit.discard(engine)

    def forget_engines(self) -> None:
        """The client changed: nothing is known about any engine (element costs are kept)."""
        self._bodies.clear()
        self._hosts.clear()
        self._processes.clear()
        self._fit.clear()

    def checked(self, engine: int) -> bool:
        """Did `engine` pass the engine check with this client?"""
        return engine in self._fit

    def engine_fit(self, engine: int) -> None:
        """`engine` passed the engine check: later Maps need not ask it again."""
        self._fit.add(engine)

    def engine_seen(self, engine: int | None, host: str, process: ProcessId | None) -> None:
        """`engine` reported running on `host` as `process`."""
        if engine is not None and host:
            self._hosts[engine] = host
        if engine is not None and process is not None:
            self._processes[engine] = process

    def process(self, engine: int) -> ProcessId | None:
        """The process `engine` reported, or None."""
        return self._processes.get(engine)

    def host(self, engine: int | None) -> str:
        """The host `engine` reported, or "" (not heard from yet, or no engine)."""
        return "" if engine is None else self._hosts.get(engine, "")

    def cost(self, digest: str) -> float | None:
        """Seconds per element measured for the body `digest` in an earlier Map, or None."""
        return self._costs.get(digest)

    def remember_cost(self, digest: str, seconds: float) -> None:
        """Keep the seconds per element measured for the body `digest` for the next Map."""
        self._costs[digest] = seconds
