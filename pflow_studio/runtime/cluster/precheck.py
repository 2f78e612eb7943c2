"""Before a Map runs on a cluster: can every engine run our code?

Chunks are `engine_side.run_chunk` calls, pickled by reference, and bodies are cloudpickled against this
process's code, so an engine can run them only with pflow_studio of the same version as here (the one
safe rule: any change of our code may change what a pickled body refers to), the same Python minor
version and the same cloudpickle version. `EngineChecks` asks each engine once per client (a fit engine
is remembered in the runner's `memory`, so later Maps ask nothing):

- `before_map(ids)` asks every engine not known fit and waits up to `WAIT` s for the answers. Any unfit
  engine ends the Map before an element is sent, with `EnginesUnfit` naming the engines, their hosts and
  what is wrong. Engines that did not answer in time (busy with other work, or dead and not yet noticed by
  the controller) are not waited for: a `CHECK` notice says so, and their answers are taken later.
- `look(ids)` (called on every liveness check of the Map) asks engines that joined during the Map and
  takes answers that came in. An engine found unfit during the Map is left out: a `CHECK` notice names it,
  and `restrict` keeps load-balanced chunks away from it (the view's targets). A chunk it took before its
  answer came fails with an import error of pflow_studio: `cannot_run` says so, and the chunk is sent again.

The check itself is source code run with `eval` (a builtin, so nothing of ours is unpickled there): it
works on an engine without pflow_studio and reports what is missing instead of failing. An engine where the
check itself raises is unfit too ("the engine check failed there (SyntaxError: ...)"); one lost meanwhile is
left to the Map's liveness checks.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import cloudpickle

import pflow_studio
from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster.errors import EnginesUnfit
from pflow_studio.runtime.cluster.losses import is_engine_loss
from pflow_studio.runtime.cluster.memory import RunnerMemory
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.remote_source import ask_source

log = logging.getLogger(__name__)

WAIT = 5.0  # seconds `before_map` waits for the engines' answers
POLL = 0.1  # seconds between looks at a cancel while waiting
RESENDS = 5  # times a chunk is sent again after failing on an engine without pflow_studio

SOURCE = '''
def report():
    import socket, sys
    out = {"host": socket.gethostname(), "python": list(sys.version_info[:3])}
    try:
        import cloudpickle
        out["cloudpickle"] = cloudpickle.__version__
    except Exception as exc:
        out["cloudpickle"], out["cloudpickle_error"] = None, f"{type(exc).__name__}: {exc}"
    try:
        import pflow_studio
        out["pflow_studio"] = pflow_studio.__version__
        import pflow_studio.runtime.cluster.engine_side
    except Exception as exc:
        out["pflow_studio_error"] = f"{type(exc).__name__}: {exc}"
    return out
'''


@dataclasses.dataclass(frozen=True)
class Setup:
    """What an engine (or this process) runs with: the versions that must match."""

    python: tuple[int, int]
    cloudpickle: str | None
    pflow_studio: str | None
    error: str = ""  # why pflow_studio (or cloudpickle) could not be imported there, if it could not


HERE = Setup(sys.version_info[:2], cloudpickle.__version__, pflow_studio.__version__)


def setup_of(report: dict[str, Any]) -> Setup:
    """The `Setup` in an engine's answer to `SOURCE`."""
    error = report.get("pflow_studio_error") or report.get("cloudpickle_error") or ""
    version = report.get("pflow_studio") if not report.get("pflow_studio_error") else None
    python = tuple(report.get("python") or (0, 0))[:2]
    return Setup((int(python[0]), int(python[1])), report.get("cloudpickle"), version, error)


def problems(there: Setup, here: Setup = HERE) -> list[str]:
    """What keeps an engine with `there` from running Maps of this process (`here`); [] when fit."""
    found = []
    if there.pflow_studio is None:
        what = "cannot be imported there" if there.error and "No module named 'pflow_studio'" not in there.error \
            else "is not installed there"
        found.append(f"pflow_studio {what} ({there.error})" if there.error else f"pflow_studio {what}")
    elif there.pflow_studio != here.pflow_studio:
        found.append(f"pflow_studio {there.pflow_studio} there, {here.pflow_studio} here")
    if there.python != here.python:
        found.append(f"Python {_dotted(there.python)} there, {_dotted(here.python)} here")
    if there.cloudpickle != here.cloudpickle:
        found.append(f"cloudpickle {there.cloudpickle or 'missing'} there, {here.cloudpickle} here")
    return found


def unfit_message(unfit: dict[int, tuple[str, list[str]]], here: Setup = HERE) -> str:
    """One line naming unfit engines (engine -> (host, problems)), grouped by host and problems, and the cure."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for engine in sorted(unfit):
        host, found = unfit[engine]
        groups.setdefault((host, tuple(found)), []).append(engine)
    parts = []
    for (host, found), engines in groups.items():
        named = f"engine{'s' if len(engines) > 1 else ''} {', '.join(map(str, engines))} on {host or '?'}"
        parts.append(f"{named}: {'; '.join(found)}")
    cure = (f"install pflow-studio {here.pflow_studio} with Python {_dotted(here.python)} and cloudpickle "
            f"{here.cloudpickle} in the engines' environment, or stop those engines")
    return f"{'; '.join(parts)}. The Map did not run: {cure}"


def _error_text(exc: BaseException) -> tuple[str, str]:
    """The name and text of an error, remote (ipyparallel's `ename`, `evalue`) or local."""
    return getattr(exc, "ename", None) or type(exc).__name__, getattr(exc, "evalue", None) or str(exc)


def _dotted(version: Iterable[int]) -> str:
    return ".".join(map(str, version))


def ask(client: Any, engine: int) -> Any:
    """Send the check to one engine; its AsyncResult (the one place a request is made)."""
    return ask_source(client[engine], SOURCE)


class EngineChecks:
    """The engine checks of one Map (see the module docstring)."""

    def __init__(self, client: Any, memory: RunnerMemory, notify: Callable[[RunnerNotice], None],
                 enabled: bool = True) -> None:
        self.client = client
        self.memory = memory
        self.notify = notify
        self.enabled = enabled  # False: nothing is asked (`ClusterRunner(check_engines=False)`)
        self.pending: dict[int, Any] = {}  # engine -> AsyncResult of its check
        self.unfit: dict[int, tuple[str, list[str]]] = {}  # engine -> (host, problems)

    @classmethod
    def before_map(cls, client: Any, ids: list[int], memory: RunnerMemory, runner: Any,
                   cancel: CancelToken) -> EngineChecks:
        """The checks of a Map on `client`'s engines `ids`, made with `runner`'s settings (`check_engines`,
        `notify`) after checking `ids` (see `check`)."""
        checks = cls(client, memory, runner.notify, runner.check_engines)
        checks.check(ids, cancel)
        return checks

    def check(self, ids: list[int], cancel: CancelToken, wait: float = WAIT) -> None:
        """Check `ids` (those not known fit); raise `EnginesUnfit` if any is unfit (see the module docstring)."""
        if not self.enabled:
            return
        self._ask(ids)
        deadline = time.monotonic() + wait
        while not all(ar.done() for ar in self.pending.values()):
            left = deadline - time.monotonic()
            if cancel.cancelled:
                raise Cancelled("the run was cancelled")
            if left <= 0:
                break
            concurrent.futures.wait(list(self.pending.values()), timeout=min(POLL, left))  # back as soon as all are
        self._take()
        if self.unfit:
            raise EnginesUnfit(unfit_message(self.unfit))
        if self.pending:
            late = sorted(self.pending)
            self.notify(RunnerNotice(NoticeKind.CHECK, f"engine(s) {', '.join(map(str, late))} did not answer the "
                                     f"engine check in {wait:g} s (busy or gone): the Map runs without waiting; "
                                     "an engine found unfit later is left out"))

    def look(self, ids: Iterable[int]) -> None:
        """Ask engines that joined; take answers that came in; say which engines are left out."""
        if not self.enabled:
            return
        self._ask(ids)
        known = set(self.unfit)
        self._take()
        for engine in sorted(set(self.unfit) - known):
            self._left_out(engine)

    def restrict(self, view: Any) -> Any:
        """`view` (load-balanced), kept off unfit engines (no restriction while none is known, and none left
        over from an earlier Map)."""
        if self.unfit:
            view.targets = [engine for engine in self.client.ids if engine not in self.unfit] or None
        elif view.targets is not None:
            view.targets = None
        return view

    def cannot_run(self, engine: int | None, exc: BaseException, chunk: Any) -> bool:
        """Did `chunk` fail as a whole on `engine` because pflow_studio cannot be imported there? The engine
        is then left out, and the chunk is made ready to be sent again through the load balancer (at most
        `RESENDS` times; after that it fails like any chunk-wide error)."""
        name, value = _error_text(exc)
        if engine is None or name not in ("ModuleNotFoundError", "ImportError") or "pflow_studio" not in value:
            return False
        if engine not in self.unfit:
            self.unfit[engine] = (self.memory.host(engine), [f"pflow_studio cannot be imported there ({value})"])
            self._left_out(engine)
        chunk.misses += 1
        chunk.target = None
        return chunk.misses <= RESENDS

    def _ask(self, ids: Iterable[int]) -> None:
        for engine in ids:
            if engine not in self.pending and engine not in self.unfit and not self.memory.checked(engine):
                try:
                    self.pending[engine] = ask(self.client, engine)
                except Exception as exc:  # it left since the ids were read: the liveness checks deal with that
                    log.info("engine check of engine %s not sent: %s", engine, exc)

    def _take(self) -> None:
        """Take the answers that came in: fit engines are remembered, unfit ones collected."""
        for engine, ar in list(self.pending.items()):
            if not ar.done():
                continue
            del self.pending[engine]
            for msg_id in getattr(ar, "msg_ids", ()):
                self.client.results.pop(msg_id, None)
                self.client.metadata.pop(msg_id, None)
            try:
                report = ar.get(0)
            except Exception as exc:  # lost: the Map's liveness checks deal with that; else the check failed there
                if not is_engine_loss(exc):
                    failed = "the engine check failed there ({}: {})".format(*_error_text(exc))
                    self.unfit[engine] = (self.memory.host(engine), [failed])
                continue
            setup = setup_of(report)
            self.memory.engine_seen(engine, str(report.get("host", "")), None)
            found = problems(setup)
            if found:
                self.unfit[engine] = (self.memory.host(engine), found)
            else:
                self.memory.engine_fit(engine)

    def _left_out(self, engine: int) -> None:
        host, found = self.unfit[engine]
        self.notify(RunnerNotice(NoticeKind.CHECK, f"engine {engine} on {host or '?'} is left out of the Map: "
                                 f"{'; '.join(found)}", engine))
