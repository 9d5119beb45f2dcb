"""Run Python's cyclic garbage collector on the GUI thread only (as qutebrowser does).

Automatic collection runs in whatever thread happens to allocate; if that is a worker
thread (DNS look-ups, executors) and the garbage holds a QObject with timers, Qt destroys
it in the wrong thread ("Timers cannot be stopped from another thread") and may crash.
:class:`GCGuard` disables automatic collection and collects from a timer on the GUI thread.

A full (generation 2) collection walks every tracked object, 45 ms for a freshly opened
window here and more after long sessions, which is a visible stall while streaming.  So:

* everything alive once the first frame is up (modules, classes, the window) is moved out
  of the collector's way with :func:`gc.freeze` (it lives for the whole session anyway);
* generation 2 is collected only when it has grown by a quarter since the last full
  collection, the same rule CPython applies to automatic collection.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["GCGuard"]

#: Generation 2 is collected once it holds this much more than after the last full pass.
FULL_COLLECTION_GROWTH = 1.25


class GCGuard(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()
        self._old_after_full = 0
        self._checked_at = 0  # generation-2 count when its size was last looked at
        self.full_collections = 0

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def freeze_startup(self) -> None:
        """Collect once, then keep what survived out of every later collection."""
        gc.collect()
        gc.freeze()
        self._old_after_full = 0

    def collect_if_due(self) -> int:
        """Collect the oldest generation that is due (the rules of automatic collection)."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        if thresholds[2] and counts[2] > max(thresholds[2], self._checked_at + thresholds[2]):
            # Looking at generation 2's size costs ~2 ms per 100k objects: so not on every
            # tick, only after another ``threshold`` collections of generation 1.
            self._checked_at = counts[2]
            old = len(gc.get_objects(generation=2))
            if old > self._old_after_full * FULL_COLLECTION_GROWTH:
                found = gc.collect(2)
                self._old_after_full = len(gc.get_objects(generation=2))
                self._checked_at = 0
                self.full_collections += 1
                return found
        for generation in (1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0
