"""The writing surface's text rules, without Qt: what a run sends, and how long lines are cut.

:func:`plan_prompt` decides what Run sends from the document: the whole text (the
completion is appended at the end), or, in insertion mode, the text before the cursor as
the prompt and the text after it as ``suffix`` when the server kind takes one.

A text engine lays a paragraph out again whenever it changes, so one ever-growing
paragraph makes streaming quadratic (100k tokens without a newline took 13 s, 500k took
346 s). The document therefore holds a long paragraph as several display blocks joined by
*soft breaks* that are not part of the text: :func:`soft_pieces` says where to cut
(after a space near the limit when there is one), so the cost of an insertion stays
bounded by :data:`SOFT_LIMIT` however long the paragraph grows.
"""

from __future__ import annotations

from itertools import accumulate
from typing import NamedTuple

from app.core import parameters as registry

__all__ = [
    "SOFT_LIMIT",
    "PromptPlan",
    "plan_prompt",
    "soft_pieces",
    "utf16_len",
    "utf16_offsets",
]

#: Characters in one display block at most (a soft break follows).
SOFT_LIMIT = 2048
#: How far back from the limit a space is looked for, to cut between words.
_WORD_BACKTRACK = 160


def soft_pieces(text: str, room: int, limit: int = SOFT_LIMIT) -> list[str]:
    """``text`` (no newlines) cut into pieces: the first fits in ``room`` characters (what
    is left of the current block), the others in ``limit``; cut after a space if one is
    near. Joining the pieces gives ``text`` back.
    """
    pieces: list[str] = []
    start = 0
    space = max(0, room)
    n = len(text)
    while n - start > space:
        cut = start + space
        if space > _WORD_BACKTRACK:
            found = text.rfind(" ", cut - _WORD_BACKTRACK, cut)
            if found != -1:
                cut = found + 1
        if cut == start and space == 0:
            pieces.append("")  # the current block is full: break before anything
        else:
            pieces.append(text[start:cut])
            start = cut
        space = limit
    pieces.append(text[start:])
    return pieces


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (what Qt's positions count)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 offset of every character boundary, or ``None`` when they equal the indexes."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    return [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]


class PromptPlan(NamedTuple):
    """What a run sends and where its completion goes (character offsets in the text)."""

    prompt: str
    suffix: str | None
    #: Where the completion is inserted.
    insert_at: int
    #: The text after the cursor was left out (insertion asked, the server takes no suffix).
    suffix_dropped: bool = False


def plan_prompt(text: str, cursor: int, *, insert: bool, server_kind: str | None) -> PromptPlan:
    """The prompt for a run on ``text``.

    Not inserting: the whole text, continued at its end. Inserting at ``cursor``: the text
    before it, continued there, with the text after it as ``suffix`` when the server kind
    takes one (otherwise the text after it is not sent, and the plan says so).
    """
    if not insert or cursor >= len(text):
        return PromptPlan(text, None, len(text))
    cursor = max(0, cursor)
    before, after = text[:cursor], text[cursor:]
    suffix_param = registry.get("suffix")
    takes_suffix = suffix_param is not None and suffix_param.accepted_by(server_kind)
    if takes_suffix:
        return PromptPlan(before, after or None, cursor)
    return PromptPlan(before, None, cursor, suffix_dropped=bool(after))
