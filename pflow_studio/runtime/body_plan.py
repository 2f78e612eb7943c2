"""A compiled workflow level: its nodes as indexed steps, and one element's run through them.

`LevelPlan.run(feed)` settles the level's targets and what they need exactly as `level_run.LevelRun`
does (same order, same laziness, same states and failures), without events, cache keys or validation:
- a *walk* repeats the executor's depth-first settling over indexes: inputs gathered in its order (fed
  value, edge, folded constant), lazy nodes asked `inputs_needed` again until nothing waits, a node whose
  needed input comes from a node that ended without outputs skipped, a failure recorded with its message
  and traceback and the node's label;
- a level without lazy nodes or static failures first runs *straight*: the order the walk takes when
  every node succeeds, fixed once. At its first failure the walk takes over, replaying the outcomes
  already known (no node runs twice), so what follows is the walk's, hence the executor's.
`feed` holds the values fed from outside, by the slot each fed port was given when compiling.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.errors import BodyFailed, InputMissing, InputSkipped
from pflow_studio.runtime.results import CANCELLED, FAILED, FINISHED, SKIPPED

Failure = tuple[str, str, str]
"""A node failure's message, traceback text and node (its label after those of the Groups holding it)."""
LevelResult = tuple[list[Any], Sequence[str | None], Sequence[str], Sequence[Failure]]
"""Outputs and state by step index, labels of the failed steps in the order they failed, every failure
of the run (nested ones first, as the executor lists them)."""
_EMPTY: dict[str, Any] = {}


class Unplannable(Exception):
    """The body holds something a plan does not express (a Map, an unknown type...): the executor runs it."""


class InnerFailed(BodyFailed):
    """A Group's body failed: its failures travel with the Group's own (they come first)."""

    def __init__(self, message: str, failures: Sequence[Failure]) -> None:
        super().__init__(message)
        self.failures = failures


@dataclasses.dataclass(eq=False)
class Step:
    """One node of a level: its bound computation (`call(**values)`), folded constants, fed ports
    (name, slot), edges in port order (position, name, source step, source port), its sources in the
    executor's waiting order (name -> step, fed ports left out), the message of a required port without
    a value at `missing_at`, `needed` for lazy nodes and the output names it must produce."""

    label: str
    type_name: str
    call: Callable[..., Any]
    consts: dict[str, Any]
    fed: tuple[tuple[str, int], ...]
    edges: tuple[tuple[int, str, int, str], ...]
    sources: dict[str, int]
    out_names: tuple[str, ...]
    needed: Callable[[Mapping[str, Any]], list[str] | None] | None = None
    missing: str = ""
    missing_at: int = 1 << 30

    def gather(self, feed: Sequence[Any], outputs: list[Any], states: list[str | None], steps: list[Step]) -> dict:
        """The input values known now (`LevelInputs.gather`); raises InputMissing."""
        values = self.consts.copy()
        for name, slot in self.fed:
            values[name] = feed[slot]
        for position, name, source, port in self.edges:
            if position > self.missing_at:
                break
            if states[source] == FINISHED:
                produced = outputs[source]
                if port not in produced:
                    raise InputMissing(f"input '{name}': node '{steps[source].label}' produced no output '{port}'")
                values[name] = produced[port]
        if self.missing:
            raise InputMissing(self.missing)
        return values

    def waiting(self, values: dict[str, Any], states: list[str | None], steps: list[Step]) -> list[int]:
        """The sources still to run (`LevelInputs.waiting`); raises InputSkipped."""
        names = self.needed(values) if self.needed is not None else self.sources
        waiting = []
        for name in names:
            source = self.sources.get(name)
            if source is None or name in values:
                continue
            state = states[source]
            if state is None:
                waiting.append(source)
            else:
                raise InputSkipped(f"not run: input '{name}' comes from '{steps[source].label}', which {state}")
        if self.needed is not None and not waiting:
            for name in self.sources:
                if name not in values:
                    values[name] = None
        return waiting

    def produce(self, values: dict[str, Any]) -> Any:
        """Run the node; a TypeError when it left out an output (the executor's check)."""
        produced = self.call(**values)
        self.check(produced)
        return produced

    def check(self, produced: Any) -> None:
        """A TypeError when `produced` lacks an output (the executor's check)."""
        missing = [name for name in self.out_names if name not in (produced or _EMPTY)]
        if missing:
            raise TypeError(f"{self.type_name} did not produce output(s) {', '.join(map(repr, missing))}")


class LevelPlan:
    """The steps of one level in plan order and the indexes of its targets (see the module docstring)."""

    def __init__(self, steps: list[Step], targets: list[int]) -> None:
        self.steps = steps
        self.targets = targets
        self.all_finished = (FINISHED,) * len(steps)
        plain = all(s.needed is None and not s.missing for s in steps)
        self.straight = None
        if plain:  # per step, what the straight run reads, fetched once
            self.straight = tuple((i, steps[i].call, steps[i].consts, steps[i].fed,
                                   tuple((name, source, port) for _position, name, source, port in steps[i].edges),
                                   steps[i].out_names) for i in _success_order(steps, targets))

    def run(self, feed: Sequence[Any]) -> LevelResult:
        """Settle the targets for one element (see the module docstring)."""
        if self.straight is None:
            return self._walk(feed, {})
        outputs: list[Any] = [None] * len(self.steps)
        for index, call, consts, fed, edges, out_names in self.straight:
            values = consts.copy()
            for name, slot in fed:
                values[name] = feed[slot]
            try:
                for name, source, port in edges:
                    values[name] = outputs[source][port]
            except (KeyError, TypeError):  # a source lacks the port: the walk reports it as the executor does
                return self._walk(feed, self._known(outputs, index))
            try:
                produced = call(**values)
                for name in out_names:
                    if name not in (produced or _EMPTY):
                        self.steps[index].check(produced)
            except Exception as exc:
                known = self._known(outputs, index)
                known[index] = (False, exc)
                return self._walk(feed, known)
            outputs[index] = produced
        return outputs, self.all_finished, (), ()

    def _known(self, outputs: list[Any], stop: int) -> dict[int, tuple[bool, Any]]:
        """The outcomes of the straight run's steps before `stop`."""
        known = {}
        for index, *_ in self.straight:
            if index == stop:
                break
            known[index] = (True, outputs[index])
        return known

    def _walk(self, feed: Sequence[Any], known: dict[int, tuple[bool, Any]]) -> LevelResult:
        """The executor's depth-first settling; `known` outcomes are replayed instead of run again."""
        steps = self.steps
        states: list[str | None] = [None] * len(steps)
        outputs: list[Any] = [None] * len(steps)
        failed: list[str] = []
        failures: list[Failure] = []
        stack = list(reversed(self.targets))
        while stack:
            index = stack[-1]
            if states[index] is not None:
                stack.pop()
                continue
            step = steps[index]
            try:
                values = step.gather(feed, outputs, states, steps)
                waiting = step.waiting(values, states, steps)
            except InputMissing as exc:
                waiting, states[index] = [], FAILED
                failed.append(step.label)
                failures.append((str(exc), "", step.label))
            except InputSkipped:
                waiting, states[index] = [], SKIPPED
            if waiting:
                stack.extend(reversed(waiting))
                continue
            stack.pop()
            if states[index] is None:
                states[index] = _settle(step, values, known.get(index), outputs, index, failures)
                if states[index] == FAILED:
                    failed.append(step.label)
        return outputs, states, failed, failures


def _settle(step: Step, values: dict[str, Any], known: tuple[bool, Any] | None, outputs: list[Any], index: int,
            failures: list[Failure]) -> str:
    """Run (or replay) one step and return its state, as `LevelRun._run_node` settles a node."""
    if known is None:
        try:
            outputs[index] = step.produce(values)
            return FINISHED
        except Exception as exc:
            error = exc
    elif known[0]:
        outputs[index] = known[1]
        return FINISHED
    else:
        error = known[1]
    if isinstance(error, Cancelled):
        return CANCELLED
    if isinstance(error, BodyFailed):
        inner = getattr(error, "failures", ())
        failures.extend((message, trace, f"{step.label}/{node}") for message, trace, node in inner)
        failures.append((str(error), "", step.label))
    else:
        failures.append((f"{type(error).__name__}: {error}", "".join(traceback.format_exception(error)), step.label))
    return FAILED


def _success_order(steps: list[Step], targets: list[int]) -> tuple[int, ...]:
    """The order in which the walk runs the steps when every one succeeds."""
    done = [False] * len(steps)
    order = []
    stack = list(reversed(targets))
    while stack:
        index = stack[-1]
        if done[index]:
            stack.pop()
            continue
        waiting = [source for source in steps[index].sources.values() if not done[source]]
        if waiting:
            stack.extend(reversed(waiting))
            continue
        stack.pop()
        done[index] = True
        order.append(index)
    return tuple(order)
