"""Map overhead on one local 2-engine cluster, side by side in one run.

    .venv/bin/python bench/map_overhead.py [--items 2000] [--repeats 9] [--big 100000]

Measures `ClusterRunner.map` directly (the runner alone, not the Executor). Measurements that are
compared run round-robin (interleaved), so each sees the same load from other processes:
1. 2,000 trivial elements: ours warm (the same body again, its cost remembered) and ours cold (a new
   runner and a body the engines never saw: it rides along with the first chunks, which also measure
   the element cost) against raw `lv.map` at several chunksizes, one chunk per engine included (its
   best is the reference), and at chunksize 1 (one run). Goals: warm <= 1.1x best raw, >= 10x faster
   than raw chunksize 1.
2. 16 CPU-bound elements of ~0.25 s: serial loop, ours cold and warm, raw `lv.map` chunksize 1
   (goal >= 1.85x over serial), plus the share of engine time spent running elements (idle tails
   and round trips show up there, whatever the machine's load).
3. Peak client RSS growth during a Map over 100,000 small elements (goal < 200 MB).
The load average is printed before and after: CPU-bound figures need a quiet machine.
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
from timing import interleaved, load_average

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.runner import ClusterRunner


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


TO_CHECK: list[list[Any]] = []  # outcomes of timed runs, checked after the timing


def ours(runner: ClusterRunner, task, items) -> list[Any]:
    """One Map; its outcomes are checked later (`check_all`), outside the timed region (raw is not checked)."""
    outcomes = runner.map(task, items, progress=lambda d, n: None, cancel=CancelToken())
    TO_CHECK.append(outcomes)
    return outcomes


def check_all() -> None:
    for outcomes in TO_CHECK:
        assert all(o.ok for o in outcomes), next(o.error for o in outcomes if not o.ok)
    TO_CHECK.clear()


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
    parser.add_argument("--repeats", type=int, default=9)
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


def utilisation(spans: list[tuple[float, float]], started: float, finished: float, engines: int) -> float:
    """The share of `engines` x wall time the engines spent running elements."""
    return sum(end - begin for begin, end in spans) / (engines * (finished - started))


def _stamp(value: Any) -> float:
    """ipyparallel metadata times are datetimes (or ISO strings): Unix seconds."""
    if isinstance(value, str):
        from dateutil.parser import isoparse

        value = isoparse(value)
    return value.timestamp()


def cold_body(k: int):
    """A body never seen before (its pickle, hence its digest, differs for every k)."""
    return lambda bindings, k=k: bindings


def bench(client, args) -> None:
    print(load_average("before"))
    trivial_overhead(client, args)
    cpu_bound(client, args)
    print(f"3. peak client RSS growth, Map over {args.big} small elements")
    big = [{"x": i} for i in range(args.big)]
    growth = peak_rss_growth(lambda: ours(ClusterRunner(client), trivial, big))
    check_all()
    print(f"   {growth:.1f} MB (goal < 200 MB; the {args.big} outcomes themselves included)")
    print(load_average("after"))


def trivial_overhead(client, args) -> None:
    """1. Trivial elements: ours warm and cold against raw `lv.map` at several chunksizes."""
    items = [{"x": i} for i in range(args.items)]
    lv = client.load_balanced_view()
    engines = len(client.ids)
    print(f"1. {args.items} trivial elements on {engines} engines (ClusterRunner.map, trivial task; "
          f"medians of {args.repeats}, interleaved)")
    warm_runner = ClusterRunner(client)
    ours(warm_runner, trivial, items)
    lv.map_sync(trivial, items, chunksize=100)
    bodies = iter(range(10**9))
    fns = {f"raw{c}": (lambda c=c: lv.map_sync(trivial, items, chunksize=c))
           for c in (100, 250, 500, -(-args.items // engines))}
    fns["warm"] = lambda: ours(warm_runner, trivial, items)
    fns["cold"] = lambda: ours(ClusterRunner(client), cold_body(next(bodies)), items)
    medians = interleaved(fns, args.repeats)
    check_all()
    raw = {int(name[3:]): t for name, t in medians.items() if name.startswith("raw")}
    raw[1] = median_time(lambda: lv.map_sync(trivial, items, chunksize=1), 1)
    best = min(raw, key=raw.get)
    warm_s, cold_s = medians["warm"], medians["cold"]
    for chunksize in sorted(raw):
        print(f"   raw lv.map chunksize {chunksize:>5}: {raw[chunksize] * 1e3:9.1f} ms "
              f"({raw[chunksize] / args.items * 1e6:7.1f} us/element)")
    print(f"   ours warm (cost known)     : {warm_s * 1e3:9.1f} ms  = {warm_s / raw[best]:.2f}x best raw "
          f"(chunksize {best}; goal <= 1.1x), {raw[1] / warm_s:.0f}x faster than raw chunksize 1 (goal >= 10x)")
    print(f"   ours cold (new runner, body never seen by the engines): {cold_s * 1e3:.1f} ms  = "
          f"{cold_s / raw[best]:.2f}x best raw, {raw[1] / cold_s:.0f}x faster than raw chunksize 1")


def cpu_bound(client, args) -> None:
    """2. CPU-bound elements: serial, ours cold and warm, raw `lv.map` chunksize 1, and engine utilisation."""
    lv = client.load_balanced_view()
    engines = len(client.ids)
    heavy_repeats = max(3, args.repeats // 2)
    print(f"2. 16 CPU-bound elements of ~0.25 s (medians of {heavy_repeats}, interleaved)")
    heavy = [{"seconds": 0.25}] * 16
    warm_heavy = ClusterRunner(client)
    ours(warm_heavy, busy, heavy[:2])
    busy_share: dict[str, list[float]] = {"ours": [], "raw": []}

    def ours_heavy() -> None:
        started = time.time()
        spans = [(o.started, o.finished) for o in ours(warm_heavy, busy, heavy)]
        busy_share["ours"].append(utilisation(spans, started, time.time(), engines))

    def raw_heavy() -> None:
        started = time.time()
        ar = lv.map_async(busy, heavy, chunksize=1)
        ar.get()
        spans = [(_stamp(m["started"]), _stamp(m["completed"])) for m in ar._metadata]
        busy_share["raw"].append(utilisation(spans, started, time.time(), engines))

    cpu = interleaved({
        "serial": lambda: [busy(b) for b in heavy],
        "cold": lambda: ours(ClusterRunner(client), busy, heavy),
        "warm": ours_heavy,
        "raw": raw_heavy,
    }, heavy_repeats)
    check_all()
    serial_s = cpu["serial"]
    print(f"   serial {serial_s:.2f} s; ClusterRunner cold {cpu['cold']:.2f} s ({serial_s / cpu['cold']:.2f}x), "
          f"warm {cpu['warm']:.2f} s ({serial_s / cpu['warm']:.2f}x; goal >= 1.85x); raw lv.map chunksize 1 "
          f"{cpu['raw']:.2f} s ({serial_s / cpu['raw']:.2f}x, this machine's ceiling now); "
          f"ours/raw time {cpu['warm'] / cpu['raw']:.2f}")
    print(f"   engines busy running elements (median share of engines x wall time): ours "
          f"{statistics.median(busy_share['ours']):.1%}, raw {statistics.median(busy_share['raw']):.1%}")


if __name__ == "__main__":
    main()
