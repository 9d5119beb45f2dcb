"""Generated spans: where a completion (or a scored prompt) sits in the document.

A :class:`Span` follows its text through edits with two text cursors: the start moves
when text is typed before it, the end keeps its place when text is typed right after it,
so what the user types next to a completion is never taken for generated text. It knows
its own soft breaks (display-block boundaries that are not text, see
:mod:`app.core.document_text`) and the UTF-16 width of its text, so its token units map to
document positions in O(log n). Token data arrives at the end of a run
(:meth:`Span.set_units`, computed off the GUI thread by :func:`layout_units`).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from PySide6.QtGui import QTextCursor, QTextDocument

from app.core.document_text import utf16_offsets
from app.core.logprobs import TokenLogprob
from app.core.token_units import SLICE, TokenUnit

__all__ = ["COMPLETION", "SCORE", "Span", "SpanState", "UnitLayout", "layout_units"]

COMPLETION = "completion"
SCORE = "score"


@dataclass
class UnitLayout:
    """Units of a span with their positions relative to the span's start (document units).

    A finished run's layout keeps its token objects (alternatives for hover and forks);
    older completions are :meth:`compact`: only positions and probabilities stay, in flat
    arrays (a few bytes per token instead of a few hundred), and the tokens are read from
    the run's history record again when someone asks for its alternatives.
    """

    units: list[TokenUnit]
    tokens: list[TokenLogprob]
    starts: Sequence[int] = field(default_factory=list)
    ends: Sequence[int] = field(default_factory=list)
    probabilities: Sequence[float | None] = field(default_factory=list)

    @property
    def compacted(self) -> bool:
        return not self.units and bool(self.starts)

    def compact(self) -> None:
        """Keep what colouring needs; let the token objects go (in place: every undo
        snapshot that refers to this layout shrinks too)."""
        if self.compacted:
            return
        self.starts = array("i", self.starts)
        self.ends = array("i", self.ends)
        self.probabilities = array("f", (math.nan if p is None else p for p in self.probabilities))
        self.units = []
        self.tokens = []

    def probability(self, index: int) -> float | None:
        p = self.probabilities[index]
        return None if p is None or p != p else p


def _after_breaks(positions: list[int], offsets: list[int], soft: Sequence[int]) -> list[int]:
    """``positions[i]`` plus the number of soft breaks at or before ``offsets[i]`` (both in
    order): one C pass per stretch between two breaks, not a search per unit."""
    if not offsets:
        return []
    count = bisect_right(soft, offsets[0])
    stop = bisect_right(soft, offsets[-1])
    out: list[int] = []
    begin = 0
    for offset in soft[count:stop]:
        end = bisect_left(offsets, offset, begin)
        out += map(count.__add__, positions[begin:end])
        begin, count = end, count + 1
    out += map(count.__add__, positions[begin:])
    return out


def layout_units(
    text: str, units: Sequence[TokenUnit], tokens: Sequence[TokenLogprob], soft: Sequence[int]
) -> UnitLayout:
    """Relative document positions of ``units`` over ``text`` with soft breaks before the
    character offsets ``soft``. Pure Python: runs in a worker thread."""
    u16 = utf16_offsets(text)
    starts: list[int] = []
    ends: list[int] = []
    probabilities: list[float | None] = []
    # List-wise, a slice at a time (no C call holds the interpreter for long: this runs in
    # a worker while the GUI thread paints).
    for k in range(0, len(units), SLICE):
        chunk = units[k : k + SLICE]
        first = list(map(itemgetter(0), chunk))  # code points
        last = list(map(itemgetter(1), chunk))
        starts16 = first if u16 is None else list(map(u16.__getitem__, first))
        ends16 = last if u16 is None else list(map(u16.__getitem__, last))
        if soft:
            # A soft break counts once it comes before the unit's first (or last) character.
            inner = list(map(max, first, map((-1).__add__, last)))
            starts += _after_breaks(starts16, first, soft)
            ends += _after_breaks(ends16, inner, soft)
        else:
            starts += starts16
            ends += ends16
        logprobs = list(map(itemgetter(4), chunk))
        if None in logprobs:
            probabilities += [None if lp is None else math.exp(lp) for lp in logprobs]
        else:
            probabilities += map(math.exp, logprobs)
    return UnitLayout(list(units), list(tokens), starts, ends, probabilities)


class Span:
    """One generated (or scored) stretch of the document."""

    def __init__(
        self, document: QTextDocument, position: int, kind: str = COMPLETION, run: int = 0
    ) -> None:
        self.kind = kind
        #: Which run (and choice) produced it; the owner's numbering.
        self.run = run
        self.choice = 0
        self._start = QTextCursor(document)
        self._start.setPosition(position)
        self._end = QTextCursor(document)
        self._end.setPosition(position)
        self._end.setKeepPositionOnInsert(True)
        #: Character offsets (in the span's text) that a soft break precedes.
        self.soft: list[int] = []
        #: The span's text as generated (code points), while it is intact.
        self.parts: list[str] = []
        self._length = 0
        self.layout: UnitLayout | None = None
        #: Whether the generation is still running into it.
        self.open = True
        #: The history record of the run that wrote it (its tokens can be read again).
        self.record_id: int | None = None

    # -- where it is ----------------------------------------------------------------------

    @property
    def start(self) -> int:
        return self._start.position()

    @property
    def end(self) -> int:
        return self._end.position()

    def set_end(self, position: int) -> None:
        self._end.setPosition(position)

    def grow_on_insert(self, grow: bool) -> None:
        """While a completion is written: text inserted at the end becomes part of it (and
        the start of an empty span stays where it is)."""
        self._end.setKeepPositionOnInsert(not grow)
        self._start.setKeepPositionOnInsert(grow)

    def set_start(self, position: int) -> None:
        self._start.setPosition(position)

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    @property
    def length(self) -> int:
        """Characters of text (code points; soft breaks not counted)."""
        return self._length

    def appended(self, text: str, soft_offsets: Sequence[int] = ()) -> None:
        """Record ``text`` inserted at the end, with soft breaks at these text offsets
        (relative to ``text``)."""
        base = self._length
        self.soft.extend(base + o for o in soft_offsets)
        self.parts.append(text)
        self._length += len(text)

    def contains(self, position: int) -> bool:
        return self.start <= position < self.end

    # -- tokens ---------------------------------------------------------------------------

    def set_units(self, layout: UnitLayout | None) -> None:
        self.layout = layout

    def unit_at(self, position: int) -> int | None:
        """The unit covering document ``position``, or ``None``."""
        layout = self.layout
        if layout is None or not self.contains(position):
            return None
        rel = position - self.start
        k = bisect_right(layout.starts, rel) - 1
        if 0 <= k < len(layout.starts) and layout.starts[k] <= rel < layout.ends[k]:
            return k
        return None

    def unit_range(self, index: int) -> tuple[int, int]:
        """Document positions (start, end) of unit ``index``."""
        assert self.layout is not None
        return self.start + self.layout.starts[index], self.start + self.layout.ends[index]

    def units_in(self, first: int, last: int) -> range:
        """Indexes of the units overlapping document positions ``first:last``."""
        layout = self.layout
        if layout is None:
            return range(0)
        rel_first, rel_last = first - self.start, last - self.start
        k = max(0, bisect_right(layout.starts, rel_first) - 1)
        stop = bisect_right(layout.starts, rel_last)
        return range(k, min(stop, len(layout.starts)))

    def offset_of(self, position: int) -> int:
        """The character offset in the span's text of document ``position`` (inside it)."""
        rel = max(0, position - self.start)
        text = self.text
        u16 = utf16_offsets(text)
        # Undo the soft breaks first: each one before the position is one extra unit.
        count = 0
        for offset in self.soft:
            doc = (u16[offset] if u16 else offset) + count + 1
            if doc <= rel:
                count += 1
            else:
                break
        rel16 = rel - count
        if u16 is None:
            return min(rel16, len(text))
        return min(bisect_right(u16, rel16) - 1, len(text))


@dataclass
class SpanState:
    """A span as it was (for undo and redo): positions, text record and units."""

    kind: str
    run: int
    choice: int
    start: int
    end: int
    soft: list[int]
    parts: list[str]
    length: int
    layout: UnitLayout | None
    open: bool
    record_id: int | None = None
    #: The span object itself: restoring puts it back (those who hold it keep it).
    origin: Span | None = None

    @classmethod
    def of(cls, span: Span) -> SpanState:
        return cls(span.kind, span.run, span.choice, span.start, span.end, list(span.soft),
                   list(span.parts), span.length, span.layout, span.open, span.record_id,
                   span)  # fmt: skip

    def make(self, document: QTextDocument) -> Span:
        span = self.origin if self.origin is not None else Span(document, 0, self.kind)
        span.kind, span.run = self.kind, self.run
        span.set_start(self.start)
        span.set_end(self.end)
        span.choice = self.choice
        span.soft, span.parts, span._length = list(self.soft), list(self.parts), self.length
        span.layout, span.open, span.record_id = self.layout, self.open, self.record_id
        return span
