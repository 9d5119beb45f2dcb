"""Run Python's cyclic garbage collector on the GUI thread only (as qutebrowser does).

Automatic collection runs in whatever thread happens to allocate; if that is a worker
thread (DNS look-ups, executors) and the garbage holds a QObject with timers, Qt destroys
it in the wrong thread ("Timers cannot be stopped from another thread") and may crash.
:class:`GCGuard` disables automatic collection and collects from a timer on the GUI thread.

A full (generation 2) collection walks every tracked object, 45 ms for a freshly opened
window here and more after long sessions, which is a visible stall while streaming.  So:

* everything alive once the first frame is up (modules, classes, the window) is moved out
  of the collector's way with :func:`gc.freeze` (it lives for the whole session anyway),
  and until then nothing is collected (the app starts with the collector off: walking what
  the imports make ~80 times cost ~20 ms of the start-up);
* generation 2 is collected only when it has grown by a quarter since the last full
  collection, the same rule CPython applies to automatic collection, and never while a run
  streams (:meth:`GCGuard.hold`): a 100k-token run with logprobs keeps ~a million token
  objects, and walking them cost 1–5 s of stalls;
* while a run streams nothing is collected (the passes found nothing to free and cost
  30–80 ms each); when the run ends what it left is frozen as it is, and the frozen
  objects get a full collection of their own only while the window is in the background
  (the application is not active), where a pause is not seen. So cycles that die later
  are still freed, and memory stays bounded;
* large blocks get pages of their own (from the first run on) and a settled run's free
  heap pages go back to the system (:mod:`app.core.heap`, loaded then: ``ctypes`` is not
  needed for the first frame), so what a run copies is not kept after it.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

__all__ = ["GCGuard"]

#: Generation 2 is collected once it holds this much more than after the last full pass.
FULL_COLLECTION_GROWTH = 1.25
#: After a run, how long at most its aftermath (token layout, history) is left alone.
QUIET_AFTER_RUN_S = 20.0


class GCGuard(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()
        self._old_after_full = 0
        self._checked_at = 0  # generation-2 count when its size was last looked at
        self._held = 0
        self._quiet_until = 0.0
        self._frozen_after_deep = 0
        self._until_frozen = False
        self.full_collections = 0
        self.deep_collections = 0

    def start(self, *, frozen_later: bool = False) -> None:
        """Collect from the timer from now on (``frozen_later``: not before
        :meth:`freeze_startup`, which the caller has scheduled)."""
        self._until_frozen = frozen_later
        gc.disable()
        self._timer.start()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state)

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def freeze_startup(self) -> None:
        """Collect once, then keep what survived out of every later collection."""
        gc.collect()
        gc.freeze()
        self._old_after_full = 0
        self._frozen_after_deep = gc.get_freeze_count()
        self._until_frozen = False

    def hold(self, *_: object) -> None:
        """A run started: no full collection until it ends (young ones go on)."""
        from app.core import heap

        heap.keep_large_blocks_apart()  # before the run's large blocks (idempotent)
        self._held += 1

    def release(self, *_: object) -> None:
        """A run ended: freeze what it left, at once (collecting it first would walk every
        object the run made; cycles among them wait for :meth:`collect_deep`). What comes
        right after (its tokens laid out in a worker thread) is left alone too until
        :meth:`settled` or for :data:`QUIET_AFTER_RUN_S`."""
        self._held = max(0, self._held - 1)
        if not self._held:
            gc.freeze()
            self._quiet_until = time.monotonic() + QUIET_AFTER_RUN_S

    def settled(self, *_: object) -> None:
        """The run's aftermath is done (its tokens are in the document): freeze that too."""
        if not self._held and self._quiet_until:
            gc.freeze()
            self._quiet_until = 0.0
            from app.core import heap

            heap.release_free_memory()

    def collect_deep(self) -> int:
        """Everything, the frozen objects too (then frozen again)."""
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        self._frozen_after_deep = gc.get_freeze_count()
        self._old_after_full = 0
        self.deep_collections += 1
        return found

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive or self._held:
            return
        if gc.get_freeze_count() > self._frozen_after_deep * FULL_COLLECTION_GROWTH:
            self.collect_deep()

    def collect_if_due(self) -> int:
        """Collect the oldest generation that is due (the rules of automatic collection)."""
        if self._until_frozen:
            return 0  # start-up's objects: collected once, by freeze_startup
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        due = counts[2] > max(thresholds[2], self._checked_at + thresholds[2])
        if thresholds[2] and not self._held and due:
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
        if self._quiet_until and time.monotonic() >= self._quiet_until:
            self._quiet_until = 0.0
        if self._held or self._quiet_until:
            # While a run streams nothing is collected: what it makes is what it keeps (the
            # passes found nothing to free, and cost 30-80 ms each), frozen when it ends.
            # A run is bounded by the output limit, so this is bounded too.
            return 0
        for generation in (1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0
