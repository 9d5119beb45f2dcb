"""An incremental, tolerant Server-Sent Events decoder over raw bytes.

Real servers and relays send ``data:`` with or without a space, LF, CRLF or lone CR line
ends, ``:`` keep-alive comments, events split at any byte (even inside a multi-byte UTF-8
character) and sometimes an unterminated last event. httpx-sse 0.4.3 rejects bodies whose
content type is not ``text/event-stream`` and drops an unterminated last event, so this
small decoder is used instead. Lines are split on bytes and decoded whole, so a character
split across network reads is never damaged.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SSEDecoder", "SSEEvent"]

_BOM = b"\xef\xbb\xbf"
_new = tuple.__new__


class SSEEvent(NamedTuple):
    """One dispatched event: its joined ``data`` lines, and ``event``/``id`` when present."""

    data: str
    event: str | None = None
    id: str | None = None


class SSEDecoder:
    """Feed bytes with :meth:`feed`, get complete events; call :meth:`flush` at end of body."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_started", "comments")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._started = False
        #: Count of ``:`` comment lines seen (keep-alives); useful for diagnostics.
        self.comments = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        if not chunk:
            return []
        buffer = self._buffer + chunk
        if not self._started:
            if len(buffer) < 3 and _BOM.startswith(buffer):
                self._buffer = buffer
                return []
            self._started = True
            if buffer.startswith(_BOM):
                buffer = buffer[3:]
        if b"\r" in buffer:
            # Keep a trailing CR: its LF may arrive in the next chunk.
            hold = buffer.endswith(b"\r")
            if hold:
                buffer = buffer[:-1]
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if hold:
                buffer += b"\r"
        # Events end at a blank line. Complete events are decoded now; the unfinished
        # rest stays raw in the buffer until more bytes (or flush) arrive.
        parts = buffer.split(b"\n\n")
        self._buffer = parts.pop()
        events: list[SSEEvent] = []
        for part in parts:
            if part.startswith(b"data: ") and b"\n" not in part:
                # The usual event, a single "data: ..." line: no need to go line by line
                # (tuple.__new__ skips the NamedTuple's Python-level __new__).
                events.append(_new(SSEEvent, (part[6:].decode("utf-8", "replace"), None, self._id)))
            elif part:
                self._part(part, events)
        return events

    def flush(self) -> list[SSEEvent]:
        """End of body: dispatch a pending event even if its blank line never came."""
        events: list[SSEEvent] = []
        rest = self._buffer.rstrip(b"\r")
        self._buffer = b""
        if rest:
            self._part(rest.replace(b"\r", b"\n"), events)
        return events

    def _part(self, part: bytes, events: list[SSEEvent]) -> None:
        """One event's lines, then the blank line that dispatches it."""
        for line in part.split(b"\n"):
            self._line(line, events)
        self._line(b"", events)

    def _line(self, line: bytes, events: list[SSEEvent]) -> None:
        if not line:
            if self._data:
                events.append(SSEEvent("\n".join(self._data), self._event, self._id))
                self._data.clear()
            self._event = None
            return
        if line[0] == 58:  # b":"
            self.comments += 1
            return
        name, sep, value = line.partition(b":")
        if sep and value[:1] == b" ":
            value = value[1:]
        text = value.decode("utf-8", errors="replace")
        if name == b"data":
            self._data.append(text)
        elif name == b"event":
            self._event = text
        elif name == b"id":
            self._id = text
        # "retry" and unknown fields are ignored, as the SSE specification says.
