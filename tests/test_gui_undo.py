"""Ctrl+Z / Ctrl+Shift+Z walk one history: typing and the completions written into the
document, in order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt

from app.ui.document.spans import COMPLETION
from tests.conftest import loopback_profile
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    return w


def run(qtbot, window, tokens: int) -> None:
    window.parameters.max_tokens.set_value(tokens)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, CTRL)


def text(count: int) -> str:
    return "".join(TOKENS[i % len(TOKENS)] for i in range(count))


def completions(window) -> list[str]:
    """The completions in the document (the tinted spans), in order."""
    editor = window.prompt
    return [editor.text_between(s.start, s.end) for s in editor.spans if s.kind == COMPLETION]


def test_one_history_for_typing_and_runs(qtbot, window):
    window.prompt.setFocus()
    qtbot.keyClicks(window.prompt, "Once")
    run(qtbot, window, 2)
    run(qtbot, window, 4)  # continues the document: the first completion is in its prompt
    assert window.prompt.toPlainText() == "Once" + text(2) + text(4)
    assert window.completion_text() == text(4)
    assert completions(window) == [text(2), text(4)]
    labels = [window.undo_stack.text(i) for i in range(window.undo_stack.count())]
    assert labels == ["Typing", "Completion", "Completion"]
    # Each completion is one step; its tint comes and goes with it.
    expected = [("Once" + text(2), [text(2)]), ("Once", []), ("", [])]
    for document, spans in expected:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL)  # focus stays in the document
        assert (window.prompt.toPlainText(), completions(window)) == (document, spans)
    redone = [("Once", []), ("Once" + text(2), [text(2)])]
    for document, spans in redone:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL | SHIFT)
        assert (window.prompt.toPlainText(), completions(window)) == (document, spans)
    qtbot.keyClick(window.prompt, Qt.Key.Key_Y, CTRL)
    assert window.prompt.toPlainText() == "Once" + text(2) + text(4)
    assert completions(window) == [text(2), text(4)]


def test_restoring_a_preset_is_undoable(qtbot, window):
    window.prompt.setPlainText("mine")
    window.apply_setup("from a preset", "text", {}, None, None)
    assert window.prompt.toPlainText() == "from a preset"
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "mine"


def test_undo_puts_the_completions_back_as_they_were(qtbot, window):
    window.prompt.setPlainText("Once")
    run(qtbot, window, 4)
    assert completions(window) == [text(4)]
    # A paste inside a completion splits it (the pasted text is the user's); undo makes it
    # whole again, tinted.
    cursor = window.prompt.textCursor()
    cursor.setPosition(len("Once") + 2)
    window.prompt.setTextCursor(cursor)
    pasted = QMimeData()
    pasted.setText("XY")
    window.prompt.insertFromMimeData(pasted)
    assert window.prompt.toPlainText() == "Once" + text(4)[:2] + "XY" + text(4)[2:]
    assert completions(window) == [text(4)[:2], text(4)[2:]]
    window.undo_action.trigger()
    assert completions(window) == [text(4)]
    # With the completion undone, nothing of it is left behind: what is typed where it was
    # stays the user's, and Regenerate (no completion to replace) continues after it.
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "Once" and window.prompt.spans == []
    cursor.movePosition(cursor.MoveOperation.End)
    window.prompt.setTextCursor(cursor)
    qtbot.keyClicks(window.prompt, " upon")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.regenerate()
    assert window.prompt.toPlainText() == "Once upon" + text(4)
    assert completions(window) == [text(4)]
