"""`pflow-studio record RECORD|PROJECT [--elements] [--map PATH] [--json]`: a run record, readable.

A run record (`NAME.run.json`, written by `pflow-studio run` and the app) keeps its elements in compact
columns. This prints one line per Map run (label, path, runner, elements, failed, stored, not run, when and
how long), and with `--elements` one line per element: index, status, engine, host, start, seconds, error.
`--map` keeps the Map runs whose path (ids joined by "/") or label is given; `--json` prints the same as JSON
(elements as one object each). Given a project file, its record beside it is read.
Exit codes: 0 done, 2 bad usage or a file that is not a run record.
"""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import sys
from collections.abc import Iterator
from typing import Any

from pflow_studio.cli.exit_codes import EXIT_OK, EXIT_USAGE, fail
from pflow_studio.common.bounded_read import FileRefused
from pflow_studio.runtime import run_record


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `record` subcommand to the main parser's subcommands."""
    record = commands.add_parser("record", help="print a run record (per Map, and per element with --elements)")
    record.add_argument("file", type=pathlib.Path, help="a .run.json record, or the .pflow project it is beside")
    record.add_argument("--elements", action="store_true", help="one line per element")
    record.add_argument("--map", metavar="PATH", help="only this Map (its path of ids joined by '/', or its label)")
    record.add_argument("--json", action="store_true", help="print JSON")


def record_command(args: argparse.Namespace) -> int:
    path = args.file.with_suffix(".run.json") if args.file.suffix == ".pflow" else args.file
    try:
        data = run_record.read(path)
    except FileRefused as exc:
        return fail(f"cannot read the run record {exc}", EXIT_USAGE)
    except (OSError, ValueError) as exc:
        return fail(f"cannot read the run record {path}: {exc}", EXIT_USAGE)
    entries = [entry for entry in data.get("maps", []) if isinstance(entry, dict) and _chosen(entry, args.map)]
    if args.json:
        shown = [{key: value for key, value in entry.items() if key not in ("elements", "items")}
                 | ({"elements": run_record.entry_items(entry)} if args.elements else {}) for entry in entries]
        json.dump({"record": str(path), "maps": shown}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    for entry in entries:
        print(map_line(entry))
        if args.elements:
            for line in element_lines(entry):
                print(line)
    if not entries:
        print(f"{path}: no Map run" + (f" matching '{args.map}'" if args.map else ""))
    return EXIT_OK


def _chosen(entry: dict[str, Any], wanted: str | None) -> bool:
    return wanted is None or wanted in ("/".join(map(str, entry.get("path", []))), entry.get("label"))


def map_line(entry: dict[str, Any]) -> str:
    """One Map run: label, path, runner, counts, start and duration."""
    took = max(0.0, float(entry.get("finished", 0)) - float(entry.get("started", 0)))
    return (f"{entry.get('label', '?')} ({'/'.join(map(str, entry.get('path', [])))}) runner {entry.get('runner')}: "
            f"{entry.get('total', 0)} elements, {entry.get('failed', 0)} failed, {entry.get('cached', 0)} from the "
            f"store, {entry.get('not_run', 0)} not run; started {_clock(entry.get('started'))}, took {took:.3f} s")


def element_lines(entry: dict[str, Any]) -> Iterator[str]:
    """One line per element, read from the record's columns one at a time."""
    columns = run_record.RecordColumns(entry)
    for index in range(len(columns)):
        item = columns.item(index)
        engine = "-" if item["engine"] is None else str(item["engine"])
        seconds = max(0.0, item["finished"] - item["started"])
        error = (item.get("error") or "").strip().splitlines()
        yield (f"  {item['index']:>7} {item['status']:<7} engine {engine:<3} {item['host'] or '-':<16} "
               f"{_clock(item['started'])} {seconds:9.6f} s" + (f"  {error[-1]}" if error else ""))


def _clock(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return "-"
    return datetime.datetime.fromtimestamp(seconds).strftime("%H:%M:%S.%f")
