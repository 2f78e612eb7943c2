"""Element store costs and `pflow-studio run` whole-process speed, on one local 2-engine cluster, in one run.

    .venv/bin/python bench/element_store.py [--items 10000] [--work-ms 1] [--trivial 2000] [--repeats 5]
                                            [--cold-repeats 15] [--process-repeats 9] [--no-bytecode-cache]

What is timed in 1. and 2. is `Executor.run` of a workflow `list.range -> Map` on the cluster (a `ClusterRunner`
whose engines already hold the body, node cache off as in `pflow-studio run`), with the element store
(`elements=StoreBinding(...)`) or without it (`elements=None`):
1. A Map of `--items` elements run cold (an empty store) and then again fully served from the store, pairwise
   (goal: the stored run costs <= 5% of the cold one), for elements of `--work-ms` of CPU work each and, honestly,
   for trivial elements (`x + 1`) as well.
2. `--trivial` trivial elements, cold, with the store against the store disabled (goal: <= 10% added), timed
   until `Executor.run` returns and until the store holds every element (its writer thread may still be
   writing when the run returns: `Bench.run` waits for it after each run, untimed, and notes when). "Cold"
   means the store does not hold these elements: each repeat maps with a new offset (new element keys), into a
   store that exists already, and also into a new store file (its creation included).
3. Lookup cost per element: the element digests of `--items` elements computed, and those elements found and
   read as blocks from a store holding them (µs per element each, and both together).
4. Whole processes (`cli_process.py`): `pflow-studio run FILE --profile P -q` against a raw ipyparallel script
   doing the same `--trivial` elements with `load_balanced_view().map_sync` (one chunk per engine), both
   started cold on the running cluster, interleaved (goal: <= 1.3x).
Compared runs are interleaved; figures are medians; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import time
from typing import Any

from cli_process import whole_process
from map_workflows import trivial_map, work_map
from timing import interleaved, load_average

from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.runtime import keys as cache_keys
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.element_loop import ElementRows
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.events import ITEMS, Event
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.map_elements import MapElements
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.stored_elements import StoreBinding

PROFILE = "bench"
class Bench:
    """The cluster's runner and the executor every measurement shares; `run` checks each Map's outcome."""

    def __init__(self, client: Any, folder: pathlib.Path) -> None:
        self.runner = ClusterRunner(client)
        self.executor = Executor(default_registry(), runner=self.runner, cache=False)
        self.folder = folder
        self.stores: list[ElementStore] = []
        self.drained: dict[str, list[float]] = {}  # label -> seconds until the store held every element

    def new_store(self) -> ElementStore:
        """An element store in a directory of its own (its file is made on first use; closed by `close`)."""
        self.stores.append(ElementStore(self.folder / f"store-{len(self.stores) + 1}"))
        return self.stores[-1]

    def close(self) -> None:
        for store in self.stores:
            store.close()

    def run(self, workflow: Workflow, store: ElementStore | None, expect: str, label: str = "") -> float:
        """Run `workflow` (timed: `Executor.run` alone); every element must end `expect` ("ok" or "cached").
        Then (not timed) wait for the store's writer to finish the run's writes, noting under `label` the time
        from the start until the store held everything (so no run pays for the writes of the one before)."""
        statuses: list[str] = []

        def listener(event: Event) -> None:
            if event.kind == ITEMS:  # (older code listed its elements as dicts)
                details = event.details
                statuses.extend(details["table"].statuses() if "table" in details else
                                [item["status"] for item in details["items"]])

        binding = None if store is None else StoreBinding(store, "bench")
        started = time.perf_counter()
        result = self.executor.run(workflow, listeners=[listener], elements=binding)
        elapsed = time.perf_counter() - started
        if store is not None:
            getattr(store, "sync", lambda: None)()  # (a store of older code, without a writer, has written all)
            self.drained.setdefault(label, []).append(time.perf_counter() - started)
        assert result.status == "ok", result.failures
        assert set(statuses) == {expect}, f"expected every element {expect}, got {set(statuses)}"
        return elapsed


def stored_second_run(bench: Bench, workflow: Workflow, repeats: int) -> tuple[float, float, ElementStore]:
    """Median seconds of a cold run (new, empty store) and of the same run again served from that store,
    pairwise; returns the last store (it holds every element)."""
    cold, stored = [], []
    store = bench.new_store()
    for _ in range(repeats):
        store = bench.new_store()
        cold.append(bench.run(workflow, store, "ok"))
        stored.append(bench.run(workflow, store, "cached"))
    return statistics.median(cold), statistics.median(stored), store


def part_stored(bench: Bench, args: argparse.Namespace) -> ElementStore:
    n = args.items
    print(f"1. a Map of {n} elements: cold (empty store) vs the same run again, fully stored "
          f"(Executor.run; medians of {args.repeats}, pairwise)")
    stores = []
    for label, workflow in ((f"{args.work_ms:g} ms of CPU work each", work_map(n, args.work_ms / 1e3)),
                            ("trivial (x + 1)", trivial_map(n))):
        bench.run(workflow, None, "ok")  # the engines hold the body from now on
        cold, stored, store = stored_second_run(bench, workflow, args.repeats)
        stores.append(store)
        goal = "goal <= 5%" if len(stores) == 1 else "no goal"
        print(f"   elements of {label:28}: cold {cold:8.3f} s, stored {stored:8.3f} s = {stored / cold:6.1%} "
              f"of cold ({goal}); {stored / n * 1e6:.1f} µs per stored element")
    return stores[0]


def part_cold(bench: Bench, args: argparse.Namespace) -> None:
    n = args.trivial
    print(f"2. {n} trivial elements, cold (elements not stored), with the store vs without it "
          f"(Executor.run; medians of {args.cold_repeats}, interleaved)")
    existing = bench.new_store()
    bench.run(trivial_map(n, 0), existing, "ok")  # the store file exists, the engines hold the body
    offsets = iter(range(1, 10**9))

    def fresh_file() -> float:
        store = bench.new_store()
        elapsed = bench.run(trivial_map(n, next(offsets)), store, "ok", "new file")
        store.close()  # (not timed; the connection would stay open otherwise)
        return elapsed

    medians = interleaved({
        "none": lambda: bench.run(trivial_map(n, next(offsets)), None, "ok"),
        "store": lambda: bench.run(trivial_map(n, next(offsets)), existing, "ok", "store"),
        "new file": fresh_file,
    }, args.cold_repeats)
    none = medians["none"]
    drained = {label: statistics.median(bench.drained[label]) for label in ("store", "new file")}
    print(f"   store disabled (elements=None)       : {none * 1e3:8.1f} ms")
    print(f"   with the store (existing store file) : {medians['store'] * 1e3:8.1f} ms = "
          f"{medians['store'] / none - 1:+6.1%} (goal <= +10%); every element on disk after "
          f"{drained['store'] * 1e3:.1f} ms = {drained['store'] / none - 1:+6.1%}")
    print(f"   with the store (a new store file)    : {medians['new file'] * 1e3:8.1f} ms = "
          f"{medians['new file'] / none - 1:+6.1%}; every element on disk after {drained['new file'] * 1e3:.1f} ms = "
          f"{drained['new file'] / none - 1:+6.1%}")


def part_lookup(store: ElementStore, args: argparse.Namespace) -> None:
    n = args.items
    workflow = work_map(n, args.work_ms / 1e3)
    registry = default_registry()
    container = instantiate(workflow.nodes["map"], registry)
    settings = {name: container.values.get(name) for name in ("mode", "mapped", "input_ports", "combine")}
    prefix = cache_keys.element_key_prefix(container.body, "work", settings, {}, registry)
    elements = MapElements(store, prefix, ElementRows(("x",), [list(range(n))], {}), ["x"])
    digests = elements.all_digests()

    def recall() -> int:
        return sum(len(block) for block, _ in store.serve(store.find(elements.group, digests)))

    found = recall()
    assert found == n, f"{found} of {n} elements found (the settings above must be the Map's)"
    medians = interleaved({"keys": elements.all_digests, "recall": recall}, args.repeats)
    per_key, per_recall = medians["keys"] / n * 1e6, medians["recall"] / n * 1e6
    print(f"3. lookup of {n} stored elements (medians of {args.repeats}): key computation {per_key:.2f} µs, "
          f"recall (found and read as blocks) {per_recall:.2f} µs, together {per_key + per_recall:.2f} µs "
          "per element")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--work-ms", type=float, default=1.0, help="CPU work per element in 1. (ms)")
    parser.add_argument("--trivial", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cold-repeats", type=int, default=15, help="repeats of 2. (short runs, noisy machine)")
    parser.add_argument("--process-repeats", type=int, default=9)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="4.: keep PYTHONDONTWRITEBYTECODE as set (by default it is dropped for the processes, "
                             "so they read .pyc files as an installed package does)")
    parser.add_argument("--only", choices=["store", "process"], help="run only 1.-3. or only 4.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pflow-bench-") as tmp:
        folder = pathlib.Path(tmp)
        manager = ClusterManager(PROFILE, ipython_dir=folder / "ipython")
        try:
            info = manager.start_engines(2, timeout=120)
            assert manager.client is not None and len(info.engines) == 2
            print(load_average("before"))
            if args.only != "process":
                bench = Bench(manager.client, folder)
                try:
                    store = part_stored(bench, args)
                    part_cold(bench, args)
                    part_lookup(store, args)
                finally:
                    bench.close()
            if args.only != "store":
                whole_process(folder, PROFILE, info.cluster_id or "", args)
            print(load_average("after"))
        finally:
            manager.shutdown_owned()  # ends the controller and engines it started, by pid
    sys.stdout.flush()


if __name__ == "__main__":
    main()
