"""Streamed text, handed to the views a frame at a time (one place for the pace).

The document (through :class:`app.ui.runs.controller.RunController`) and the Compare
window's columns get what streamed in since the last frame as one ``frame`` signal: never
one edit per token, never more than a frame's worth at once (a burst, a whole
non-streamed answer), and under a flood less often with more in each (see
:data:`FLOOD_CHARS`). The views that follow the controller's frames ("Choices side by
side") keep this pace without a timer of their own.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.events import ChoiceDelta, Event

__all__ = [
    "FLOOD_CHARS",
    "FLOOD_FRAME_MS",
    "FLOOD_LINES",
    "FRAME_CHARS",
    "FRAME_LINES",
    "FRAME_MS",
    "Frames",
]

#: Text is handed to the views at most once per frame.
FRAME_MS = 16
#: …and at most this much of it per choice (the rest waits for the next frame), so that a
#: backlog (a burst from the server, a whole non-streamed answer) never becomes one long
#: frame: writing a line costs the document about 3 µs, a character far less.
FRAME_CHARS = 32_768
FRAME_LINES = 2_000
#: A flood: a frame that carried more than this (64,000 characters a second, far more than
#: anyone reads while it streams; a fast local model's 1,000 tokens a second are ~80
#: characters a frame). Then the next frames come every :data:`FLOOD_FRAME_MS` (20 a
#: second), each with up to that many times more text: a frame costs the GUI thread ~3 ms
#: of writing and ~5 ms of painting however little it carries, time the stream's reading
#: gets instead. The first frame with less goes back to :data:`FRAME_MS`.
FLOOD_CHARS = 1_024
FLOOD_LINES = 60
FLOOD_FRAME_MS = 50


def _take(parts: deque[str], scale: float = 1.0) -> str:
    """Up to a frame's worth of text (``scale`` times :data:`FRAME_CHARS` and
    :data:`FRAME_LINES`) from the front of ``parts`` (a part may be cut)."""
    chars, line_cap = int(FRAME_CHARS * scale), int(FRAME_LINES * scale)
    if sum(map(len, parts)) <= chars:  # the usual frame: all of it, counted in C
        text = "".join(parts)
        if text.count("\n") <= line_cap:
            parts.clear()
            return text
    out: list[str] = []
    room, lines = chars, line_cap
    while parts and room > 0 and lines > 0:
        part = parts.popleft()
        if len(part) > room or part.count("\n") > lines:
            cut = room
            newline = -1
            for _ in range(lines):  # after the last newline that still fits
                newline = part.find("\n", newline + 1, cut)
                if newline == -1:
                    break
            else:
                cut = newline + 1
            cut = max(1, min(cut, len(part)))
            part, rest = part[:cut], part[cut:]
            if rest:
                parts.appendleft(rest)
        out.append(part)
        room -= len(part)
        lines -= part.count("\n")
    return "".join(out)


class Frames(QObject):
    """Text per index (a choice, a column) that waits for the next frame."""

    #: The text of each index since the last frame: dict[int, str].
    frame = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, deque[str]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.flush)
        #: Frames that carried text since :meth:`reset` (tests check it is bounded).
        self.count = 0

    @property
    def interval(self) -> int:
        """Milliseconds between frames now: :data:`FRAME_MS`, or :data:`FLOOD_FRAME_MS`."""
        return self._timer.interval()

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def reset(self) -> None:
        """Drop what waits and start over at the usual pace (a new run)."""
        self._pending.clear()
        self._timer.stop()
        self._timer.setInterval(FRAME_MS)
        self.count = 0

    def add(self, index: int, text: str) -> None:
        parts = self._pending.get(index)
        if parts is None:
            self._pending[index] = deque((text,))
        else:
            parts.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def add_batch(self, batch: list[Event]) -> None:
        """The text of every :class:`ChoiceDelta` in ``batch`` (one network read's events;
        the hot path of a stream, so the loop is here rather than per :meth:`add`)."""
        pending = self._pending
        for event in batch:
            if type(event) is ChoiceDelta and event.text:
                parts = pending.get(event.index)
                if parts is None:
                    pending[event.index] = deque((event.text,))
                else:
                    parts.append(event.text)
        if pending and not self._timer.isActive():
            self._timer.start()

    def discard(self, index: int) -> None:
        """Drop what waits for ``index`` (its view is about to show the whole text)."""
        self._pending.pop(index, None)

    def flush(self) -> None:
        """Emit one frame: at most :data:`FRAME_CHARS` characters or :data:`FRAME_LINES`
        lines per index (as many times more as the interval is longer under a flood), and
        set the next frame's interval from what this one carried."""
        if not self._pending:
            self._timer.stop()
            return
        texts = {}
        scale = self._timer.interval() / FRAME_MS
        for index, parts in list(self._pending.items()):
            texts[index] = _take(parts, scale)
            if not parts:
                del self._pending[index]
        self.count += 1
        flood = any(len(t) > FLOOD_CHARS or t.count("\n") > FLOOD_LINES for t in texts.values())
        self._timer.setInterval(FLOOD_FRAME_MS if flood else FRAME_MS)
        self.frame.emit(texts)

    async def drain(self) -> None:
        """Emit what still waits, a frame at a time at the current pace. The last frame
        gets an event-loop turn of its own before this returns (what the caller does next
        does not share a turn with writing and painting it)."""
        import asyncio

        if not self._pending:
            return
        self.flush()
        while self._pending:
            await asyncio.sleep(self._timer.interval() / 1000)
            self.flush()
        await asyncio.sleep(0)

    def flush_all(self) -> None:
        """Emit everything that waits now, in as many frames as the caps need (a run
        cancelled while its last frames go in)."""
        while self._pending:
            self.flush()

    def stop(self) -> None:
        self._timer.stop()
