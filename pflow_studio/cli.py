"""The command line: `pflow-studio [FILE]` opens the app, `pflow-studio run FILE` runs headless.

Exit codes of `run`: 0 success; 1 the workflow failed or is invalid (the message names the node);
2 a bad file or bad usage; 130 interrupted. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import sys
from collections.abc import Sequence
from typing import Any

from pflow_studio import __version__
from pflow_studio.atomic_file import write_atomic

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
    run.add_argument("--profile", metavar="P", help="IPython profile of the cluster to run Maps on")
    run.add_argument("--engines", type=int, metavar="N", help="start N local engines for the run")
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


def run_command(args: argparse.Namespace) -> int:
    from pflow_studio.cli_progress import ProgressBar
    from pflow_studio.project_file import ProjectFileError, load
    from pflow_studio.runtime.cancel import CancelToken
    from pflow_studio.runtime.executor import Executor, InvalidWorkflow
    from pflow_studio.runtime.runners import SerialRunner

    if args.profile is not None or args.engines is not None:
        return fail("--profile and --engines need cluster support, which this version does not have yet; "
                    "run without them (Maps then run in this process, as with --serial)", EXIT_USAGE)
    try:
        project = load(args.file)
    except ProjectFileError as exc:
        return fail(str(exc), EXIT_USAGE)
    workflow = project.workflow
    labels = {node.id: node.label for node, _ in workflow.walk()}
    bar = ProgressBar(labels=labels)
    listeners = [] if args.quiet else [bar]
    token = CancelToken()
    try:
        result = Executor(runner=SerialRunner(), cache=False).run(workflow, listeners=listeners, cancel=token)
    except InvalidWorkflow as exc:
        for problem in exc.problems:
            print(f"pflow-studio: invalid workflow: {problem}", file=sys.stderr)
        return fail(f"{args.file}: the workflow is invalid ({len(exc.problems)} problem(s))", EXIT_FAILED)
    except KeyboardInterrupt:
        token.cancel()
        return fail("interrupted", EXIT_INTERRUPTED)
    finally:
        if not args.quiet:
            bar.finish()
    if result.status != "ok":
        for failure in result.failures:
            where = "/".join(labels.get(part, part) for part in failure.path)
            print(f"pflow-studio: node '{where}' failed: {failure.message}", file=sys.stderr)
            if args.traceback and failure.traceback:
                print(failure.traceback, file=sys.stderr)
        first = result.failures[0] if result.failures else None
        summary = f"node '{first.label}' failed" if first else f"the run ended {result.status}"
        return fail(f"{args.file}: {summary}", EXIT_FAILED)
    text = json.dumps(collect_outputs(workflow, result.outputs), indent=2, default=_json_default,
                      allow_nan=False) + "\n"
    if args.output is not None:
        try:
            write_atomic(args.output, text)
        except OSError as exc:
            return fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_USAGE)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def collect_outputs(workflow: Any, outputs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{output node label: {port: value}} for the workflow's output nodes (label clashes get the id)."""
    results: dict[str, dict[str, Any]] = {}
    for node_id in workflow.output_nodes():
        node = workflow.nodes[node_id]
        name = node.label if node.label not in results else f"{node.label} ({node.id})"
        results[name] = {port: _plain(value) for port, value in outputs.get(node_id, {}).items()}
    return results


def _plain(value: Any) -> Any:
    """JSON-friendly: tuples as lists, NaN/inf as strings, paths as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)
