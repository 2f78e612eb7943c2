"""project/trust.py: which nodes hold code, the fingerprint of a project's code, the private trust store
(issue 11)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from pflow_studio.nodes.api import NodeType, Out, Prop
from pflow_studio.nodes.library.constants import Integer
from pflow_studio.nodes.registry import Registry
from pflow_studio.project.trust import ENV_VAR, FILE_NAME, TrustStore, code_nodes, fingerprint, trust_directory
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import collapse
from pflow_studio.runtime.registry import default_registry
from tests.support.private import mode_of

pytestmark = pytest.mark.fault


def coded(code: str = "y = x + 1") -> Workflow:
    """A Group 'Group 1' holding py.code 'Code'; beside it a Fold by multiplication and an int constant."""
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two", label="Two", pos=(0, 0))
    workflow.add_node("py.code", {"code": code, "inputs": ["x"], "outputs": ["y"]}, id="code", label="Code",
                      pos=(200, 0))
    workflow.connect("two", "value", "code", "x")
    collapse(workflow, ["two", "code"], group_id="g", label="Group 1")
    workflow.add_node("cf.fold", {"operation": "multiply"}, id="fold", label="Fold")
    return workflow


def test_code_nodes_are_named_by_their_path_of_labels():
    workflow = coded()
    assert [node.where for node in code_nodes(workflow, default_registry())] == ["Group 1/Code"]
    workflow.nodes["fold"].properties["operation"] = "expression"  # a Fold runs code only with an expression
    assert [node.where for node in code_nodes(workflow, default_registry())] == ["Group 1/Code", "Fold"]


def test_a_plug_in_type_declares_that_it_runs_code():
    class Shell(NodeType):
        """Runs a shell command (a plug-in's)."""

        type_name = "plugin.shell"
        runs_user_code = True
        properties = [Prop("command", str, "true")]
        outputs = [Out("status", int)]

    registry = Registry()  # not the shared default one
    registry.register(Shell)
    registry.register(Integer)
    workflow = Workflow()
    workflow.add_node("plugin.shell", label="Deploy")
    workflow.add_node("const.int", label="Constant")
    assert [node.where for node in code_nodes(workflow, registry)] == ["Deploy"]


def test_the_fingerprint_follows_the_code_not_the_layout():
    registry = default_registry()
    base = fingerprint(coded(), registry)
    moved = coded()
    moved.nodes["g"].body.nodes["code"].ui.update(pos=[900.0, 900.0], label="Renamed")
    moved.nodes["fold"].ui["pos"] = [5.0, 5.0]
    assert base is not None and fingerprint(moved, registry) == base
    assert fingerprint(coded("y = x + 2"), registry) != base  # one character of the code
    assert fingerprint(Workflow(), registry) is None
    without_code = coded()
    without_code.nodes["g"].body.nodes["code"].type_name = "const.int"
    assert fingerprint(without_code, registry) is None


def test_answers_are_remembered_in_a_private_file(tmp_path, umask_022):
    store = TrustStore(tmp_path / "data" / "pflow-studio")
    assert store.answer("a" * 64) is None
    assert store.remember("a" * 64, True) and store.remember("b" * 64, False)
    again = TrustStore(tmp_path / "data" / "pflow-studio")
    assert (again.answer("a" * 64), again.answer("b" * 64), again.answer("c" * 64)) == (True, False, None)
    assert mode_of(store.path) == 0o600
    assert mode_of(store.path.parent) == 0o700 and mode_of(tmp_path / "data") == 0o700
    assert [name for name in os.listdir(store.path.parent) if mode_of(store.path.parent / name) != 0o600] == []


def test_the_store_is_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert trust_directory() == tmp_path / "elsewhere"
    assert TrustStore().path == tmp_path / "elsewhere" / FILE_NAME


def test_a_damaged_store_trusts_nothing(tmp_path):
    store = TrustStore(tmp_path)
    store.path.write_bytes(b"not a database" * 100)
    assert store.answer("a" * 64) is None
    assert store.remember("a" * 64, True) is False
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(store.path).execute("SELECT 1 FROM answers").fetchall()
