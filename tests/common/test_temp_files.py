"""Debris of killed saves: a save killed midway leaves its temp file `.NAME.<pid>.<host>.<random>.tmp`; the next
save or open of NAME removes it once its writer is dead, never while it lives, and the project stays intact.
Also the temp files of reused pids, of other machines and of the older naming (by age), and what is not ours."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from pflow_studio.common.temp_files import HOST, STALE_AFTER, remove_stale_temps
from pflow_studio.project.file_format import Project, load, save
from pflow_studio.runtime.model import Workflow
from tests.support.processes import kill, wait_until
from tests.support.projects import REGISTRY

pytestmark = [pytest.mark.fault, pytest.mark.timeout(120)]

# A save that stops for good in its fsync, after writing the whole temp file: killed there, it leaves the debris.
HELD_SAVE = textwrap.dedent("""
    import os, sys, time
    from pflow_studio.project.file_format import Project, save
    from pflow_studio.runtime.model import Workflow

    def held(fd):
        print("writing", flush=True)
        time.sleep(600)

    os.fsync = held
    workflow = Workflow()
    workflow.add_node("const.float", {"value": 3.0}, id="killed")
    save(Project(workflow, {"blob": "x" * 10_000_000}), sys.argv[1])
""")


def project(value: float) -> Project:
    workflow = Workflow()
    workflow.add_node("const.float", {"value": value}, id="x")
    return Project(workflow, {"name": f"value {value}"})


def temp_files(directory: pathlib.Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".tmp"))


def value_in(path: pathlib.Path) -> float:
    return load(path, registry=REGISTRY).workflow.nodes["x"].properties["value"]


@pytest.mark.parametrize("next_step", ["save", "open"])
def test_a_save_killed_midway_leaves_debris_that_the_next_save_or_open_removes(tmp_path, next_step):
    path = tmp_path / "p.pflow"
    save(project(1.0), path)
    writer = subprocess.Popen([sys.executable, "-c", HELD_SAVE, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        [debris] = temp_files(tmp_path)
        assert debris.startswith(f".p.pflow.{writer.pid}.{HOST}.")
        save(project(2.0), path)  # the writer is alive: its temp file is left alone
        assert value_in(path) == 2.0 and temp_files(tmp_path) == [debris]
    finally:
        kill(writer.pid)
        writer.wait(timeout=60)
        writer.stdout.close()
    assert temp_files(tmp_path) == [debris]  # what the kill leaves; the project is intact
    if next_step == "save":
        save(project(3.0), path)
        assert temp_files(tmp_path) == [] and value_in(path) == 3.0
    else:
        assert value_in(path) == 2.0 and temp_files(tmp_path) == []


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=60)
    return child.pid


def debris(directory: pathlib.Path, name: str, age: float = 0.0) -> pathlib.Path:
    path = directory / name
    path.write_text("half a project")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_which_temp_files_are_removed_and_which_are_kept(tmp_path):
    dead, me = dead_pid(), os.getpid()
    started = psutil.Process(me).create_time()
    other_host = "11111111" if HOST == "00000000" else "00000000"
    old = STALE_AFTER + 60
    removed = [
        debris(tmp_path, f".p.pflow.{dead}.{HOST}.abcd_123.tmp"),  # dead writer
        debris(tmp_path, f".p.pflow.{me}.{HOST}.abcd_124.tmp", age=time.time() - started + 60),  # pid reused
        debris(tmp_path, f".p.pflow.{dead}.{other_host}.abcd_125.tmp", age=old),  # another machine, old
        debris(tmp_path, ".p.pflow.abcd_126.tmp", age=old),  # the older naming, old
    ]
    kept = [
        debris(tmp_path, f".p.pflow.{me}.{HOST}.abcd_127.tmp"),  # a live writer (this process)
        debris(tmp_path, f".p.pflow.{dead}.{other_host}.abcd_128.tmp", age=60),  # another machine, recent
        debris(tmp_path, ".p.pflow.abcd_129.tmp", age=60),  # the older naming, recent
        debris(tmp_path, ".p.pflow.notes.tmp", age=old),  # not our pattern
        debris(tmp_path, f".p.pflow.recovered.{dead}.{HOST}.abcd_130.tmp"),  # another file's temp
        debris(tmp_path, f".other.pflow.{dead}.{HOST}.abcd_131.tmp"),
        debris(tmp_path, f"p.pflow.{dead}.{HOST}.abcd_132.tmp"),
    ]
    (tmp_path / f".p.pflow.{dead}.{HOST}.abcd_133.tmp").mkdir()  # not a file
    assert sorted(remove_stale_temps(tmp_path / "p.pflow")) == sorted(removed)
    assert all(path.exists() for path in kept) and not any(path.exists() for path in removed)
    assert remove_stale_temps(tmp_path / "p.pflow") == []


def test_an_unreaped_killed_writer_counts_as_dead(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        name = debris(tmp_path, f".p.pflow.{writer.pid}.{HOST}.abcd_123.tmp")
        assert remove_stale_temps(tmp_path / "p.pflow") == []
        kill(writer.pid)
        assert wait_until(lambda: psutil.Process(writer.pid).status() == psutil.STATUS_ZOMBIE, timeout=30)
        assert remove_stale_temps(tmp_path / "p.pflow") == [name]
    finally:
        kill(writer.pid)
        writer.wait(timeout=60)


def test_the_temp_files_of_a_symlinked_project_are_beside_its_target(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link.pflow").symlink_to(tmp_path / "real" / "p.pflow")
    save(project(1.0), tmp_path / "link.pflow")
    left = debris(tmp_path / "real", f".p.pflow.{dead_pid()}.{HOST}.abcd_123.tmp")
    assert value_in(tmp_path / "link.pflow") == 1.0 and not left.exists()


def test_a_directory_that_cannot_be_listed_is_no_error(tmp_path):
    assert remove_stale_temps(tmp_path / "missing" / "p.pflow") == []
