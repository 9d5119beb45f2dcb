"""Profiles in the real window: switch, add from a template, keys only in the keyring."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from app.core.keys import SERVICE, KeyStore
from app.core.paths import AppPaths
from app.core.profiles import LOCAL_MODEL, Profile, ProfileStore
from app.ui.shell.application import create_window

pytestmark = pytest.mark.gui

SECRET = "fake-key-SECRET-0123456789abcdef"


def make_window(qtbot, qloop, profiles=None, keys=None):
    paths = AppPaths.resolve()
    if profiles is not None:
        ProfileStore(paths.config_dir).save(profiles, profiles[0].name)
    window = create_window(paths, keys)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window, paths


def close(qtbot, qloop, window):
    task = qloop.create_task(window.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    window.close()


@pytest.fixture
def loopback_window(qtbot, qloop, api):
    window, paths = make_window(
        qtbot, qloop, [Profile(name="loopback", base_url=api.base_url(), default_model="m")]
    )
    yield window, paths
    close(qtbot, qloop, window)


def files_containing(root, needle: str) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(str(path))
    return hits


def test_add_profile_with_key_in_keyring_only(qtbot, qloop, api, loopback_window):
    window, paths = loopback_window
    dialog = window.show_profiles()
    assert dialog.isVisible() and not dialog.isModal()
    openai = next(a for a in dialog.add_menu.actions() if a.text() == "OpenAI")
    openai.trigger()
    assert dialog.base_url.text() == "https://api.openai.com/v1"
    dialog.name.setText("relay")
    dialog.base_url.setText(api.base_url())
    dialog.default_model.setText("test-model")
    qtbot.keyClicks(dialog.api_key, SECRET)
    dialog.headers.setPlainText("X-Team: blue")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "keyring" in dialog.feedback.text(), timeout=5000)
    relay = window.profiles.find("relay")
    assert relay is not None and relay.key_ref
    assert keyring.get_keyring().get_password(SERVICE, relay.key_ref) == SECRET
    assert files_containing(paths.config_dir, SECRET) == []

    dialog.close()
    window.connection.profileSelected.emit("relay")
    assert window.profiles.current.name == "relay"
    assert window.connection.model_name() == "test-model"
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].ok
    sent = api.last_completion()
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert sent.headers["x-team"] == "blue"
    # Nothing the app wrote holds the key: settings, profiles, data, logs.
    assert files_containing(paths.config_dir, SECRET) == []
    saved = json.loads((paths.config_dir / "profiles.json").read_text())
    assert saved["current"] == "relay"


def test_test_connection_says_success_or_the_exact_failure(qtbot, qloop, api, loopback_window):
    window, _ = loopback_window
    with qtbot.waitSignal(window.controller.connectionTested, timeout=5000) as tested:
        qtbot.mouseClick(window.connection.test, Qt.MouseButton.LeftButton)
    ok, message = tested.args
    assert ok and message.startswith("Connected to http://127.0.0.1")
    assert "2 model(s)" in message
    dialog = window.show_profiles()
    dialog.base_url.setText(api.base_url("401"))
    with qtbot.waitSignal(window.controller.connectionTested, timeout=5000) as tested:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert tested.args[0] is False
    assert dialog.feedback.text().startswith("Authentication failed")


def test_invalid_profile_fields_are_named(qtbot, qloop, loopback_window):
    window, _ = loopback_window
    dialog = window.show_profiles()
    dialog.base_url.setText("ftp://nowhere")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.feedback.text().startswith("base_url:")
    dialog.base_url.setText("http://127.0.0.1:1/v1")
    dialog.headers.setPlainText("no colon here")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "headers: line 1" in dialog.feedback.text()


def test_without_secure_storage_keys_live_for_the_session_only(qtbot, qloop, api):
    window, paths = make_window(
        qtbot,
        qloop,
        [Profile(name="loopback", base_url=api.base_url(), default_model="m")],
        keys=KeyStore(fail.Keyring()),
    )
    try:
        with qtbot.waitSignal(window.profiles.keyStatusChanged, timeout=5000):
            window.profiles.start_key_probe()
        assert "No secure key storage" in window.messages.text()
        assert "session only" in window.messages.text()
        dialog = window.show_profiles()
        qtbot.keyClicks(dialog.api_key, SECRET)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "session only" in dialog.feedback.text(), timeout=5000)
        with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
            window.run()
        assert api.last_completion().headers["authorization"] == f"Bearer {SECRET}"
        assert files_containing(paths.config_dir, SECRET) == []
    finally:
        close(qtbot, qloop, window)


def test_corrupt_profiles_file_is_reported_and_kept(qtbot, qloop):
    paths = AppPaths.resolve()
    paths.config_dir.mkdir(parents=True)
    (paths.config_dir / "profiles.json").write_text("{not json", encoding="utf-8")
    window, _ = make_window(qtbot, qloop)
    try:
        assert "could not be read" in window.messages.text()
        assert (paths.config_dir / "profiles.json.corrupt").read_text() == "{not json"
        assert window.profiles.current.kind == LOCAL_MODEL
    finally:
        close(qtbot, qloop, window)


def test_first_launch_uses_the_local_model_profile(qtbot, qloop):
    window, _ = make_window(qtbot, qloop)
    try:
        assert window.connection.profile.currentText() == "Local model"
        assert window.profiles.current.kind == LOCAL_MODEL
        assert window.connection.model_name() == "SmolLM2-135M-Instruct"
    finally:
        close(qtbot, qloop, window)
