"""The ipyparallel Map runner: ship the body once, run chunks of elements load-balanced, never hang.

`ClusterRunner(client_or_provider)` implements the runner protocol of `runtime.runners`:
- The task (a Map body, `BodyTask`) is cloudpickled once per map and reaches each engine once,
  cached there by its hash (`engine_side`): a small body rides along with the chunks until every
  engine is known to hold it (no separate round trip); a big one (over `CARRY_MAX` bytes) is pushed
  first. Other chunks carry only the hash and their elements; an engine that lacks the body answers
  "missing", and the chunk is resubmitted with the body.
- Elements are cut into contiguous chunks sized from the element time measured on the engines
  (`chunks.ChunkSizer`; remembered per body for the next run; fixed if `chunksize`), at most
  two chunks in flight per engine. The first chunks of a body never measured before are the
  measurement (each engine's share under a time budget; what an engine did not run comes back and is
  sent again). Chunks that are each engine's even share go straight to one engine each (a direct
  view, one hop less than the load balancer); all others, and any resubmission, are load-balanced.
  Each element runs under its own error capture on the engine, so results keep input order and one
  failure never hides its neighbours. `progress(done, total)` is called as chunks complete.
- A chunk lost with its engine (the engine left the cluster, or the hub reports `EngineError`) is
  resubmitted to the remaining engines; lost a second time it is split in halves, down to the single
  element that kills its engine, which fails naming the engine, itself and the exit status (`losses`).
  Ordinary exceptions are never re-run: they are element failures. A `keeper` (`losses.EngineKeeper`)
  tells how lost engines ended and replaces them on a cluster this session owns.
- Before the first chunk, each engine not checked before with this client is checked (`precheck`): one
  without pflow_studio of this version, or with another Python minor version or cloudpickle, ends the Map
  with `EnginesUnfit` before any element runs; one that joins during the Map and fails is left out
  (`check_engines=False` skips the checks).
- No engines for `engine_grace` seconds during a map (or `timeout` seconds when it starts) raises
  `NoEngines`; a controller that stops answering raises `ControllerLost` within a few seconds.
  Every wait polls with a short timeout, so nothing blocks on a dead cluster.
- Cancel aborts queued chunks, interrupts running ones (SIGINT through the engines' nannies, or the
  `interrupt` callable given), waits briefly for them to settle and raises `Cancelled`.
- `on_event(RunnerNotice)` hears what the runner does (engines used, pushes, chunks done per engine,
  engines lost). Where and when each element ran is in the `ElementTable` `map` returns (the executor
  turns them into `items` events, which `run_record.RunRecorder` records).
- What the runner remembers between maps (bodies held per engine, element costs per body) is its
  `memory` (`memory.RunnerMemory`); each map is one `map_run.MapRun`, whose liveness checks are in
  `liveness` and whose chunk results are decoded by `engine_side.decode_result`.
ipyparallel is imported only when a map runs, so the runtime imports stay light.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.errors import ControllerLost
from pflow_studio.runtime.cluster.losses import EngineKeeper
from pflow_studio.runtime.cluster.map_run import MapRun
from pflow_studio.runtime.cluster.memory import RunnerMemory
from pflow_studio.runtime.cluster.notices import RunnerNotice
from pflow_studio.runtime.element_table import ElementTable
from pflow_studio.runtime.runners import Outcomes, Progress

log = logging.getLogger(__name__)


class ClusterRunner:
    """Runs a Map's elements on an ipyparallel cluster (see the module docstring)."""

    name = "cluster"

    def __init__(
        self,
        client_or_provider: Any,
        *,
        chunksize: int | None = None,
        on_event: Callable[[RunnerNotice], None] | None = None,
        timeout: float = 15.0,
        interrupt: Callable[[], None] | None = None,
        engine_grace: float = 5.0,
        keeper: EngineKeeper | None = None,
        check_engines: bool = True,
    ) -> None:
        if hasattr(client_or_provider, "load_balanced_view"):
            self._client, self._provider = client_or_provider, None
        elif callable(client_or_provider):
            self._client, self._provider = None, client_or_provider
        else:
            raise TypeError("ClusterRunner needs an ipyparallel.Client or a callable returning one")
        self.chunksize = chunksize
        self.on_event = on_event
        self.timeout = timeout
        self.interrupt = interrupt
        self.engine_grace = engine_grace
        self.keeper = keeper
        self.check_engines = check_engines
        self.memory = RunnerMemory()
        self._view: Any = None  # the load-balanced view of the current client
        self._direct: dict[int, Any] = {}  # engine id -> direct view of the current client

    def client(self) -> Any:
        """The client, asking the provider on first use (again after the controller was lost)."""
        if self._client is None:
            assert self._provider is not None
            self._client = self._provider()
            self.memory.forget_engines()
            self._view = None
        return self._client

    @property
    def current_client(self) -> Any:
        """The client in use, or None before the first Map (or after the controller was lost)."""
        return self._client

    def view(self) -> Any:
        """The client's load-balanced view (made once per client)."""
        client = self.client()
        if self._view is None or self._view.client is not client:
            self._view = client.load_balanced_view()
            self._direct = {}
        return self._view

    def direct(self, engine: int) -> Any:
        """A direct view on one engine of the current client (made once per engine)."""
        view = self._direct.get(engine)
        if view is None:
            view = self._direct[engine] = self.client()[engine]
        return view

    def notify(self, notice: RunnerNotice) -> None:
        """Tell the listener (`on_event`) what the runner did; a listener that raises is logged, never fatal."""
        if self.on_event is not None:
            try:
                self.on_event(notice)
            except Exception:
                log.exception("runner event listener failed")

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Progress,
        cancel: CancelToken,
        on_outcomes: Outcomes | None = None,
    ) -> ElementTable | None:
        """Run `task` once per element of `items` on the cluster: the table of every element, in input
        order, or None when `on_outcomes` takes them (the runner protocol of `runtime.runners`; the behaviour
        is in the module docstring)."""
        try:
            return MapRun(self, task, items, progress, cancel, on_outcomes).run()
        except ControllerLost:
            if self._provider is not None:
                self._client = None  # ask the provider again next time
            raise

