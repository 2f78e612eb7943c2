"""Part 4 of `element_store.py`: `pflow-studio run FILE --profile P -q` as a whole process against a raw
ipyparallel script doing the same trivial elements, both cold processes on one running cluster.

Each round runs, interleaved and each as a new process (wall time from start to exit): the raw script
(`Client`, `load_balanced_view().map_sync` with one chunk per engine, the results printed as JSON), then
`pflow-studio run` of a project whose Map has a new offset (its elements are not in the element store: they
run and are stored, as a first run does), then the same with `--no-cache`, then a project whose elements are
all stored. Every process's output is checked after it ended. One untimed round comes first (it also writes the
.pyc files when the environment allows it).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

from map_workflows import trivial_map

from pflow_studio.project.file_format import Project, save

RAW_SCRIPT = '''import json
import sys

import ipyparallel as ipp

profile, cluster_id, n, offset = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def add(x, offset=offset):
    return x + offset


client = ipp.Client(profile=profile, cluster_id=cluster_id)
result = client.load_balanced_view().map_sync(add, range(n), chunksize=-(-n // len(client.ids)))
sys.stdout.write(json.dumps({"Map": {"result": result}}) + "\\n")
client.close()
'''


def pflow_command() -> list[str]:
    """The installed `pflow-studio` command next to this Python, else `python -m pflow_studio`."""
    script = pathlib.Path(sys.executable).with_name("pflow-studio")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pflow_studio"]


class Processes:
    """Starts the compared processes in `folder` on the cluster of `profile` (see the module docstring)."""

    def __init__(self, folder: pathlib.Path, profile: str, cluster_id: str, n: int, keep_bytecode_env: bool) -> None:
        self.folder, self.profile, self.cluster_id, self.n = folder, profile, cluster_id, n
        self.env = dict(os.environ, IPYTHONDIR=str(folder / "ipython"), PFLOW_STUDIO_CACHE_DIR=str(folder / "cli"))
        if not keep_bytecode_env:
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.raw_script = folder / "raw_map.py"
        self.raw_script.write_text(RAW_SCRIPT)
        self.offsets: Iterator[int] = iter(range(1000, 10**9))

    def project(self, offset: int) -> pathlib.Path:
        path = self.folder / f"trivial_{offset}.pflow"
        if not path.exists():
            save(Project(trivial_map(self.n, offset), {}), path)
        return path

    def _timed(self, argv: list[str], offset: int) -> float:
        started = time.perf_counter()
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=300)
        elapsed = time.perf_counter() - started
        assert done.returncode == 0, f"{argv[:3]} exit {done.returncode}: {done.stderr[-2000:]}"
        values = json.loads(done.stdout)["Map"]["result"]
        assert values == [i + offset for i in range(self.n)], f"{argv[:3]}: wrong results"
        return elapsed

    def raw(self) -> float:
        offset = next(self.offsets)
        argv = [sys.executable, str(self.raw_script), self.profile, self.cluster_id, str(self.n), str(offset)]
        return self._timed(argv, offset)

    def pflow(self, *options: str, offset: int | None = None) -> float:
        """`pflow-studio run` of the project of `offset` (a new one when None: its elements are not stored)."""
        offset = next(self.offsets) if offset is None else offset
        argv = [*pflow_command(), "run", str(self.project(offset)), "--profile", self.profile, "-q", *options]
        return self._timed(argv, offset)


def interleaved_rounds(fns: dict[str, Callable[[], float]], repeats: int) -> dict[str, float]:
    """Median of what each fn reports, round-robin; one untimed round first."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            times[name].append(fn())
    return {name: statistics.median(t) for name, t in times.items()}


def whole_process(folder: pathlib.Path, profile: str, cluster_id: str, args: argparse.Namespace) -> None:
    """Measure and print part 4."""
    runs = Processes(folder, profile, cluster_id, args.trivial, args.no_bytecode_cache)
    stored_offset = 7
    bytecode = "as set here" if args.no_bytecode_cache else "dropped: .pyc files are read"
    print(f"4. whole processes on the running cluster, {args.trivial} trivial elements (wall time, medians of "
          f"{args.process_repeats}, interleaved; PYTHONDONTWRITEBYTECODE {bytecode})")
    medians = interleaved_rounds({
        "raw": runs.raw,
        "pflow": runs.pflow,
        "no-cache": lambda: runs.pflow("--no-cache"),
        "stored": lambda: runs.pflow(offset=stored_offset),
    }, args.process_repeats)
    raw = medians["raw"]
    print(f"   raw ipyparallel script (map_sync, chunksize {-(-args.trivial // 2)}): {raw * 1e3:7.0f} ms")
    for name, label in (("pflow", "pflow-studio run -q (elements run and stored)"),
                        ("no-cache", "pflow-studio run -q --no-cache"),
                        ("stored", "pflow-studio run -q (every element stored)")):
        goal = " (goal <= 1.3x)" if name == "pflow" else ""
        print(f"   {label:47}: {medians[name] * 1e3:7.0f} ms = {medians[name] / raw:.2f}x raw{goal}")
