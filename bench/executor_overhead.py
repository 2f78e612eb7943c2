"""Executor overhead per node: a 2,000-node chain of trivial nodes against a plain Python loop
calling the same node functions, in one process, side by side.

    .venv/bin/python bench/executor_overhead.py [--nodes 2000] [--repeats 7]

Prints the median time of each (also with one event listener, as the GUI and CLI run), the overhead
per node in µs (goal: <= 50 µs) and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry


def chain(n: int) -> Workflow:
    """const.float -> math.add (+1) -> math.add (+1) -> ... (n nodes in all)."""
    wf = Workflow()
    previous = wf.add_node("const.float", {"value": 0.0}, id="n0").id
    for i in range(1, n):
        wf.add_node("math.add", id=f"n{i}", inputs={"b": 1.0})
        wf.connect(previous, "value" if i == 1 else "result", f"n{i}", "a")
        previous = f"n{i}"
    return wf


def plain_loop(n: int) -> float:
    """The same node functions called directly: instantiate each node, call compute."""
    registry = default_registry()
    const, add = registry.get("const.float"), registry.get("math.add")
    value = const({"value": 0.0}).compute()["value"]
    for _ in range(1, n):
        value = add().compute(a=value, b=1.0)["result"]
    return value


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    n = args.nodes
    workflow = chain(n)
    executor = Executor(default_registry(), cache=False)
    result = executor.run(workflow, targets=[f"n{n - 1}"])
    assert result.outputs[f"n{n - 1}"]["result"] == n - 1 == plain_loop(n), "the chain computes n-1"

    loop_times, run_times, cached_times, validate_times, listened_times = [], [], [], [], []
    events: list = []
    cached_executor = Executor(default_registry())
    cached_executor.run(workflow, check=False)
    for _ in range(args.repeats):  # interleaved, so machine noise hits both alike
        loop_times.append(timed(lambda: plain_loop(n)))
        run_times.append(timed(lambda: executor.run(workflow, check=False)))
        cached_times.append(timed(lambda: cached_executor.run(workflow, check=False)))
        validate_times.append(timed(lambda: executor.run(workflow, check=True)) - run_times[-1])
        events.clear()
        listened_times.append(timed(lambda: executor.run(workflow, check=False, listeners=[events.append])))
    loop, run, cached, listened = (statistics.median(t) for t in (loop_times, run_times, cached_times, listened_times))
    per_node = (run - loop) / n * 1e6
    print(f"chain of {n} nodes, median of {args.repeats} runs")
    print(f"  plain loop            {loop * 1e3:8.1f} ms")
    print(f"  executor (no cache)   {run * 1e3:8.1f} ms   overhead {per_node:6.1f} µs/node (goal <= 50)")
    print(f"  executor + listener   {listened * 1e3:8.1f} ms   overhead {(listened - loop) / n * 1e6:6.1f} µs/node "
          f"({len(events)} events)")
    print(f"  executor, all cached  {cached * 1e3:8.1f} ms   {cached / n * 1e6:6.1f} µs/node")
    print(f"  validation            {statistics.median(validate_times) * 1e3:8.1f} ms   (extra, once per run)")
    print(f"  ratio executor/loop   {run / loop:8.1f}x")


if __name__ == "__main__":
    main()
