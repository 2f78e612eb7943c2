"""Test hosts as network namespaces, with `tests/support/netns-hosts.sh` (a copy of the shared script).

`netns_hosts` (module-scoped) makes hosts h2, h3, h4: each a network + UTS namespace with its own
hostname and address 198.18.0.K on a private bridge (the root namespace is 198.18.0.1), no default
route. Processes in them share this machine's files and pid table, so an engine started there uses
this checkout and is ended by pid like any other. The hosts are removed (their processes ended) after
the module. One test session at a time holds the hosts (a lock file): parallel sessions wait.
Needs root and iproute2 (CI has both); elsewhere the tests that use them are skipped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence

import pytest

from tests.support.paths import ROOT

SCRIPT = pathlib.Path(__file__).with_name("netns-hosts.sh")
LOCK = pathlib.Path("/tmp/pflow-studio-netns.lock")
NET = "198.18.0"
ROOT_ADDRESS = f"{NET}.1"  # this machine, as the hosts see it (the bridge)
HOSTS = 3


def available() -> str:
    """'' when namespaces can be made here, else why not."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None or shutil.which("unshare") is None:
        return "network namespaces need iproute2 (ip) and util-linux (unshare)"
    return ""


def _script(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=check)


@dataclasses.dataclass
class Hosts:
    """The test hosts h2.. and the processes the tests started in them."""

    names: list[str]
    started: list[subprocess.Popen] = dataclasses.field(default_factory=list)

    @staticmethod
    def address(host: str) -> str:
        """198.18.0.K of host hK."""
        return f"{NET}.{int(host[1:])}"

    @staticmethod
    def namespace(host: str) -> str:
        return f"pf-h{int(host[1:])}"

    def argv(self, host: str, argv: Sequence[str]) -> list[str]:
        """`argv` run in `host` (its network and hostname); the process keeps this machine's files and pids."""
        return ["bash", str(SCRIPT), "run-on", host, *argv]

    def popen(self, host: str, argv: Sequence[str], *, env: dict[str, str] | None = None,
              **kwargs) -> subprocess.Popen:
        """Start `argv` in `host` (tracked: ended when the hosts go). `run-on` execs, so the pid is argv's."""
        process = subprocess.Popen(self.argv(host, argv), env=env, **kwargs)
        self.started.append(process)
        return process

    def run(self, host: str, argv: Sequence[str], timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
        """Run `argv` in `host` to its end."""
        return subprocess.run(self.argv(host, argv), capture_output=True, text=True, timeout=timeout, **kwargs)

    def start_engine(self, host: str, engine_file: pathlib.Path | str, *, env: dict[str, str] | None = None,
                     python: str = sys.executable, args: Sequence[str] = ()) -> subprocess.Popen:
        """An engine in `host` that registers with the controller of `engine_file` (as `ipengine --file`), in a
        session of its own as on another machine (with the kernel's autogroups, engines left in the test's
        session would share one CPU share under load, unlike local engines, which ipyparallel starts in
        sessions of their own)."""
        environment = dict(os.environ if env is None else env)
        environment.setdefault("PYTHONPATH", str(ROOT))
        argv = [python, "-m", "ipyparallel.engine", f"--file={engine_file}", "--log-level=40",
                "--InteractiveShell.colors=nocolor", *args]
        return self.popen(host, argv, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          start_new_session=True)

    def pids(self, host: str) -> list[int]:
        """The processes running in `host` now."""
        out = subprocess.run(["ip", "netns", "pids", self.namespace(host)], capture_output=True, text=True)
        return [int(word) for word in out.stdout.split()]

    def kill(self, host: str) -> None:
        """Kill every process in `host` (SIGKILL by pid), as when the machine dies."""
        for pid in self.pids(host):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

    def cut(self, host: str) -> None:
        """Cut `host`'s link (its packets are dropped until `mend`)."""
        subprocess.run(["ip", "link", "set", "dev", f"{self.namespace(host)}a", "down"], check=True)

    def mend(self, host: str) -> None:
        """Restore `host`'s link after `cut`."""
        subprocess.run(["ip", "link", "set", "dev", f"{self.namespace(host)}a", "up"], check=True)

    def end_started(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        self.started.clear()


@contextlib.contextmanager
def hosts_up(n: int = HOSTS) -> Iterator[Hosts]:
    """Hosts h2..h(n+1) for the duration of the block (waits for another session's hosts to go first)."""
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _script("down", "--kill", check=False)  # what a crashed session left
        _script("up", str(n))
        hosts = Hosts([f"h{k}" for k in range(2, n + 2)])
        try:
            yield hosts
        finally:
            hosts.end_started()
            _script("down", "--kill", check=False)


@pytest.fixture(scope="module")
def netns_hosts():
    """Hosts h2, h3, h4 for a test module (see the module docstring)."""
    reason = available()
    if reason:
        pytest.skip(reason)
    with hosts_up() as hosts:
        yield hosts
