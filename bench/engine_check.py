"""What the engine check (`runtime.cluster.precheck`) costs a Map, on one local 2-engine cluster.

    .venv/bin/python bench/engine_check.py [--items 40] [--repeats 21]

Each repeat runs, interleaved (round-robin, so both see the same load), the first Map of a new
`ClusterRunner` (nothing known about the engines: the check asks each one) with the check and with
`check_engines=False`, and a second Map of the runner that checked (its engines known fit: nothing is
asked) against a second Map of the one that did not. Elements are trivial, so the Map's fixed costs show.
"""

from __future__ import annotations

import argparse
import tempfile
from typing import Any

import ipyparallel as ipp
from timing import interleaved, load_average

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.runner import ClusterRunner


def trivial(bindings: dict[str, Any]) -> dict[str, Any]:
    return bindings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    print(load_average("before"))
    items = [{"x": i} for i in range(args.items)]
    with tempfile.TemporaryDirectory() as tmp:
        cluster = ipp.Cluster(n=2, profile_dir=f"{tmp}/profile", controller_ip="127.0.0.1",
                              controller_args=["--ping=200"], log_level=40)
        client = cluster.start_and_connect_sync()
        try:
            client.wait_for_engines(2, timeout=60)
            runners: dict[str, ClusterRunner] = {}

            def first(check: bool) -> None:
                runner = runners[str(check)] = ClusterRunner(client, check_engines=check)
                run(runner, items)

            fns = {"first Map, checked": lambda: first(True), "first Map, unchecked": lambda: first(False),
                   "second Map, checked": lambda: run(runners["True"], items),
                   "second Map, unchecked": lambda: run(runners["False"], items)}
            for fn in fns.values():  # warm up: engines import pflow_studio and hold the body
                fn()
            times = interleaved(fns, args.repeats)
        finally:
            client.close()
            cluster.stop_cluster_sync()
    for name, seconds in times.items():
        print(f"{name}: {seconds * 1000:.1f} ms")
    for which in ("first", "second"):
        checked, unchecked = times[f"{which} Map, checked"], times[f"{which} Map, unchecked"]
        print(f"{which} Map: checked / unchecked {checked / unchecked:.2f}x ({(checked - unchecked) * 1000:+.1f} ms)")
    print(load_average("after"))


def run(runner: ClusterRunner, items: list[dict[str, Any]]) -> None:
    outcomes = runner.map(trivial, items, progress=lambda done, total: None, cancel=CancelToken())
    assert all(o.ok for o in outcomes)


if __name__ == "__main__":
    main()
