"""How a Map body reaches the engines of a real local 2-engine cluster: it rides along with the first
chunks until every engine holds it, later chunks carry only its digest and their elements, and an
engine that lost it gets it again. Each test uses a body no other test sent, so any order works."""

from __future__ import annotations

import functools
import hashlib
import pickle
import uuid
from typing import Any

import cloudpickle
import pytest

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster import engine_side
from pflow_studio.runtime.cluster.runner import ClusterRunner

pytestmark = pytest.mark.timeout(180)


def tagged_double(bindings: dict[str, Any], tag: str) -> dict[str, Any]:
    return {"y": bindings["x"] * 2}


def new_body() -> functools.partial:
    """A body that doubles `x`, with a digest no engine has seen (the tag differs every time)."""
    return functools.partial(tagged_double, tag=uuid.uuid4().hex)


def no_progress(done: int, total: int) -> None:
    pass


def clear_engine_cache() -> int:
    from pflow_studio.runtime.cluster import engine_side as side

    side._BLOBS.clear()
    side._LOADED.clear()
    return 0


class Noted:
    """A view that notes each task submitted through it as (function, arguments), then submits it."""

    def __init__(self, view: Any, submitted: list[tuple[Any, tuple]]) -> None:
        self.view, self.submitted = view, submitted

    def apply_async(self, function: Any, *args: Any) -> Any:
        self.submitted.append((function, args))
        return self.view.apply_async(function, *args)


class NotingRunner(ClusterRunner):
    """A ClusterRunner on the real cluster whose chunk submissions are noted in `submitted`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitted: list[tuple[Any, tuple]] = []

    def view(self) -> Any:
        return Noted(super().view(), self.submitted)

    def direct(self, engine: int) -> Any:
        return Noted(super().direct(engine), self.submitted)


def test_body_is_pushed_once_and_fetched_again_after_a_cache_miss(cluster):
    notices = []
    runner = ClusterRunner(cluster.client, on_event=notices.append)
    body = new_body()
    items = [{"x": i} for i in range(20)]
    runner.map(body, items, progress=no_progress, cancel=CancelToken())
    runner.map(body, items, progress=no_progress, cancel=CancelToken())
    assert [n.kind for n in notices].count("pushed") == 1  # the second run reused the engines' copy
    cluster.client[:].apply_sync(clear_engine_cache)  # as if engines had restarted or evicted it
    outcomes = runner.map(body, items, progress=no_progress, cancel=CancelToken())
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(20)]
    assert [n.kind for n in notices].count("pushed") >= 2


def test_engine_side_digest_is_the_only_thing_chunks_carry(cluster):
    """A body no engine holds rides along with the first chunks; once every engine holds it, chunks
    carry only its digest and their own elements, never the body."""
    body = new_body()
    blob = cloudpickle.dumps(body)
    digest = hashlib.sha256(blob).hexdigest()
    runner = NotingRunner(cluster.client)
    items = [{"x": i} for i in range(200)]
    outcomes = runner.map(body, items, progress=no_progress, cancel=CancelToken())
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(200)]
    carried = [args for _, args in runner.submitted if args[3] is not None]
    assert carried and all(args[0] == digest and args[3] == blob for args in carried)
    assert cluster.client[:].apply_sync(engine_side.has_body, digest) == [True] * len(cluster.client.ids)

    runner.submitted.clear()
    outcomes = runner.map(body, items, progress=no_progress, cancel=CancelToken())
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(200)]
    assert runner.submitted
    sent: set[int] = set()
    for function, args in runner.submitted:
        chunk_digest, start, payload, carried_body, _budget = args
        assert function is engine_side.run_chunk and chunk_digest == digest and carried_body is None
        elements = pickle.loads(payload)
        assert elements == items[start:start + len(elements)] and blob not in payload
        sent.update(range(start, start + len(elements)))
    assert sent == set(range(200))


def test_engine_side_module_is_what_engines_run(cluster):
    assert engine_side.MISSING == cluster.client[0].apply_sync(_missing_marker)


def _missing_marker() -> str:
    from pflow_studio.runtime.cluster import engine_side as side

    return side.run_chunk("no-such-digest", 0, b"")
