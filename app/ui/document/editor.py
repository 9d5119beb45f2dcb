"""The document: one text where you write and the model continues, in place.

:class:`DocumentEditor` is a plain-text editor (Qt's text engine) that also holds the
completions written into it. A completion streams in at the end (or at the cursor, in
insertion mode) as :class:`app.ui.document.spans.Span`: tinted as generated, coloured by
probability when the run had logprobs, with the top alternatives on hover and a click that
offers them for a fork. What the user types next to a completion is theirs; an edit inside
one splits it and the edited part loses its generated colouring.

A whole completion is one undo step, in the window's one undo history with typing (the
document's own undo steps are mirrored into the window's ``QUndoStack``, see
:mod:`app.ui.document.undo_history`): its text goes in as one edit block joined frame by
frame. Long paragraphs are held as display blocks joined by soft breaks (see
:mod:`app.core.document_text`), which are not part of the text: :meth:`text` and copying
leave them out, Backspace and Delete step over them, and the cost of writing stays
constant per character however long a paragraph grows.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from PySide6.QtCore import SIGNAL, SLOT, QEvent, QMimeData, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.core.document_text import SOFT_LIMIT, soft_pieces
from app.ui.analysis.token_view import ProbabilityMode, describe_probability, describe_token
from app.ui.common.editor_font import mark_editor
from app.ui.common.theme import is_dark
from app.ui.common.viewport import viewport
from app.ui.document.highlighter import DocumentHighlighter
from app.ui.document.soft_breaks import CARRIAGE_RETURN, SOFT_BREAK, SoftBreaks
from app.ui.document.soft_breaks import is_soft as _is_soft
from app.ui.document.spans import COMPLETION, SCORE, Span, SpanState, UnitLayout

__all__ = ["SOFT_BREAK", "DocumentEditor"]

#: A write that makes or touches at most this many blocks is coloured by Qt while it lays
#: them out (a Python call per block, but each laid out once); a larger one is coloured
#: after it, only where it is on screen. Colouring after a write lays the blocks on screen
#: out a second time: ~0.6 ms for a 2,048-character block, a quarter of the frames' time
#: in a stream without newlines.
FEW_BLOCKS = 16


def _few_blocks(text: str) -> bool:
    return text.count("\n") <= FEW_BLOCKS and len(text) <= FEW_BLOCKS * SOFT_LIMIT


#: QSyntaxHighlighter's own connection to its document (see _colours_after_edit).
_CONTENTS_CHANGE = SIGNAL("contentsChange(int,int,int)")
_REFORMAT_BLOCKS = SLOT("_q_reformatBlocks(int,int,int)")

_HISTORY_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _is_history_key(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in _HISTORY_KEYS)


class DocumentEditor(QPlainTextEdit):
    """The one document: the prompt and the completions written into it."""

    #: (span, unit index) under the mouse / clicked.
    unitHovered = Signal(object, int)
    unitClicked = Signal(object, int)
    #: (menu, span, unit) before the context menu of a token pops up: add to the menu.
    unitMenuRequested = Signal(object, object, int)
    #: The user changed the text (not a completion being written).
    edited = Signal()
    #: The text changed: typed, written by a run, undone. Unlike ``textChanged`` never for
    #: colours alone (re-colouring a block, as scrolling or another colour mode does, emits
    #: ``textChanged`` too: the window's autosave, View code and the preset's "edited" mark
    #: follow this one).
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark_editor(self)
        self.setPlaceholderText(
            self.tr("Write here, then press Ctrl+Enter: the model continues your text.")
        )
        self.setAccessibleName(self.tr("Document"))
        self.setTabChangesFocus(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        viewport(self).setMouseTracking(True)  # wrapped cheaply before Qt hands it over
        self.history_actions: tuple[QAction, QAction] | None = None
        self.spans: list[Span] = []
        self._positions: list[tuple[int, int]] = []  # (start, end) per span, before edits
        self._writing = 0
        self._soft = SoftBreaks(self.document())
        self._soft_format = QTextBlockFormat()
        self._soft_format.setProperty(SOFT_BREAK, True)
        self._hard_format = QTextBlockFormat()
        self._hovered: tuple[Span, int] | None = None
        self._first_write = False
        self._cut: tuple[int, int, Span | None] | None = None
        #: Non-zero while a completion's text joins its earlier edit block.
        self.joining = 0
        #: The spans before the completion edit in progress (Qt adds its undo step at the end).
        self._before_edit: list[SpanState] | None = None
        self._press: QPoint | None = None
        #: Block numbers coloured since the colours last changed (see invalidate_colours).
        self._coloured: set[int] = set()
        self._colouring = False
        self._block_count = 1
        # Before the highlighter's own handler (slots run in the order they were connected):
        # numbers that shifted are forgotten, then the blocks Qt colours again are noted.
        self.document().contentsChange.connect(self._forget_shifted_blocks)
        self.highlighter = DocumentHighlighter(self.document(), self.spans_between)
        self.highlighter.configure(ProbabilityMode.OFF, is_dark(self.palette()))
        self.highlighter.coloured = lambda number: self._coloured.add(number)
        self.document().contentsChange.connect(self._on_contents_change)
        self.updateRequest.connect(self._colour_visible)

    # -- text -----------------------------------------------------------------------------

    def text(self) -> str:
        """The document's text (soft breaks are not text)."""
        return self._soft.text()

    def toPlainText(self) -> str:
        return self.text()

    def _has_soft(self) -> bool:
        return bool(self._soft.positions())

    def text_between(self, first: int, last: int) -> str:
        """Text between document positions ``first`` and ``last`` (soft breaks left out)."""
        return self._soft.text_between(first, last)

    def offset_of(self, position: int) -> int:
        """The character offset in :meth:`text` of document ``position``."""
        return len(self.text_between(0, position))

    def position_of(self, offset: int) -> int:
        """The document position of character ``offset`` of :meth:`text`."""
        return self._soft.position_of(self.text(), offset)

    def cursor_offset(self) -> int:
        return self.offset_of(self.textCursor().position())

    def setPlainText(self, text: str) -> None:
        """Replace the whole text as one undoable edit (unlike Qt's, which clears undo)."""
        if text == self.text():
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # its own undo step, never merged with typing
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        cursor.setBlockFormat(self._hard_format)
        self._insert_plain(cursor, text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def append_text(self, text: str) -> None:
        """Add ``text`` at the end (one undoable edit)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        self._insert_plain(cursor, text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def _insert_plain(self, cursor: QTextCursor, text: str) -> list[int]:
        """Insert ``text`` at ``cursor``, newlines as blocks and long lines cut by soft
        breaks; returns the offsets (in ``text``) that a soft break precedes. A carriage
        return is kept as :data:`CARRIAGE_RETURN` (:meth:`text` gives it back)."""
        text = text.replace("\r", CARRIAGE_RETURN)  # the same object when there is none
        soft: list[int] = []
        offset = 0
        lines = text.split("\n")
        last = len(lines) - 1
        i = 0
        while i <= last:
            if i:
                # A run of short lines between the first and the last goes in with one call:
                # Qt makes their blocks in C++, each with the hard block format just set.
                j = i
                while j < last and len(lines[j]) <= SOFT_LIMIT:
                    j += 1
                if j - i >= 2:
                    cursor.insertBlock(self._hard_format)
                    run = "\n".join(lines[i:j])
                    cursor.insertText(run)
                    offset += 1 + len(run)
                    i = j
                    continue
                cursor.insertBlock(self._hard_format)
                offset += 1
            line = lines[i]
            i += 1
            room = SOFT_LIMIT - len(cursor.block().text())
            if len(line) <= room:
                if line:
                    cursor.insertText(line)
                offset += len(line)
                continue
            for k, piece in enumerate(soft_pieces(line, room, SOFT_LIMIT)):
                if k:
                    cursor.insertBlock(self._soft_format)
                    self._soft.add(cursor.position())
                    soft.append(offset)
                if piece:
                    cursor.insertText(piece)
                offset += len(piece)
        return soft

    # -- completions ------------------------------------------------------------------------

    def spans_between(self, first: int, last: int) -> list[Span]:
        """Spans overlapping document positions ``first:last`` (the highlighter asks)."""
        return [s for s in self.spans if s.start <= last and s.end >= first]

    def begin_completion(
        self, offset: int | None = None, run: int = 0, *, replace: Span | None = None
    ) -> Span:
        """A new, empty completion at text ``offset`` (default: the end), or in place of
        ``replace`` (its text goes when the first text arrives, in the same undo step)."""
        if replace is not None:
            position = replace.start
            self._cut = (replace.start, replace.end, replace)
        else:
            position = (
                self.document().characterCount() - 1 if offset is None else self.position_of(offset)
            )
            self._cut = None
        span = Span(self.document(), position, COMPLETION, run)
        self._add_span(span)
        self._first_write = True
        return span

    def continue_completion(self, span: Span, position: int, text: str) -> None:
        """Cut ``span`` at document ``position`` and go on writing it with ``text`` (a fork:
        the cut and everything written after it are one undo step)."""
        self._before_edit = self.snapshot_spans()
        kept = self.text_between(span.start, position)
        span.parts, span._length = [kept] if kept else [], len(kept)
        span.soft = [o for o in span.soft if o < len(kept)]
        span.layout = None
        span.open = True
        self._cut = (position, span.end, None)
        self._first_write = True
        self.write(span, text)

    def write(self, span: Span, text: str) -> None:
        """Append ``text`` to an open completion (one undo step for the whole completion)."""
        if not text:
            return
        bar = self.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.document())
        start = span.start
        self._writing += 1
        try:
            if self._first_write:
                self._first_write = False
                self._before_edit = self.snapshot_spans()
                cut, self._cut = self._cut, None
                if cut is not None:
                    first, last, replaced = cut
                    cursor.setPosition(first)
                    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
                    cursor.beginEditBlock()
                    if last > first:
                        cursor.removeSelectedText()
                    if replaced is not None and replaced in self.spans:
                        self.spans.remove(replaced)
                    start = min(start, first)
                else:
                    cursor.setPosition(span.end)
                    cursor.beginEditBlock()
            else:
                cursor.setPosition(span.end)
                self.joining += 1  # Qt announces a joined block again: not a new undo step
                cursor.joinPreviousEditBlock()
            span.grow_on_insert(True)  # the span's end moves with the text written at it
            written_from = cursor.position()
            few = _few_blocks(text)  # Qt colours those as it lays them out: once, not twice
            with contextlib.nullcontext() if few else self._colours_after_edit(written_from):
                soft = self._insert_plain(cursor, text)
                cursor.endEditBlock()
        finally:
            span.grow_on_insert(False)
            self._writing -= 1
            self.joining = 0
            self._before_edit = None
        span.set_start(start)  # an empty span's start would move with the insertion
        span.set_end(cursor.position())
        span.appended(text, soft)
        self._remember_positions()
        if follow:
            bar.setValue(bar.maximum())
        self._colour_visible()

    @contextlib.contextmanager
    def _colours_after_edit(self, position: int) -> Iterator[None]:
        """Around a completion's write: Qt would colour every block it touched, calling
        Python once per block (a tenth of a long run's time on the GUI thread). Instead the
        blocks from ``position`` on count as not coloured, and :meth:`_colour_visible`
        colours those on screen after the write, the others when scrolled to (a write of a
        few blocks does without: :data:`FEW_BLOCKS`)."""
        document = self.document()
        QObject.disconnect(document, _CONTENTS_CHANGE, self.highlighter, _REFORMAT_BLOCKS)
        try:
            yield
        finally:
            QObject.connect(document, _CONTENTS_CHANGE, self.highlighter, _REFORMAT_BLOCKS)
            self._forget_coloured_from(document.findBlock(position).blockNumber(), 0)

    def replace_completion(self, span: Span, text: str) -> None:
        """Put ``text`` in place of a completion's text (one undo step), e.g. another choice."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(span.start)
        cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
        self._before_edit = self.snapshot_spans()
        self._writing += 1
        try:
            cursor.beginEditBlock()
            cursor.removeSelectedText()
            start = cursor.position()
            span.grow_on_insert(True)  # the span's end moves with the text written at it
            with self._colours_after_edit(start):
                soft = self._insert_plain(cursor, text)
                cursor.endEditBlock()
        finally:
            span.grow_on_insert(False)
            self._writing -= 1
            self._before_edit = None
        span.set_start(start)
        span.set_end(cursor.position())
        span.soft, span.parts, span._length = [], [], 0
        span.appended(text, soft)
        span.layout = None
        self._remember_positions()
        self.invalidate_colours()

    def remove_completion(self, span: Span, *, edit: bool = True) -> None:
        """Take a completion out of the document (its text too when ``edit``)."""
        if edit and span.end > span.start:
            cursor = QTextCursor(self.document())
            cursor.setPosition(span.start)
            cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
            self._writing += 1
            try:
                cursor.removeSelectedText()
            finally:
                self._writing -= 1
        if span in self.spans:
            self.spans.remove(span)
        self._remember_positions()

    def close_completion(self, span: Span) -> None:
        """The run has ended: nothing more is written into ``span``.

        Qt merges typing into the previous insertion when both are plain insertions, so
        text typed right after a completion would be undone together with it. The
        completion's edit block therefore ends with an insert-and-remove of nothing
        visible, and the next keystroke is an undo step of its own.
        """
        if span.open and not self._first_write and span.end > span.start:
            cursor = QTextCursor(self.document())
            cursor.setPosition(span.end)
            self._writing += 1
            self.joining += 1
            try:
                cursor.joinPreviousEditBlock()
                cursor.insertText("\u200b")
                cursor.deletePreviousChar()
                cursor.endEditBlock()
            finally:
                self._writing -= 1
                self.joining = 0
        span.open = False
        self._first_write = False

    def set_units(self, span: Span, layout: UnitLayout | None) -> None:
        span.set_units(layout)
        self.invalidate_colours()

    def add_score(self, position: int, end: int, layout: UnitLayout) -> Span:
        """A scored stretch (the prompt): coloured by surprisal until it is edited."""
        for old in [s for s in self.spans if s.kind == SCORE]:
            self.spans.remove(old)
            self.invalidate_colours()
        span = Span(self.document(), position, SCORE)
        span.set_end(end)
        span.open = False
        span.layout = layout
        self._add_span(span)
        self.invalidate_colours()
        return span

    def clear_scores(self) -> None:
        for old in [s for s in self.spans if s.kind == SCORE]:
            self.spans.remove(old)
            self.invalidate_colours()
        self._remember_positions()

    def snapshot_spans(self) -> list[SpanState]:
        """What the spans are now (kept by undo commands to put them back). Qt adds the undo
        step of an edit block when the block ends, after the text (and the spans' cursors)
        moved: during an edit this is what the spans were before it."""
        if self._before_edit is not None:
            return self._before_edit
        states = [SpanState.of(s) for s in self.spans]
        if len(states) == len(self._positions):  # positions as they were before the edit
            for state, (start, end) in zip(states, self._positions, strict=True):
                state.start, state.end = start, end
        return states

    def restore_spans(self, states: list[SpanState] | None) -> None:
        """Put spans back as they were in a snapshot (the text must be as it was then)."""
        if states is None:
            return
        document = self.document()
        limit = document.characterCount() - 1
        # An empty span (a completion before its first text) is nothing to put back.
        spans = [state.make(document) for state in states if state.start < state.end <= limit]
        self.spans[:] = spans
        self._remember_positions()
        self.invalidate_colours()

    def soft_offsets_between(self, first: int, last: int) -> list[int]:
        """Text offsets (relative to position ``first``) that a soft break precedes."""
        if not self._has_soft():
            return []
        return self._soft.offsets_between(self.text_between(first, last), first, last)

    def _add_span(self, span: Span) -> None:
        starts = [s.start for s in self.spans]
        self.spans.insert(bisect_left(starts, span.start), span)
        self._remember_positions()

    def _remember_positions(self) -> None:
        self._positions = [(s.start, s.end) for s in self.spans]

    # -- colours --------------------------------------------------------------------------------

    def invalidate_colours(self) -> None:
        """The colours changed (a run's tokens arrived, another mode, undo put spans back):
        the blocks on screen are coloured again now, the others when they are scrolled
        into view. The work is bounded by the window's height, never by the document."""
        self._coloured.clear()
        self._colour_visible()

    def _colour_visible(self, *_: object) -> None:
        # Not in the middle of an edit (blocks not laid out yet have no height, and the
        # write colours what it puts on screen itself): the update after it comes here.
        if self._colouring or self._writing:
            return
        self._colouring = True
        try:
            block = self.firstVisibleBlock()
            if not block.isValid():
                return
            bottom = self.viewport().height()
            spacing = max(1, self.fontMetrics().lineSpacing())
            # At most a screenful of lines, whatever the geometry says. The first block's
            # place is asked of the layout once; the next ones are counted down in lines
            # (a geometry call per block cost more than colouring it).
            budget = bottom // spacing + 2
            top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
            while block.isValid() and budget > 0 and top < bottom:
                if block.blockNumber() not in self._coloured:
                    self.highlighter.rehighlightBlock(block)  # notes it as coloured
                lines = max(1, block.lineCount())
                top += lines * spacing
                budget -= lines
                block = block.next()
        finally:
            self._colouring = False

    def _forget_shifted_blocks(self, position: int, _removed: int, _added: int) -> None:
        """Blocks after an edit that added or removed blocks have other numbers now."""
        count = self.document().blockCount()
        if count != self._block_count:
            old, self._block_count = self._block_count, count
            self._forget_coloured_from(self.document().findBlock(position).blockNumber(), old)

    def _forget_coloured_from(self, first: int, old_count: int) -> None:
        """Every block number from ``first`` on is no longer coloured: a walk over those
        (few when text is added at the end, as a run does) or, when they are more, over the
        blocks coloured so far."""
        beyond = max(old_count, self.document().blockCount())
        if beyond - first < len(self._coloured):
            discard = self._coloured.discard
            for number in range(first, beyond):
                discard(number)
        else:
            self._coloured = {n for n in self._coloured if n < first}

    def coloured_blocks(self) -> int:
        """How many blocks were coloured since the colours last changed (for tests)."""
        return len(self._coloured)

    def set_probability_mode(self, mode: ProbabilityMode) -> None:
        self.highlighter.configure(mode, is_dark(self.palette()))
        self.invalidate_colours()

    @property
    def probability_mode(self) -> ProbabilityMode:
        return self.highlighter.mode

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.configure(self.highlighter.mode, is_dark(self.palette()))
            self.invalidate_colours()

    # -- edits by the user --------------------------------------------------------------------

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if removed or added:
            self.changed.emit()  # any text, a run's too (a colour alone adds or removes none)
        if self._writing:
            return
        self._soft.rescan(position, position + added)
        changed = False
        spans: list[Span] = []
        for span, (start, end) in zip(self.spans, self._positions, strict=True):
            inside = position < end and position + removed > start
            inside = inside or start < position < end
            if span.start >= span.end and end > start:
                changed = True  # its text was undone or deleted
                continue
            if not inside:
                spans.append(span)
                continue
            changed = True
            if span.kind == SCORE:
                continue  # an edited prompt is not what was scored
            spans.extend(self._split(span, start, end, position, removed, added))
        self.spans[:] = sorted(spans, key=lambda s: s.start)
        self._remember_positions()
        if changed:
            self.invalidate_colours()
        self.edited.emit()

    def _split(
        self, span: Span, old_start: int, old_end: int, position: int, removed: int, added: int
    ) -> list[Span]:
        """What stays generated of ``span`` after an edit at ``position``: the parts before
        and after it, with their units (the edited part is the user's now)."""
        out: list[Span] = []
        layout = span.layout
        cut_left = position - old_start  # relative position where the edit starts
        cut_right = cut_left + removed  # relative position where the old text resumes
        if cut_left > 0:
            left = Span(self.document(), span.start, COMPLETION, span.run)
            left.set_end(old_start + cut_left)
            left.open = False
            if layout is not None:
                keep = [k for k in range(len(layout.starts)) if layout.ends[k] <= cut_left]
                left.layout = _sub_layout(layout, keep, 0)
            out.append(left)
        if cut_right < old_end - old_start:
            right = Span(self.document(), position + added, COMPLETION, span.run)
            right.set_end(span.end)
            right.open = False
            if layout is not None:
                keep = [k for k in range(len(layout.starts)) if layout.starts[k] >= cut_right]
                right.layout = _sub_layout(layout, keep, cut_right)
            out.append(right)
        return out

    # -- keys, clipboard, menu ----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Let the window's Undo/Redo shortcuts fire instead of the document's own undo.
        if event.type() == QEvent.Type.ShortcutOverride and _is_history_key(event):  # type: ignore[arg-type]
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_history_key(event):
            event.ignore()
            return
        modifiers = event.modifiers()
        key = event.key()
        # Tab types a tab (prompts are often code); Ctrl+Tab / Ctrl+Shift+Tab leave the
        # editor, so every control stays reachable from the keyboard.
        if modifiers & Qt.KeyboardModifier.ControlModifier and key in (
            Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
        ):  # fmt: skip
            backwards = key == Qt.Key.Key_Backtab or bool(
                modifiers & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, not backwards)
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        cursor = self.textCursor()
        if not cursor.hasSelection() and self._has_soft():
            block = cursor.block()
            if key == Qt.Key.Key_Backspace and cursor.atBlockStart() and _is_soft(block):
                cursor.movePosition(QTextCursor.MoveOperation.PreviousCharacter)
                self.setTextCursor(cursor)  # step over the soft break, then delete as usual
            elif key == Qt.Key.Key_Delete and cursor.atBlockEnd():
                following = block.next()
                if following.isValid() and _is_soft(following):
                    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
                    self.setTextCursor(cursor)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            cursor.beginEditBlock()
            cursor.removeSelectedText()
            cursor.insertBlock(self._hard_format, QTextCharFormat())
            cursor.endEditBlock()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if not source.hasText():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        # Pasted line ends are the clipboard's convention, not text: "\r\n" is one newline.
        self._insert_plain(cursor, source.text().replace("\r\n", "\n"))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def createMimeDataFromSelection(self) -> QMimeData:
        cursor = self.textCursor()
        mime = QMimeData()
        mime.setText(self.text_between(cursor.selectionStart(), cursor.selectionEnd()))
        return mime

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.history_actions is not None:
            for action in menu.actions():
                name = action.objectName()
                if name in ("edit-undo", "edit-redo"):
                    replacement = self.history_actions[0 if name == "edit-undo" else 1]
                    menu.insertAction(action, replacement)
                    menu.removeAction(action)
        found = self.unit_at(event.pos())
        if found is not None:
            self.unitMenuRequested.emit(menu, *found)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(event.globalPos())

    # -- tokens under the mouse ---------------------------------------------------------------

    def unit_at(self, point: QPoint) -> tuple[Span, int] | None:
        """The token unit under a viewport point, or ``None``."""
        if not any(s.layout is not None for s in self.spans):
            return None
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - point.y()) > rect.height():
            return None
        q = cursor.position()
        for candidate in (q, q - 1) if rect.center().x() <= point.x() else (q - 1, q):
            for span in self.spans_between(candidate, candidate):
                k = span.unit_at(candidate)
                if k is not None:
                    return span, k
        return None

    def unit_point(self, span: Span, index: int) -> QPoint:
        """A viewport point inside unit ``index`` of ``span`` (for tests and keyboard users)."""
        start, end = span.unit_range(index)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        left = self.cursorRect(cursor)
        cursor.setPosition(min(end, start + 1) if end > start else start)
        right = self.cursorRect(cursor)
        if right.center().y() != left.center().y():
            return left.center() + QPoint(2, 0)
        return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())

    def describe_unit(self, span: Span, index: int) -> str:
        """The hover text of a unit (rich text; every token is escaped)."""
        layout = span.layout
        assert layout is not None
        start, end = span.unit_range(index)
        shown = self.text_between(start, end)
        if layout.compacted:  # an older completion: its probability (alternatives on click)
            return describe_probability(shown, layout.probability(index))
        unit = layout.units[index]
        return describe_token(shown, unit, layout.tokens[unit.first])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        found = self.unit_at(event.position().toPoint())
        if found != self._hovered:
            self._hovered = found
            if found is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPosition().toPoint(), self.describe_unit(*found), self.viewport()
                )
                self.unitHovered.emit(*found)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        press, self._press = self._press, None
        if press is None or (press - point).manhattanLength() > 4:
            return  # a drag selects text
        found = self.unit_at(point)
        if found is not None and not self.textCursor().hasSelection():
            self.unitClicked.emit(*found)


def _sub_layout(layout: UnitLayout, keep: Sequence[int], shift: int) -> UnitLayout | None:
    if not keep:
        return None
    if layout.compacted:
        part = UnitLayout(
            units=[], tokens=[],
            starts=[layout.starts[k] - shift for k in keep],
            ends=[layout.ends[k] - shift for k in keep],
            probabilities=[layout.probability(k) for k in keep],
        )  # fmt: skip
        part.compact()
        return part
    return UnitLayout(
        units=[layout.units[k] for k in keep],
        tokens=layout.tokens,
        starts=[layout.starts[k] - shift for k in keep],
        ends=[layout.ends[k] - shift for k in keep],
        probabilities=[layout.probabilities[k] for k in keep],
    )
