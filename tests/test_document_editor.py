"""The document editor on its own: completions written in place, soft breaks, edits, undo."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest

from app.core.document_text import SOFT_LIMIT, plan_prompt, soft_pieces
from app.core.logprobs import TokenLogprob
from app.core.token_units import align
from app.ui.analysis.token_view import ProbabilityMode
from app.ui.document.editor import DocumentEditor
from app.ui.document.spans import layout_units

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot):
    widget = DocumentEditor()
    widget.resize(700, 400)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def blocks(editor) -> int:
    return editor.document().blockCount()


def test_a_completion_is_written_in_place_and_undone_in_one_step(editor):
    editor.setPlainText("Once upon a time")
    editor.document().clearUndoRedoStacks()
    span = editor.begin_completion()
    for word in [" there", " was", " a", " cat", "."]:
        editor.write(span, word)
    assert editor.text() == "Once upon a time there was a cat."
    assert (span.start, span.end) == (16, 33)
    assert editor.document().availableUndoSteps() == 1
    editor.document().undo()
    assert editor.text() == "Once upon a time"
    assert span not in editor.spans
    editor.document().redo()
    assert editor.text() == "Once upon a time there was a cat."


def test_one_long_paragraph_is_held_in_short_blocks_that_are_not_text(editor):
    editor.setPlainText("start")
    span = editor.begin_completion()
    piece = "word " * 100  # 500 characters, no newline
    for _ in range(40):
        editor.write(span, piece)
    text = "start" + piece * 40
    assert editor.text() == text and editor.toPlainText() == text
    assert blocks(editor) >= len(text) // SOFT_LIMIT
    assert all(len(b.text()) <= SOFT_LIMIT for b in _blocks(editor))
    assert span.length == len(piece) * 40
    # Copying leaves soft breaks out.
    editor.selectAll()
    editor.copy()
    assert QGuiApplication.clipboard().text() == text
    # Offsets and positions agree both ways.
    for offset in (0, 5, 2047, 2048, 2049, 10_000, len(text)):
        assert editor.offset_of(editor.position_of(offset)) == offset


def _blocks(editor):
    block = editor.document().firstBlock()
    while block.isValid():
        yield block
        block = block.next()


def test_backspace_and_delete_step_over_a_soft_break(qtbot, editor):
    editor.setPlainText("x" * (SOFT_LIMIT + 10))
    assert blocks(editor) == 2
    second = editor.document().firstBlock().next()
    cursor = editor.textCursor()
    cursor.setPosition(second.position())
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "x" * (SOFT_LIMIT + 9)  # a character went, not the break
    editor.setPlainText("ab" + "y" * SOFT_LIMIT)
    cursor.setPosition(editor.document().firstBlock().length() - 1)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert len(editor.text()) == SOFT_LIMIT + 1


def test_enter_in_a_soft_block_is_a_real_newline(qtbot, editor):
    editor.setPlainText("z" * (SOFT_LIMIT + 100))
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().lastBlock().position() + 10)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    text = editor.text()
    assert text.count("\n") == 1 and len(text) == SOFT_LIMIT + 101


def test_typing_next_to_a_completion_is_the_users_and_inside_splits_it(qtbot, editor):
    editor.setPlainText("Q:")
    span = editor.begin_completion()
    editor.write(span, " the answer")
    editor.close_completion(span)
    tokens = [TokenLogprob(t, -0.1) for t in [" the", " answer"]]
    editor.set_units(span, layout_units(" the answer", align(" the answer", tokens), tokens, []))
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "!")
    assert editor.text() == "Q: the answer!"
    assert (editor.spans[0].start, editor.spans[0].end) == (2, 13)  # "!" is not generated
    cursor.setPosition(6)  # inside " the|"
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "X")
    assert editor.text() == "Q: theX answer!"
    parts = [(s.start, s.end) for s in editor.spans]
    assert parts == [(2, 6), (7, 14)]
    assert editor.spans[1].layout is not None  # " answer" keeps its token
    assert editor.spans[0].layout is not None


def test_soft_breaks_are_checked_with_qt_only_where_text_was_removed(editor):
    """Asking Qt about a block lets a busy worker thread run (each call then waits for it):
    after a run that only added text, no block is asked about; after a deletion, only the
    cursors where text went."""
    editor.setPlainText("start")
    span = editor.begin_completion()
    for _ in range(40):
        editor.write(span, "word " * 100)
    editor.close_completion(span)
    breaks = editor._soft
    document = breaks._document
    asked: list[int] = []

    class Counting:  # the document, counting the blocks asked for
        def __getattr__(self, name):
            return getattr(document, name)

        def findBlock(self, position):
            asked.append(position)
            return document.findBlock(position)

    breaks._document = Counting()
    soft = breaks.positions()
    assert len(soft) >= 8 and asked == []
    cursor = QTextCursor(document)
    cursor.setPosition(soft[3] - 1)  # the separator before the fourth soft block
    cursor.setPosition(soft[3] + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    after = breaks.positions()
    # Where the text went: the one cursor there, and the edited stretch (looked at for
    # soft blocks that came back, as after an undo).
    assert set(asked) == {soft[3] - 1} and len(asked) <= 2
    assert len(after) == len(soft) - 1
    breaks._document = document
    assert editor.text() == editor.toPlainText()


def test_paste_of_a_huge_line_is_cut_into_soft_blocks(editor):
    QGuiApplication.clipboard().setText("p" * (SOFT_LIMIT * 3))
    editor.paste()
    assert editor.text() == "p" * (SOFT_LIMIT * 3)
    assert blocks(editor) == 3


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab 中🙂\n"), max_size=300), st.integers(1, 64))
def test_soft_pieces_join_back(text, limit):
    for line in text.split("\n"):
        pieces = soft_pieces(line, limit, limit)
        assert "".join(pieces) == line
        assert all(len(p) <= limit for p in pieces)


def test_plan_prompt_inserts_with_a_suffix_only_where_the_server_takes_one():
    whole = plan_prompt("abcdef", 3, insert=False, server_kind="openai")
    assert (whole.prompt, whole.suffix, whole.insert_at) == ("abcdef", None, 6)
    fill = plan_prompt("abcdef", 3, insert=True, server_kind="openai")
    assert (fill.prompt, fill.suffix, fill.insert_at) == ("abc", "def", 3)
    no_suffix = plan_prompt("abcdef", 3, insert=True, server_kind="llamacpp")
    assert (no_suffix.prompt, no_suffix.suffix, no_suffix.suffix_dropped) == ("abc", None, True)


def _walked_text(editor) -> tuple[str, list[int]]:
    """The text and soft-block positions found by asking every block (the slow way)."""
    from app.ui.document.soft_breaks import is_soft

    parts, soft = [], []
    block = editor.document().firstBlock()
    while block.isValid():
        if block.position() > 0:
            if is_soft(block):
                soft.append(block.position())
            else:
                parts.append("\n")
        parts.append(block.text())
        block = block.next()
    return "".join(parts), soft


_EDIT = st.tuples(
    st.sampled_from(["type", "paste-long", "newline", "backspace", "delete", "cut", "undo",
                     "redo", "complete"]),
    st.floats(0, 1),
    st.text(alphabet=st.sampled_from("ab 中🙂\u00a0\n"), min_size=1, max_size=5),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_EDIT, min_size=1, max_size=25))
# Found once: a cut from a block's start into a soft block, then undone (the soft block's
# cursor stayed where the undo put back an ordinary block).
@example(
    [("type", 0.0, "a")] * 4
    + [("paste-long", 0.0, "a"), ("complete", 0.0, "\naaaa"), ("cut", 0.875, "a")]
    + [("complete", 0.0, "a"), ("complete", 0.0, "aaaaa"), ("cut", 0.4375, "a")]
    + [("undo", 0.0, "a")]
)
def test_soft_breaks_are_tracked_through_any_edits(qapp, edits):
    """Typing, pasting, deleting across soft breaks, undo, redo and completions: the text,
    positions and soft breaks the editor keeps agree with a walk over every block."""
    limit = 40  # short blocks, so that the edits hit soft breaks often
    import app.ui.document.editor as editor_module

    editor = DocumentEditor()
    editor.resize(500, 300)
    editor.show()
    original = editor_module.SOFT_LIMIT
    editor_module.SOFT_LIMIT = limit
    try:
        for action, where, text in edits:
            document = editor.document()
            size = document.characterCount() - 1
            cursor = editor.textCursor()
            # Where a user can put the cursor: between characters, never inside a surrogate
            # pair (the text's offsets map to such positions).
            cursor.setPosition(editor.position_of(round(where * len(editor.text()))))
            editor.setTextCursor(cursor)
            if action == "type":
                editor.insertPlainText(text)
            elif action == "paste-long":
                QGuiApplication.clipboard().setText((text + " ") * 30)
                editor.paste()
            elif action == "newline":
                QTest.keyClick(editor, Qt.Key.Key_Return)
            elif action == "backspace":
                QTest.keyClick(editor, Qt.Key.Key_Backspace)
            elif action == "delete":
                QTest.keyClick(editor, Qt.Key.Key_Delete)
            elif action == "cut":
                end = editor.position_of(editor.offset_of(cursor.position()) + 70)
                cursor.setPosition(min(size, end), QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
            elif action == "undo":
                document.undo()
            elif action == "redo":
                document.redo()
            elif action == "complete" and not editor.isReadOnly():
                span = editor.begin_completion()
                for _ in range(3):
                    editor.write(span, (text + " ") * 12)
                editor.close_completion(span)
            walked, soft = _walked_text(editor)
            assert editor.text() == walked, action
            assert editor._soft.positions() == soft, action
            for offset in {0, len(walked) // 3, len(walked)}:
                assert editor.offset_of(editor.position_of(offset)) == offset
            assert editor.text_between(0, document.characterCount() - 1) == walked
    finally:
        editor_module.SOFT_LIMIT = original
        editor.close()
        editor.deleteLater()


def _formats(block) -> list[tuple[int, int]]:
    return [(f.start, f.length) for f in block.layout().formats()]


def test_text_written_by_a_completion_is_tinted_as_it_arrives(editor):
    editor.setPlainText("P")
    span = editor.begin_completion()
    editor.write(span, " one\ntwo")  # one frame that also starts a new block
    first = editor.document().firstBlock()
    assert _formats(first) == [(1, 4)] and _formats(first.next()) == [(0, 3)]
    editor.write(span, " three")
    assert _formats(first.next()) == [(0, 9)]


def test_a_long_completion_is_coloured_on_screen_first_the_rest_when_scrolled_to(editor):
    """Colouring 30,000 lines' tokens touches the blocks on screen, not the whole text."""
    editor.set_probability_mode(ProbabilityMode.FULL)
    editor.setPlainText("P")
    span = editor.begin_completion()
    words = [f" w{i}\n" for i in range(30_000)]
    editor.write(span, "".join(words))
    editor.close_completion(span)
    tokens = [TokenLogprob(w, -0.5 if i % 2 else -3.0) for i, w in enumerate(words)]
    text = "".join(words)
    editor.set_units(span, layout_units(text, align(text, tokens), tokens, []))
    on_screen = editor.coloured_blocks()
    assert 0 < on_screen < 100  # the view follows the end while writing: the end's blocks

    def colours(number: int) -> set[int]:
        block = editor.document().findBlockByNumber(number)
        return {f.format.background().color().alpha() for f in block.layout().formats()}

    middle = 15_000
    # Written out of sight and not yet scrolled to: not coloured by probability yet (not
    # even tinted: that too waits until it is in view).
    assert colours(middle) <= {30}
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    QGuiApplication.processEvents()
    assert colours(editor.firstVisibleBlock().blockNumber() + 1) == {255}
    assert colours(editor.firstVisibleBlock().blockNumber() + 1) != colours(1)
    assert editor.coloured_blocks() < 2 * on_screen + 10


def test_text_written_out_of_sight_is_tinted_when_scrolled_to(editor):
    editor.setPlainText("P")
    span = editor.begin_completion()
    for _ in range(10):
        editor.write(span, "".join(f" line {i}\n" for i in range(1000)))
    block = editor.document().findBlockByNumber(4500)
    assert _formats(block) == []  # written while the view followed the end
    bar = editor.verticalScrollBar()
    bar.setValue(4500 - 2)  # a plain-text editor scrolls by lines
    QGuiApplication.processEvents()
    assert _formats(block) == [(0, block.length() - 1)]  # tinted now, as generated text


@pytest.mark.parametrize("where", ["end", "top"])
def test_blocks_renumbered_by_an_edit_are_forgotten_as_coloured_the_others_kept(editor, where):
    """Appending walks only the few numbers after the edit, not every block coloured so far
    (that walk, once per frame, cost 20-40 ms per frame at 500k lines); an edit near the top
    forgets nearly all. Either way: exactly the numbers from the edited block on go."""
    editor.setPlainText("\n".join(f"line {i}" for i in range(300)))
    # Only the bookkeeping under test changes the set (nothing is coloured meanwhile).
    editor.updateRequest.disconnect(editor._colour_visible)
    editor.highlighter.coloured = lambda number: None
    editor._coloured = set(range(0, 300, 3))
    cursor = QTextCursor(editor.document())
    at = 297 if where == "end" else 9  # coloured blocks both
    cursor.setPosition(editor.document().findBlockByNumber(at).position())
    cursor.insertText("new\nlines\n")
    assert editor._coloured == {n for n in range(0, 300, 3) if n < at}


def test_a_write_colours_the_screen_after_it_and_typing_is_coloured_again(editor):
    """A completion's write leaves Qt's per-block colouring aside (a Python call per block)
    and colours what is on screen afterwards; the highlighter is back for the next edit."""
    noted = []
    editor.highlighter.coloured = noted.append
    editor.setPlainText("Once")
    noted.clear()
    span = editor.begin_completion()
    editor.write(span, "".join(f" line {i}\n" for i in range(5000)))
    lines = editor.viewport().height() // editor.fontMetrics().lineSpacing()
    assert 0 < len(noted) <= 2 * lines + 10  # the screen, not 5,000 blocks
    end = editor.document().characterCount() - 3
    assert tinted_at(editor, end)  # the end is on screen (the view follows it)
    editor.setPlainText("Once")
    span = editor.begin_completion()
    editor.write(span, " upon a time")
    editor.updateRequest.disconnect(editor._colour_visible)  # only Qt's own colouring now
    noted.clear()
    cursor = QTextCursor(editor.document())
    cursor.insertText("Yes. ")  # the user's own text before it: Qt colours that block again
    assert noted == [0]


def tinted_at(editor, position: int) -> bool:
    block = editor.document().findBlock(position)
    return any(f.format.background().color().alpha() for f in block.layout().formats())


def _layout_one_by_one(text, units, soft):
    """What :func:`layout_units` computes, unit by unit (the reference)."""
    u16 = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    starts = [u16[u.start] + sum(1 for o in soft if o <= u.start) for u in units]
    ends = [u16[u.end] + sum(1 for o in soft if o <= max(u.start, u.end - 1)) for u in units]
    return starts, ends


@given(st.lists(st.text(alphabet="ab \n字🙂", min_size=1, max_size=3), max_size=25),
       st.lists(st.integers(1, 60), max_size=5))  # fmt: skip
def test_unit_layout_positions_count_utf16_and_soft_breaks(parts, soft):
    text = "".join(parts)
    soft = sorted({o for o in soft if o < len(text)})
    tokens = [TokenLogprob(p, None if i % 3 == 2 else -0.25 * i) for i, p in enumerate(parts)]
    units = align(text, tokens)
    layout = layout_units(text, units, tokens, soft)
    assert (list(layout.starts), list(layout.ends)) == _layout_one_by_one(text, units, soft)
    assert list(layout.probabilities) == [u.probability for u in units]


def test_a_carriage_return_from_the_model_is_kept_and_shown(editor, qtbot):
    """A model's "\\r\\n" was two line breaks in the document, and the next Run sent "\\n\\n".
    It is one line break after a visible "␍"; the text, a copy and the next Run have the
    "\\r"; positions and lengths are those of the text."""
    from PySide6.QtCore import QMimeData

    editor.setPlainText("P")
    span = editor.begin_completion()
    editor.write(span, "one\r\ntwo\r")
    editor.write(span, "\nthree")
    assert editor.text() == "Pone\r\ntwo\r\nthree"
    assert editor.blockCount() == 3
    assert editor.document().firstBlock().text() == "Pone\u240d"
    assert span.end - span.start == len("one\r\ntwo\r\nthree")
    editor.selectAll()
    assert editor.createMimeDataFromSelection().text() == "Pone\r\ntwo\r\nthree"
    editor.setPlainText("again\r\n")  # a restored session, a preset: the same
    assert editor.text() == "again\r\n" and editor.blockCount() == 2
    editor.setPlainText("")
    pasted = QMimeData()
    pasted.setText("a\r\nb\rc")  # from a clipboard: its line ends are newlines
    editor.insertFromMimeData(pasted)
    assert editor.text() == "a\nb\rc"
