"""Map overhead on one local 2-engine cluster, side by side in one run.

    .venv/bin/python bench/map_overhead.py [--items 2000] [--repeats 5] [--big 100000]

Measures `ClusterRunner.map` directly with a trivial task (the runner alone, not the Executor):
1. 2,000 trivial elements: ours (cold = a new runner, the body pushed and the element cost probed;
   warm = the same body run again, its cost remembered) against raw `lv.map` at chunksize 1 and at
   several chunksizes (its best is the reference). Goals: warm <= 1.1x best raw, >= 10x faster
   than raw chunksize 1.
2. 16 CPU-bound elements of ~0.25 s against a serial loop (goal >= 1.85x).
3. Peak client RSS growth during a Map over 100,000 small elements (goal < 200 MB).
Times are medians of `--repeats` runs (raw chunksize 1: one run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from typing import Any

import ipyparallel as ipp
import psutil

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster_runner import ClusterRunner


def trivial(bindings: dict[str, Any]) -> dict[str, Any]:
    return bindings


def busy(bindings: dict[str, Any]) -> dict[str, Any]:
    """About `bindings['seconds']` of pure-Python CPU work."""
    import time  # raw lv.map ships __main__ functions without their module globals

    deadline = time.process_time() + bindings["seconds"]
    n = 0
    while time.process_time() < deadline:
        n += 1
    return {"n": n}


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ours(runner: ClusterRunner, task, items) -> None:
    outcomes = runner.map(task, items, progress=lambda d, n: None, cancel=CancelToken())
    assert all(o.ok for o in outcomes), next(o.error for o in outcomes if not o.ok)


def peak_rss_growth(fn) -> float:
    """Run fn, sampling this process's RSS every 5 ms; return the peak growth in MB."""
    process = psutil.Process()
    base = process.memory_info().rss
    peak = [base]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            stop.wait(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        fn()
    finally:
        stop.set()
        thread.join()
    return (max(peak[0], process.memory_info().rss) - base) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    profile = os.path.join(tempfile.mkdtemp(prefix="pflow-bench-"), "profile")
    cluster = ipp.Cluster(n=2, profile_dir=profile, controller_ip="127.0.0.1", controller_args=["--ping=200"],
                          log_level=40)
    cluster.start_controller_sync()
    cluster.start_engines_sync(n=2, engine_args=["--InteractiveShell.colors=nocolor"])
    client = cluster.connect_client_sync()
    try:
        client.wait_for_engines(2, timeout=120)
        bench(client, args)
    finally:
        client.close()
        cluster.stop_cluster_sync()


def bench(client, args) -> None:
    items = [{"x": i} for i in range(args.items)]
    lv = client.load_balanced_view()
    print(f"1. {args.items} trivial elements on {len(client.ids)} engines (ClusterRunner.map, trivial task)")
    cold = []
    for _ in range(args.repeats):
        cold.append(median_time(lambda: ours(ClusterRunner(client), lambda b: dict(b), items), 1))
    cold_s = statistics.median(cold)
    warm_runner = ClusterRunner(client)
    ours(warm_runner, trivial, items)
    warm_s = median_time(lambda: ours(warm_runner, trivial, items), args.repeats)
    raw = {}
    for chunksize in (10, 100, 250, 500, 1000):
        raw[chunksize] = median_time(lambda c=chunksize: lv.map_sync(trivial, items, chunksize=c), args.repeats)
    raw[1] = median_time(lambda: lv.map_sync(trivial, items, chunksize=1), 1)
    best = min(raw, key=raw.get)
    for chunksize in sorted(raw):
        print(f"   raw lv.map chunksize {chunksize:>5}: {raw[chunksize] * 1e3:9.1f} ms "
              f"({raw[chunksize] / args.items * 1e6:7.1f} us/element)")
    print(f"   ours warm (cost known)     : {warm_s * 1e3:9.1f} ms  = {warm_s / raw[best]:.2f}x best raw "
          f"(chunksize {best}; goal <= 1.1x), {raw[1] / warm_s:.0f}x faster than raw chunksize 1 (goal >= 10x)")
    print(f"   ours cold (new body, probe): {cold_s * 1e3:9.1f} ms  = {cold_s / raw[best]:.2f}x best raw, "
          f"{raw[1] / cold_s:.0f}x faster than raw chunksize 1")

    print("2. 16 CPU-bound elements of ~0.25 s")
    heavy = [{"seconds": 0.25}] * 16
    serial_s = median_time(lambda: [busy(b) for b in heavy], max(1, args.repeats // 2))
    runner = ClusterRunner(client)
    parallel_s = median_time(lambda: ours(runner, busy, heavy), max(1, args.repeats // 2))
    raw_s = median_time(lambda: lv.map_sync(busy, heavy, chunksize=1), max(1, args.repeats // 2))
    print(f"   serial {serial_s:.2f} s, ClusterRunner {parallel_s:.2f} s: speed-up {serial_s / parallel_s:.2f}x "
          f"(goal >= 1.85x); raw lv.map chunksize 1 {raw_s:.2f} s: {serial_s / raw_s:.2f}x (this machine's ceiling)")

    print(f"3. peak client RSS growth, Map over {args.big} small elements")
    big = [{"x": i} for i in range(args.big)]
    growth = peak_rss_growth(lambda: ours(ClusterRunner(client), trivial, big))
    print(f"   {growth:.1f} MB (goal < 200 MB; the {args.big} outcomes themselves included)")


if __name__ == "__main__":
    main()
