"""Running a workflow off the GUI thread.

`RunController` keeps one `Executor` per document (its cache makes re-runs instant), runs it on a
`QThread`, and turns executor events into the Qt signal `event(Event)`, delivered to the GUI thread
by queued connection. `finished(RunOutcome)` ends every run: ok, failed, cancelled, invalid (the
validation problems) or crashed (an unexpected exception's traceback). `stop()` cancels through the
run's `CancelToken`; the thread ends at the next node or Map element (a cluster Map aborts its queued
elements and interrupts the running ones).

The Map runner comes from `runner_factory()`, called on the GUI thread at the start of every run (so a
preference or the cluster dock's engine count can change between runs; the factory may hand back the
same runner each time). `make_runner()` is the plain serial one; the app's cluster session supplies
one that runs Maps on the cluster. Every run is recorded (`RunRecorder`): `outcome.record` holds the
run's Map records and `map_records` the latest record of every Map path run in this document.

With a `store` (the app's `ElementStore`), every run keeps Map elements in it under the project `scope()`
(`StoreBinding`); `start(..., refresh=[paths], recompute={map path: indices})` runs those nodes again
although cached and computes those elements again although stored. The run's thread gives its store
connection back when it ends.

`gate()` is asked before every run: a message (why the run may not start, e.g. untrusted code) refuses it,
and `refused(message)` says so; None lets it start.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor, InvalidWorkflow, RunResult
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.run_record import RunRecord, RunRecorder
from pflow_studio.runtime.runners import Runner, SerialRunner
from pflow_studio.runtime.stored_elements import StoreBinding
from pflow_studio.runtime.validation import Problem

RunnerFactory = Callable[[], Runner]


def make_runner() -> Runner:
    """The Map runner of a window without a cluster: in this process, serially."""
    return SerialRunner()


@dataclasses.dataclass
class RunOutcome:
    """How a run ended: status is "ok", "failed", "cancelled", "invalid" or "crashed"."""

    status: str
    workflow: Workflow
    result: RunResult | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)
    error: str = ""
    record: RunRecord | None = None  # the run's Map records (Maps that really ran, not cached)


class RunThread(QThread):
    """One run of the executor; emits `event` per executor event and `outcome` at the end."""

    event = Signal(object)
    outcome = Signal(object)

    def __init__(self, executor: Executor, workflow: Workflow, targets: list[str] | None, token: CancelToken,
                 parent: QObject | None = None, recorder: RunRecorder | None = None, *,
                 elements: StoreBinding | None = None, refresh: Iterable[tuple[str, ...]] = ()) -> None:
        super().__init__(parent)
        self.executor, self.workflow, self.targets, self.token = executor, workflow, targets, token
        self.recorder = recorder
        self.elements = elements
        self.refresh = [tuple(path) for path in refresh]

    def run(self) -> None:
        listeners = [self.event.emit] if self.recorder is None else [self.recorder, self.event.emit]
        try:
            result = self.executor.run(self.workflow, targets=self.targets, listeners=listeners, cancel=self.token,
                                       elements=self.elements, refresh=self.refresh)
        except InvalidWorkflow as exc:
            self.outcome.emit(RunOutcome("invalid", self.workflow, problems=exc.problems))
        except Exception as exc:  # never let a run take the app down
            self.outcome.emit(RunOutcome("crashed", self.workflow, error="".join(traceback.format_exception(exc))))
        else:
            self.outcome.emit(RunOutcome(result.status, self.workflow, result))
        finally:
            if self.elements is not None:
                self.elements.store.close_thread()


class RunController(QObject):
    """Starts and stops runs of one document; see the module docstring."""

    started = Signal()
    event = Signal(object)
    finished = Signal(object)
    refused = Signal(str)  # the gate's message: the run did not start

    def __init__(self, registry: Registry, runner_factory: RunnerFactory = make_runner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.runner_factory = runner_factory
        self.executor = self._new_executor()
        self.thread: RunThread | None = None
        self.token: CancelToken | None = None
        self.last: RunOutcome | None = None
        self.workflow: Workflow | None = None  # the copy being (or last) run
        self.map_records: dict[tuple[str, ...], dict[str, Any]] = {}  # Map path -> its latest run record
        self._recorder: RunRecorder | None = None
        self._outcome: RunOutcome | None = None
        self.store: ElementStore | None = None  # where Map elements are kept (None: nowhere)
        self.scope: Callable[[], str] = lambda: ""  # the project the runs belong to in the store
        self.gate: Callable[[], str | None] = lambda: None  # why no run may start now (None: it may)

    def _new_executor(self) -> Executor:
        return Executor(self.registry, runner=self.runner_factory(), cache=True)

    @property
    def running(self) -> bool:
        return self.thread is not None

    def reset(self) -> None:
        """A new document: forget cached results and the last run."""
        self.executor = self._new_executor()
        self.last = None
        self.map_records.clear()

    def start(self, workflow: Workflow, targets: list[str] | None = None, *, refresh: Iterable[tuple[str, ...]] = (),
              recompute: Mapping[tuple[str, ...], Collection[int]] | None = None) -> bool:
        """Run a copy of `workflow` (or only `targets` and what they need); False if one is running or the gate
        refuses. The nodes at the `refresh` paths run again although cached, the `recompute` elements again
        although stored."""
        if self.thread is not None:
            return False
        refusal = self.gate()
        if refusal:
            self.refused.emit(refusal)
            return False
        self.token = CancelToken()
        self._outcome = None
        self.workflow = workflow.copy()
        self.executor.runner = self.runner_factory()
        self._recorder = RunRecorder(labels={node.id: node.label for node, _ in self.workflow.walk()})
        elements = None if self.store is None else StoreBinding(self.store, self.scope(), dict(recompute or {}))
        thread = RunThread(self.executor, self.workflow, targets, self.token, recorder=self._recorder,
                           elements=elements, refresh=refresh)
        thread.event.connect(self.event.emit)
        thread.outcome.connect(self._done)
        thread.finished.connect(self._thread_ended)
        self.thread = thread
        thread.start()
        self.started.emit()
        return True

    def stop(self) -> None:
        """Ask the current run to stop (it ends with status "cancelled")."""
        if self.token is not None:
            self.token.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until the current run's thread ended (shutdown, tests); True when none runs."""
        thread = self.thread
        return thread is None or thread.wait(timeout_ms)

    def _done(self, outcome: RunOutcome) -> None:
        self._outcome = outcome

    def _thread_ended(self) -> None:
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.deleteLater()
        outcome = self._outcome or RunOutcome("crashed", Workflow(), error="the run ended without a result")
        if self._recorder is not None:
            outcome.record = self._recorder.record
            for entry in outcome.record.maps:
                self.map_records[tuple(entry.get("path", ()))] = entry
        self._recorder = None
        self.last = outcome
        self.finished.emit(outcome)
