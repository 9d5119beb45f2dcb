"""View code and Import curl in the real window, against the loopback server.

The key lives in the (test) keyring and must never appear in the code; the curl that
View code shows, pasted into Import, must give back the same request; an imported
command with a literal key creates a profile whose key is in the keyring only.
"""

from __future__ import annotations

import json

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core.curl_parse import parse_curl
from app.core.keys import SERVICE
from app.core.paths import AppPaths
from tests.conftest import loopback_profile

pytestmark = pytest.mark.gui

STORED_KEY = "sk-stored-Qm7Lr2Xw9Tb4"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(open_window, api):
    keyring.get_keyring().set_password(SERVICE, "relay-key", STORED_KEY)
    relay = loopback_profile(api, name="relay")
    relay.default_model, relay.key_ref, relay.headers = "m", "relay-key", {"X-Org": "acme"}
    w = open_window([relay])
    w.parameters.max_tokens.set_value(4)
    w.parameters.temperature.set_value(0.3)
    return w


def _last_post(api):
    """The completion request (a model-list refresh after a profile switch may come later)."""
    return [r for r in api.requests if r.method == "POST"][-1]


def _open_code(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_C, CTRL_SHIFT)
    dialog = window.code.code_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: window.code._secret == STORED_KEY)
    return dialog


def test_view_code_follows_the_editor_and_never_shows_the_key(qtbot, window):
    window.prompt.setPlainText(f"Quote the key {STORED_KEY} — 你好")
    dialog = _open_code(qtbot, window)
    curl = dialog.code.toPlainText()
    assert STORED_KEY not in curl and "$OPENAI_API_KEY" in curl
    assert "never written into the code" in dialog.note.text()
    body = parse_curl(curl).body
    expected = window.build_request().to_body()
    assert body == {**expected, "prompt": "Quote the key <redacted> — 你好"}
    # Every language, chosen with the keyboard on the real combo box.
    seen = set()
    for _ in range(3):
        qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
        code = dialog.code.toPlainText()
        assert STORED_KEY not in code and "OPENAI_API_KEY" in code and "X-Org" in code
        seen.add(dialog.current_language())
    assert seen == {"python-openai", "python-httpx", "javascript-fetch"}
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.code.toPlainText()
    assert dialog.feedback.text() == "Copied"
    # It follows the editor while open.
    window.prompt.setPlainText("changed prompt")
    qtbot.waitUntil(lambda: "changed prompt" in dialog.code.toPlainText())
    window.parameters.max_tokens.set_value(-1)
    window.prompt_mode.setCurrentIndex(window.prompt_mode.findData("json"))
    qtbot.waitUntil(lambda: "not valid yet" in dialog.note.text())
    assert not dialog.copy_button.isEnabled()


def test_curl_from_view_code_imports_back_to_the_same_request(qtbot, window, api):
    window.prompt.setPlainText('It\'s a "quoted" $HOME prompt\n第二行')
    expected = window.build_request().to_body()
    dialog = _open_code(qtbot, window)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    dialog.close()
    # Change everything, then import the copied command.
    window.prompt.setPlainText("something else")
    window.parameters.temperature.set_value(1.7)
    window.parameters.max_tokens.set_value(99)
    window.code.import_action.trigger()
    importer = window.code.import_dialog
    assert importer is not None and importer.isVisible()
    importer.text.setFocus()
    qtbot.keyClick(importer.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert importer.text.toPlainText().startswith("curl ")
    qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not importer.isVisible())
    assert "Using the profile “relay”" in window.messages.text()
    assert len(window.profiles.profiles) == 1
    assert window.build_request().to_body() == expected
    # The import is one undo step.
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "something else"
    window.redo_action.trigger()
    assert window.build_request().to_body() == expected
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    post = _last_post(api)
    assert post.body == expected
    assert post.headers["authorization"] == f"Bearer {STORED_KEY}"


def test_import_with_a_literal_key_creates_a_profile_with_the_key_in_the_keyring(
    qtbot, window, api
):
    url = api.base_url(scenario="normal", tag="imported").removesuffix("/v1")
    command = (
        f"curl {url}/v1/completions \\\n"
        '  -H "Authorization: Bearer sk-imported-Lp4Vt8Qz" -H "X-Team: 研发" \\\n'
        """  -d '{"model": "imported-model", "prompt": "导入的提示", "max_tokens": 5,"""
        """ "logprobs": 2, "stream": false, "top_k": 40, "my_flag": true}'"""
    )
    importer = window.code.show_import()
    importer.text.setPlainText(command)
    qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not importer.isVisible())
    profile = window.profiles.current
    assert profile.name.startswith("Imported – 127.0.0.1:")
    assert profile.headers == {"X-Team": "研发"} and profile.default_model == "imported-model"
    assert keyring.get_keyring().get_password(SERVICE, profile.key_ref) == "sk-imported-Lp4Vt8Qz"
    config = (AppPaths.resolve().config_dir / "profiles.json").read_text(encoding="utf-8")
    assert "sk-imported" not in config
    message = window.messages.text()
    assert "Created the profile" in message and "my_flag" in message and "keyring" in message
    assert window.prompt.toPlainText() == "导入的提示"
    assert window.connection.model_name() == "imported-model"
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run_action.trigger()
    assert api.requests, (profile.base_url, window.messages.text())
    sent = _last_post(api)
    assert sent.headers["authorization"] == "Bearer sk-imported-Lp4Vt8Qz"
    # UTF-8 on the wire, as curl sends it (http.server reads header bytes as Latin-1).
    assert sent.headers["x-team"].encode("latin-1").decode("utf-8") == "研发"
    assert sent.body == {
        "model": "imported-model", "prompt": "导入的提示", "max_tokens": 5, "logprobs": 2,
        "stream": False, "top_k": 40, "my_flag": True,
    }  # fmt: skip


def test_a_command_that_cannot_be_imported_is_explained_and_kept(qtbot, window):
    before = window.prompt.toPlainText()
    importer = window.code.show_import()
    command = "curl https://api.openai.com/v1/chat/completions -d " + json.dumps(
        json.dumps({"model": "gpt-4o", "messages": []})
    )
    importer.text.setPlainText(command)
    qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    assert importer.isVisible()
    assert "chat-completions" in importer.error.text()
    assert importer.text.toPlainText() == command
    assert window.prompt.toPlainText() == before
    assert len(window.profiles.profiles) == 1
