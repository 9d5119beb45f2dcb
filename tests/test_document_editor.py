"""The document editor on its own: completions written in place, soft breaks, edits, undo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor

from app.core.document_text import SOFT_LIMIT, plan_prompt, soft_pieces
from app.core.logprobs import TokenLogprob
from app.core.token_units import align
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
