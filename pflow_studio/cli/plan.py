"""`pflow-studio run FILE --plan`: what each Map would do, without running any Map body.

The nodes the Maps' inputs need run as in a real run; each Map then counts its elements already in the
element store and stops there (nothing runs, nothing is written). A Map whose inputs come from another Map
cannot be known before that Map runs: it is listed as not known yet. One line per Map on stdout (JSON with
`--json`); exit 0 unless the project cannot be run at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from pflow_studio.cli.exit_codes import EXIT_FAILED, EXIT_OK, fail
from pflow_studio.runtime.container_types import FILTER_TYPE, FOR_TYPE, FUNCTION_CONTAINER_TYPES, MAP_TYPE
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.stored_elements import PlanBinding


def plan_command(args: argparse.Namespace, workflow: Workflow, store: ElementStore | None, scope: str) -> int:
    """Plan the run of `workflow` (see the module docstring) and print it."""
    binding = PlanBinding(store, scope)
    maps = list(map_nodes(workflow))
    targets = sorted({path[0] if path else node_id for path, node_id, *_ in maps})
    try:
        Executor(default_registry(), cache=False).run(workflow, targets=targets, elements=binding)
    except InvalidWorkflow as exc:
        for problem in exc.problems:
            print(f"pflow-studio: invalid workflow: {problem}", file=sys.stderr)
        return fail(f"{args.file}: the workflow is invalid ({len(exc.problems)} problem(s))", EXIT_FAILED)
    rows = [_row(binding, (*path, node_id), label, kind) for path, node_id, label, kind in maps]
    if args.json:
        print(json.dumps({"maps": rows}, indent=2))
    else:
        for row in rows:
            where = f"{row['kind']} '{row['label']}' ({'/'.join(row['path'])})"
            items = "iterations" if row["kind"] == "For" else "elements"
            if row["known"]:
                print(f"{where}: {row['total']} {items}, {row['stored']} stored, {row['to_run']} would run")
            else:
                print(f"{where}: not known before the nodes it depends on have run")
    return EXIT_OK


_KINDS = {MAP_TYPE: "Map", FILTER_TYPE: "Filter", FOR_TYPE: "For"}


def map_nodes(workflow: Workflow, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, str, str]]:
    """(container path, id, label, kind) of every Map, Filter and For run by this process: at the top level and
    inside Groups (not inside a Map's body, whose elements run as one task each)."""
    for node in workflow.nodes.values():
        if node.type_name in FUNCTION_CONTAINER_TYPES:
            yield path, node.id, node.label, _KINDS[node.type_name]
        elif node.body is not None:
            yield from map_nodes(node.body, (*path, node.id))


def _row(binding: PlanBinding, path: tuple[str, ...], label: str, kind: str) -> dict[str, Any]:
    plan = binding.plans.get(path)
    if plan is None:
        return {"path": list(path), "label": label, "kind": kind, "known": False}
    return {"path": list(path), "label": label, "kind": kind, "known": True, "total": plan.total,
            "stored": plan.stored, "to_run": plan.to_run}
