"""The processes `map_scale.py` compares, each started anew on one running cluster and measured as a whole:
wall time from start to exit, its peak RSS (`ru_maxrss` of the child, from `os.wait4`), and for ours the size
of its run record (`--record`) and of its element store directory (`PFLOW_STUDIO_CACHE_DIR`).

The variants (`VARIANTS`): the raw ipyparallel script (`lv.map_sync` of the same function, chunksize n/2), and
`pflow-studio run FILE --profile P -q` as a first run (a new, empty store directory), as a second run on the store
the first one filled (every element stored), with `--no-cache`, and with `--serial` (no cluster; a new store
directory, as a first run). Every process's stdout (the results JSON) is checked after it ended.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator

from cli_process import pflow_command
from map_workflows import square_half_map

from pflow_studio.project.file_format import Project, save

RAW_SCRIPT = '''import json
import sys

import ipyparallel as ipp

profile, cluster_id, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = ipp.Client(profile=profile, cluster_id=cluster_id)
view = client.load_balanced_view()
result = view.map_sync(lambda x: x * x + 0.5, range(n), chunksize=-(-n // len(client.ids)))
sys.stdout.write(json.dumps({"Map": {"y": result}}) + "\\n")
client.close()
'''

VARIANTS = ("raw", "first", "stored", "no-cache", "serial")


@dataclasses.dataclass
class Measure:
    """One process: seconds from start to exit, peak RSS and the bytes of its record and store (0: none)."""

    seconds: float
    rss: int
    record: int = 0
    store: int = 0


def directory_bytes(path: pathlib.Path) -> int:
    """The bytes of every file under `path` (0 when it does not exist)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


SPAWNER = """import os, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
actions = [(os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
           (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - started, os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)
"""


def timed_process(argv: list[str], env: dict[str, str], out: pathlib.Path) -> tuple[float, int]:
    """Run `argv` to its end, its stdout into `out`; (seconds, peak RSS in bytes). Raises if it failed.

    A small spawner process (`python -I -S`, a few MB) starts it and times it: Linux keeps a process's peak RSS
    across `exec` and takes in the RSS of the process it was forked from, so a child of this bench process
    (tens of MB: the cluster's client) would report at least this process's size."""
    err = out.with_suffix(".err")
    spawner = [sys.executable, "-I", "-S", "-c", SPAWNER, str(out), str(err), *argv]
    done = subprocess.run(spawner, env=env, capture_output=True, text=True, check=True)
    seconds, code, rss = done.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{argv[:3]} exit {code}: {err.read_text()[-2000:]}")
    return float(seconds), int(rss)


class Processes:
    """Starts the compared processes for `n` elements in `folder` on the cluster of `profile`."""

    def __init__(self, folder: pathlib.Path, profile: str, cluster_id: str, n: int) -> None:
        self.folder, self.profile, self.cluster_id, self.n = folder, profile, cluster_id, n
        self.env = dict(os.environ, IPYTHONDIR=str(folder / "ipython"))
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # .pyc files are read, as an installed package does
        self.raw_script = folder / "raw_map.py"
        self.raw_script.write_text(RAW_SCRIPT)
        self.project = folder / f"map_{n}.pflow"
        save(Project(square_half_map(n), {}), self.project)
        self.stores: Iterator[int] = iter(range(1, 10**9))
        self.last_store = folder / "no-store"

    def check(self, out: pathlib.Path) -> None:
        values = json.loads(out.read_text())["Map"]["y"]
        assert values == [x * x + 0.5 for x in range(self.n)], f"{out.name}: wrong results"
        out.unlink()

    def run(self, variant: str) -> Measure:
        """Run one process of `variant` (one of `VARIANTS`) and measure it."""
        out = self.folder / f"out-{variant}-{self.n}.json"
        if variant == "raw":
            argv = [sys.executable, str(self.raw_script), self.profile, self.cluster_id, str(self.n)]
            seconds, rss = timed_process(argv, self.env, out)
            self.check(out)
            return Measure(seconds, rss)
        if variant in ("first", "serial"):
            self.last_store = self.folder / f"store-{self.n}-{next(self.stores)}"
        record = self.folder / f"record-{variant}-{self.n}.run.json"
        options = {"first": [], "stored": [], "no-cache": ["--no-cache"], "serial": ["--serial"]}[variant]
        cluster = [] if variant == "serial" else ["--profile", self.profile]
        argv = [*pflow_command(), "run", str(self.project), *cluster, "-q", "--record", str(record), *options]
        env = dict(self.env, PFLOW_STUDIO_CACHE_DIR=str(self.last_store))
        seconds, rss = timed_process(argv, env, out)
        self.check(out)
        store = 0 if variant == "no-cache" else directory_bytes(self.last_store)
        return Measure(seconds, rss, record.stat().st_size if record.exists() else 0, store)

    def profiled(self, stats: pathlib.Path) -> pathlib.Path:
        """Run a first run once under cProfile (stats into `stats`); returns its run record's path."""
        self.last_store = self.folder / f"store-{self.n}-profiled"
        record = self.folder / f"record-profiled-{self.n}.run.json"
        script = pflow_command()
        python = [sys.executable, "-m", "cProfile", "-o", str(stats)]
        argv = [*python, *(script if len(script) == 1 else script[1:])]  # (`-m pflow_studio` keeps its -m)
        argv += ["run", str(self.project), "--profile", self.profile, "-q", "--record", str(record)]
        out = self.folder / "out-profiled.json"
        timed_process(argv, dict(self.env, PFLOW_STUDIO_CACHE_DIR=str(self.last_store)), out)
        self.check(out)
        return record
