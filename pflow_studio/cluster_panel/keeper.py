"""Lost engines of a cluster whose engines this session launched: how each ended, and new ones in their place.

`LauncherKeeper(cluster_of, start, say)` is the Map runner's `losses.EngineKeeper` for the engines the
launchers of an `ipyparallel.Cluster` of this process started (`cluster_of()`, None when there are none).
Only an engine's parent learns its exit status; here that is the launcher, whose wait thread reaps the
engine through its psutil `Process`, and psutil keeps the exit code it reaped (negative: the signal).
- An engine id is matched with its launcher through the engine's log file ("Completed registration with
  id N"), or for SSH engines by the pid each reported when it started (`ssh_engines.remember_engines`);
  a dead engine whose log names no id stands for the first lost engine asked about.
- `replace(engine)`: an engine our launchers started is replaced with `start(1, its launcher)` on a worker
  thread (the manager's keeper starts it where the lost one ran: on its SSH host, else here; one
  at a time; the Map goes on meanwhile; `wait` waits for them), and `say` tells it ("engine 0 died (exit
  code 3); started an engine in its place"). An engine whose process still runs was dropped by the
  controller (its heartbeat went unheard: a cut link, a frozen machine) and never rejoins: its process is
  ended first (`end_dropped`), then replaced. Any other engine belongs to someone else and is never
  touched: `say` only tells that it was lost and is not replaced.
`manager_keeper(get_manager, say)` is the keeper of the engines a `ClusterManager` owns.
"""

from __future__ import annotations

import queue
import re
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import psutil
from ipyparallel.cluster import launcher as ipp_launcher

from pflow_studio.cluster_panel import ssh_engines
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.processes import ProcessRef, end_processes
from pflow_studio.runtime.cluster.errors import ClusterError

STATUS_WAIT = 2.0  # seconds to wait for the launcher to reap a lost engine
START_TIMEOUT = 60.0  # seconds a replacement engine may take to register
_REGISTERED = re.compile(rb"Completed registration with id (\d+)")


class LauncherKeeper:
    """Exit status and replacement of the engines our launchers started (see the module docstring)."""

    def __init__(self, cluster_of: Callable[[], Any], start: Callable[[int, Any], Any],
                 say: Callable[[str], None]) -> None:
        self._cluster_of = cluster_of
        self._start = start
        self._say = say
        self._by_id: dict[int, Any] = {}  # engine id -> its launcher
        self._matched: set[int] = set()  # id() of the launchers matched with an engine id
        self._jobs: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def exit_status(self, engine: int) -> str | None:
        """"exit code N" or "signal NAME" for an engine our launchers started, else None."""
        launcher = self.launcher_of(engine)
        if launcher is None:
            return None
        deadline = time.monotonic() + STATUS_WAIT
        code = _exit_code(launcher)
        while code is None and time.monotonic() < deadline:
            time.sleep(0.05)
            code = _exit_code(launcher)
        return None if code is None else describe_exit(code)

    def replace(self, engine: int) -> None:
        """Start an engine in place of `engine` when ours launched it (on the worker thread), else say so."""
        if self.launcher_of(engine) is None:
            self._say(not_ours(engine))
            return
        with self._lock:
            self._jobs.put(engine)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="engine-keeper", daemon=True)
                self._worker.start()

    def wait(self, timeout: float) -> None:
        """Return once the replacements asked for so far are done (started or failed), at most `timeout` s."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def replacing(self) -> bool:
        """True while replacements asked for are still starting (each takes at most `START_TIMEOUT` s)."""
        with self._lock:
            return self._worker is not None

    def launcher_of(self, engine: int) -> Any | None:
        """The launcher that started engine `engine`, or None (not ours, or not found)."""
        if engine not in self._by_id and ssh_engines.launcher_of(self._cluster_of(), engine) is not None:
            self._match(engine, ssh_engines.launcher_of(self._cluster_of(), engine))
        if engine not in self._by_id:
            unmatched = [launcher for launcher in _launchers(self._cluster_of()) if id(launcher) not in self._matched]
            for launcher in unmatched:
                found = _registered_id(launcher)
                if found is not None:
                    self._match(found, launcher)
            dead = [launcher for launcher in unmatched if id(launcher) not in self._matched
                    and _exit_code(launcher) is not None]
            if engine not in self._by_id and dead:
                self._match(engine, dead[0])
        return self._by_id.get(engine)

    def _match(self, engine: int, launcher: Any) -> None:
        self._by_id[engine] = launcher
        self._matched.add(id(launcher))

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._jobs.empty():
                    self._worker = None
                    return
                engine = self._jobs.get()
            status = self.exit_status(engine)
            launcher = self._by_id.get(engine)
            ended = end_dropped(launcher) if status is None and launcher is not None else None
            what = (f"engine {engine} was dropped by the controller (its heartbeat went unheard) while its process "
                    f"still ran; {ended}" if ended else f"engine {engine} died ({status or 'exit status unknown'})")
            try:
                self._start(1, launcher)
            except Exception as exc:
                self._say(f"{what}; starting an engine in its place failed: {exc}")
            else:
                self._say(f"{what}; started an engine in its place")


def manager_keeper(get_manager: Callable[[], ClusterManager | None], say: Callable[[str], None]) -> LauncherKeeper:
    """The keeper of the engines the manager `get_manager()` owns (None: no manager yet)."""

    def cluster_of() -> Any:
        manager = get_manager()
        return None if manager is None else manager.engine_cluster()

    def start(n: int, lost: Any) -> None:
        manager = get_manager()
        if manager is None or manager.engine_cluster() is None or not manager.connected:
            raise ClusterError("this session no longer owns engines on a connected cluster")
        if isinstance(lost, ipp_launcher.SSHLauncher) and lost.location:  # on the host the lost one ran on
            manager.start_engines(n, timeout=START_TIMEOUT, ssh={lost.location: n},
                                  remote_python=lost.remote_python or None)
        else:
            manager.start_engines(n, timeout=START_TIMEOUT)

    return LauncherKeeper(cluster_of, start, say)


def not_ours(engine: int) -> str:
    """What is said of a lost engine this session did not start."""
    return (f"engine {engine} was lost; this session did not start it, so it is not replaced (if the controller "
            "dropped it while it ran, it does not rejoin: restart it on its host)")


def end_dropped(launcher: Any) -> str | None:
    """End the process of an engine the controller dropped, if it still runs: a process on this machine by
    its pid with its create time checked, one elsewhere (SSH) through its launcher. How it was ended, or None."""
    if isinstance(launcher, ipp_launcher.SSHLauncher):  # its `process` is the local ssh client, not the engine
        if not launcher.running:
            return None
        try:
            launcher.signal(signal.SIGTERM)
        except Exception as exc:
            return f"ending it through its launcher failed: {exc}"
        return "ended it through its launcher"
    process = getattr(launcher, "process", None)
    ref = ProcessRef(process.pid, process.create_time()) if isinstance(process, psutil.Process) else None
    if ref is None or not ref.alive():
        return None
    end_processes([ref])
    return f"ended its process {ref.pid}"


def describe_exit(code: int) -> str:
    """"exit code 3", or "signal SIGKILL" for a process a signal ended (a negative code)."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _launchers(cluster: Any) -> list[Any]:
    """The engine launchers of `cluster` (one per engine process it started)."""
    if cluster is None:
        return []
    sets = list(getattr(cluster, "engines", {}).values())
    return [launcher for engine_set in sets for launcher in list(getattr(engine_set, "launchers", {}).values())]


def _exit_code(launcher: Any) -> int | None:
    """The exit code of the launcher's process once reaped (psutil keeps it in `_exitcode`), else None."""
    code = getattr(getattr(launcher, "process", None), "_exitcode", None)
    if isinstance(code, int):
        return int(code)
    stop = getattr(launcher, "stop_data", None)
    return stop.get("exit_code") if isinstance(stop, dict) and isinstance(stop.get("exit_code"), int) else None


def _registered_id(launcher: Any) -> int | None:
    """The engine id in the launcher's log file, or None."""
    try:
        with open(launcher.output_file, "rb") as log:
            found = _REGISTERED.findall(log.read())
    except (OSError, AttributeError, TypeError):
        return None
    return int(found[-1]) if found else None
