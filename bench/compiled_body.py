"""Per-element cost of a Map body run through `BodyTask`: the compiled plan against the executor, side by side.

    .venv/bin/python bench/compiled_body.py [--elements 20000] [--repeats 7]
    .venv/bin/python bench/compiled_body.py --write-project PATH --elements 100000   # for `pflow-studio run`

The body is the one of issue 10: a Group of two math nodes (x*x, then +0.5), called directly (no runner, no
output capture), one element after the other. Both ways run round-robin (`timing.interleaved`), so they see
the same machine load; the figures are medians of `--repeats` runs, in µs per element, and their ratio.
A one-plain-node body (math.multiply) is measured too, for reference. `--write-project` writes instead a
project mapping that Group over range(elements) (`list.range -> Map`), to time `pflow-studio run --serial`.
"""

from __future__ import annotations

import argparse

from map_workflows import mapped, square_half_group
from timing import interleaved, load_average

from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry


def group_body() -> Workflow:
    """A Map body: the Group x -> x*x -> +0.5 -> y."""
    body = Workflow()
    body.add_node("core.group", id="f", body=square_half_group())
    return body


def one_node_body() -> Workflow:
    body = Workflow()
    body.add_node("math.multiply", id="f", inputs={"b": 2.0})
    return body


def tasks(body: Workflow) -> tuple[BodyTask, BodyTask]:
    """The same body through its plan, and through the executor (the task told a plan cannot run it)."""
    registry = default_registry()
    planned, executor = BodyTask(body, "f", registry), BodyTask(body, "f", registry)
    executor.__dict__["_compiled"] = None
    return planned, executor


def per_element(task: BodyTask, items: list[dict], port: str) -> float:
    """Seconds per element for running every element through `task`."""
    import time

    started = time.perf_counter()
    for bindings in items:
        task(bindings)
    elapsed = time.perf_counter() - started
    assert task(items[3]) == {port: 9.5 if port == "y" else 6.0}
    return elapsed / len(items)


def measure(name: str, body: Workflow, port: str, items: list[dict], repeats: int) -> None:
    """Print the medians of both ways over `items`, and their ratio."""
    planned, executor = tasks(body)
    planned(items[0]), executor(items[0])  # compiled (or not) outside the timing
    medians = interleaved({"plan": lambda: per_element(planned, items, port),
                           "executor": lambda: per_element(executor, items, port)}, repeats)
    plan_us, executor_us = medians["plan"] * 1e6, medians["executor"] * 1e6
    print(f"{name}: plan {plan_us:.2f} µs/element, executor {executor_us:.2f} µs/element, "
          f"executor/plan {executor_us / plan_us:.1f}x ({len(items)} elements, median of {repeats})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--elements", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--write-project", metavar="PATH")
    args = parser.parse_args()
    if args.write_project:
        save(Project(mapped(args.elements, group_body(), "x")), args.write_project)
        return
    print(load_average("before"))
    for name, body, port, key in (("Group of 2 math nodes", group_body(), "y", "x"),
                                  ("one plain node", one_node_body(), "result", "a")):
        measure(name, body, port, [{key: float(i)} for i in range(args.elements)], args.repeats)
    print(load_average("after"))


if __name__ == "__main__":
    main()
