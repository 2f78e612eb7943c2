"""Where a first run of `map_scale.py`'s Map spends its time: the client process under cProfile (its own functions
by total time, and the main steps by cumulative time), and the engines' time per element from the run record
(each element's `finished - started`, as the executor on the engine measured it)."""

from __future__ import annotations

import collections
import io
import json
import pathlib
import pstats
import statistics

from map_scale_runs import Processes

from pflow_studio.runtime.run_record import entry_items


def engine_times(record: pathlib.Path) -> str:
    """The elements' own times on the engines, from a run record (one Map run)."""
    entry = json.loads(record.read_text())["maps"][0]
    items = entry_items(entry)
    durations = [i["finished"] - i["started"] for i in items if i["status"] == "ok"]
    per_engine = collections.Counter(i["engine"] for i in items)
    span = entry["finished"] - entry["started"]
    median, mean = statistics.median(durations) * 1e6, statistics.fmean(durations) * 1e6
    return (f"engines: {len(durations):,} elements ran, per element median {median:.1f} µs, mean {mean:.1f} µs "
            f"(finished - started); first start to last end {span:.2f} s over {len(per_engine)} engines "
            f"{dict(per_engine)}; record {record.stat().st_size / 1e6:.1f} MB")


def top(stats: pstats.Stats, order: str, count: int) -> str:
    text = io.StringIO()
    stats.stream = text  # type: ignore[attr-defined]
    stats.sort_stats(order).print_stats(count)
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(lines[start:])


def profile_report(runs: Processes, stats_path: pathlib.Path, n: int) -> None:
    """Run one first run of `n` elements under cProfile and print the report (see the module docstring)."""
    record = runs.profiled(stats_path)
    stats = pstats.Stats(str(stats_path))
    stats.strip_dirs()
    print(f"profile of one first run of {n:,} elements (client process under cProfile; its own overhead included): "
          f"{stats.total_tt:.2f} s profiled")  # type: ignore[attr-defined]
    print(engine_times(record))
    print("client, by own time:")
    print(top(stats, "tottime", 25))
    print("client, by cumulative time:")
    print(top(stats, "cumulative", 40))
