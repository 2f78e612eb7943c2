"""`pflow-studio run FILE`: run a project headless.

Maps run on an ipyparallel cluster unless `--serial`: with `--profile P`, on the running cluster of
profile P when one answers; otherwise on a local cluster this run starts and owns (`--engines N`,
default one per core), started only when the first Map runs and stopped when the run ends - also on
SIGTERM/SIGHUP and Ctrl+C. A line on stderr says which cluster the Maps run on. Progress goes to stderr;
the output nodes' values go to stdout as JSON (or `--output`); each Map's per-element record (engine,
host, times, status) goes to `--record`, by default next to the project as `NAME.run.json`.
Map elements are kept in the element store and served from it on the next run (`--no-cache`: neither
read nor written; `--cache-dir`, `--cache-size`); `--plan` only says what each Map would run
(`cli.plan`). Ctrl+C, SIGTERM and SIGHUP stop the run: what finished is kept and recorded.
Exit codes: see `cli.exit_codes`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Callable
from typing import Any

from pflow_studio.cli import gc_pause, stop_signals
from pflow_studio.cli.exit_codes import EXIT_FAILED, EXIT_USAGE, fail
from pflow_studio.cli.plan import plan_command
from pflow_studio.cli.progress import ProgressBar
from pflow_studio.cli.report import report
from pflow_studio.cli.store_args import open_store
from pflow_studio.project.file_format import ProjectFileError, load
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.run_record import RunRecorder
from pflow_studio.runtime.runners import Runner, SerialRunner
from pflow_studio.runtime.stored_elements import StoreBinding


def run_command(args: argparse.Namespace) -> int:
    """`pflow-studio run`; SIGTERM, SIGHUP and Ctrl+C end it with one line and 128 + the signal (130)."""
    with stop_signals.installed():
        return stop_signals.guard(lambda: _run_command(args))


def _run_command(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem:
        return fail(problem, EXIT_USAGE)
    try:
        project = load(args.file)
    except ProjectFileError as exc:
        return fail(str(exc), EXIT_USAGE)
    store = None if args.no_cache else open_store(args, warn=_warn)
    scope = str(args.file.resolve())
    try:
        if args.plan:
            gc_pause.resume()
            return plan_command(args, project.workflow, store, scope)
        return _run(args, project.workflow, None if store is None else StoreBinding(store, scope))
    finally:
        if store is not None:
            store.close()


def _usage_problem(args: argparse.Namespace) -> str:
    if args.serial and (args.profile is not None or args.engines is not None):
        return "--serial runs Maps in this process: it cannot be combined with --profile or --engines"
    if args.engines is not None and args.engines < 1:
        return f"--engines must be at least 1, not {args.engines}"
    if args.json and not args.plan:
        return "--json goes with --plan (the results are always JSON)"
    return ""


def _run(args: argparse.Namespace, workflow: Workflow, elements: StoreBinding | None) -> int:
    """Run the workflow; the run record is written also when Ctrl+C or SIGTERM/SIGHUP stopped it. What
    follows the run (stopping the cluster, the record, the report) is not cut short by a signal."""
    labels = {node.id: node.label for node, _ in workflow.walk()}
    bar = ProgressBar(labels=labels)
    say = (lambda text: None) if args.quiet else (lambda text: bar.say(f"pflow-studio: {text}"))
    recorder = RunRecorder(labels=labels)
    token = CancelToken()
    cluster = _RunCluster(args.profile or "default", _warn if args.quiet else say)
    stopped: int | None = None
    try:
        runner: Runner = SerialRunner() if args.serial else _cluster_runner(args, cluster, say)
        gc_pause.resume()  # the imports are done (ipyparallel's with the cluster runner)
        result = Executor(default_registry(), runner=runner, cache=False).run(
            workflow, listeners=[recorder] if args.quiet else [bar, recorder], cancel=token, elements=elements)
    except InvalidWorkflow as exc:
        for problem in exc.problems:
            print(f"pflow-studio: invalid workflow: {problem}", file=sys.stderr)
        return fail(f"{args.file}: the workflow is invalid ({len(exc.problems)} problem(s))", EXIT_FAILED)
    except (KeyboardInterrupt, SystemExit) as exc:  # Ctrl+C, SIGTERM, SIGHUP
        stopped = stop_signals.stop_code(exc)
        if stopped is None:
            raise
    finally:
        with stop_signals.deferred():
            token.cancel()
            if not args.quiet:
                bar.finish()
            cluster.shutdown()
    with stop_signals.deferred():
        if recorder.record.maps:
            _write_record(recorder, args.record or args.file.with_suffix(".run.json"), say)
        if stopped is not None:
            return stop_signals.report(stopped, "the run was ended; what finished is kept")
        code = report(args, workflow, labels, result)
    late = stop_signals.received()  # it came after the run had finished: the results are complete
    return code if late is None else stop_signals.report(late, "the run had finished; its results are complete")


def _warn(text: str) -> None:
    print(f"pflow-studio: warning: {text}", file=sys.stderr)


class _RunCluster:
    """The run's cluster manager, made only when a Map first needs it. Then, before a cluster is used or
    started, the processes that an earlier run or app of ours left when it died are ended (`tell` says so);
    detached clusters, those of a live owner and others' are not touched (`cluster_panel.orphans`)."""

    def __init__(self, profile: str, tell: Callable[[str], None]) -> None:
        self.profile = profile
        self.tell = tell
        self.manager: Any = None

    def get(self) -> Any:
        if self.manager is None:
            from pflow_studio.cluster_panel.manager import ClusterManager
            from pflow_studio.cluster_panel.orphans import end_orphans

            self.manager = ClusterManager(self.profile)
            for line in end_orphans(self.manager.profile_dir):
                self.tell(line)
        return self.manager

    def shutdown(self) -> None:
        if self.manager is not None:
            self.manager.shutdown_owned()


def _cluster_runner(args: argparse.Namespace, cluster: _RunCluster, say: Any) -> Runner:
    from pflow_studio.cluster_panel.map_runner import cluster_runner

    def notice(event: RunnerNotice) -> None:
        if event.kind in (NoticeKind.LOST, NoticeKind.STALLED, NoticeKind.CANCELLING, NoticeKind.CHECK):
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


