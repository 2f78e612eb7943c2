"""The Cluster dock's actions and their worker calls.

`ACTION_SPECS` names each action with its text and tooltip; `make_actions` turns them into the QActions
shared by the dock's buttons and the window's Cluster menu. The functions below `ActionResult` are the
blocking work behind the actions: each makes one manager call (run on the dock's worker thread, never on
the GUI thread) and returns what the GUI thread shows: a log line, a fresh snapshot, leftovers, profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from pflow_studio.cluster_panel import ssh_engines
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.model import ClusterInfo, Leftover
from pflow_studio.cluster_panel.orphans import end_orphans
from pflow_studio.cluster_panel.where import engines_text, engines_where

# name -> (text, tooltip); the order is the order of `actions()` and of the buttons
ACTION_SPECS: dict[str, tuple[str, str]] = {
    "start": ("Start Engines", "Start the chosen number of engines (a local controller first if none answers)"),
    "connect": ("Connect", "Connect to a running cluster of the profile (ipcluster start, or one left running)"),
    "refresh": ("Show Info / Refresh", "Ask the cluster for its engines now"),
    "change_profile": ("Change Profile...", "Switch to another IPython profile (cleans up first)"),
    "cleanup_terminate": ("Cleanup: Terminate", "Disconnect and terminate the processes this session started"),
    "cleanup_leave": ("Cleanup: Leave Running",
                      "Disconnect and leave the processes this session started running, for a later session"),
    "shutdown": ("Request Cluster Shutdown...", "Ask the controller to stop every engine, ours or not, and itself"),
}


def make_actions(parent: QObject, handlers: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """One QAction per entry of ACTION_SPECS (object name `cluster_<name>`), triggering `handlers[name]`."""
    actions = {}
    for name, (text, tip) in ACTION_SPECS.items():
        action = QAction(text, parent)
        action.setObjectName(f"cluster_{name}")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(handlers[name])
        actions[name] = action
    return actions


@dataclass
class ActionResult:
    """What a job hands back to the GUI thread: a log line, a fresh snapshot, leftovers found, profiles."""

    message: str = ""
    info: ClusterInfo | None = None
    leftovers: list[Leftover] | None = None
    profiles: list[str] | None = None
    problems: list[str] = field(default_factory=list)  # more log lines, shown as errors


def _sentence(line: str) -> str:
    """A manager's log line as a sentence of the dock's log (capitalised)."""
    return line[:1].upper() + line[1:]


def start_engines(manager: ClusterManager, n: int, ip: str = "", location: str = "",
                  ssh: Mapping[str, int] | None = None, remote_python: str | None = None) -> ActionResult:
    """Start `n` engines (a local controller first if none answers, listening on `ip`, reached at `location`),
    on the `ssh` hosts when given."""
    info = manager.start_engines(n, ip=ip, location=location, ssh=ssh, remote_python=remote_python)
    where = engines_where(e.host for e in info.engines)
    return ActionResult(f"Started {engines_text(n)} on cluster '{info.cluster_id}'; connected: {where}", info)


def test_connection(manager: ClusterManager, hosts: list[str], remote_python: str | None) -> ActionResult:
    """Check each SSH host (bounded in time): one log line per host, those not ready as errors."""
    checks = ssh_engines.check_hosts(manager.profile_dir, hosts, remote_python)
    ready = [check.line() for check in checks if check.ready]
    return ActionResult("\n".join(ready), problems=[check.line() for check in checks if not check.ready])


def connect(manager: ClusterManager) -> ActionResult:
    """Connect to a running cluster of the manager's profile."""
    info = manager.connect(timeout=manager.call_timeout)
    return ActionResult(f"Connected to cluster '{info.cluster_id}' at {info.controller_url}", info)


def refresh(manager: ClusterManager) -> ActionResult:
    """A fresh snapshot only (nothing to log)."""
    return ActionResult(info=manager.info())


def cleanup(manager: ClusterManager, terminate: bool) -> ActionResult:
    """Disconnect and terminate (or leave running) what this session started."""
    line = manager.cleanup(terminate=terminate)
    return ActionResult(_sentence(line), manager.info())


def request_shutdown(manager: ClusterManager) -> ActionResult:
    """Ask the controller to stop every engine and itself."""
    line = manager.request_shutdown()
    return ActionResult(_sentence(line), manager.info())


def change_profile(manager: ClusterManager, profile: str, terminate: bool) -> ActionResult:
    """Clean up (terminate or leave running), switch to `profile`, and report its leftovers and the profiles."""
    leftovers = manager.change_profile(profile, terminate=terminate)
    return ActionResult(f"Profile is now '{manager.profile}' ({manager.profile_dir})", manager.info(), leftovers,
                        manager.list_profiles())


def reuse(manager: ClusterManager, leftover: Leftover) -> ActionResult:
    """Connect to `leftover` and own it again."""
    info = manager.reuse(leftover)
    return ActionResult(f"Reusing cluster '{leftover.cluster_id}' ({len(info.engines)} engines); "
                        "it is stopped at exit", info)


def end(manager: ClusterManager, leftover: Leftover) -> ActionResult:
    """Terminate `leftover`'s processes."""
    line = manager.end(leftover)
    return ActionResult(_sentence(line), manager.info())


def look_around(manager: ClusterManager, check_leftovers: bool) -> ActionResult:
    """The dock's first job: a snapshot, the profiles, and (when `check_leftovers`) the leftovers, after
    ending (and logging) the processes of sessions of ours that died without stopping them (`orphans`)."""
    ended = end_orphans(manager.profile_dir) if check_leftovers else []
    leftovers = manager.find_leftovers() if check_leftovers else None
    return ActionResult("\n".join(map(_sentence, ended)), manager.info(), leftovers, manager.list_profiles())
