"""The engine check's comparison (`runtime.cluster.precheck`): what an engine's answer must match here, and
the one-line error naming unfit engines by host. Python and cloudpickle mismatches cannot be made for real
on one machine, so these use crafted answers of the shape the engines send (and, for a check that raises
on an engine, crafted finished results)."""

from __future__ import annotations

import sys
import types
from typing import Any

import cloudpickle
import pytest
from ipyparallel import error

import pflow_studio
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster import precheck
from pflow_studio.runtime.cluster.errors import EnginesUnfit
from pflow_studio.runtime.cluster.memory import RunnerMemory
from pflow_studio.runtime.cluster.precheck import HERE, SOURCE, Setup, problems, setup_of, unfit_message
from pflow_studio.runtime.cluster.remote_source import EXPRESSION


def answer(**changes) -> dict:
    """An engine's answer to the check, as this process would give it, with `changes`."""
    report = {"host": "h3", "python": list(sys.version_info[:3]), "cloudpickle": cloudpickle.__version__,
              "pflow_studio": pflow_studio.__version__}
    report.update(changes)
    return report


def test_the_check_runs_from_source_and_this_process_passes_it():
    report = eval(EXPRESSION, {"SOURCE": SOURCE})  # as on an engine: nothing of ours is unpickled
    assert report["pflow_studio"] == pflow_studio.__version__ and "pflow_studio_error" not in report
    assert problems(setup_of(report)) == []


def test_an_engine_like_this_process_is_fit():
    assert setup_of(answer()) == HERE
    assert problems(setup_of(answer(python=[*sys.version_info[:2], 99]))) == []  # only the minor version counts


def test_each_mismatch_is_named_with_both_sides():
    here = Setup((3, 11), "3.1.1", "0.1.0")
    missing = setup_of(answer(pflow_studio_error="ModuleNotFoundError: No module named 'pflow_studio'"))
    assert problems(missing, here)[0] == ("pflow_studio is not installed there "
                                          "(ModuleNotFoundError: No module named 'pflow_studio')")
    broken = setup_of(answer(pflow_studio_error="ModuleNotFoundError: No module named 'numpy'"))
    assert problems(broken, here)[0].startswith("pflow_studio cannot be imported there (")
    other = Setup((3, 12), "3.0.0", "0.0.9")
    assert problems(other, here) == ["pflow_studio 0.0.9 there, 0.1.0 here", "Python 3.12 there, 3.11 here",
                                     "cloudpickle 3.0.0 there, 3.1.1 here"]
    no_cloudpickle = setup_of(answer(cloudpickle=None, cloudpickle_error="ModuleNotFoundError: no"))
    assert "cloudpickle missing there" in problems(no_cloudpickle, here)[-1]


def test_the_message_groups_engines_by_host_and_problem_and_says_what_to_install():
    here = Setup((3, 11), "3.1.1", "0.1.0")
    missing = ["pflow_studio is not installed there (No module named 'pflow_studio')"]
    message = unfit_message({3: ("h3", missing), 2: ("h3", missing), 4: ("h4", ["Python 3.12 there, 3.11 here"])},
                            here)
    assert message.startswith("engines 2, 3 on h3: pflow_studio is not installed there (No module named "
                              "'pflow_studio'); engine 4 on h4: Python 3.12 there, 3.11 here. The Map did not run")
    assert "install pflow-studio 0.1.0 with Python 3.11 and cloudpickle 3.1.1" in message


class Answered:
    """A finished AsyncResult of the check: `value`, or `error` raised by `get`."""

    msg_ids: list[str] = []

    def __init__(self, value: Any = None, exc: BaseException | None = None) -> None:
        self.value, self.exc = value, exc

    def done(self) -> bool:
        return True

    def get(self, timeout: float) -> Any:
        if self.exc is not None:
            raise self.exc
        return self.value


def test_an_engine_where_the_check_raises_is_unfit_and_a_lost_one_is_left_to_the_liveness_checks(monkeypatch):
    answers = {0: Answered(answer()), 1: Answered(exc=error.RemoteError("SyntaxError", "invalid syntax", "")),
               2: Answered(exc=error.EngineError("engine 2 died"))}
    monkeypatch.setattr(precheck, "ask", lambda client, engine: answers[engine])
    memory = RunnerMemory()
    checks = precheck.EngineChecks(types.SimpleNamespace(results={}, metadata={}), memory, lambda notice: None)
    with pytest.raises(EnginesUnfit, match=r"^engine 1 on \?: the engine check failed there \(SyntaxError: invalid"):
        checks.check([0, 1, 2], CancelToken())
    assert memory.checked(0) and not memory.checked(1) and not memory.checked(2)
