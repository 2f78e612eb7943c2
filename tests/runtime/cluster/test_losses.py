"""The verdict on a chunk lost with its engine, and the once-per-engine, bounded replacement of lost engines."""

from __future__ import annotations

from pflow_studio.runtime.cluster import losses


def test_a_chunk_lost_once_is_sent_again_whole():
    verdict = losses.judge(10, 8, 1, 0, "engine 0 left the cluster")
    assert verdict.resend and not verdict.parts and not verdict.failure
    assert verdict.note == "engine 0 was lost (engine 0 left the cluster); resubmitting 8 element(s)"
    assert losses.judge(3, 1, 1, 0, "").resend  # a single element too: its engine may have died of other causes


def test_a_chunk_lost_twice_is_split_in_halves():
    assert losses.judge(10, 8, 2, 0, "").parts == ((10, 14), (14, 18))
    assert losses.judge(10, 3, 2, 0, "").parts == ((10, 11), (11, 13))
    assert not losses.judge(10, 3, 2, 0, "").resend


def test_a_single_element_lost_twice_fails_naming_engine_element_and_status():
    verdict = losses.judge(7, 1, 2, 1, "", {1: "exit code 3"}.get)
    assert verdict.failure == verdict.note == "engine 1 died while running element 7 (exit code 3)"
    assert not verdict.resend and not verdict.parts
    assert losses.judge(7, 1, 2, None, "").failure == "engine ? died while running element 7 (exit status unknown)"


def test_the_engine_is_read_from_ipyparallels_engine_error():
    assert losses.engine_named("Engine 12 died while running task 'abc_3'") == 12
    assert losses.engine_named("engine 4 left the cluster") == 4
    assert losses.engine_named("Engine b'1f-2a' died while running task 'x'", {"1f-2a": 5}) == 5
    assert losses.engine_named("Engine b'1f-2a' died while running task 'x'") is None
    assert losses.engine_named("EngineError") is None


class Keeper:
    def __init__(self) -> None:
        self.replaced: list[int] = []
        self.waited: list[float] = []

    def exit_status(self, engine: int) -> str | None:
        return "signal SIGSEGV"

    def replace(self, engine: int) -> None:
        self.replaced.append(engine)

    def wait(self, timeout: float) -> None:
        self.waited.append(timeout)

    def replacing(self) -> bool:
        return False


def test_each_lost_engine_is_replaced_once_and_at_most_the_limit_per_map():
    keeper, told = Keeper(), []
    gone = losses.LostEngines(keeper, 2, lambda line, engine: told.append(line))
    gone.lost_engine(0)
    gone.lost_engine(0)
    gone.lost_engine(None)
    assert keeper.replaced == [0] and gone.status(0) == "signal SIGSEGV" and told == []
    gone.settle()
    assert keeper.waited == [losses.SETTLE]
    gone.seen(range(40), [0])  # 39 more left
    assert len(keeper.replaced) == losses.replace_limit(2) == 16
    assert len(told) == 40 - 16 and told[0].startswith("engine 16 is not replaced: 16 engines were already replaced")


def test_without_a_keeper_lost_engines_are_only_noted():
    gone = losses.LostEngines(None, 2, lambda line, engine: None)
    gone.seen([2, 3], [2])
    assert gone.status(3) is None and gone.lost == {3}


def test_a_map_that_lost_no_engine_does_not_wait_for_replacements():
    keeper = Keeper()
    losses.LostEngines(keeper, 2, lambda line, engine: None).settle()
    assert keeper.waited == []
