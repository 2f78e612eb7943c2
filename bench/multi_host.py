"""A Map on engines of 3 hosts against 1 local engine, side by side in one run.

    flock /tmp/bench.lock nice .venv/bin/python bench/multi_host.py [--items 200] [--seconds 0.05] [--rounds 5]

Needs root and iproute2: the hosts are network namespaces (`tests/support/netns.py`, `hosts_up(3)`: h2, h3,
h4 at 198.18.0.2-4 on a private bridge; this machine is 198.18.0.1 to them). Three clusters, each in a
temporary profile, controllers with a 200 ms heartbeat:
- "1 local": a controller on 127.0.0.1 and 1 engine;
- "3 hosts": a controller listening on 198.18.0.1 and one engine in each host, started from the engine
  connection file (`ipengine --file`, as a user does on another machine);
- "3 local": a controller on 127.0.0.1 and 3 engines here: the same 3 engines on the same 2 cores without
  the bridge, the reference that tells the hosts' own cost from the cores' limit.
`--items` elements of `--seconds` of CPU each (a busy loop, not sleep) run through our Map
(`ClusterRunner.map`, its element cost known from a first round that is not timed) on each cluster, and
through a hand-written `load_balanced_view().map` (chunksize 1, its default) on the 3 hosts; round-robin,
medians of `--rounds`. The machine has 2 cores: 3 engines cannot beat 1 by more than about 2x, whatever
the hosts; what the 3-host figure shows, next to that ceiling and to 3 local engines on the same cores,
is the cost of going through the bridge (TCP over veth pairs instead of loopback), not more cores.
For our Map it also prints how busy the engines were and an element's wall time (above its CPU time when
engines wait for a core), which tell idle engines from a machine loaded by others.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import statistics
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.timing import interleaved, load_average
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.clusters import LocalCluster, start_cluster
from tests.support.netns import ROOT_ADDRESS, Hosts, available, hosts_up


def busy(bindings: dict[str, Any]) -> dict[str, Any]:
    """About `bindings['seconds']` of pure-Python CPU work."""
    import time  # raw lv.map ships __main__ functions without their module globals

    deadline = time.process_time() + bindings["seconds"]
    n = 0
    while time.process_time() < deadline:
        n += 1
    return {"n": n}


def ours(runner: ClusterRunner, items: list[dict[str, Any]], engines: int) -> tuple[list[str], float, float]:
    """One Map of `busy` over `items`; every element must succeed. Returns each element's host, the share of
    `engines` x wall time the engines spent running elements (idle engines and round trips lower it) and the
    mean wall time of an element (more than its CPU time when engines wait for a core)."""
    started = time.time()
    table = runner.map(busy, items, progress=lambda done, total: None, cancel=CancelToken())
    wall = time.time() - started
    failed = [outcome.error for outcome in table if not outcome.ok]
    assert not failed, failed[0]
    running = sum(outcome.finished - outcome.started for outcome in table)
    return [outcome.host for outcome in table], running / (engines * wall), running / len(table)


def start_all(hosts: Hosts, base: pathlib.Path) -> dict[str, LocalCluster]:
    """The three clusters of the module docstring, each ready (its client sees all its engines)."""

    def on_hosts(engine_file: pathlib.Path) -> int:
        for host in hosts.names:
            hosts.start_engine(host, engine_file)
        return len(hosts.names)

    clusters: dict[str, LocalCluster] = {}
    try:
        clusters["1 local"] = start_cluster(base / "one", n=1)
        clusters["3 hosts"] = start_cluster(base / "hosts", n=0, ip=ROOT_ADDRESS, elsewhere=on_hosts)
        clusters["3 local"] = start_cluster(base / "three", n=3)
    except BaseException:
        stop_all(clusters)
        raise
    return clusters


def stop_all(clusters: dict[str, LocalCluster]) -> None:
    for local in clusters.values():
        local.stop()


def bench(clusters: dict[str, LocalCluster], args: argparse.Namespace) -> None:
    items = [{"seconds": args.seconds}] * args.items
    runners = {name: ClusterRunner(local.client) for name, local in clusters.items()}
    raw_view = clusters["3 hosts"].client.load_balanced_view()
    seen: dict[str, collections.Counter] = {}
    busy_share: dict[str, list[float]] = {name: [] for name in runners}
    element_wall: dict[str, list[float]] = {name: [] for name in runners}

    def ours_on(name: str):
        def run() -> None:
            hosts, share, mean = ours(runners[name], items, len(clusters[name].client.ids))
            seen[name] = collections.Counter(hosts)
            busy_share[name].append(share)
            element_wall[name].append(mean)
        return run

    fns = {f"ours, {name}": ours_on(name) for name in runners}
    fns["raw lv.map, 3 hosts"] = lambda: raw_view.map_sync(busy, items)
    print(load_average("before"))
    for fn in fns.values():  # a first round, not timed: the engines get the body, our Map learns the cost
        fn()
    for values in (*busy_share.values(), *element_wall.values()):
        values.clear()
    medians = interleaved(fns, args.rounds)
    print(load_average("after"))
    work = args.items * args.seconds
    print(f"{args.items} elements of {args.seconds} s CPU ({work:.1f} s of work), medians of {args.rounds} "
          f"rounds, interleaved; {os.cpu_count()} cores, so 3 engines give at most about 2x over 1")
    for name, seconds in medians.items():
        print(f"   {name:<22} {seconds:6.2f} s")
    one, hosts, three = medians["ours, 1 local"], medians["ours, 3 hosts"], medians["ours, 3 local"]
    raw = medians["raw lv.map, 3 hosts"]
    print(f"   speed-up of 3 hosts over 1 local engine: {one / hosts:.2f}x (3 local engines: {one / three:.2f}x; "
          f"the ceiling on {os.cpu_count()} cores: about 2x)")
    print(f"   3 hosts / 3 local engines (time): {hosts / three:.2f}; ours / raw lv.map on 3 hosts: {hosts / raw:.2f}")
    shares = ", ".join(f"{name} {statistics.median(values):.1%}" for name, values in busy_share.items())
    print(f"   engines busy running elements (median share of engines x wall time), ours: {shares}")
    walls = ", ".join(f"{name} {statistics.median(values) * 1e3:.0f} ms" for name, values in element_wall.items())
    print(f"   wall time of an element of {args.seconds * 1e3:.0f} ms CPU (median of the runs' means), ours: {walls}")
    print(f"   elements per host, ours on 3 hosts (last round): {dict(sorted(seen['3 hosts'].items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    reason = available()
    if reason:
        sys.exit(f"multi_host: {reason}")
    with tempfile.TemporaryDirectory(prefix="pflow-bench-") as tmp, hosts_up(3) as hosts:
        clusters = start_all(hosts, pathlib.Path(tmp))
        try:
            bench(clusters, args)
        finally:
            stop_all(clusters)


if __name__ == "__main__":
    main()
