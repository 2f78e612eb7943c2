"""A Map as the number of elements grows: `pflow-studio run` as a whole process against a raw ipyparallel script.

    .venv/bin/python bench/map_scale.py [--sizes 1000 10000 100000] [--million] [--repeats 3] [--once-from N]
                                        [--profile-at 100000] [--plot docs/map_scale.png] [--save FILE.json]
    .venv/bin/python bench/map_scale.py --replot FILE.json [--plot PNG]

On one running local 2-engine cluster it starts itself (and stops by pid), for each n: a project `list.range ->
Map over a Group of two math nodes (x * x, then + 0.5) -> output`, run by `pflow-studio run FILE --profile P -q`
as a whole process: a first run (a new element store directory), a second run (every element stored), with
`--no-cache` and with `--serial` (no cluster), interleaved with a raw script mapping the same lambda
(`lv.map_sync`, chunksize n/2) on the same cluster (`map_scale_runs.py`). Printed per n: medians of wall time
and peak RSS, ratios to raw measured in the same rounds, the run record's and the store's size. Sizes from
`--once-from` up run once. `--profile-at N` then runs one first run of N elements under cProfile and prints
where the client's time goes and the engines' time per element from its run record. The plot (time and RSS vs
n, log-log) needs matplotlib (`pip install -e .[bench]`); without it the table is printed and the plot skipped.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import sys
import tempfile

from map_scale_profile import profile_report
from map_scale_runs import VARIANTS, Measure, Processes
from timing import load_average

from pflow_studio.cluster_panel.manager import ClusterManager

PROFILE = "bench"
MB = 1e6
Results = dict[str, dict[str, dict[str, float]]]  # str(n) -> variant -> {"seconds", "rss", "record", "store"}


def measure_size(runs: Processes, repeats: int) -> dict[str, dict[str, float]]:
    """`repeats` interleaved rounds of every variant (in `VARIANTS` order: "stored" follows the "first" run whose
    store it reads); the medians per variant, and per variant its median ratio to the raw run of its round."""
    rounds: list[dict[str, Measure]] = [{v: runs.run(v) for v in VARIANTS} for _ in range(repeats)]
    medians: dict[str, dict[str, float]] = {}
    for variant in VARIANTS:
        ms = [r[variant] for r in rounds]
        medians[variant] = {field: statistics.median(getattr(m, field) for m in ms)
                            for field in ("seconds", "rss", "record", "store")}
        medians[variant]["time_ratio"] = statistics.median(r[variant].seconds / r["raw"].seconds for r in rounds)
        medians[variant]["rss_ratio"] = statistics.median(r[variant].rss / r["raw"].rss for r in rounds)
        medians[variant]["runs"] = len(ms)
    return medians


def print_size(n: int, medians: dict[str, dict[str, float]]) -> None:
    raw = medians["raw"]
    runs = int(raw["runs"])
    print(f"n = {n:,} (medians of {runs} run{'s' * (runs > 1)}, interleaved; ratios to raw of the same round)")
    print(f"   {'raw script (map_sync)':24}: {raw['seconds']:8.2f} s {raw['rss'] / MB:8.0f} MB")
    for variant in VARIANTS[1:]:
        m = medians[variant]
        sizes = f"record {m['record'] / MB:7.1f} MB" + (f", store {m['store'] / MB:7.1f} MB" if m["store"] else "")
        print(f"   {'ours, ' + variant:24}: {m['seconds']:8.2f} s {m['rss'] / MB:8.0f} MB   "
              f"{m['time_ratio']:6.1f}x time {m['rss_ratio']:5.1f}x RSS   {sizes}")
    sys.stdout.flush()


def plot(results: Results, path: pathlib.Path) -> None:
    """Time and peak RSS vs n, log-log, ours (each variant) against raw; skipped without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot skipped: matplotlib is not installed (pip install -e .[bench])")
        return
    sizes = sorted(results, key=int)
    ns = [int(n) for n in sizes]
    figure, (times, rss) = plt.subplots(1, 2, figsize=(11, 4.2))
    for variant in VARIANTS:
        style = {"color": "black", "linewidth": 2.5} if variant == "raw" else {}
        label = "raw ipyparallel (map_sync)" if variant == "raw" else f"pflow-studio run, {variant}"
        times.plot(ns, [results[n][variant]["seconds"] for n in sizes], "o-", label=label, **style)
        rss.plot(ns, [results[n][variant]["rss"] / MB for n in sizes], "o-", label=label, **style)
    for axes, title, unit in ((times, "whole process, wall time", "seconds"), (rss, "peak RSS of the process", "MB")):
        axes.set(xscale="log", yscale="log", xlabel="elements (n)", ylabel=unit, title=title)
        axes.grid(True, which="both", alpha=0.3)
    times.legend(fontsize=8)
    figure.suptitle("Map over a 2-node Group (x * x + 0.5) on a running 2-engine cluster")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print(f"plot written: {path}")


def measure_all(args: argparse.Namespace) -> Results:
    sizes = [*args.sizes, *([10**6] if args.million else [])]
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="pflow-map-scale-") as tmp:
        folder = pathlib.Path(tmp)
        manager = ClusterManager(PROFILE, ipython_dir=folder / "ipython")
        try:
            info = manager.start_engines(2, timeout=120)
            assert manager.client is not None and len(info.engines) == 2
            print(load_average("before"))
            Processes(folder, PROFILE, info.cluster_id or "", 100).run("first")  # untimed: .pyc files written
            for n in sizes:
                runs = Processes(folder, PROFILE, info.cluster_id or "", n)
                results[str(n)] = measure_size(runs, 1 if n >= args.once_from else args.repeats)
                print_size(n, results[str(n)])
            if args.profile_at:
                runs = Processes(folder, PROFILE, info.cluster_id or "", args.profile_at)
                profile_report(runs, folder / "client.prof", args.profile_at)
            print(load_average("after"))
        finally:
            manager.shutdown_owned()  # ends the controller and engines it started, by pid
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also 1,000,000 elements (minutes per run)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--once-from", type=int, default=1_000_000, help="sizes from this one up run once")
    parser.add_argument("--profile-at", type=int, default=0, help="profile one first run of this many elements")
    parser.add_argument("--plot", type=pathlib.Path, default=pathlib.Path("docs/map_scale.png"))
    parser.add_argument("--save", type=pathlib.Path, help="write the medians as JSON here")
    parser.add_argument("--replot", type=pathlib.Path, help="only print and plot the medians a --save wrote")
    args = parser.parse_args()
    if args.replot:
        results = json.loads(args.replot.read_text())
        for n in sorted(results, key=int):
            print_size(int(n), results[n])
    else:
        results = measure_all(args)
        if args.save:
            args.save.write_text(json.dumps(results, indent=1) + "\n")
    plot(results, args.plot)


if __name__ == "__main__":
    main()
