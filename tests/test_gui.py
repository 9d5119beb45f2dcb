"""The real main window, offscreen: type, press Ctrl+Enter, watch text stream, press Esc."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.core.errors import AuthenticationError, StreamInterruptedError
from tests.conftest import loopback_profile
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.gui


def expected_text(count: int, offset: int = 0) -> str:
    return "".join(TOKENS[(offset + i) % len(TOKENS)] for i in range(count))


@pytest.fixture
def window(open_window, api):
    w = open_window([loopback_profile(api)])
    assert w.connection.model_name() == "test-model"
    w.parameters.max_tokens.set_value(8)
    return w


def set_url(window, url: str) -> None:
    """Point the current profile at another loopback scenario."""
    current = window.profiles.current
    window.profiles.save_profile(current.name, replace(current, base_url=url))


def press_ctrl_enter(qtbot, window) -> None:
    qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_type_ctrl_enter_and_stream(qtbot, window, api):
    set_url(window, api.base_url("normal", delay=0.01))  # several reads: a real rate
    window.prompt.setFocus()
    qtbot.keyClicks(window.prompt, "Say hi")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        press_ctrl_enter(qtbot, window)
        assert window.run_button.text() == "Stop"
    result = finished.args[0]
    assert result.ok
    assert window.completion_text() == expected_text(8)
    # The completion continues the text in the document (Ctrl+Enter inserted no newline).
    assert window.prompt.toPlainText() == "Say hi" + expected_text(8)
    assert window.run_button.text() == "Run"
    assert "length" in window.status.finish.text()
    assert "tokens/s" in window.status.speed.text()
    assert api.last_completion().body["prompt"] == "Say hi"
    assert api.last_completion().body["temperature"] == 0.7


def test_escape_stops_and_keeps_partial_text_then_window_still_works(qtbot, window, api):
    set_url(window, api.base_url("normal", delay=0.03))
    window.parameters.max_tokens.set_value(300)
    qtbot.keyClicks(window.prompt, "long")
    press_ctrl_enter(qtbot, window)
    qtbot.waitUntil(lambda: len(window.completion_text()) > 10, timeout=10000)
    assert window.prompt.isReadOnly()  # nothing can be typed into a run that is writing
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.keyClick(window.prompt, Qt.Key.Key_Escape)
    result = finished.args[0]
    assert result.cancelled
    shown = window.completion_text()
    assert len(shown) > 10
    assert not window.prompt.isReadOnly()
    assert shown == result.text
    assert shown != expected_text(300)
    assert "Stopped" in window.messages.text()
    assert window.run_button.text() == "Run"

    set_url(window, api.base_url())
    window.parameters.max_tokens.set_value(4)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].ok
    assert window.completion_text() == expected_text(4)  # run again: continues from the end
    assert window.prompt.toPlainText() == "long" + shown + expected_text(4)
    # (the last request may be the model list the profile change refreshes)
    sent = [r for r in api.requests if r.path.endswith("/completions")][-1]
    assert sent.body["prompt"] == "long" + shown
    assert not window.messages.isVisible()


def test_stop_button_stops(qtbot, window, api):
    set_url(window, api.base_url("normal", delay=0.03))
    window.parameters.max_tokens.set_value(300)
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.completion_text() != "", timeout=10000)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)  # a second click is harmless
    assert finished.args[0].cancelled


def test_server_error_shows_a_readable_message(qtbot, window, api):
    set_url(window, api.base_url("401"))
    window.profiles.keys.probe()
    profile = replace(window.profiles.current)
    window.profiles.keys.set("k1", "sk-gui-secret-1234")
    profile.key_ref = "k1"
    window.profiles.save_profile(profile.name, profile)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        press_ctrl_enter(qtbot, window)
    assert isinstance(finished.args[0].error, AuthenticationError)
    text = window.messages.text()
    assert text.startswith("Authentication failed")
    assert "sk-gui-secret-1234" not in text
    assert "Traceback" not in text


def test_cut_stream_keeps_partial_output(qtbot, window, api):
    set_url(window, api.base_url("cut", after=3))
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        press_ctrl_enter(qtbot, window)
    assert isinstance(finished.args[0].error, StreamInterruptedError)
    assert window.completion_text() == expected_text(3)
    assert "kept" in window.messages.text()


def test_invalid_parameters_are_refused_before_sending(qtbot, window, api):
    window.parameters.best_of.set_value(3)  # with streaming on: invalid
    press_ctrl_enter(qtbot, window)
    assert "best_of" in window.messages.text()
    assert not window.controller.is_running
    assert api.requests == []


def test_n_choices_are_offered_in_a_strip_and_the_others_kept(qtbot, window, api):
    window.prompt.setPlainText("P:")
    window.parameters.n.set_value(2)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        press_ctrl_enter(qtbot, window)
    strip = window.view.choices
    assert strip.isVisible() and len(strip.buttons) == 2
    assert window.prompt.toPlainText() == "P:" + expected_text(8)
    assert window.completion_text(1) == expected_text(8, offset=1)
    qtbot.mouseClick(strip.buttons[1], Qt.MouseButton.LeftButton)
    assert window.prompt.toPlainText() == "P:" + expected_text(8, offset=1)
    window.undo_action.trigger()  # picking a choice is one undo step
    assert window.prompt.toPlainText() == "P:" + expected_text(8)
    window.output_dock.show()  # the side-by-side view still shows every choice
    assert window.output.count() == 2
    assert window.output.text(1) == expected_text(8, offset=1)


def test_text_is_batched_per_frame_not_per_token(qtbot, window, api):
    set_url(window, api.base_url("fast"))
    window.parameters.max_tokens.set_value(3000)
    with qtbot.waitSignal(window.controller.runFinished, timeout=20000):
        press_ctrl_enter(qtbot, window)
    assert window.completion_text() == expected_text(3000)
    assert window.controller.frames.count < 300  # far fewer document edits than 3000 tokens


def test_stop_chips_show_newlines_and_allow_four(qtbot, window, api):
    chips = window.parameters.stop
    for text in ("\\n", "END", "###", "x"):
        qtbot.keyClicks(chips.input, text)
        qtbot.keyClick(chips.input, Qt.Key.Key_Return)
    assert chips.values() == ("\n", "END", "###", "x")
    assert chips.chips()[0].text().startswith("\\n")
    assert not chips.input.isEnabled()
    qtbot.mouseClick(chips.chips()[1], Qt.MouseButton.LeftButton)
    assert chips.values() == ("\n", "###", "x")
    assert chips.input.isEnabled()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        press_ctrl_enter(qtbot, window)
    assert api.last_completion().body["stop"] == ["\n", "###", "x"]


def test_logit_bias_is_validated_inline(qtbot, window, api):
    field = window.parameters.logit_bias
    qtbot.keyClicks(field.edit, '{"50256": -200}')
    assert field.error_label.isVisible()
    assert "between -100 and 100" in field.error_label.text()
    press_ctrl_enter(qtbot, window)
    assert "logit_bias" in window.messages.text()
    assert api.requests == []
    field.edit.setText('{"50256": -100}')
    assert not field.error_label.isVisible()


def test_slider_and_spin_box_move_together(qtbot, window):
    temperature = window.parameters.temperature
    temperature.spin.setValue(1.5)
    assert temperature.slider.value() == 750
    temperature.slider.setValue(250)
    assert temperature.spin.value() == pytest.approx(0.5)
    temperature.check.setChecked(False)
    assert temperature.value() is None


def test_models_fill_the_picker(qtbot, window, api):
    with qtbot.waitSignal(window.controller.modelsLoaded, timeout=10000):
        qtbot.mouseClick(window.connection.refresh, Qt.MouseButton.LeftButton)
    items = [window.connection.model.itemText(i) for i in range(window.connection.model.count())]
    assert items == ["test-model", "test-model-zh"]
    assert window.connection.model_name() == "test-model"


def test_token_id_prompt_in_json_mode(qtbot, window, api):
    window.prompt_mode.setCurrentIndex(window.prompt_mode.findData("json"))
    qtbot.keyClicks(window.prompt, "[[1212, 318], [13]]")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        press_ctrl_enter(qtbot, window)
    assert api.last_completion().body["prompt"] == [[1212, 318], [13]]
    window.prompt.setPlainText("[1, 2.5]")
    press_ctrl_enter(qtbot, window)
    assert "prompt" in window.messages.text()


def test_a_message_never_hides_the_first_lines_of_the_document(qtbot, window, api):
    """The strip floats over the document (which keeps its size) and the text starts below
    it; dismissed, the text is back at the top."""
    from app.ui.common.message_area import Severity

    editor = window.prompt
    editor.setPlainText("Once upon a time\nthere was a prompt")
    size = editor.size()
    window.tell("The server or a proxy in front of it returned an HTML error page "
                "(HTTP 502: 502 Bad Gateway). " * 3, Severity.ERROR)  # fmt: skip
    from PySide6.QtGui import QTextCursor

    first_line = editor.cursorRect(QTextCursor(editor.document()))  # viewport coordinates
    strip = window.messages.geometry()  # in the document view's coordinates
    top_of_text = editor.viewport().mapTo(window.view, first_line.topLeft()).y()
    assert top_of_text > strip.bottom()
    assert editor.size() == size
    window.messages.clear()
    assert editor.viewport().geometry().top() <= editor.frameWidth()
