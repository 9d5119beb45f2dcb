"""An incremental, tolerant Server-Sent Events decoder over raw bytes.

Real servers and relays send ``data:`` with or without a space, LF, CRLF or lone CR line
ends, ``:`` keep-alive comments, events split at any byte (even inside a multi-byte UTF-8
character) and sometimes an unterminated last event. httpx-sse 0.4.3 rejects bodies whose
content type is not ``text/event-stream`` and drops an unterminated last event, so this
small decoder is used instead. Lines are split on bytes and decoded whole, so a character
split across network reads is never damaged.

The work is linear in the input: each read is searched once for line ends and blank
lines, and the unfinished event is kept in a ``bytearray`` that is only appended to, never
searched again. A blank line or a CR/LF pair that straddles two reads is recognised from
one byte of state. One event may hold at most ``max_event_bytes`` (64 MiB by default);
beyond that :class:`SSEEventTooLarge` is raised instead of growing without bound.

:meth:`SSEDecoder.feed_run` is the streaming client's hot path: a read whose events are all
single ``data:`` lines (what completion servers send) is split with a few whole-read
searches, and its payloads are handed over undecoded, so the client can decode and parse
many at once instead of going event by event.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DEFAULT_MAX_EVENT_BYTES", "SSEDataRun", "SSEDecoder", "SSEEvent", "SSEEventTooLarge"]

_BOM = b"\xef\xbb\xbf"
_new = tuple.__new__
_LF = 10  # b"\n"[0]
_CR = 13  # b"\r"[0]
_SMALL = 64 * 1024  # a pending event shorter than this is cheaper to copy than to decode in place

#: Default cap on one event's size (see :class:`SSEDecoder`).
DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024


class SSEEvent(NamedTuple):
    """One dispatched event: its joined ``data`` lines, and ``event``/``id`` when present."""

    data: str
    event: str | None = None
    id: str | None = None


class SSEDataRun:
    """The events one read completed, when each is a single ``data:`` line: their payloads.

    ``payloads`` are the bytes after ``data: ``, not yet decoded; ``id`` is the stream's
    last event id. :meth:`events` gives what :meth:`SSEDecoder.feed` would have returned.
    """

    __slots__ = ("id", "payloads")

    def __init__(self, payloads: list[bytes], id: str | None = None) -> None:
        self.payloads = payloads
        self.id = id

    def __len__(self) -> int:
        return len(self.payloads)

    def events(self) -> list[SSEEvent]:
        event_id = self.id
        return [
            _new(SSEEvent, (payload.decode("utf-8", "replace"), None, event_id))
            for payload in self.payloads
        ]


class SSEEventTooLarge(ValueError):
    """One event (complete or still arriving) is larger than ``max_event_bytes``.

    ``size`` is how many bytes the event had reached (at least ``limit + 1``) and
    ``limit`` the decoder's cap. The decoder drops the oversized event before raising
    and should not be fed the rest of that body.
    """

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"a server-sent event is larger than the {limit:,}-byte limit "
            f"(it reached {size:,} bytes before its end)"
        )
        self.size = size
        self.limit = limit


class SSEDecoder:
    """Feed bytes with :meth:`feed`, get complete events; call :meth:`flush` at end of body.

    ``max_event_bytes`` caps one event: its lines with their line ends (normalised to a
    single LF) but without the blank line that ends it. When an event, complete or still
    pending, exceeds it, :meth:`feed` raises :class:`SSEEventTooLarge` (a ``ValueError``).
    The check is the same however the body is split into reads.
    """

    __slots__ = (
        "_cr",
        "_data",
        "_event",
        "_head",
        "_id",
        "_pending",
        "_started",
        "comments",
        "max_event_bytes",
        "scanned_bytes",
    )

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        if max_event_bytes < 1:
            raise ValueError(f"max_event_bytes must be positive, not {max_event_bytes!r}")
        self.max_event_bytes = max_event_bytes
        # The unfinished event, line ends already normalised to LF; only ever appended to.
        self._pending = bytearray()
        # Up to two bytes at the very start that may yet become a BOM.
        self._head = b""
        # The last byte fed was a CR (already taken as a line end): skip an LF after it.
        self._cr = False
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._started = False
        #: Count of ``:`` comment lines seen (keep-alives); useful for diagnostics.
        self.comments = 0
        #: Bytes searched for line ends and event boundaries, for tests and diagnostics:
        #: every fed byte is searched once, so this stays close to the input's size.
        self.scanned_bytes = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode one read; returns the events it completed (possibly none)."""
        chunk = self._normalised(chunk)
        return self._events(chunk) if chunk else []

    def feed_run(self, chunk: bytes) -> list[SSEEvent] | SSEDataRun:
        """:meth:`feed`, but the usual read comes back undecoded, as an :class:`SSEDataRun`.

        When every event the read completes is one ``data:`` line and nothing else (what
        completion servers send), the result is their payloads, still bytes, found with a
        few whole-read searches instead of event by event. Otherwise, or when the read
        completes no event, it is exactly what :meth:`feed` returns. Same state, same
        limits: the two may be mixed freely.
        """
        chunk = self._normalised(chunk)
        if not chunk:
            return []
        pending = self._pending
        end = chunk.rfind(b"\n\n")
        limit = self.max_event_bytes
        if (
            end < 0
            or len(chunk) > limit
            or len(pending) >= _SMALL  # a long event is decoded in place by _events
            or (pending and chunk[0] == _LF and pending[-1] == _LF)
        ):
            return self._events(chunk)
        region = bytes(pending) + chunk[:end] if pending else chunk[:end]
        if len(region) > limit or not region.startswith(b"data: "):
            return self._events(chunk)
        payloads = region[6:].split(b"\n\ndata: ")
        if region.count(b"\n") != 2 * (len(payloads) - 1):
            # Some event has another line (event:, id:, a comment) or a blank line more.
            return self._events(chunk)
        pending.clear()
        pending += chunk[end + 2 :]
        return SSEDataRun(payloads, self._id)

    def _normalised(self, chunk: bytes) -> bytes:
        """The read with a BOM or a CRLF split across reads handled and line ends as LF."""
        if self._cr or not self._started:
            chunk = self._start(chunk)
        if not chunk:
            return b""
        self.scanned_bytes += len(chunk)
        if b"\r" in chunk:
            self._cr = chunk[-1] == _CR
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return chunk

    def _events(self, chunk: bytes) -> list[SSEEvent]:
        """The events that a non-empty, normalised read completes."""
        pending = self._pending
        limit = self.max_event_bytes
        events: list[SSEEvent] = []
        if pending and chunk[0] == _LF and pending[-1] == _LF:
            # A blank line straddling two reads ends the pending event.
            del pending[-1]
            self._take_pending(events)
            chunk = chunk[1:]
            if not chunk:
                return events
        # Events end at a blank line. Complete events are decoded now; the unfinished
        # rest stays raw in the pending buffer until more bytes (or flush) arrive.
        parts = chunk.split(b"\n\n")
        rest = parts.pop()
        if not parts:
            # Still inside one event (split gave back the chunk itself, uncopied): keep
            # the bytes, search them never again.
            pending += rest
            size = len(pending) - (rest[-1] == _LF)
            if size > limit:
                pending.clear()
                raise SSEEventTooLarge(size, limit)
            return events
        if pending and (size := len(pending) + len(parts[0])) > limit:
            pending.clear()
            raise SSEEventTooLarge(size, limit)
        if len(chunk) > limit:  # only then can a later part, or the rest, be too large
            for part in parts:
                if len(part) > limit:
                    raise SSEEventTooLarge(len(part), limit)
            if rest and (size := len(rest) - (rest[-1] == _LF)) > limit:
                raise SSEEventTooLarge(size, limit)
        if pending:
            pending += parts[0]
            if len(pending) < _SMALL:
                # The first part completes a small pending event: decode it with the rest.
                parts[0] = bytes(pending)
                pending.clear()
            else:
                # A long one is decoded in place rather than copied first.
                self._take_pending(events)
                del parts[0]
        for part in parts:
            if part.startswith(b"data: ") and b"\n" not in part:
                # The usual event, a single "data: ..." line: no need to go line by line
                # (tuple.__new__ skips the NamedTuple's Python-level __new__).
                events.append(_new(SSEEvent, (part[6:].decode("utf-8", "replace"), None, self._id)))
            elif part:
                self._part(part, events)
        if rest:
            pending += rest
        return events

    def _start(self, chunk: bytes) -> bytes:
        """The rare cases at the start of a read: a possible BOM, an LF after a CR."""
        if not self._started:
            chunk = self._head + chunk
            if len(chunk) < 3 and _BOM.startswith(chunk):
                self._head = chunk
                return b""
            self._started = True
            self._head = b""
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        if self._cr and chunk:
            # The previous read ended with a CR, already taken as a line end: an LF
            # starting this read completes that CRLF and is not a second line end.
            self._cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        return chunk

    def flush(self) -> list[SSEEvent]:
        """End of body: dispatch a pending event even if its blank line never came."""
        events: list[SSEEvent] = []
        self._head = b""  # an unfinished BOM prefix alone is no event
        self._cr = False
        self._take_pending(events)
        return events

    def _take_pending(self, events: list[SSEEvent]) -> None:
        """Dispatch the pending buffer as one complete event and empty it.

        A long single ``data:`` line is decoded straight from the buffer (deleting a
        bytearray's first bytes is O(1)), without copying it to ``bytes`` first.
        """
        pending = self._pending
        if pending.startswith(b"data: ") and b"\n" not in pending:
            del pending[:6]
            events.append(_new(SSEEvent, (pending.decode("utf-8", "replace"), None, self._id)))
        elif pending:
            self._part(bytes(pending), events)
        pending.clear()

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
