"""`pflow-studio run FILE`: run a project headless.

Maps run on an ipyparallel cluster unless `--serial`: with `--profile P`, on the running cluster of
profile P when one answers; otherwise on a local cluster this run starts and owns (`--engines N`,
default one per core), started only when the first Map runs and stopped when the run ends - also on
SIGTERM/SIGHUP and Ctrl+C. A line on stderr says which cluster the Maps run on. Progress goes to stderr;
the output nodes' values go to stdout as JSON (or `--output`); each Map's per-element record (engine,
host, times, status) goes to `--record`, by default next to the project as `NAME.run.json`.
Exit codes: see `cli.exit_codes`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import sys
from typing import Any

from pflow_studio.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail
from pflow_studio.cli.progress import ProgressBar
from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.project.file_format import ProjectFileError, load
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.executor import Executor, InvalidWorkflow, RunResult
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.run_record import RunRecorder
from pflow_studio.runtime.runners import Runner, SerialRunner


def run_command(args: argparse.Namespace) -> int:
    if args.serial and (args.profile is not None or args.engines is not None):
        return fail("--serial runs Maps in this process: it cannot be combined with --profile or --engines",
                    EXIT_USAGE)
    if args.engines is not None and args.engines < 1:
        return fail(f"--engines must be at least 1, not {args.engines}", EXIT_USAGE)
    try:
        project = load(args.file)
    except ProjectFileError as exc:
        return fail(str(exc), EXIT_USAGE)
    workflow = project.workflow
    labels = {node.id: node.label for node, _ in workflow.walk()}
    bar = ProgressBar(labels=labels)
    say = (lambda text: None) if args.quiet else (lambda text: bar.say(f"pflow-studio: {text}"))
    recorder = RunRecorder(labels=labels)
    token = CancelToken()
    cluster = _RunCluster(args.profile or "default")
    try:
        runner: Runner = SerialRunner() if args.serial else _cluster_runner(args, cluster, say)
        result = Executor(default_registry(), runner=runner, cache=False).run(
            workflow, listeners=[recorder] if args.quiet else [bar, recorder], cancel=token)
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
        cluster.shutdown()
    if recorder.record.maps:
        _write_record(recorder, args.record or args.file.with_suffix(".run.json"), say)
    return _report(args, workflow, labels, result)


class _RunCluster:
    """The run's cluster manager, made (with SIGTERM/SIGHUP handlers) only when a Map first needs it."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.manager: Any = None

    def get(self) -> Any:
        if self.manager is None:
            from pflow_studio.cluster_panel.manager import ClusterManager

            self.manager = ClusterManager(self.profile)
            self.manager.install_signal_handlers()
        return self.manager

    def shutdown(self) -> None:
        if self.manager is not None:
            self.manager.shutdown_owned()


def _cluster_runner(args: argparse.Namespace, cluster: _RunCluster, say: Any) -> Runner:
    from pflow_studio.cluster_panel.map_runner import cluster_runner

    def notice(event: RunnerNotice) -> None:
        if event.kind in (NoticeKind.LOST, NoticeKind.CANCELLING):
            say(event.message)

    return cluster_runner(cluster.get, engines=args.engines, connect_first=args.profile is not None, say=say,
                          on_notice=notice)


def _write_record(recorder: RunRecorder, path: pathlib.Path, say: Any) -> None:
    try:
        recorder.record.write(path)
    except OSError as exc:
        print(f"pflow-studio: warning: cannot write the run record {path}: {exc.strerror or exc}", file=sys.stderr)
    else:
        say(f"run record written to {path}")


def _report(args: argparse.Namespace, workflow: Any, labels: dict[str, str], result: RunResult) -> int:
    if result.status != "ok":
        for failure in result.failures:
            where = "/".join(labels.get(part, part) for part in failure.path)
            print(f"pflow-studio: node '{where}' failed: {failure.message}", file=sys.stderr)
            if isinstance(failure.details, list):
                _print_failed_items(failure.details, args.traceback)
            elif args.traceback and failure.traceback:
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
