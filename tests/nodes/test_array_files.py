"""Loading and saving .npy files: round trips at exactly the given path, no cache, objects refused both ways."""

from __future__ import annotations

import numpy as np
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.array_files import LoadNpy, SaveNpy
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry


def test_save_then_load_round_trips_at_exactly_the_path(tmp_path):
    data = np.arange(12, dtype=np.int32).reshape(3, 4)
    target = tmp_path / "grid.data"  # no .npy suffix: numpy must not add one
    assert SaveNpy().compute(path=target, array=data) == {"path": str(target)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.data"]
    loaded = LoadNpy().compute(path=str(target))["array"]
    assert loaded.dtype == np.int32 and np.array_equal(loaded, data)


def test_a_list_is_saved_as_an_array(tmp_path):
    SaveNpy().compute(path=tmp_path / "a.npy", array=[1.5, 2.5])
    assert np.load(tmp_path / "a.npy").tolist() == [1.5, 2.5]


def test_files_with_python_objects_are_refused(tmp_path):
    target = tmp_path / "objects.npy"
    np.save(target, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with pytest.raises(NodeError, match=r"cannot load '.*objects.npy': it holds Python objects"):
        LoadNpy().compute(path=target)
    with pytest.raises(NodeError, match="must hold numbers"):
        SaveNpy().compute(path=tmp_path / "out.npy", array=np.array([{"a": 1}], dtype=object))


def test_missing_and_foreign_files_are_named(tmp_path):
    with pytest.raises(NodeError, match=r"cannot load '.*nothing.npy': no such file or folder"):
        LoadNpy().compute(path=tmp_path / "nothing.npy")
    (tmp_path / "text.npy").write_text("hello")
    with pytest.raises(NodeError, match=r"it is not a \.npy file"):
        LoadNpy().compute(path=tmp_path / "text.npy")
    with pytest.raises(NodeError, match=r"cannot save .*: a part of the path is not a folder"):
        SaveNpy().compute(path=tmp_path / "text.npy" / "x.npy", array=[1])


def test_a_file_changed_between_runs_is_read_again(tmp_path):
    source = tmp_path / "in.npy"
    np.save(source, np.array([1.0, 2.0]))
    wf = Workflow()
    wf.add_node("array.load_npy", id="load", inputs={"path": str(source)})
    wf.add_node("array.sum", id="sum", is_output=True)
    wf.connect("load", "array", "sum", "array")
    executor = Executor(default_registry())
    assert executor.run(wf).outputs["sum"] == {"result": 3.0}
    np.save(source, np.array([10.0, 20.0]))
    assert executor.run(wf).outputs["sum"] == {"result": 30.0}
    assert not LoadNpy().is_cacheable() and not SaveNpy().is_cacheable()
