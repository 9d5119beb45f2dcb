"""The server kind in the Profiles dialog: choose it, Detect it in the background, save it,
and the main window's parameter panel follows (real window, loopback fakes of the servers).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.paths import AppPaths
from app.core.profiles import TEMPLATES, ProfileStore
from app.core.server_kinds import KINDS
from tests.conftest import loopback_profile
from tests.loopback_server import LoopbackServer

pytestmark = pytest.mark.gui


def fake(api: LoopbackServer, kind_id: str, name: str = "box", **params: object):
    """A profile for the loopback fake of ``kind_id`` (saved as OpenAI-style: no kind)."""
    return loopback_profile(api, name, scenario="kind", **{"as": kind_id}, **params)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_combo_lists_every_kind_and_shows_the_profile_kind(qtbot, open_window, api):
    profile = fake(api, "koboldcpp")
    profile.server = "koboldcpp"
    window = open_window([profile])
    dialog = window.show_profiles()
    combo = dialog.server_kind
    assert [combo.itemData(i) for i in range(combo.count())] == list(KINDS)
    assert [combo.itemText(i) for i in range(combo.count())] == [k.label for k in KINDS.values()]
    assert combo.currentData() == "koboldcpp" and combo.isEnabled()
    assert dialog.detect_button.isEnabled()


def test_detect_selects_vllm_and_saving_makes_the_panel_follow(qtbot, open_window, api):
    window = open_window([fake(api, "vllm")])
    assert window.profiles.current.server_kind == "openai"
    dialog = window.show_profiles()
    assert dialog.server_kind.currentData() == "openai"
    assert dialog.feedback.textFormat() == Qt.TextFormat.PlainText

    click(qtbot, dialog.detect_button)
    assert not dialog.detect_button.isEnabled()  # one detection at a time
    qtbot.waitUntil(lambda: dialog.server_kind.currentData() == "vllm", timeout=10000)
    assert dialog.feedback.text().startswith("Detected vLLM 0.11.0 (asked ")
    assert dialog.detect_button.isEnabled()
    assert window.profiles.current.server is None  # not saved yet

    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.feedback.text().startswith("Saved"), timeout=5000)
    assert window.profiles.current.server == "vllm"
    assert window.profiles.current.server_kind == "vllm"
    saved = ProfileStore(AppPaths.resolve().config_dir).load().current_profile
    assert saved.server == "vllm"
    # The parameter panel shows vLLM's samplers.
    panel = window.parameters
    assert panel.server_kind() == "vllm"
    assert not panel.row("repetition_penalty").isHidden()
    assert not panel.row("top_k").isHidden()
    assert panel.row("mirostat").isHidden()


def test_detect_uses_the_key_typed_in_the_dialog(qtbot, open_window, api):
    window = open_window([fake(api, "llamacpp")])
    dialog = window.show_profiles()
    qtbot.keyClicks(dialog.api_key, "sk-typed-123")
    api.clear()
    task = dialog.detect()
    assert task is not None
    qtbot.waitUntil(task.done, timeout=10000)
    # The answer is shown by the task's done callback, on the loop's next turn.
    qtbot.waitUntil(dialog.detect_button.isEnabled, timeout=5000)
    assert dialog.server_kind.currentData() == "llamacpp"
    props = [r for r in api.requests if r.path == "/props"]
    assert props and props[0].headers.get("authorization") == "Bearer sk-typed-123"


def test_a_failed_detection_is_one_sentence_and_changes_nothing(qtbot, open_window, api):
    profile = fake(api, "vllm")
    profile.server = "koboldcpp"
    window = open_window([profile])
    dialog = window.show_profiles()
    dialog.base_url.setText("http://127.0.0.1:9/v1")  # nothing listens on port 9
    task = dialog.detect()
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.result() is not None
    # The sentence is shown by the task's done callback, on the loop's next turn.
    qtbot.waitUntil(lambda: "Could not connect" in dialog.feedback.text(), timeout=5000)
    assert "Could not connect to http://127.0.0.1:9/v1" in dialog.feedback.text()
    assert "c62828" in dialog.feedback.styleSheet()
    assert dialog.server_kind.currentData() == "koboldcpp"
    assert dialog.detect_button.isEnabled()


def test_a_late_answer_for_another_profile_is_dropped(qtbot, open_window, api):
    first, second = fake(api, "vllm", "first"), fake(api, "ollama", "second")
    window = open_window([first, second])
    dialog = window.show_profiles()
    task = dialog.detect()
    dialog.list.setCurrentRow(1)  # the user moves on before the answer comes
    answered: list[bool] = []
    # asyncio runs a task's done callbacks in the order they were added: once this one
    # has run, the dialog's own has had the answer.
    task.add_done_callback(lambda _: answered.append(True))
    qtbot.waitUntil(lambda: bool(answered), timeout=10000)
    assert dialog.name.text() == "second"
    assert dialog.server_kind.currentData() == "openai"
    assert not dialog.feedback.text().startswith("Detected")


def test_ollama_shows_its_note_under_the_combo(qtbot, open_window, api):
    window = open_window([fake(api, "ollama")])
    dialog = window.show_profiles()
    assert dialog.kind_note.isHidden()
    dialog.server_kind.setCurrentIndex(dialog.server_kind.findData("ollama"))
    assert not dialog.kind_note.isHidden()
    assert dialog.kind_note.text() == KINDS["ollama"].note
    assert dialog.kind_note.textFormat() == Qt.TextFormat.PlainText
    dialog.server_kind.setCurrentIndex(dialog.server_kind.findData("llamacpp"))
    assert dialog.kind_note.isHidden()


def test_a_template_brings_its_kind(qtbot, open_window, api):
    window = open_window([fake(api, "openai")])
    dialog = window.show_profiles()
    template = next(t for t in TEMPLATES if t.server == "textgen")
    action = next(a for a in dialog.add_menu.actions() if a.text() == template.label)
    action.trigger()
    assert dialog.server_kind.currentData() == "textgen"
    dialog.base_url.setText(api.base_url())
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.feedback.text().startswith("Saved"), timeout=5000)
    assert window.profiles.find(template.label).server == "textgen"


def test_the_local_model_needs_no_detection(qtbot, open_window):
    window = open_window()  # first launch: the built-in local model
    dialog = window.show_profiles()
    assert window.profiles.current.is_local_model
    assert dialog.server_kind.currentData() == "llama-cpp-python"
    assert not dialog.server_kind.isEnabled()
    assert not dialog.detect_button.isEnabled()
    assert dialog.detect() is None
