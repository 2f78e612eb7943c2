"""`pflow-studio [FILE]` opens the desktop app; `pflow-studio run | cluster ...` run headless.

Exit codes: see `cli.exit_codes`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pflow_studio.cli.cluster import cluster_command
from pflow_studio.cli.exit_codes import EXIT_USAGE
from pflow_studio.cli.parser import build_parser
from pflow_studio.cli.run import run_command

COMMANDS = ("run", "cluster", "-h", "--help", "--version")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return open_app(argv)
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return run_command(args)
    if args.command == "cluster":
        return cluster_command(args)
    build_parser().print_help()
    return EXIT_USAGE


def open_app(argv: list[str]) -> int:
    """Open the desktop app (with a project file, when given). Qt is imported only now."""
    from pflow_studio.app import main as app_main

    return int(app_main(argv) or 0)
