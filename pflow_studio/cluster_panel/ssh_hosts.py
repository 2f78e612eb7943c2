"""SSH hosts for engines: parsing `HOST[:N],...`, checking hosts, and ending remote engines quietly.

Engines start through ipyparallel's SSH engine launcher (`SSHEngineSetLauncher`, `engines={host: n}`); the
ssh options (key, known-hosts file, ...) come from the profile's `ipcluster_config.py`
(`c.SSHLauncher.ssh_args`), as for any ipyparallel user. What is here:
- `parse_hosts` / `hosts_text`: the `--ssh` and dock syntax.
- `check_hosts`: can each host be reached, and does its Python import ipyparallel and pflow_studio? Bounded
  in time, hosts checked in parallel.
- `end_remote`: end remote processes by pid over ssh, only those (and their children) that carry our
  ownership tag, with the remote side's errors kept out of our output.
- `local_clients` / `end_local_clients`: the `ssh`/`scp` clients this process started, ended by pid.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import psutil

from pflow_studio.cluster_panel.processes import TAG_VAR, ProcessRef, end_processes

CHECK_SECONDS = 15.0  # one host's check, connection included

_CHECK_SCRIPT = """
import json, sys
out = {"python": sys.version.split()[0]}
for name in ("ipyparallel", "pflow_studio"):
    try:
        module = __import__(name)
        out[name] = getattr(module, "__version__", "") or "?"
    except Exception as exc:
        out[name] = ""
        out[name + "_error"] = f"{type(exc).__name__}: {exc}"
print("PFLOW_CHECK " + json.dumps(out))
"""

_KILL_SCRIPT = """
import json, sys, time
import psutil
var, tag, pids = json.loads(sys.argv[1])
procs = []
for pid in pids:
    try:
        top = psutil.Process(pid)
        for p in [top, *top.children(recursive=True)]:
            if p.environ().get(var) == tag:
                procs.append(p)
    except Exception:
        pass
for p in procs:
    try:
        p.terminate()
    except Exception:
        pass
gone, alive = psutil.wait_procs(procs, timeout=2)
for p in alive:
    try:
        p.kill()
    except Exception:
        pass
print("PFLOW_ENDED", len(procs))
"""


def parse_hosts(text: str) -> dict[str, int]:
    """`"h2:2, user@h3"` -> `{"h2": 2, "user@h3": 1}` (N defaults to 1). ValueError names a bad entry."""
    hosts: dict[str, int] = {}
    for raw in text.replace(";", ",").split(","):
        entry = raw.strip()
        if not entry:
            continue
        host, _, count = entry.rpartition(":") if ":" in entry else (entry, "", "1")
        host = host.strip()
        if not host or any(c.isspace() for c in host) or not count.strip().isdigit() or int(count) < 1:
            raise ValueError(f"bad SSH host '{entry}': write HOST or HOST:N (N engines, at least 1)")
        hosts[host] = hosts.get(host, 0) + int(count)
    return hosts


def hosts_text(hosts: Mapping[str, int]) -> str:
    """The inverse of `parse_hosts`: `h2:2,user@h3:1`."""
    return ",".join(f"{host}:{n}" for host, n in hosts.items())


def host_name(location: str) -> str:
    """`user@host` -> `host`."""
    return location.rpartition("@")[2]


@dataclasses.dataclass
class HostCheck:
    """What `check_hosts` found on one host."""

    host: str
    reachable: bool = False
    python: str = ""
    ipyparallel: str = ""
    pflow_studio: str = ""
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.reachable and bool(self.ipyparallel) and bool(self.pflow_studio)

    def line(self) -> str:
        """One log line: reachable, Python version, ipyparallel and pflow_studio importable or not."""
        if not self.reachable:
            return f"{self.host}: not reachable ({self.error or 'no answer'})"
        parts = [f"Python {self.python}"]
        for name in ("ipyparallel", "pflow_studio"):
            version = getattr(self, name)
            parts.append(f"{name} {version}" if version else f"{name} NOT importable")
        text = f"{self.host}: reachable, " + ", ".join(parts)
        return text + (f" ({self.error})" if self.error else "")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _check_one(host: str, ssh: Sequence[str], remote_python: str, timeout: float) -> HostCheck:
    check = HostCheck(host)
    try:
        done = subprocess.run([*ssh, host, shlex.join([remote_python, "-"])], input=_CHECK_SCRIPT, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        check.error = f"no answer within {timeout:g} s"
        return check
    except OSError as exc:
        check.error = str(exc)
        return check
    found = [line for line in done.stdout.splitlines() if line.startswith("PFLOW_CHECK ")]
    if not found:
        check.reachable = done.returncode != 255  # ssh's own failures exit with 255
        check.error = _last_line(done.stderr) or f"exit status {done.returncode}"
        if check.reachable:
            check.error = f"{remote_python} did not run: {check.error}"
        return check
    facts = json.loads(found[-1][len("PFLOW_CHECK "):])
    check.reachable, check.python = True, facts.get("python", "")
    check.ipyparallel, check.pflow_studio = facts.get("ipyparallel", ""), facts.get("pflow_studio", "")
    check.error = "; ".join(facts[k] for k in ("ipyparallel_error", "pflow_studio_error") if facts.get(k))
    return check


def check_hosts(hosts: Iterable[str], ssh: Sequence[str], remote_python: str,
                timeout: float = CHECK_SECONDS) -> list[HostCheck]:
    """Check each host (in parallel, each within `timeout` s): `ssh` is the ssh command with its options."""
    names = list(hosts)
    if not names:
        return []
    with ThreadPoolExecutor(min(8, len(names))) as pool:
        return list(pool.map(lambda host: _check_one(host, ssh, remote_python, timeout), names))


def end_remote(location: str, ssh: Sequence[str], remote_python: str, tag: str, pids: Sequence[int],
               timeout: float = 8.0) -> bool:
    """End `pids` on host `location` and their children, only processes whose environment carries our
    `tag` (a pid reused there is left alone). Quiet: the remote side's errors are not printed. Returns
    False when the host could not be asked in time."""
    command = shlex.join([remote_python, "-", json.dumps([TAG_VAR, tag, list(pids)])])
    try:
        done = subprocess.run([*ssh, location, command], input=_KILL_SCRIPT, capture_output=True, text=True,
                              timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return False
    return "PFLOW_ENDED" in done.stdout


def local_clients(locations: Collection[str]) -> list[ProcessRef]:
    """The ssh and scp clients this process started (its descendants) to any of `locations`."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.name() in ("ssh", "scp") and set(child.cmdline()) & set(locations):
                found.append(ProcessRef(child.pid, child.create_time()))
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def end_local_clients(refs: Iterable[ProcessRef]) -> list[ProcessRef]:
    """End the given ssh clients by pid (create time checked)."""
    return end_processes(refs, timeout=1.0)
