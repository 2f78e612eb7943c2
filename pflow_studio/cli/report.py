"""What `pflow-studio run` prints when the run ended: the output nodes' values as JSON (stdout or `--output`),
or one line per failure on stderr (one per failed Map element, with its input, engine and host)."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Any

from pflow_studio.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.runtime.executor import RunResult
from pflow_studio.runtime.mapping import FAILURE_DETAILS


def report(args: argparse.Namespace, workflow: Any, labels: dict[str, str], result: RunResult) -> int:
    if result.status != "ok":
        for failure in result.failures:
            where = "/".join(labels.get(part, part) for part in failure.path)
            print(f"pflow-studio: node '{where}' failed: {failure.message}", file=sys.stderr)
            if isinstance(failure.details, list):
                _print_failed_items(failure.details, args.traceback)
                if len(failure.details) >= FAILURE_DETAILS:
                    print(f"  (the first {len(failure.details)} failed elements; every one is in the run record: "
                          f"pflow-studio record {args.file} --elements)", file=sys.stderr)
            elif args.traceback and failure.traceback:
                print(failure.traceback, file=sys.stderr)
        first = result.failures[0] if result.failures else None
        summary = f"node '{first.label}' failed" if first else f"the run ended {result.status}"
        return fail(f"{args.file}: {summary}", EXIT_FAILED)
    text = results_json(collect_outputs(workflow, result.outputs))
    if args.output is not None:
        try:
            write_atomic(args.output, text)
        except OSError as exc:
            return fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_USAGE)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _print_failed_items(details: list[dict[str, Any]], tracebacks: bool) -> None:
    """One line per failed Map element: index, input, engine and host, error (then its traceback)."""
    for item in details:
        where = f"engine {item['engine']} on {item['host']}" if item.get("engine") is not None else item.get("host", "")
        print(f"  element {item['index']} (input {item.get('input')!r:.80}) on {where}: {item['error']}",
              file=sys.stderr)
        if tracebacks and item.get("traceback"):
            print("    " + item["traceback"].rstrip().replace("\n", "\n    "), file=sys.stderr)


def collect_outputs(workflow: Any, outputs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{output node label: {port: value}} for the workflow's output nodes (label clashes get the id)."""
    results: dict[str, dict[str, Any]] = {}
    for node_id in workflow.output_nodes():
        node = workflow.nodes[node_id]
        name = node.label if node.label not in results else f"{node.label} ({node.id})"
        results[name] = dict(outputs.get(node_id, {}))
    return results


def results_json(results: dict[str, dict[str, Any]]) -> str:
    """The results as JSON text: one line per output port, its value compact on that line (a list of a million
    numbers is written by json's C encoder); NaN and infinities as strings, tuples as lists, paths as strings."""
    lines = []
    for name, ports in results.items():
        values = [f"    {json.dumps(port)}: {_value_json(value)}" for port, value in ports.items()]
        lines.append(f"  {json.dumps(name)}: " + ("{\n" + ",\n".join(values) + "\n  }" if values else "{}"))
    return "{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n"


def _value_json(value: Any) -> str:
    try:
        return json.dumps(value, default=_json_default, allow_nan=False)
    except (ValueError, TypeError):  # NaN or an infinity (spelled as a string), or keys json refuses (as str)
        return json.dumps(_plain(value), default=_json_default, allow_nan=False)


def _plain(value: Any) -> Any:
    """JSON-friendly: tuples as lists, NaN/inf as strings, paths as strings, numpy arrays as lists."""
    if _is_numpy(value):
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _is_numpy(value: Any) -> bool:
    """A numpy array or scalar (they have a dtype and `tolist`; numpy need not be imported to ask)."""
    return hasattr(value, "dtype") and hasattr(value, "tolist")


def _json_default(value: Any) -> Any:
    if _is_numpy(value):
        return value.tolist()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)
