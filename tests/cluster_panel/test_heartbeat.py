"""The heartbeat of the controllers we start: a short ping, and misses sized so an engine is dropped only
after ~15 s of silence; each passed on the command line only when the profile does not set it (a setting in
`ipcontroller_config.py` must win, and the command line would beat it). On real clusters, the period in
effect is read from what an engine logs at registration (it checks for pings every period + 500 ms)."""

from __future__ import annotations

import re

import pytest
from ipyparallel.engine.app import IPEngine

from pflow_studio.cluster_panel import heartbeat
from pflow_studio.cluster_panel.heartbeat import HEARTBEAT_MS, WINDOW_MS, controller_args, misses_for, window_ms
from pflow_studio.cluster_panel.manager import ClusterManager

MISSES = "--HeartMonitor.max_heartmonitor_misses"


def test_our_period_and_misses_drop_an_engine_after_15_s_of_silence(tmp_path):
    assert controller_args([], tmp_path) == [f"--ping={HEARTBEAT_MS}", f"{MISSES}={misses_for(HEARTBEAT_MS)}"]
    assert window_ms(HEARTBEAT_MS, misses_for(HEARTBEAT_MS)) == WINDOW_MS == 15_000
    assert misses_for(3000) == heartbeat.IPP_MISSES  # never less patient than ipyparallel itself
    # an engine gives up on a silent controller only after it would have been dropped
    assert IPEngine.max_heartbeat_misses.default_value * (HEARTBEAT_MS + 500) > WINDOW_MS


@pytest.mark.parametrize(("profile", "args", "added"), [
    ("c.HeartMonitor.period = 1000\n", [], [f"{MISSES}=14"]),
    ("c.HeartMonitor.max_heartmonitor_misses = 3\n", [], [f"--ping={HEARTBEAT_MS}"]),
    ("c.HeartMonitor.period = 500\nc.HeartMonitor.max_heartmonitor_misses = 3\n", [], []),
    ("", ["--ping=500"], [f"{MISSES}=29"]),
    ("", ["--HeartMonitor.period=1500", f"{MISSES}=2"], []),
    ("this is not Python\n", [], [f"--ping={HEARTBEAT_MS}", f"{MISSES}=49"]),  # the controller will complain
])
def test_what_the_profile_or_the_arguments_set_is_not_passed(tmp_path, profile, args, added):
    if profile:
        (tmp_path / "ipcontroller_config.py").write_text(profile)
    assert controller_args(args, tmp_path) == added


def engine_check_periods(manager: ClusterManager) -> list[int]:
    """The ms between the checks for pings that each engine of the manager logged at registration."""
    cluster = manager.engine_cluster()
    assert cluster is not None
    found = []
    for engine_set in cluster.engines.values():
        for launcher in engine_set.launchers.values():
            text = open(launcher.output_file, encoding="utf-8", errors="replace").read()
            found += [int(ms) for ms in re.findall(r"signal from the hub every (\d+) ms", text)]
    return found


@pytest.mark.timeout(120)
def test_the_controller_pings_at_our_period_unless_its_profile_config_sets_one(ipython_dir):
    profile = ipython_dir / "profile_default"
    profile.mkdir()
    mine = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    try:
        mine.start_engines(1, timeout=60)
        assert engine_check_periods(mine) == [HEARTBEAT_MS + 500]
    finally:
        mine.shutdown_owned()
    (profile / "ipcontroller_config.py").write_text("c.HeartMonitor.period = 700\n")
    theirs = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    try:
        theirs.start_engines(1, timeout=60)
        assert engine_check_periods(theirs) == [700 + 500]
    finally:
        theirs.shutdown_owned()
