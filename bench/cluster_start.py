"""Ready time of a local cluster with 2 engines: ipyparallel's default `start_and_connect_sync` vs our
`ClusterManager.start_engines(2)` (ready = a client sees 2 engines). Both in one run, alternating, median
of several rounds; each cluster is stopped before the next starts. Goal: ours <= 0.4x the default.

    .venv/bin/python bench/cluster_start.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import ipyparallel as ipp

from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.profiles import profile_dir


def default_ready(base: pathlib.Path) -> float:
    cluster = ipp.Cluster(profile_dir=str(profile_dir("ippdefault", base)), n=2, log_level=40)
    start = time.perf_counter()
    client = cluster.start_and_connect_sync()
    elapsed = time.perf_counter() - start
    assert len(client.ids) == 2
    client.close()
    cluster.stop_cluster_sync()
    return elapsed


def ours_ready(base: pathlib.Path) -> float:
    manager = ClusterManager("ours", ipython_dir=base)
    start = time.perf_counter()
    info = manager.start_engines(2)
    elapsed = time.perf_counter() - start
    assert len(info.engines) == 2
    manager.shutdown_owned()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    defaults, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = pathlib.Path(tmp)
        for i in range(args.rounds):
            defaults.append(default_ready(base))
            ours.append(ours_ready(base))
            print(f"round {i + 1}: default {defaults[-1]:.2f} s, ours {ours[-1]:.2f} s", file=sys.stderr)
    d, o = statistics.median(defaults), statistics.median(ours)
    print(f"ready time for 2 engines, median of {args.rounds}: ipyparallel default {d:.2f} s, "
          f"pflow-studio {o:.2f} s, ratio {o / d:.2f}x (goal <= 0.40x)")


if __name__ == "__main__":
    main()
