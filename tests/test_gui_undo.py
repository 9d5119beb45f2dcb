"""Ctrl+Z / Ctrl+Shift+Z walk one history: typing, appended output and runs, in order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

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


def test_one_history_for_typing_and_runs(qtbot, window):
    window.prompt.setFocus()
    qtbot.keyClicks(window.prompt, "Once")
    run(qtbot, window, 2)
    run(qtbot, window, 4)
    qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert window.prompt.toPlainText() == "Once" + text(4)
    assert window.output.text(0) == text(4)
    labels = [window.undo_stack.text(i) for i in range(window.undo_stack.count())]
    assert labels == ["Typing", "Run", "Run", "Append output"]
    keys = [(Qt.Key.Key_Z, CTRL)] * 3
    expected = [("Once", text(4)), ("Once", text(2)), ("Once", "")]
    for (key, mods), (prompt, output) in zip(keys, expected, strict=True):
        qtbot.keyClick(window.prompt, key, mods)  # focus stays in the prompt editor
        assert (window.prompt.toPlainText(), window.output.text(0)) == (prompt, output)
    qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL)
    assert window.prompt.toPlainText() == ""
    for prompt, output in [("Once", ""), ("Once", text(2)), ("Once", text(4))]:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Z, CTRL | SHIFT)
        assert (window.prompt.toPlainText(), window.output.text(0)) == (prompt, output)
    qtbot.keyClick(window.prompt, Qt.Key.Key_Y, CTRL)
    assert window.prompt.toPlainText() == "Once" + text(4)


def test_restoring_a_preset_is_undoable(qtbot, window):
    window.prompt.setPlainText("mine")
    window.apply_setup("from a preset", "text", {}, None, None)
    assert window.prompt.toPlainText() == "from a preset"
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "mine"
