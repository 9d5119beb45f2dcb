"""The wire inspector in the real window: the exact request, headers and raw SSE events."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.shell.application import create_window

pytestmark = pytest.mark.gui

FAKE_KEY = "wire-test-key-3f9a"


@pytest.fixture
def window(qtbot, qloop, api, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    paths = AppPaths.resolve()
    ProfileStore(paths.config_dir).save(
        [Profile(name="relay", base_url=api.base_url(scenario="comments"), default_model="m")],
        "relay",
    )
    w = create_window(paths)
    qtbot.addWidget(w)
    w.parameters.max_tokens.set_value(3)
    w.prompt.setPlainText("检查 the wire")
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    yield w
    task = qloop.create_task(w.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    w.close()


def texts(inspector) -> str:
    parts = []
    for i in range(inspector.tabs.count()):
        inspector.tabs.setCurrentIndex(i)
        parts.append(inspector.current_text())
    return "\n".join(parts)


def test_inspector_shows_request_headers_and_raw_events(qtbot, window, api):
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert api.last_completion().headers["authorization"] == f"Bearer {FAKE_KEY}"
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    inspector = window.wire_inspector
    assert inspector is not None and inspector.isVisible()
    request_text = inspector.request_view.toPlainText()
    assert request_text.startswith("POST " + api.base_url(scenario="comments"))
    body = request_text.split("\n\n", 1)[1]
    assert json.loads(body) == api.last_completion().body
    assert "检查 the wire" in body  # readable, not \\u escapes
    assert "authorization: Bearer •••" in request_text
    assert "HTTP/1.1 200" in inspector.response_view.toPlainText()
    events = [inspector.events.item(i).text() for i in range(inspector.events.count())]
    assert ": keep-alive" in events
    assert any(e.endswith("data: [DONE]") for e in events)
    assert "Raw events (" in inspector.tabs.tabText(2)
    assert FAKE_KEY not in texts(inspector)
    inspector.tabs.setCurrentIndex(0)
    qtbot.mouseClick(inspector.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == request_text


def test_inspector_opens_a_run_from_history(qtbot, window, api):
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run_action.trigger()
    window.focus_history_search()  # the history starts hidden
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 1, timeout=5000)
    panel.table.selectRow(0)
    assert panel.selected_ids(), "a row must be selected"
    assert panel.inspect_button.isVisible()
    # The dock is laid out on the next turn of the event loop: click a button you can see.
    qtbot.waitUntil(lambda: not panel.inspect_button.visibleRegion().isEmpty())
    qtbot.mouseClick(panel.inspect_button, Qt.MouseButton.LeftButton)
    inspector = window.wire_inspector
    assert inspector.source.text().startswith("History run")
    events = [inspector.events.item(i).text() for i in range(inspector.events.count())]
    assert any(e.endswith("data: [DONE]") for e in events)
    assert FAKE_KEY not in texts(inspector)
