"""The element store's own costs per element, in this process (no cluster, no Map): the writer's work for a
first run's hand-overs, then a rerun's lookup (digests, find, serve), and the bytes on disk.

    .venv/bin/python bench/element_store_writer.py [--elements 1000000] [--repeats 3] [--profile]

`--elements` trivial elements (input i, output i * i + 0.5, as `map_scale.py`'s Map gives) are handed to
`MapElements` in blocks of 4,096 as a runner reports them, each hand-over written at once (`MapElements._write`:
merge, digests, pickles, packed times, one transaction); medians of `--repeats` runs into new stores.
`--profile` prints where the writer's time goes (cProfile, the last repeat).
"""

from __future__ import annotations

import argparse
import cProfile
import pathlib
import pstats
import statistics
import tempfile
import time
from array import array

from pflow_studio.runtime import map_elements
from pflow_studio.runtime.element_loop import ElementRows
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock

PREFIX = bytes(range(32))


def blocks(n: int) -> list[tuple[OutcomeBlock, range]]:
    now = time.time()
    made = []
    for start in range(0, n, 4096):
        size = min(4096, n - start)
        started = array("d", [now + i * 1e-6 for i in range(size)])
        made.append((OutcomeBlock(start, ("y",), [[i * i + 0.5 for i in range(start, start + size)]], started,
                                  array("d", [t + 2e-6 for t in started]), {}, {}, 1, "host"),
                     range(start, start + size)))
    return made


def once(folder: pathlib.Path, n: int, profile: cProfile.Profile | None) -> dict[str, float]:
    store = ElementStore(folder)
    rows = ElementRows(("x",), [list(range(n))], {})
    first = map_elements.MapElements(store, PREFIX, rows, ["x"])
    first.begin("bench", ("m",), "Map", "body", None)
    store.sync()
    handed = blocks(n)
    started = time.perf_counter()
    if profile is not None:
        profile.enable()
    for block in handed:
        first._write([block])
    if profile is not None:
        profile.disable()
    figures = {"write": time.perf_counter() - started}
    store.finish_run(first.run, "ok", [])
    figures["bytes"] = sum(p.stat().st_size for p in folder.iterdir() if p.name.startswith("elements"))
    again = map_elements.MapElements(store, PREFIX, rows, ["x"])
    started = time.perf_counter()
    digests = again.all_digests()
    figures["digests"] = time.perf_counter() - started
    started = time.perf_counter()
    found = store.find(again.group, digests)
    figures["find"] = time.perf_counter() - started
    started = time.perf_counter()
    served = store.serve(found)
    figures["serve"] = time.perf_counter() - started
    assert sum(len(block) for block, _ in served) == n
    store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    n, runs = args.elements, []
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="pflow-store-writer-") as tmp:
        for repeat in range(args.repeats):
            folder = pathlib.Path(tmp) / f"store-{repeat}"
            runs.append(once(folder, n, profile if repeat == args.repeats - 1 else None))
    median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    print(f"{n:,} trivial elements, medians of {args.repeats}: writer {median['write'] / n * 1e6:.2f} µs per element; "
          f"on disk {median['bytes'] / n:.1f} bytes per element ({median['bytes'] / 1e6:.1f} MB); rerun: digests "
          f"{median['digests'] / n * 1e6:.2f} µs, find {median['find'] / n * 1e6:.2f} µs, serve "
          f"{median['serve'] / n * 1e6:.2f} µs per element")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
