"""The argument parser of `pflow-studio`: the `run`, `cluster`, `cache` and `record` subcommands."""

from __future__ import annotations

import argparse
import pathlib

from pflow_studio import __version__
from pflow_studio.cli.cache import add_parser as add_cache_parser
from pflow_studio.cli.cluster import add_parser as add_cluster_parser
from pflow_studio.cli.exit_codes import EXIT_USAGE
from pflow_studio.cli.record import add_parser as add_record_parser
from pflow_studio.cli.store_args import add_store_arguments


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like argparse but without the noise
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pflow-studio", description="Visual workflows over an IPython parallel cluster.")
    parser.add_argument("--version", action="version", version=f"pflow-studio {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    run = commands.add_parser("run", help="run a project headless and print its results as JSON")
    run.add_argument("file", type=pathlib.Path, help="the .pflow project to run")
    run.add_argument("--serial", action="store_true", help="run Map elements in this process (no cluster)")
    run.add_argument("--output", type=pathlib.Path, metavar="PATH", help="write the results JSON here, not stdout")
    run.add_argument("--profile", metavar="P",
                     help="run Maps on the running cluster of this IPython profile (else start one there)")
    run.add_argument("--engines", type=int, metavar="N",
                     help="engines to start when no cluster runs (default: one per core)")
    run.add_argument("--record", type=pathlib.Path, metavar="PATH",
                     help="write the Map run record here (default: FILE's name with .run.json, next to it)")
    run.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    run.add_argument("--traceback", action="store_true", help="print the traceback of each failed node")
    run.add_argument("--no-cache", action="store_true",
                     help="neither use nor fill the element store (every Map element runs)")
    run.add_argument("--plan", action="store_true",
                     help="run no Map: say per Map how many elements are stored and how many would run")
    run.add_argument("--json", action="store_true", help="with --plan: print the plan as JSON")
    add_store_arguments(run)
    add_cluster_parser(commands)
    add_cache_parser(commands)
    add_record_parser(commands)
    return parser
