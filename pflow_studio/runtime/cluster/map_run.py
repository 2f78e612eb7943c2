"""One map of a `ClusterRunner` over the cluster: chunks in flight, their results, lost engines and
cancel (the behaviour is described in `runner`'s docstring). What is known of the engines and the body
across maps lives in the runner's `memory` (`memory.RunnerMemory`), used here only through its methods;
the liveness checks are `liveness.ClusterWatch`; chunk results are read by `engine_side.decode_result`;
what becomes of a chunk lost with its engine, and of the engine, is decided by `losses`; the engines are
checked before the first chunk is sent (`precheck`: any unfit one ends the Map then).
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import hashlib
import logging
import queue
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import cloudpickle

from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster import engine_side, losses
from pflow_studio.runtime.cluster.chunks import ChunkSizer, encode_chunk, probe_limit
from pflow_studio.runtime.cluster.errors import BodyNotSendable
from pflow_studio.runtime.cluster.liveness import ClusterWatch
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.precheck import EngineChecks
from pflow_studio.runtime.cluster.stall import StallWatch, check_gone, holders, stall_message
from pflow_studio.runtime.element_table import ElementTable, OutcomeBlock, failed_block
from pflow_studio.runtime.runners import Outcomes, Progress, output_names

if TYPE_CHECKING:
    from pflow_studio.runtime.cluster.runner import ClusterRunner

log = logging.getLogger(__name__)

POLL = 0.1  # seconds between looks at the futures
CARRY_MAX = 256 * 1024  # bodies up to this size ride along with chunks instead of being pushed first


@dataclasses.dataclass(eq=False)
class _Chunk:
    """Contiguous elements sent as one task: from Map element `start`, `size` of them, pickled in `payload`."""

    start: int
    payload: bytes
    size: int
    budget: float | None = None
    target: int | None = None  # the engine it was sent to directly, else None (load-balanced)
    losses: int = 0
    misses: int = 0
    ar: Any = None


class MapRun:
    """One map over the cluster, for its `ClusterRunner` (see `runner`)."""

    def __init__(self, runner: ClusterRunner, task: Callable, items: Sequence[Any], progress: Progress,
                 cancel: CancelToken, on_outcomes: Outcomes | None = None) -> None:
        self.runner = runner
        self.on_outcomes = on_outcomes
        self.memory = runner.memory
        self.task = task
        self.items = items
        self.progress = progress
        self.cancel = cancel
        self.total = len(items)
        self.table = ElementTable(self.total, output_names(task)) if on_outcomes is None else None
        self.settled = bytearray(self.total)  # 1: the element's outcome is known
        self.done = 0
        self.pending: dict[Any, _Chunk] = {}  # AsyncResult -> chunk
        self.engines = 1
        self.next_start = 0  # elements before this were handed out once
        self.returned: collections.deque[tuple[int, int]] = collections.deque()  # ranges to send again
        self.first_round: list[int] = []  # engines still to get an even share directly (set when the run starts)
        self._carried = False  # has the body ridden along with a chunk in this run?
        self._finished: queue.SimpleQueue[Any] = queue.SimpleQueue()  # AsyncResults done, in arrival order

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> ElementTable | None:
        """Run every element; their outcomes in input order (None: `on_outcomes` took them)."""
        if not self.total:
            return self.table
        self.cancel.raise_if_cancelled()
        import ipyparallel  # noqa: F401  (only now: a serial run never pays for it)

        self.client = self.runner.client()
        keeper = self.runner.keeper
        self.watch = ClusterWatch(self.client, self.runner.engine_grace,
                                  engines_coming=keeper.replacing if keeper is not None else lambda: False)
        ids = self.watch.wait_for_engines(self.runner.timeout, self.total, self.cancel)
        self.ids, self.engines = ids, len(ids)
        self.checks = EngineChecks.before_map(self.client, ids, self.memory, self.runner, self.cancel)
        self.gone = losses.LostEngines(self.runner.keeper, len(ids), self._tell_lost, self.client)
        self.runner.notify(RunnerNotice(NoticeKind.ENGINES, f"running {self.total} elements on {len(ids)} engine(s)",
                                        total=self.total))
        try:
            self.blob = cloudpickle.dumps(self.task)
        except Exception as exc:
            raise BodyNotSendable(f"the Map body cannot be sent to engines: {type(exc).__name__}: {exc}") from exc
        self.digest = hashlib.sha256(self.blob).hexdigest()
        if len(self.blob) > CARRY_MAX:
            self._push([engine for engine in ids if not self.memory.holds(engine, self.digest)])
        self.view = self.runner.view()
        self.first_round = list(reversed(ids))
        cost = self.memory.cost(self.digest)
        probing = cost is None and self.runner.chunksize is None
        self.sizer = ChunkSizer(self.runner.chunksize, cost, max_probe=probe_limit(self.items, 0) if probing else 1)
        self.stall = StallWatch()
        try:
            self._fill()
            self._collect()
            self.gone.settle()
        except (KeyboardInterrupt, SystemExit):  # Ctrl+C / SIGTERM of the process: leave the engines free
            self._stop_chunks()
            raise
        if self.sizer.cost is not None:
            self.memory.remember_cost(self.digest, self.sizer.cost)
        return self.table

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
                self._fail_elements(item.index, 1, None, item.error, "")
            budget = self.sizer.budget(stop - start)
            for run_start, payload, size in runs:
                # even shares skip the load balancer's extra hop: one straight to each engine, once per run
                target = self.first_round.pop() if self.first_round and self.sizer.shares else None
                self._submit(_Chunk(run_start, payload, size, budget, target))
            if bad:
                self.progress(self.done, self.total)

    def _submit(self, chunk: _Chunk, carry_body: bool = False) -> None:
        """Send a chunk (with the body if `carry_body` or while some engine may lack it), straight to its
        target or load-balanced."""
        small = len(self.blob) <= CARRY_MAX
        carry = self.blob if small and (carry_body or not self.memory.all_hold(self.ids, self.digest)) else None
        if carry is not None and not self._carried:
            self._carried = True
            self.runner.notify(RunnerNotice(NoticeKind.PUSHED, f"Map body ({len(self.blob)} bytes) sent with "
                                                               "the chunks until every engine holds it"))
        if chunk.target is not None and chunk.target not in self.ids:
            chunk.target = None
        view = self.checks.restrict(self.view) if chunk.target is None else self.runner.direct(chunk.target)
        chunk.ar = view.apply_async(engine_side.run_chunk, self.digest, chunk.start, chunk.payload, carry, chunk.budget)
        self.pending[chunk.ar] = chunk
        if chunk.target is not None:  # load-balanced chunks name their engine only when done
            self.runner.notify(RunnerNotice(NoticeKind.SENT, f"{chunk.size} elements sent to engine {chunk.target}",
                                            chunk.target, self.done, self.total))
        chunk.ar.add_done_callback(self._finished.put)  # called on ipyparallel's thread when the result is in

    def _collect(self) -> None:
        """Settle chunks as they finish, check liveness and keep the window full until none is pending."""
        while self.pending:
            if self.cancel.cancelled:
                self._cancel()
            try:
                finished = [self._finished.get(timeout=POLL)]
            except queue.Empty:
                finished = []
            while not self._finished.empty():
                finished.append(self._finished.get_nowait())
            if finished:
                self.stall.heard()
            for ar in finished:
                chunk = self.pending.pop(ar, None)
                if chunk is not None and chunk.ar is ar:
                    self._settle_chunk(chunk, ar)
                self._forget(ar)
            self._check()
            self._watch_stall()
            self._fill()

    def _watch_stall(self) -> None:
        """Say when no chunk came back for long while chunks are pending; end the Map when every engine
        surely died (see `stall`)."""
        quiet = self.stall.due(self.sizer.cost, [chunk.size for chunk in self.pending.values()])
        if quiet is not None:
            work = [(_engine_of(ar, c.target), ar, c.size) for ar, c in self.pending.items()]
            message = stall_message(quiet, holders(self.client, work), self.memory.host)
            self.runner.notify(RunnerNotice(NoticeKind.STALLED, message, None, self.done, self.total))
        if self.stall.stalled and not self.watch.engines_coming():
            check_gone([self.memory.process(engine) for engine in self.client.ids], self.total - self.done, self.total)

    # -- chunk results -------------------------------------------------------------------------

    def _settle_chunk(self, chunk: _Chunk, ar: Any) -> None:
        """Take in a finished chunk: its outcomes, or a missing body, a lost engine, a chunk-wide error."""
        engine = _engine_of(ar, chunk.target)
        try:
            value = ar.get(0)
        except Exception as exc:
            if losses.is_engine_loss(exc):
                self._lost(chunk, engine, str(exc))
            elif self.checks.cannot_run(engine, exc, chunk):  # an engine without pflow_studio: sent elsewhere
                self._submit(chunk)
            else:
                self._fail_chunk(chunk, engine, exc)
            return
        if isinstance(value, str) and value == engine_side.MISSING:
            self._missing(chunk, engine)
            return
        if engine is not None:
            self.memory.body_held(engine, self.digest)
            if engine not in self.ids:  # it joined after the last look: chunks carry the body until all hold it
                self._refresh_ids()
        decoded = engine_side.decode_result(value, chunk.start, engine)
        self.memory.engine_seen(engine, decoded.block.host, decoded.process)
        ran = len(decoded.block)
        if ran < chunk.size:  # the engine used up the chunk's budget: send the rest again
            self.returned.append((chunk.start + ran, chunk.start + chunk.size))
        self.sizer.observe(ran, decoded.seconds)
        self._deliver(decoded.block)
        self.progress(self.done, self.total)
        self.runner.notify(RunnerNotice(NoticeKind.CHUNK, f"{ran} elements done on engine {engine}", engine,
                                        self.done, self.total))

    def _missing(self, chunk: _Chunk, engine: int | None) -> None:
        """The engine lacked the body (it joined mid-Map, or restarted): send the chunk again with the body
        (a big one pushed first to every engine lacking it), at most 5 times."""
        chunk.misses += 1
        if engine is not None:
            self.memory.body_missing(engine, self.digest)
        if chunk.misses > 5:
            self._fail_rows(chunk, engine, "the Map body could not be delivered to the engines", "")
            return
        self._refresh_ids()
        if len(self.blob) > CARRY_MAX:
            lacking = {e for e in self.ids if not self.memory.holds(e, self.digest)}
            self._push(sorted(lacking | ({engine} if engine is not None else set())))
        self._submit(chunk, carry_body=True)

    def _refresh_ids(self) -> None:
        """Look at the engines now (engines that joined are included; the window grows with them)."""
        ids = sorted(self.client.ids)
        if ids:
            self.ids, self.engines = ids, len(ids)

    def _fail_elements(self, start: int, size: int, engine: int | None, message: str, trace: str) -> None:
        """Fail elements on this side (they could not be sent, their chunk failed as a whole); an element
        already settled keeps its first outcome."""
        settled = self.settled
        offset = start
        while offset < start + size:
            if settled[offset]:
                offset += 1
                continue
            stop = offset
            while stop < start + size and not settled[stop]:
                stop += 1
            self._deliver(failed_block(offset, stop - offset, message, trace, engine, time.time(),
                                       self.memory.host(engine)))
            offset = stop

    def _deliver(self, block: OutcomeBlock) -> None:
        """Settle a block: into the table, or to `on_outcomes`."""
        size = len(block)
        self.settled[block.start:block.start + size] = b"\x01" * size
        self.done += size
        if self.table is not None:
            self.table.add(block)
        if self.on_outcomes is not None:
            self.on_outcomes(block)

    def _lost(self, chunk: _Chunk, engine: int | None, reason: str) -> None:
        """A chunk lost with its engine: sent again, split in halves or its one element failed (`losses`)."""
        engine = self.gone.engine_of(engine, reason)
        chunk.losses += 1
        chunk.target = None  # sent again through the load balancer
        if engine is not None:
            self.memory.forget_engine(engine)
        self.gone.lost_engine(engine)
        verdict = losses.judge(chunk.start, chunk.size, chunk.losses, engine, reason, self.gone.status)
        self._tell_lost(verdict.note, engine)
        if verdict.failure:
            self._fail_rows(chunk, engine, verdict.failure, "")
        for start, stop in verdict.parts:  # its elements were sent before: each can be sent
            for run_start, payload, size in encode_chunk(self.items, start, stop)[0]:
                self._submit(_Chunk(run_start, payload, size, chunk.budget, losses=losses.SPLIT_AFTER - 1))
        if verdict.resend:
            self._submit(chunk)

    def _tell_lost(self, message: str, engine: int | None) -> None:
        self.runner.notify(RunnerNotice(NoticeKind.LOST, message, engine))

    def _fail_chunk(self, chunk: _Chunk, engine: int | None, exc: BaseException) -> None:
        name, value = getattr(exc, "ename", None) or type(exc).__name__, getattr(exc, "evalue", None) or str(exc)
        trace = getattr(exc, "traceback", None)
        self._fail_rows(chunk, engine, f"{name}: {value}", trace if isinstance(trace, str) else "")

    def _fail_rows(self, chunk: _Chunk, engine: int | None, message: str, trace: str) -> None:
        self._fail_elements(chunk.start, chunk.size, engine, message, trace)
        self.progress(self.done, self.total)

    def _forget(self, ar: Any) -> None:
        """Drop the client's copy of a finished task's result and metadata (flat memory)."""
        for msg_id in getattr(ar, "msg_ids", ()):
            self.client.results.pop(msg_id, None)
            self.client.metadata.pop(msg_id, None)

    # -- pushing the body ----------------------------------------------------------------------

    def _push(self, engines: list[int]) -> None:
        """Send the body to `engines` ahead of their chunks (a big body), waiting for it to arrive."""
        if not engines:
            return
        ar = self.client[engines].apply_async(engine_side.store_body, self.digest, self.blob)
        self._wait(ar)
        self._forget(ar)
        try:
            ar.get(0)
        except Exception as exc:  # an engine died meanwhile: chunks sent there come back "missing" or lost
            log.info("pushing the body to engines %s: %s", engines, exc)
            return
        for engine in engines:
            self.memory.body_held(engine, self.digest)
        self.runner.notify(RunnerNotice(NoticeKind.PUSHED,
                                        f"Map body ({len(self.blob)} bytes) sent to engines {engines}"))

    def _wait(self, ar: Any) -> None:
        """Wait for `ar` without blocking on a dead cluster; abort it and raise `Cancelled` on cancel."""
        while not ar.done():
            if self.cancel.cancelled:
                self.client.abort(jobs=ar, block=False)
                raise Cancelled("the run was cancelled")
            concurrent.futures.wait([ar], timeout=POLL)
            self._check()

    # -- liveness ------------------------------------------------------------------------------

    def _check(self) -> None:
        """Every `liveness.CHECK` s: raise if the cluster is gone; resubmit chunks of engines that left."""
        ids = self.watch.poll(self.total - self.done, self.total)
        if ids is None:
            return
        self.gone.seen(self.ids, ids, self.client)
        self.ids, self.engines = sorted(ids), max(1, len(ids))
        self.checks.look(ids)
        for ar, chunk in list(self.pending.items()):
            engine = _engine_of(ar, chunk.target)
            if engine is not None and engine not in ids and not ar.done():
                del self.pending[ar]
                self._lost(chunk, engine, f"engine {engine} left the cluster")

    # -- cancel --------------------------------------------------------------------------------

    def _cancel(self) -> None:
        """Abort queued chunks, interrupt running ones, let them settle briefly, then raise `Cancelled`."""
        self.runner.notify(RunnerNotice(NoticeKind.CANCELLING, f"cancelling {len(self.pending)} chunk(s)"))
        ars = self._stop_chunks()
        concurrent.futures.wait(ars, timeout=3.0)  # let engines settle before the next run
        for ar in ars:
            if ar.done():
                self._forget(ar)
        self.pending.clear()
        raise Cancelled("the run was cancelled")

    def _stop_chunks(self) -> list[Any]:
        """Abort the queued chunks and interrupt the running ones (without waiting); returns their results."""
        ars = list(self.pending)
        busy = sorted({e for ar, chunk in self.pending.items() if (e := _engine_of(ar, chunk.target)) is not None})
        try:
            self.client.abort(jobs=ars, block=False)
            if self.runner.interrupt is not None:
                self.runner.interrupt()
            elif busy:
                self.client.send_signal("SIGINT", targets=busy, block=False)
        except Exception:
            log.exception("stopping the Map's chunks")
        return ars


def _engine_of(ar: Any, target: int | None = None) -> int | None:
    """The engine a task ran (or runs) on: from its metadata, else the engine it was sent to."""
    try:
        engine = ar._metadata[0].get("engine_id")
    except (IndexError, AttributeError):
        return target
    return engine if isinstance(engine, int) else target
