"""The ownership rule (`cluster_panel.ownership`): an engine is ours by our tag, or by being an owned process
of this machine's process table (pid and start time); never by pid alone. And the question engines answer
(`engine_report`) needs nothing of pflow_studio. Real processes stand for engines."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from pflow_studio.cluster_panel import engine_report, ownership
from pflow_studio.cluster_panel.engine_report import EngineReport
from pflow_studio.cluster_panel.engines import EngineFacts
from pflow_studio.cluster_panel.model import EngineInfo, host_summaries
from pflow_studio.cluster_panel.processes import ProcessRef, me
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from pflow_studio.runtime.cluster.process_id import ProcessId, process_table, this_process
from pflow_studio.runtime.cluster.remote_source import EXPRESSION


@pytest.fixture
def child():
    """A live process of this machine standing for an engine: its ProcessRef and ProcessId."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        ref = ProcessRef.of(process.pid)
        with open(f"/proc/{process.pid}/stat", encoding="ascii") as file:
            started = file.read().rsplit(")", 1)[1].split()[19]
        assert ref is not None and process_table() is not None
        yield ref, ProcessId(process_table(), process.pid, started)
    finally:
        process.kill()
        process.wait()


def report(process: ProcessId | None, tag: str = "", host: str = "elsewhere") -> EngineReport:
    return EngineReport(host=host, machine="m", pid=process.pid if process else 1, process=process, tag=tag,
                        cpu_seconds=0.0, clock=0.0, rss=None, load=None)


def record(tag: str, **kwargs) -> OwnedRecord:
    return OwnedRecord(**{"tag": tag, "cluster_id": "c1", "owner": None, **kwargs})


def test_a_tag_of_ours_makes_an_engine_ours_and_says_whose():
    records = {"mine": record("mine", owner=me()), "left": record("left", detached=True),
               "dead": record("dead", owner=ProcessRef(os.getpid(), 1.0))}  # its session is gone
    owners = ownership.owners(records, {}, "mine", {})
    assert owners.owner_of(report(None, "mine")) == ownership.THIS_SESSION
    assert owners.owner_of(report(None, "left")) == ownership.LEFT_RUNNING
    assert owners.owner_of(report(None, "dead")) == ownership.ORPHANED
    assert owners.owner_of(report(None, "someone else's")) == ""
    assert owners.only(ownership.THIS_SESSION).owner_of(report(None, "left")) == ""
    other = ownership.owners({"mine": record("mine", owner=me())}, {}, None, {})
    assert other.owner_of(report(None, "mine")) == ownership.ANOTHER_SESSION  # seen from another session


def test_a_pid_of_ours_on_another_process_table_is_not_ours(child):
    ref, process = child
    owners = ownership.owners({"mine": record("mine", owner=me())}, {}, "mine", {"mine": [ref]})
    assert owners.owner_of(report(process)) == ownership.THIS_SESSION  # this very process: ours
    elsewhere = dataclasses.replace(process, table="another-boot/pid:[4026532999]")
    assert owners.owner_of(report(elsewhere)) == ""  # same pid, another machine or pid namespace
    reused = dataclasses.replace(process, started=str(int(process.started) + 1))
    assert owners.owner_of(report(reused)) == ""  # same pid here, another process
    assert ownership.owners({}, {}, None, {}).owner_of(report(process)) == ""  # a process of ours? no record says so


def test_a_pid_that_now_names_another_process_is_not_ours(child):
    ref, process = child
    stale = ProcessRef(ref.pid, ref.create_time - 100)  # what a record kept of an earlier process with that pid
    owners = ownership.owners({"mine": record("mine", owner=me())}, {}, "mine", {"mine": [stale]})
    assert owners.owner_of(report(process)) == ""


def test_the_question_runs_without_pflow_studio(tmp_path):
    """The expression engines evaluate, in a Python that cannot import pflow_studio (nor anything of the venv)."""
    code = (f"import sys; assert 'pflow_studio' not in sys.modules; "
            f"print(repr(eval({EXPRESSION!r}, {{'SOURCE': {engine_report.SOURCE!r}}})))")
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={"PFLOW_STUDIO_TAG": "t9"}, timeout=60)
    assert out.returncode == 0, out.stderr
    answer = engine_report.parse(eval(out.stdout))  # a dict of plain values
    assert answer.tag == "t9" and answer.host and answer.rss and answer.cpu_seconds >= 0
    mine = this_process()
    assert answer.process is not None and mine is not None and answer.process.table == mine.table
    assert answer.process.pid == answer.pid != os.getpid()
    with pytest.raises(ValueError):
        engine_report.parse({"host": "h"})


def test_state_file_records_count_for_a_session_that_only_connects(tmp_path):
    state = StateFile(tmp_path)
    state.put(record("left", detached=True, controller_ours=True))
    owners = ownership.profile_owners(tmp_path, state, None)
    assert owners.owner_of(report(None, "left")) == ownership.LEFT_RUNNING
    assert ownership.controller_owner(state, None, "c1") == ownership.LEFT_RUNNING
    assert ownership.controller_owner(state, None, "other") == ""


def test_hosts_are_summed_with_this_machine_first():
    engines = [EngineInfo(0, "zed", 5, None, None, 0, False), EngineInfo(1, "here", 5, None, None, 0, True, local=True),
               EngineInfo(2, "", None, None, None, 0, False), EngineInfo(3, "abc", 7, None, None, 0, True, load=0.5),
               EngineInfo(4, "here", 6, None, None, 0, True, local=True)]
    hosts = host_summaries(engines)
    assert [(h.host, h.engines, h.ours) for h in hosts] == [("here", 2, 2), ("abc", 1, 1), ("zed", 1, 0), ("", 1, 0)]
    assert hosts[1].load == 0.5 and hosts[0].local and not hosts[1].local


class _Answered:
    """An engine's answer as the client holds it once it came."""

    msg_ids: tuple[str, ...] = ()

    def __init__(self, answer: dict) -> None:
        self.answer = answer

    def done(self) -> bool:
        return True

    def wait(self, timeout: float) -> None:
        pass

    def get(self, timeout: float) -> dict:
        return self.answer


class _Client:
    """Engines that answer at once, with the answers of `answers` in turn."""

    def __init__(self, answers: list[dict]) -> None:
        self.ids = [0]
        self.results: dict = {}
        self.metadata: dict = {}
        self._answers = answers

    def direct_view(self, targets: int) -> _Client:
        return self

    def apply_async(self, *args) -> _Answered:
        return _Answered(self._answers.pop(0))


def test_an_engine_elsewhere_reports_its_own_cpu_memory_and_load():
    elsewhere = ["another-boot/pid:[4026532999]", 1, "5"]
    answers = [dict(host="h9", machine="m", pid=1, process=elsewhere, tag="", cpu_seconds=cpu, clock=clock,
                    rss=rss, load=0.25) for cpu, clock, rss in ((10.0, 100.0, 1 << 30), (10.1, 100.2, 2 << 30),
                                                                (10.6, 101.2, 3 << 30))]
    facts = EngineFacts()
    client = _Client(answers)
    [first] = facts.collect(client, {}, ownership.Owners())
    assert (first.host, first.pid, first.cpu_percent, first.memory_rss, first.load) == ("h9", 1, None, 1 << 30, 0.25)
    assert not first.local and not first.ours  # pid 1 elsewhere is not this machine's init
    [second] = facts.collect(client, {}, ownership.Owners())  # asked again: 0.2 s later, too soon for a percentage
    assert second.cpu_percent is None and second.memory_rss == 2 << 30
    [third] = facts.collect(client, {}, ownership.Owners())
    assert third.cpu_percent == pytest.approx(50.0) and third.memory_rss == 3 << 30
