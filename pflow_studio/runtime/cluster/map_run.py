"""One map of a `ClusterRunner` over the cluster: chunks in flight, their results, lost engines,
liveness checks and cancel (the behaviour is described in `runner`'s docstring).
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import hashlib
import itertools
import logging
import pickle
import queue
import socket
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import cloudpickle

from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster import engine_side
from pflow_studio.runtime.cluster.chunks import ChunkSizer, encode_chunk, probe_limit
from pflow_studio.runtime.cluster.errors import BodyNotSendable, ControllerLost, NoEngines
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.runners import ItemOutcome, Progress

if TYPE_CHECKING:
    from pflow_studio.runtime.cluster.runner import ClusterRunner

log = logging.getLogger(__name__)

POLL = 0.1  # seconds between looks at the futures
CHECK = 1.0  # seconds between liveness checks (engines, controller)
CARRY_MAX = 256 * 1024  # bodies up to this size ride along with chunks instead of being pushed first


@dataclasses.dataclass(eq=False)
class _Chunk:
    start: int
    payload: bytes
    size: int
    budget: float | None = None
    target: int | None = None  # the engine it was sent to directly, else None (load-balanced)
    losses: int = 0
    misses: int = 0
    ar: Any = None



class MapRun:
    """One map over the cluster, for its `ClusterRunner` (see `cluster_runner`)."""

    def __init__(self, runner: ClusterRunner, task: Callable, items: Sequence[Any], progress: Progress,
                 cancel: CancelToken) -> None:
        self.runner = runner
        self.task = task
        self.items = items
        self.progress = progress
        self.cancel = cancel
        self.total = len(items)
        self.outcomes: list[ItemOutcome | None] = [None] * self.total
        self.done = 0
        self.pending: dict[Any, _Chunk] = {}  # AsyncResult -> chunk
        self.engines = 1
        self.next_start = 0  # elements before this were handed out once
        self.returned: collections.deque[tuple[int, int]] = collections.deque()  # ranges to send again
        self.first_round: list[int] = []  # engines still to get an even share directly (set when the run starts)
        self._last_check = time.monotonic()
        self._carried = False  # has the body ridden along with a chunk in this run?
        self._finished: queue.SimpleQueue[Any] = queue.SimpleQueue()  # AsyncResults done, in arrival order
        self._no_engines_since: float | None = None
        self._probe_failures = 0

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> list[ItemOutcome]:
        if not self.total:
            return []
        self.cancel.raise_if_cancelled()
        import ipyparallel  # noqa: F401  (only now: a serial run never pays for it)

        self.client = self.runner.client()
        ids = self._wait_for_engines()
        self.runner.notify(RunnerNotice(NoticeKind.ENGINES, f"running {self.total} elements on {len(ids)} engine(s)",
                                        total=self.total))
        try:
            self.blob = cloudpickle.dumps(self.task)
        except Exception as exc:
            raise BodyNotSendable(f"the Map body cannot be sent to engines: {type(exc).__name__}: {exc}") from exc
        self.digest = hashlib.sha256(self.blob).hexdigest()
        if len(self.blob) > CARRY_MAX:
            self._push([i for i in ids if not self._holds(i)])
        self.view = self.runner.view()
        self.ids, self.engines = ids, len(ids)
        self.first_round = list(reversed(ids))
        cost = self.runner._costs.get(self.digest)
        probing = cost is None and self.runner.chunksize is None
        self.sizer = ChunkSizer(self.runner.chunksize, cost, max_probe=probe_limit(self.items, 0) if probing else 1)
        self._fill()
        self._collect()
        if self.sizer.cost is not None:
            self.runner._costs[self.digest] = self.sizer.cost
        if self.done == self.total:  # every slot is filled (done counts each slot once)
            return self.outcomes  # type: ignore[return-value]
        return [o for o in self.outcomes if o is not None]

    def _holds(self, engine: int) -> bool:
        return self.digest in self.runner._pushed.get(engine, ())

    def _fill(self) -> None:
        """Submit new chunks while fewer than two per engine are in flight (ranges sent back first)."""
        window = 2 * max(1, self.engines)
        while len(self.pending) < window:
            if self.returned:
                start, end = self.returned.popleft()
                remaining = self.total - self.next_start + sum(b - a for a, b in self.returned) + end - start
                stop = start + min(end - start, self.sizer.next_size(remaining, self.engines))
                if stop < end:
                    self.returned.appendleft((stop, end))
            elif self.next_start < self.total:
                start = self.next_start
                stop = self.next_start = start + self.sizer.next_size(self.total - start, self.engines)
            else:
                return
            runs, bad = encode_chunk(self.items, start, stop)
            for item in bad:
                now = time.time()
                self._settle_item(ItemOutcome(item.index, False, error=item.error, started=now, finished=now))
            budget = self.sizer.budget(stop - start)
            for run_start, payload, size in runs:
                # even shares skip the load balancer's extra hop: one straight to each engine, once per run
                target = self.first_round.pop() if self.first_round and self.sizer.shares else None
                self._submit(_Chunk(run_start, payload, size, budget, target))
            if bad:
                self.progress(self.done, self.total)

    def _submit(self, chunk: _Chunk) -> None:
        carry = self.blob if len(self.blob) <= CARRY_MAX and not all(map(self._holds, self.ids)) else None
        if carry is not None and not self._carried:
            self._carried = True
            self.runner.notify(RunnerNotice(NoticeKind.PUSHED, f"Map body ({len(self.blob)} bytes) sent with "
                                                               "the chunks until every engine holds it"))
        if chunk.target is not None and chunk.target not in self.ids:
            chunk.target = None
        view = self.view if chunk.target is None else self.runner.direct(chunk.target)
        chunk.ar = view.apply_async(engine_side.run_chunk, self.digest, chunk.start, chunk.payload, carry, chunk.budget)
        self.pending[chunk.ar] = chunk
        if chunk.target is not None:  # load-balanced chunks name their engine only when done
            self.runner.notify(RunnerNotice(NoticeKind.SENT, f"{chunk.size} elements sent to engine {chunk.target}",
                                            chunk.target, self.done, self.total))
        chunk.ar.add_done_callback(self._finished.put)  # called on ipyparallel's thread when the result is in

    def _collect(self) -> None:
        while self.pending:
            if self.cancel.cancelled:
                self._cancel()
            try:
                finished = [self._finished.get(timeout=POLL)]
            except queue.Empty:
                finished = []
            while not self._finished.empty():
                finished.append(self._finished.get_nowait())
            for ar in finished:
                chunk = self.pending.pop(ar, None)
                if chunk is not None and chunk.ar is ar:
                    self._settle_chunk(chunk, ar)
                self._forget(ar)
            self._check()
            self._fill()

    # -- chunk results -------------------------------------------------------------------------

    def _settle_chunk(self, chunk: _Chunk, ar: Any) -> None:
        engine = _engine_of(ar, chunk.target)
        try:
            value = ar.get(0)
        except Exception as exc:
            if _is_engine_loss(exc):
                self._lost(chunk, engine, str(exc))
            else:
                self._fail_chunk(chunk, engine, exc)
            return
        if isinstance(value, str) and value == engine_side.MISSING:
            chunk.misses += 1
            self.runner._pushed.get(engine, set()).discard(self.digest)
            if chunk.misses > 5:
                self._fail_rows(chunk, engine, "the Map body could not be delivered to the engines", "")
                return
            if engine is not None and len(self.blob) > CARRY_MAX:
                self._push([engine])
            self._submit(chunk)
            return
        if engine is not None:
            self.runner._pushed.setdefault(engine, set()).add(self.digest)
        host, values, failures, stamps = pickle.loads(value)
        ran = min(len(values), chunk.size)
        if ran < chunk.size:  # the engine used up the chunk's budget: send the rest again
            self.returned.append((chunk.start + ran, chunk.start + chunk.size))
        times = stamps.tolist()
        self.sizer.observe(ran, times[ran] - times[0])
        start = chunk.start
        outcomes = _ok_outcomes(start, values[:ran], times, engine, host)
        for offset, (error, trace) in failures.items():
            if offset < ran:
                outcomes[offset] = ItemOutcome(start + offset, False, None, error, trace, engine, host,
                                               times[offset], times[offset + 1])
        self.outcomes[start:start + ran] = outcomes
        self.done += ran
        self.progress(self.done, self.total)
        self.runner.notify(RunnerNotice(NoticeKind.CHUNK, f"{ran} elements done on engine {engine}", engine,
                                        self.done, self.total))

    def _settle_item(self, outcome: ItemOutcome) -> None:
        if self.outcomes[outcome.index] is None:
            self.done += 1
        self.outcomes[outcome.index] = outcome

    def _lost(self, chunk: _Chunk, engine: int | None, reason: str) -> None:
        chunk.losses += 1
        chunk.target = None  # resubmitted through the load balancer
        self.runner._pushed.pop(engine, None) if engine is not None else None
        self.runner.notify(RunnerNotice(NoticeKind.LOST, f"engine {engine} was lost ({reason}); "
                                                f"resubmitting {chunk.size} element(s)", engine))
        if chunk.losses > self.runner.max_losses:
            self._fail_rows(chunk, engine, f"lost with its engine {chunk.losses} times; last: {reason}", "")
            return
        self._submit(chunk)

    def _fail_chunk(self, chunk: _Chunk, engine: int | None, exc: BaseException) -> None:
        name, value = getattr(exc, "ename", None) or type(exc).__name__, getattr(exc, "evalue", None) or str(exc)
        trace = getattr(exc, "traceback", None)
        self._fail_rows(chunk, engine, f"{name}: {value}", trace if isinstance(trace, str) else "")

    def _fail_rows(self, chunk: _Chunk, engine: int | None, message: str, trace: str) -> None:
        now = time.time()
        for index in range(chunk.start, chunk.start + chunk.size):
            self._settle_item(ItemOutcome(index, False, error=message, traceback=trace, engine=engine,
                                          started=now, finished=now))
        self.progress(self.done, self.total)

    def _forget(self, ar: Any) -> None:
        """Drop the client's copy of a finished task's result and metadata (flat memory)."""
        for msg_id in getattr(ar, "msg_ids", ()):
            self.client.results.pop(msg_id, None)
            self.client.metadata.pop(msg_id, None)

    # -- pushing the body ----------------------------------------------------------------------

    def _push(self, engines: list[int]) -> None:
        if not engines:
            return
        ar = self.client[engines].apply_async(engine_side.store_body, self.digest, self.blob)
        self._wait(ar, "sending the Map body to the engines")
        self._forget(ar)
        try:
            ar.get(0)
        except Exception as exc:  # an engine died meanwhile: chunks sent there come back "missing" or lost
            log.info("pushing the body to engines %s: %s", engines, exc)
            return
        for engine in engines:
            self.runner._pushed.setdefault(engine, set()).add(self.digest)
        self.runner.notify(RunnerNotice(NoticeKind.PUSHED,
                                        f"Map body ({len(self.blob)} bytes) sent to engines {engines}"))

    def _wait(self, ar: Any, what: str) -> None:
        while not ar.done():
            if self.cancel.cancelled:
                self.client.abort(jobs=ar, block=False)
                raise Cancelled("the run was cancelled")
            concurrent.futures.wait([ar], timeout=POLL)
            self._check()

    # -- liveness ------------------------------------------------------------------------------

    def _wait_for_engines(self) -> list[int]:
        deadline = time.monotonic() + self.runner.timeout
        while True:
            ids = list(self.client.ids)
            if ids:
                return ids
            self._check_controller(force=True)
            if time.monotonic() >= deadline:
                raise NoEngines(f"no engines connected to the cluster after {self.runner.timeout:g} s; "
                                "start engines (Cluster dock or `ipcluster start`) and run again")
            if self.cancel.wait(0.2):
                raise Cancelled("the run was cancelled")

    def _check(self) -> None:
        now = time.monotonic()
        if now - self._last_check < CHECK:
            return
        self._last_check = now
        self._check_controller()
        ids = set(self.client.ids)
        self.ids, self.engines = sorted(ids), max(1, len(ids))
        if not ids:
            if self._no_engines_since is None:
                self._no_engines_since = now
            elif now - self._no_engines_since > self.runner.engine_grace:
                raise NoEngines(f"all engines left the cluster; {self.total - self.done} of {self.total} "
                                "elements did not run (start engines and run again)")
        else:
            self._no_engines_since = None
        for ar, chunk in list(self.pending.items()):
            engine = _engine_of(ar, chunk.target)
            if engine is not None and engine not in ids and not ar.done():
                del self.pending[ar]
                self._lost(chunk, engine, f"engine {engine} left the cluster")

    def _check_controller(self, force: bool = False) -> None:
        url = getattr(self.client, "_config", {}).get("registration", "")
        if not url or getattr(self.client, "_ssh", False):
            return
        if _port_open(url):
            self._probe_failures = 0
            return
        self._probe_failures += 1
        if self._probe_failures >= 2 or force:
            raise ControllerLost(f"the cluster's controller ({url}) stopped answering; "
                                 f"{self.total - self.done} of {self.total} elements did not finish")

    # -- cancel --------------------------------------------------------------------------------

    def _cancel(self) -> None:
        self.runner.notify(RunnerNotice(NoticeKind.CANCELLING, f"cancelling {len(self.pending)} chunk(s)"))
        ars = list(self.pending)
        busy = sorted({e for ar, chunk in self.pending.items() if (e := _engine_of(ar, chunk.target)) is not None})
        try:
            self.client.abort(jobs=ars, block=False)
            if self.runner.interrupt is not None:
                self.runner.interrupt()
            elif busy:
                self.client.send_signal("SIGINT", targets=busy, block=False)
        except Exception:
            log.exception("cancelling the Map's chunks")
        concurrent.futures.wait(ars, timeout=3.0)  # let engines settle before the next run
        for ar in ars:
            if ar.done():
                self._forget(ar)
        self.pending.clear()
        raise Cancelled("the run was cancelled")



def _ok_outcomes(start: int, values: list[Any], times: list[float], engine: int | None,
                 host: str) -> list[ItemOutcome]:
    """Successful outcomes of elements `start`, `start + 1`, ... (element i ran from times[i] to times[i+1])."""
    same = itertools.repeat
    return list(map(ItemOutcome, range(start, start + len(values)), same(True), values, same(""), same(""),
                    same(engine), same(host), times, times[1:]))


def _engine_of(ar: Any, target: int | None = None) -> int | None:
    """The engine a task ran (or runs) on: from its metadata, else the engine it was sent to."""
    try:
        engine = ar._metadata[0].get("engine_id")
    except (IndexError, AttributeError):
        return target
    return engine if isinstance(engine, int) else target


def _is_engine_loss(exc: BaseException) -> bool:
    from ipyparallel import error

    return isinstance(exc, error.EngineError) or getattr(exc, "ename", None) == "EngineError"


def _port_open(url: str) -> bool:
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
