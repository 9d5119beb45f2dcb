"""Learned endpoint limits in the real window: retry without a rejected parameter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.shell.application import create_window

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, qloop, api):
    paths = AppPaths.resolve()
    url = api.base_url(scenario="reject", params="suffix", style="pydantic")
    ProfileStore(paths.config_dir).save(
        [Profile(name="strict", base_url=url, default_model="test-model")], "strict"
    )
    w = create_window(paths)
    qtbot.addWidget(w)
    w.parameters.max_tokens.set_value(4)
    w.prompt.setPlainText("def add(a, b):")
    w.parameters.suffix.setPlainText("\n\nprint(add(1, 2))")
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    yield w
    task = qloop.create_task(w.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    w.close()


def test_retry_without_rejected_parameter_and_remember_it(qtbot, window, api):
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run_action.trigger()
    assert finished.args[0].error is not None
    assert api.last_completion().body["suffix"] == "\n\nprint(add(1, 2))"
    assert window.prompt.toPlainText() == "def add(a, b):"  # nothing written by a failed run
    button = window.messages.action_button
    assert button.isVisible() and button.text() == "Retry without suffix"
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as retried:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert retried.args[0].ok, retried.args[0].error
    assert "suffix" not in api.last_completion().body
    assert api.last_completion().body["prompt"] == "def add(a, b):"
    completion = window.completion_text()
    assert completion and window.prompt.toPlainText() == "def add(a, b):" + completion
    # Learned and stored with the profile; the value in the form is kept, the control marked.
    stored = ProfileStore(AppPaths.resolve().config_dir).load().find("strict")
    assert stored is not None and stored.unsupported == ["suffix"]
    assert window.parameters.suffix.toPlainText() == "\n\nprint(add(1, 2))"
    assert window.parameters.unsupported_marked() == {"suffix"}
    label = window.parameters._label_for("suffix")
    assert label.font().strikeOut() and "strict" in label.toolTip()
    # The next run leaves it out from the start.
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as again:
        window.run_action.trigger()
    assert again.args[0].ok and "suffix" not in api.last_completion().body
    assert "not sent" in window.status.state.text()
    # Forget: sent again (and rejected again).
    window.capabilities.forget_action.trigger()
    assert window.parameters.unsupported_marked() == set()
    assert not label.font().strikeOut()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as forgotten:
        window.run_action.trigger()
    assert forgotten.args[0].error is not None


def test_ignored_logprobs_can_be_remembered(qtbot, window, api):
    window.parameters.suffix.clear()
    window.parameters.logprobs.set_value(2)
    # A server that accepts logprobs but returns none: the loopback server's json-body
    # scenario ignores nothing, so strip them by asking a scenario that drops logprobs.
    current = window.profiles.current
    from dataclasses import replace

    window.profiles.save_profile(
        current.name, replace(current, base_url=api.base_url(scenario="no-logprobs"))
    )
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run_action.trigger()
    assert finished.args[0].ok
    assert "ignored: logprobs" in window.messages.text()
    qtbot.mouseClick(window.messages.action_button, Qt.MouseButton.LeftButton)
    assert window.profiles.current.unsupported == ["logprobs"]
