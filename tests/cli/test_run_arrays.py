"""`pflow-studio run` with arrays and figures: arrays print as JSON lists (NaN and infinities as strings), figures
as their description, and the parameter-sweep example runs headless, serially and on a local cluster."""

from __future__ import annotations

import json

import pytest

from pflow_studio.cli.main import main
from pflow_studio.project.file_format import Project, load, save
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.run_record import entry_items
from tests.support.clusters import pflow
from tests.support.paths import EXAMPLES
from tests.support.processes import processes_under, wait_until

SWEEP = EXAMPLES / "parameter_sweep.pflow"


def test_arrays_print_as_lists_with_nan_and_infinities_spelled(tmp_path, capsys):
    wf = Workflow()
    wf.add_node("array.linspace", id="xs", inputs={"start": 0.0, "stop": 1.0, "num": 3})
    wf.add_node("math.divide", id="ratio", label="Ratio", inputs={"b": 0.0}, is_output=True)
    wf.add_node("array.from_list", id="grid", label="Grid", inputs={"values": [[1, 2], [3, 4]]}, is_output=True)
    wf.connect("xs", "array", "ratio", "a")
    save(Project(wf, {}), tmp_path / "arrays.pflow")
    assert main(["run", "-q", str(tmp_path / "arrays.pflow")]) == 0
    assert json.loads(capsys.readouterr().out) == {"Ratio": {"result": ["nan", "inf", "inf"]},
                                                    "Grid": {"array": [[1, 2], [3, 4]]}}


def test_the_parameter_sweep_runs_headless_one_figure_per_element(capsys):
    assert main(["run", "-q", "--serial", str(SWEEP)]) == 0
    results = json.loads(capsys.readouterr().out)
    sweep = results["Map: simulate each ratio"]
    assert sweep["figure"] == ["<Figure size 640x480 with 1 Axes>"] * 8
    settling = sweep["settling_time"]
    assert len(settling) == 8 and all(0 < s < 30 for s in settling)
    assert min(settling) == settling[4]  # fastest near critical damping (ratio 0.8 of 0.15 ... 2.0)
    assert results["Summary plot"] == {"figure": "<Figure size 640x480 with 1 Axes>"}


@pytest.mark.timeout(240)
def test_the_parameter_sweep_runs_on_a_local_cluster_as_serially(ipython_dir, tmp_path):
    record = tmp_path / "record.json"
    done = pflow(ipython_dir, "run", "-q", "--engines", "2", "--record", str(record), str(SWEEP))
    assert done.returncode == 0, done.stderr
    serial = pflow(ipython_dir, "run", "-q", "--serial", str(SWEEP))
    assert json.loads(done.stdout) == json.loads(serial.stdout)
    entry = json.loads(record.read_text())["maps"][0]
    assert entry["runner"] == "cluster" and entry["total"] == 8
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the run's own cluster outlived it"


def _statuses(record) -> list[str]:
    return [item["status"] for item in entry_items(json.loads(record.read_text())["maps"][0])]


def test_stored_sweep_elements_are_reused_until_the_broadcast_array_changes(tmp_path, capsys):
    project, record = tmp_path / "sweep.pflow", tmp_path / "record.json"
    project.write_bytes(SWEEP.read_bytes())
    for expected in ("ok", "cached"):
        assert main(["run", "-q", "--serial", "--record", str(record), str(project)]) == 0
        assert _statuses(record) == [expected] * 8
    loaded = load(project)
    loaded.workflow.nodes["time"].input_values["num"] = 301  # a coarser time grid, broadcast to every element
    save(loaded, project)
    assert main(["run", "-q", "--serial", "--record", str(record), str(project)]) == 0
    assert _statuses(record) == ["ok"] * 8
    capsys.readouterr()
