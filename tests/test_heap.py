"""The collector that waits for a pause: frozen start-up, deferred full collections."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from daman_tui.heap import DEFERRED_FULL, QuietCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector() -> Iterator[tuple[QuietCollector, Clock]]:
    clock = Clock()
    quiet = QuietCollector(idle=1.0, clock=clock)
    before = gc.get_threshold()
    yield quiet, clock
    quiet.stop()
    assert gc.get_threshold() == before


def _survivors() -> None:
    """Enough surviving objects for the oldest generation to have something pending."""
    keep = [[i] for i in range(50_000)]
    gc.collect(1)
    del keep


def test_start_freezes_and_defers_full_collections(collector: tuple[QuietCollector, Clock]) -> None:
    quiet, _clock = collector
    before = gc.get_threshold()
    quiet.start()
    assert quiet.running
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (before[0], before[1], DEFERRED_FULL)
    quiet.stop()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_collects_only_in_a_pause_and_only_when_something_is_pending(
    collector: tuple[QuietCollector, Clock],
) -> None:
    quiet, clock = collector
    quiet.start()
    _survivors()
    quiet.touched()
    clock.now += 0.5
    assert not quiet.tick()  # the user is typing
    clock.now += 0.6
    assert quiet.tick()  # a pause: collected
    assert gc.get_count()[2] == 0
    clock.now += 5
    assert not quiet.tick()  # nothing new since
    assert quiet.collections == 1


def test_does_nothing_before_start(collector: tuple[QuietCollector, Clock]) -> None:
    quiet, clock = collector
    _survivors()
    clock.now += 10
    assert not quiet.tick()
