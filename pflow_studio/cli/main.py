"""`pflow-studio run | cluster | cache | record ...`: parse the command line and run the command.

Exit codes: see `cli.exit_codes`. The desktop app is opened by `pflow_studio.launcher`, not from here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pflow_studio.cli import gc_pause
from pflow_studio.cli.cache import cache_command
from pflow_studio.cli.cluster import cluster_command
from pflow_studio.cli.exit_codes import EXIT_USAGE
from pflow_studio.cli.parser import build_parser
from pflow_studio.cli.record import record_command
from pflow_studio.cli.run import run_command


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names (default: the process's arguments); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_command(args)  # resumes the collector once the runner is made
    gc_pause.resume()
    if args.command == "cluster":
        return cluster_command(args)
    if args.command == "cache":
        return cache_command(args)
    if args.command == "record":
        return record_command(args)
    parser.print_help()
    return EXIT_USAGE
