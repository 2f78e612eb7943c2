"""`pflow-studio cluster start|info|engine-file|stop|cleanup`: cluster life on a headless machine.

start       start N engines (a local controller first when none answers, listening on --ip and reached at
            --location when given); always detached and recorded, prints the cluster id. A detached
            cluster of ours that is still running (and listens where asked) is reused. With
            --ssh HOST[:N],... the engines start on those hosts (ipyparallel's SSH launcher, the profile's
            ssh options) with --remote-python there.
info        connect to the profile's cluster and print its ClusterInfo (a table, or --json): its engines by
            host, and which are ours (started by this command's session, or left running by an earlier one).
engine-file print the path of the running cluster's engine connection file (for `ipengine --file=PATH`).
stop        ask the profile's cluster controller to stop every engine and itself.
cleanup     end the leftovers of ours in the profile (detached or orphaned).
Exit codes: 0 done, 1 the action failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys

from pflow_studio.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail
from pflow_studio.cluster_panel.model import ClusterInfo, host_order
from pflow_studio.cluster_panel.where import engines_text
from pflow_studio.runtime.cluster.errors import ClusterError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add the `cluster` subcommand to the main parser's subcommands."""
    cluster = commands.add_parser(
        "cluster", help="start, inspect, stop or clean up an IPython parallel cluster",
        description="start: start N engines (and a controller of ours when none runs), left running; "
                    "info: show the cluster and its engines; engine-file: print the path of the file an engine "
                    "on another machine needs (ipengine --file=PATH); stop: stop the whole cluster; "
                    "cleanup: end what earlier commands of ours left running.")
    cluster.add_argument("action", choices=["start", "info", "engine-file", "stop", "cleanup"])
    cluster.add_argument("--profile", default="default", metavar="P", help="IPython profile (default: default)")
    cluster.add_argument("-n", "--engines", dest="n", type=int, metavar="N", help="engines to start (default: cores)")
    cluster.add_argument("--detach", action="store_true", help="leave it running (what 'start' always does)")
    cluster.add_argument("--cluster-id", metavar="ID", help="the cluster to use ('' for ipcluster's)")
    cluster.add_argument("--ip", default="", metavar="ADDR",
                         help="start: the address the controller listens on (default: the profile's "
                              "ipcontroller_config.py, else 127.0.0.1; '*' for every interface)")
    cluster.add_argument("--location", default="", metavar="ADDR",
                         help="start: the address engines and clients use to reach the controller "
                              "(needed with --ip '*'; default: this machine's name)")
    cluster.add_argument("--json", action="store_true", help="info: print JSON")
    cluster.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds to wait for engines")
    cluster.add_argument("--ssh", metavar="HOST[:N],...",
                         help="start: the engines on these hosts over SSH, N each (default 1); -n defaults to the sum")
    cluster.add_argument("--remote-python", metavar="PATH",
                         help="start --ssh: the Python on the hosts (default: the profile's, else python3)")


def format_info(info: ClusterInfo) -> str:
    """A plain-text table of a ClusterInfo: the controller, the hosts with their engine counts, the engines."""
    state = "connected" if info.connected else "not connected"
    owner = f", ours: {info.controller_owner or 'this session'}" if info.controller_ours else ""
    lines = [f"profile:     {info.profile}", f"cluster id:  {info.cluster_id if info.cluster_id is not None else '-'}",
             f"controller:  {info.controller_url or '-'} ({state}{owner})",
             f"owned pids:  {' '.join(map(str, info.owned_pids)) or '-'}"]
    if info.error:
        lines.append(f"error:       {info.error}")
    lines.append(f"hosts:       {len(info.hosts)}")
    for host in info.hosts:
        load = f", load {host.load:.2f}" if host.load is not None else ""
        lines.append(f"  {host.host or '?':<16} {engines_text(host.engines)}, "
                     f"{host.ours} ours{', this machine' if host.local else ''}{load}")
    lines.append(f"engines:     {len(info.engines)}")
    if info.engines:
        lines.append(f"  {'id':>4} {'host':<16} {'pid':>8} {'cpu%':>6} {'mem MB':>8} {'queue':>5} ours")
        for e in sorted(info.engines, key=lambda e: (host_order(e.host, e.local), e.id)):
            cpu = f"{e.cpu_percent:.0f}" if e.cpu_percent is not None else "-"
            mem = f"{e.memory_rss / 2**20:.0f}" if e.memory_rss is not None else "-"
            lines.append(f"  {e.id:>4} {e.host or '?':<16} {e.pid if e.pid is not None else '-':>8} {cpu:>6} "
                         f"{mem:>8} {e.queue:>5} {e.owner if e.ours else 'no' if e.pid is not None else '-'}")
    return "\n".join(lines)


def cluster_command(args: argparse.Namespace) -> int:
    from pflow_studio.cluster_panel.manager import ClusterManager

    if args.n is not None and args.n < 1:
        return fail("-n must be at least 1", EXIT_USAGE)
    if (args.ip or args.location) and args.action != "start":
        return fail("--ip and --location go with 'start'", EXIT_USAGE)
    try:
        manager = ClusterManager(args.profile)
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    try:
        return _ACTIONS[args.action](manager, args)
    except ClusterError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        manager.shutdown_owned()
        return fail("interrupted", EXIT_INTERRUPTED)


def _start(manager, args: argparse.Namespace) -> int:
    import os

    from pflow_studio.cluster_panel.discovery import address_mismatch
    from pflow_studio.cluster_panel.ssh_hosts import parse_hosts
    from pflow_studio.cluster_panel.where import engines_where

    try:
        hosts = parse_hosts(args.ssh) if args.ssh is not None else None
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    if hosts is not None and not hosts:
        return fail("--ssh needs at least one host", EXIT_USAGE)
    n = args.n or (sum(hosts.values()) if hosts else os.cpu_count() or 1)
    if hosts is not None and n > sum(hosts.values()):
        return fail(f"-n {n} asks for more engines than --ssh gives ({sum(hosts.values())})", EXIT_USAGE)
    reusable = [left for left in manager.find_leftovers() if left.detached and left.controller_alive
                and (args.cluster_id is None or left.cluster_id == args.cluster_id)
                and not address_mismatch(manager.profile_dir, left.cluster_id, args.ip, args.location)]
    if reusable:
        manager.reuse(reusable[0])
    elif args.cluster_id is not None:
        manager.connect(args.cluster_id)
    info = manager.start_engines(n, detach=True, timeout=args.timeout, ip=args.ip, location=args.location,
                                 ssh=hosts, remote_python=args.remote_python)
    print(info.cluster_id)
    print(f"started {n} engine(s) on cluster '{info.cluster_id}' "
          f"({engines_where(e.host for e in info.engines)} in all), left running", file=sys.stderr)
    return EXIT_OK


def _info(manager, args: argparse.Namespace) -> int:
    try:
        info = manager.connect(args.cluster_id)
    except ClusterError as exc:
        info = manager.info()
        info.error = str(exc)
    info = manager.info() if info.connected else info
    print(json.dumps(info.to_json(), indent=2) if args.json else format_info(info))
    manager.cleanup(terminate=False)
    return EXIT_OK if info.connected else EXIT_FAILED


def _engine_file(manager, args: argparse.Namespace) -> int:
    try:
        manager.connect_client(args.cluster_id, timeout=min(args.timeout, 10.0))
        path = manager.engine_file()
    finally:
        manager.cleanup(terminate=False)
    print(path)
    print("copy it to the other machine (it holds the cluster's key: keep it private), then run there: "
          "ipengine --file=<the copy>", file=sys.stderr)
    return EXIT_OK


def _stop(manager, args: argparse.Namespace) -> int:
    manager.connect(args.cluster_id)
    print(manager.request_shutdown(), file=sys.stderr)
    return EXIT_OK


def _cleanup(manager, args: argparse.Namespace) -> int:
    leftovers = manager.find_leftovers()
    if args.cluster_id is not None:
        leftovers = [left for left in leftovers if left.cluster_id == args.cluster_id]
    for leftover in leftovers:
        print(manager.end(leftover), file=sys.stderr)
    if not leftovers:
        print(f"nothing of ours is left running in profile '{manager.profile}'", file=sys.stderr)
    return EXIT_OK


_ACTIONS = {"start": _start, "info": _info, "engine-file": _engine_file, "stop": _stop, "cleanup": _cleanup}
