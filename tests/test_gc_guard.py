"""The GUI-thread garbage collector: frozen start-up, full passes only when generation 2 grew."""

from __future__ import annotations

import gc
import weakref

import pytest

from app.ui.shell.gc_guard import GCGuard


class _Node:
    def __init__(self) -> None:
        self.other: object = self


@pytest.fixture
def guard(qapp):
    guard = GCGuard()
    guard.start()
    try:
        yield guard
    finally:
        guard.stop()
        gc.unfreeze()
        gc.collect()


def _cycle() -> weakref.ref:
    node = _Node()
    return weakref.ref(node)


def test_automatic_collection_is_off_while_running(guard):
    assert not gc.isenabled()


def test_young_cycles_are_collected_on_the_timer_tick(guard):
    gc.collect()
    ref = _cycle()
    keep = [[] for _ in range(gc.get_threshold()[0] * 2)]  # generation 0 due
    assert ref() is not None
    assert guard.collect_if_due() >= 1
    assert ref() is None
    del keep


def test_before_the_start_up_freeze_nothing_is_collected_then_ticks_collect(guard):
    guard.start(frozen_later=True)
    gc.collect()
    ref = _cycle()
    keep = [[] for _ in range(gc.get_threshold()[0] * 2)]  # generation 0 due
    assert guard.collect_if_due() == 0
    assert ref() is not None  # left for the freeze's one collection
    guard.freeze_startup()
    assert ref() is None
    ref = _cycle()
    more = [[] for _ in range(gc.get_threshold()[0] * 2)]
    assert guard.collect_if_due() >= 1
    assert ref() is None
    del keep, more


def test_freeze_startup_keeps_what_lives_out_of_later_passes(guard):
    guard.freeze_startup()
    assert gc.get_freeze_count() > 1000
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count()


def test_a_full_pass_only_when_generation_two_grew_by_a_quarter(guard):
    guard.freeze_startup()
    threshold = gc.get_threshold()[2]
    # Generation 2 small and not grown since the last full pass: counts alone do not
    # trigger a full pass... once it has been measured as grown, they do.
    guard._old_after_full = len(gc.get_objects(generation=2)) * 10
    while gc.get_count()[2] <= threshold:
        gc.collect(1)
    guard.collect_if_due()
    assert guard.full_collections == 0
    guard._old_after_full = 0
    keep = [[i] for i in range(2000)]  # grows generation 2 once promoted
    gc.collect(1)
    gc.collect(1)
    while gc.get_count()[2] <= 2 * threshold + 1:
        gc.collect(1)
    guard.collect_if_due()
    assert guard.full_collections == 1
    assert gc.get_count()[2] == 0
    del keep


def test_no_full_collection_while_a_run_holds_it_then_its_objects_are_frozen(guard):
    guard.freeze_startup()
    threshold = gc.get_threshold()[2]
    guard.hold()
    keep = [[i] for i in range(20_000)]  # what a run keeps (token objects)
    while gc.get_count()[2] <= 3 * threshold:
        gc.collect(1)
    guard.collect_if_due()
    assert guard.full_collections == 0  # held: however much generation 2 grew
    frozen = gc.get_freeze_count()
    guard.release()
    assert gc.get_freeze_count() >= frozen + 20_000  # the run's objects are out of the way
    assert not any(obj is keep[0] for obj in gc.get_objects(generation=2))
    del keep


def test_a_deep_collection_frees_cycles_that_died_after_being_frozen(guard):
    guard.freeze_startup()
    node = _Node()
    ref = weakref.ref(node)
    guard.hold()
    guard.release()  # the node is frozen with what the run left
    del node
    gc.collect()
    assert ref() is not None  # a frozen cycle is not collected…
    guard.collect_deep()
    assert ref() is None  # …until a deep collection (the window in the background)
    assert guard.deep_collections == 1


def test_going_to_the_background_collects_deep_only_when_the_frozen_set_grew(guard, qapp):
    from PySide6.QtCore import Qt

    guard.freeze_startup()
    guard._on_application_state(Qt.ApplicationState.ApplicationInactive)
    assert guard.deep_collections == 0  # nothing new frozen since start-up
    keep = [[i] for i in range(gc.get_freeze_count())]  # doubles the frozen set
    guard.hold()
    guard.release()
    guard._on_application_state(Qt.ApplicationState.ApplicationActive)
    assert guard.deep_collections == 0  # never while the window is in use
    guard._on_application_state(Qt.ApplicationState.ApplicationInactive)
    assert guard.deep_collections == 1
    del keep


def test_a_runs_aftermath_is_left_alone_until_it_settles(guard):
    guard.freeze_startup()
    guard.hold()
    guard.release()
    keep = [[i] for i in range(gc.get_threshold()[0] * 3)]  # its tokens, laid out after it
    assert guard.collect_if_due() == 0  # quiet: nothing walked
    assert gc.get_count()[0] > gc.get_threshold()[0]
    frozen = gc.get_freeze_count()
    guard.settled()
    assert gc.get_freeze_count() > frozen  # the aftermath is frozen with the run
    # …and from now on collections go on as usual
    garbage = _cycle()
    more = [[] for _ in range(gc.get_threshold()[0] * 2)]
    assert guard.collect_if_due() >= 1 and garbage() is None
    del keep, more


def test_large_blocks_get_their_own_pages_from_the_first_run_on(guard, monkeypatch):
    from app.core import heap

    calls: list[int] = []
    monkeypatch.setattr(heap, "keep_large_blocks_apart", lambda: calls.append(1) or True)
    guard.hold()
    guard.release()
    assert calls == [1]  # before the run's blocks (not at start-up: ctypes loads then)
