"""`pflow-studio cache info|clear [FILE]`: what the element store holds, and forgetting it.

info    the store's file, its size and cap, how many elements (successful / failed) and Map runs it holds;
        with FILE, only those of the project's Maps (as they are now: elements of an edited body are not
        counted). `--json` prints it as JSON.
clear   forget every element and run (or only the project's Maps', with FILE).
Exit codes: 0 done, 2 bad usage or a project file that cannot be read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import sys

from pflow_studio.cli.exit_codes import EXIT_OK, EXIT_USAGE, fail
from pflow_studio.cli.store_args import add_store_arguments, open_store
from pflow_studio.project.file_format import ProjectFileError, load
from pflow_studio.runtime.keys import map_body_signatures
from pflow_studio.runtime.registry import default_registry


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `cache info|clear` subcommands to the main parser's subcommands."""
    cache = commands.add_parser("cache", help="show or clear the element store (Map elements kept between runs)")
    actions = cache.add_subparsers(dest="action", required=True, parser_class=type(cache))
    for action, text in (("info", "what the store holds"), ("clear", "forget stored elements")):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("file", nargs="?", type=pathlib.Path, help="only the Maps of this project")
        if action == "info":
            sub.add_argument("--json", action="store_true", help="print JSON")
        add_store_arguments(sub)


def cache_command(args: argparse.Namespace) -> int:
    bodies = None
    if args.file is not None:
        try:
            bodies = project_bodies(args.file)
        except ProjectFileError as exc:
            return fail(str(exc), EXIT_USAGE)
    store = open_store(args, warn=lambda text: print(f"pflow-studio: warning: {text}", file=sys.stderr))
    try:
        if args.action == "clear":
            count = store.clear(bodies)
            where = f" of {args.file}" if args.file is not None else ""
            print(f"forgot {count} stored element(s){where} in {store.path}", file=sys.stderr)
            return EXIT_OK
        info = store.info(bodies)
    finally:
        store.close()
    if args.json:
        print(json.dumps(dataclasses.asdict(info), indent=2))
    else:
        print(f"store:     {info.path}\nsize:      {_mb(info.bytes)} of {_mb(info.max_bytes)}\n"
              f"elements:  {info.elements} ({info.ok} ok, {info.failed} failed) in {info.blocks} "
              f"block(s)\nMap runs:  {info.runs}")
    return EXIT_OK


def project_bodies(path: pathlib.Path) -> list[str]:
    """The body signatures of every Map and Filter of a project (what its stored elements are filed under)."""
    registry = default_registry()
    return map_body_signatures(load(path, registry).workflow, registry)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"
