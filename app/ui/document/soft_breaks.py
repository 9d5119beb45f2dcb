"""Where the document's soft breaks are, without walking its blocks.

A soft break is a block boundary that is not a newline of the text (see
:mod:`app.core.document_text`): the block after it carries the :data:`SOFT_BREAK` block
property. Asking every block whether it is soft costs ~2.5 µs a block in Python, a quarter
of a second per keystroke in a 100,000-line document, so :class:`SoftBreaks` keeps a text
cursor at the start of each soft block instead. Qt moves cursors with every edit (in C++).
A soft break can only go with removed text, and a cursor whose break was removed lands
where the text was removed: so only the cursors found at a removal's position are checked
(the next time the positions are asked for) and dropped if their block is no longer soft.
After an edit by the user (typing, paste, undo) only the changed stretch is looked at for
new soft blocks. The work is proportional to the number of soft breaks (long paragraphs /
2,048 characters) and to the size of an edit, never to the length of the document; asking
Qt about a block is left for the few cursors that need it (such calls let other Python
threads run, and while one computes each of them waits for it).

With the positions known, the text comes from Qt in one piece (``QTextDocument.toRawText``
or a cursor's selection, both in C++) and the soft breaks' separators are cut out of it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TypeVar

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat

from app.core.document_text import utf16_len

__all__ = ["CARRIAGE_RETURN", "PARAGRAPH_SEPARATOR", "SOFT_BREAK", "SoftBreaks", "is_soft"]

#: Block format property: the boundary before this block is a soft break, not a newline.
SOFT_BREAK = int(QTextFormat.Property.UserProperty) + 1
#: What Qt puts between blocks in raw text and selections.
PARAGRAPH_SEPARATOR = "\u2029"
#: How the document holds a carriage return ("\r", as in a model's "\r\n"): Qt would make
#: it a line break of its own (one "\r\n" two of them, and the next Run would send
#: "\n\n"). "␍" is one UTF-16 unit like "\r", so every position and length stays.
CARRIAGE_RETURN = "\u240d"

_Seq = TypeVar("_Seq", str, bytes)


def _join_between(data: _Seq, cuts: list[int], width: int = 1) -> _Seq:
    """``data`` without the item of ``width`` at each offset in ``cuts`` (ascending)."""
    parts = []
    start = 0
    for cut in cuts:
        parts.append(data[start:cut])
        start = cut + width
    parts.append(data[start:])
    return data[:0].join(parts)


def is_soft(block: QTextBlock) -> bool:
    return bool(block.blockFormat().boolProperty(SOFT_BREAK))


class SoftBreaks:
    """The document positions of the soft blocks' starts, kept up to date through edits."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._cursors: list[QTextCursor] = []
        #: Indexes (in ``_cursors``) of the cursors found where text was removed.
        self._suspects: set[int] = set()
        self._cache: tuple[int, list[int]] | None = None  # (document revision, positions)
        # Connected before anyone else can ask for the positions after an edit (the
        # editor's own handlers are connected after this object is made).
        document.contentsChange.connect(self._on_change)

    def _on_change(self, position: int, removed: int, _added: int) -> None:
        if removed:
            for index, cursor in enumerate(self._cursors):
                if cursor.position() == position:
                    self._suspects.add(index)

    def add(self, position: int) -> None:
        """A soft block now starts at ``position`` (just inserted)."""
        cursor = QTextCursor(self._document)
        cursor.setPosition(position)
        # Text written at the block's start (a completion continuing into an empty soft
        # block) goes after the cursor, which stays at the start.
        cursor.setKeepPositionOnInsert(True)
        self._cursors.append(cursor)
        self._cache = None

    def rescan(self, first: int, last: int) -> None:
        """The user changed positions ``first:last`` (typing, paste, undo): soft blocks that
        came back there (an undone deletion) are tracked again, and the cursors there are
        checked again (an undone deletion puts back the block that a soft block's cursor
        had moved into: an insertion, which does not move that cursor off its start)."""
        document = self._document
        for index, cursor in enumerate(self._cursors):
            if first <= cursor.position() <= last:
                self._suspects.add(index)
        self._cache = None
        known = set(self.positions())
        block = document.findBlock(first)
        while block.isValid() and block.position() <= last:
            position = block.position()
            if position > 0 and position not in known and is_soft(block):
                self.add(position)
            block = block.next()

    def positions(self) -> list[int]:
        """Sorted positions of the soft blocks' starts."""
        revision = self._document.revision()
        if self._cache is not None and self._cache[0] == revision:
            return self._cache[1]
        document = self._document
        suspects, self._suspects = self._suspects, set()
        alive: dict[int, QTextCursor] = {}
        for index, cursor in enumerate(self._cursors):
            position = cursor.position()
            if position <= 0 or position in alive:
                continue
            if index in suspects:
                block = document.findBlock(position)
                if block.position() != position or not is_soft(block):
                    continue
            alive[position] = cursor
        self._cursors = list(alive.values())
        positions = sorted(alive)
        self._cache = (revision, positions)
        return positions

    def __len__(self) -> int:
        return len(self.positions())

    def clear(self) -> None:
        self._cursors.clear()
        self._suspects.clear()
        self._cache = None

    # -- text ------------------------------------------------------------------------------------

    def text(self) -> str:
        """The whole text, soft breaks left out."""
        raw = self._document.toRawText()
        return self._cut(raw, 0, self.positions())

    def text_between(self, first: int, last: int) -> str:
        """Text between document positions ``first`` and ``last``, soft breaks left out."""
        if first >= last:
            return ""
        cursor = QTextCursor(self._document)
        end = self._document.characterCount() - 1
        cursor.setPosition(max(0, min(first, end)))
        cursor.setPosition(max(0, min(last, end)), QTextCursor.MoveMode.KeepAnchor)
        positions = self.positions()
        inside = positions[bisect_right(positions, first) : bisect_right(positions, last)]
        return self._cut(cursor.selectedText(), first, inside)

    @staticmethod
    def _cut(raw: str, origin: int, positions: list[int]) -> str:
        """``raw`` (text from document position ``origin``) without the separators before
        the soft blocks starting at ``positions``, and with newlines for the others."""
        if positions:
            separators = [position - 1 - origin for position in positions]  # UTF-16 offsets
            if raw.isascii():
                raw = _join_between(raw, separators)
            else:  # cut the UTF-16 bytes (positions count UTF-16 units), in C
                data = raw.encode("utf-16-le", "surrogatepass")
                if len(data) == 2 * len(raw):  # no character outside the BMP
                    raw = _join_between(raw, separators)
                else:
                    pieces = _join_between(data, [2 * s for s in separators], width=2)
                    raw = pieces.decode("utf-16-le", "surrogatepass")
        return raw.replace(PARAGRAPH_SEPARATOR, "\n").replace(CARRIAGE_RETURN, "\r")

    def position_of(self, text: str, offset: int) -> int:
        """The document position of character ``offset`` of ``text`` (the whole text).

        At a soft break the position is the end of the block before it.
        """
        offset = max(0, min(offset, len(text)))
        prefix = text[:offset]
        wanted = offset if prefix.isascii() else utf16_len(prefix)
        # Soft break i (0-based) sits after text UTF-16 offset positions[i] - 1 - i.
        position = wanted
        for i, soft in enumerate(self.positions()):
            if soft - 1 - i < wanted:
                position += 1
            else:
                break
        return position

    def offsets_between(self, text: str, first: int, last: int) -> list[int]:
        """Character offsets in ``text`` (the text between positions ``first`` and
        ``last``) that a soft break precedes."""
        positions = self.positions()
        inside = positions[bisect_right(positions, first) : bisect_right(positions, last)]
        # Break j is preceded by (position - first - (j + 1)) UTF-16 units of text.
        units = [position - first - j - 1 for j, position in enumerate(inside)]
        if text.isascii():
            return units
        data = text.encode("utf-16-le", "surrogatepass")
        if len(data) == 2 * len(text):
            return units
        out, index, done = [], 0, 0  # characters and UTF-16 units counted so far
        for unit in units:
            index += len(data[2 * done : 2 * unit].decode("utf-16-le", "surrogatepass"))
            done = unit
            out.append(index)
        return out
