"""Line tokens up with the text they produced, as units a view can colour and a user can click.

A token usually is a piece of the text. A multi-byte character (Chinese, emoji) is often
split over several tokens that are not text on their own (``"bytes:\\xe4\\xbd"``, or
U+FFFD replacement characters): those tokens are grouped into one unit covering the
character(s) they make together, with their probabilities multiplied. :func:`align` never
fails: what cannot be matched is covered by the last unit, or left without a unit.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import partial
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from app.core.logprobs import TokenLogprob

__all__ = ["TokenUnit", "UnitIndex", "align"]

_LOOKAHEAD_TOKENS = 8
_CHARS_PER_TOKEN = 4
#: Tokens handled per C call when counting a run at once (~1 ms each).
SLICE = 4096


class TokenUnit(NamedTuple):
    """Characters ``start:end`` of the text, produced by tokens ``first:last`` (exclusive)."""

    start: int
    end: int
    first: int
    last: int
    logprob: float | None

    @property
    def probability(self) -> float | None:
        return None if self.logprob is None else math.exp(self.logprob)

    @property
    def size(self) -> int:
        return self.last - self.first


_new_unit = partial(tuple.__new__, TokenUnit)


def _joint(tokens: Sequence[TokenLogprob], first: int, last: int) -> float | None:
    total = 0.0
    for token in tokens[first:last]:
        if token.logprob is None:
            return None
        total += token.logprob
    return total


def _find_next(text: str, tokens: Sequence[TokenLogprob], pos: int, i: int) -> tuple[int, int]:
    """Where matching resumes after unmatched tokens from ``i``: (token index, text position).

    Returns ``(len(tokens), len(text))`` when the rest of the text is short enough to be
    the unmatched tokens' own, and ``(-1, -1)`` when nothing fits.
    """
    n = len(tokens)
    for j in range(i + 1, min(n, i + _LOOKAHEAD_TOKENS) + 1):
        reach = pos + _CHARS_PER_TOKEN * (j - i)
        if j == n:
            return (n, len(text)) if len(text) - pos <= reach - pos else (-1, -1)
        candidate = tokens[j].token
        if not candidate or "\ufffd" in candidate or candidate.startswith("bytes:"):
            continue
        found = text.find(candidate, pos + 1 if pos < len(text) else pos, reach + len(candidate))
        if found != -1:
            return j, found
    return -1, -1


def _whole_tokens(text: str, tokens: Sequence[TokenLogprob]) -> list[TokenUnit] | None:
    """The units when every token is its own piece of the text, in order (the usual run),
    or ``None``. Counted in C a slice at a time: a 100k-token run in ~60 ms instead of
    ~110 ms token by token, and no single C call holds the interpreter for more than ~1 ms
    (this runs in a worker while the GUI thread paints)."""
    units: list[TokenUnit] = []
    pos = 0
    for first in range(0, len(tokens), SLICE):
        chunk = tokens[first : first + SLICE]
        strings = list(map(itemgetter(0), chunk))
        if not all(strings) or not text.startswith("".join(strings), pos):
            return None
        ends = list(accumulate(map(len, strings), initial=pos))
        last = first + len(chunk)
        starts = ends[:-1]
        del ends[0]
        pieces = zip(starts, ends, range(first, last), range(first + 1, last + 1),
                     map(itemgetter(1), chunk), strict=True)  # fmt: skip
        units += map(_new_unit, pieces)
        pos = ends[-1]
    return units if pos == len(text) else None


def align(text: str, tokens: Sequence[TokenLogprob]) -> list[TokenUnit]:
    """Units covering ``text`` in order, one per token or per group of byte tokens."""
    whole = _whole_tokens(text, tokens)
    if whole is not None:
        return whole
    units: list[TokenUnit] = []
    pos = i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i].token
        if token and text.startswith(token, pos):
            end = pos + len(token)
            units.append(TokenUnit(pos, end, i, i + 1, tokens[i].logprob))
            pos, i = end, i + 1
            continue
        if not token:
            i += 1
            continue
        j, resume = _find_next(text, tokens, pos, i)
        if j == -1:
            break
        if resume > pos:
            units.append(TokenUnit(pos, resume, i, j, _joint(tokens, i, j)))
        pos, i = resume, j
    return units


class UnitIndex:
    """Finds the unit at a character position in O(log n)."""

    def __init__(self, units: Sequence[TokenUnit]) -> None:
        self.units = list(units)
        self._starts = [u.start for u in self.units]

    def at(self, position: int) -> int | None:
        """Index of the unit containing character ``position``, or ``None``."""
        k = bisect_right(self._starts, position) - 1
        if k < 0:
            return None
        unit = self.units[k]
        return k if unit.start <= position < unit.end else None

    def __len__(self) -> int:
        return len(self.units)
