"""The command line: `pflow-studio [FILE]` opens the app, `pflow-studio run FILE` runs headless.

Exit codes of `run`: 0 success; 1 the workflow failed or is invalid (the message names the node);
2 a bad file or bad usage; 130 interrupted. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Sequence

from pflow_studio import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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
    from pflow_studio.cli_cluster import add_parser as add_cluster_parser

    add_cluster_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in ("run", "cluster", "-h", "--help", "--version") and not argv[0].startswith("-"):
        return open_app(argv)
    if not argv:
        return open_app([])
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from pflow_studio.cli_run import run_command

        return run_command(args)
    if args.command == "cluster":
        from pflow_studio.cli_cluster import cluster_command

        return cluster_command(args)
    build_parser().print_help()
    return EXIT_USAGE


def open_app(argv: list[str]) -> int:
    """Open the desktop app (with a project file, when given)."""
    try:
        from pflow_studio.app import main as app_main  # type: ignore[attr-defined]
    except ImportError as exc:
        if exc.name and exc.name.startswith("pflow_studio.app"):
            print("pflow-studio: error: the desktop app is not in this build yet; "
                  "use 'pflow-studio run FILE' to run a project", file=sys.stderr)
            return EXIT_USAGE
        raise
    return int(app_main(argv) or 0)


def fail(message: str, code: int) -> int:
    print(f"pflow-studio: error: {message}", file=sys.stderr)
    return code
