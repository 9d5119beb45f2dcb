"""Nothing is lost, in the real window: presets, history, autosave, undo and regenerate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.history import HistoryStore, RunRecord
from app.core.paths import AppPaths
from app.core.presets import Preset, PresetStore
from app.core.profiles import Profile, ProfileStore
from app.ui.document.spans import COMPLETION
from app.ui.history.history_panel import PAGE
from app.ui.shell.application import create_window
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.gui


def expected_text(count: int) -> str:
    return "".join(TOKENS[i % len(TOKENS)] for i in range(count))


def open_window(qtbot, paths):
    window = create_window(paths)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def close_window(qtbot, qloop, window):
    task = qloop.create_task(window.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    window.close()


@pytest.fixture
def paths(api):
    paths = AppPaths.resolve()
    ProfileStore(paths.config_dir).save(
        [Profile(name="loopback", base_url=api.base_url(), default_model="test-model")],
        "loopback",
    )
    return paths


@pytest.fixture
def window(qtbot, qloop, paths):
    w = open_window(qtbot, paths)
    w.parameters.max_tokens.set_value(6)
    yield w
    close_window(qtbot, qloop, w)


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    return finished.args[0]


def completion_prompts(api) -> list[str]:
    """The prompts sent for completions (not the model list, which may come in between)."""
    return [r.body["prompt"] for r in api.requests if r.path.endswith("/completions")]


def completions(window) -> list[str]:
    """The texts of the (tinted) completions in the document."""
    editor = window.prompt
    return [editor.text_between(s.start, s.end) for s in editor.spans if s.kind == COMPLETION]


def test_save_preset_as_then_load_it_back(qtbot, window, paths):
    window.prompt.setPlainText("preset prompt 预设")
    window.parameters.temperature.set_value(1.25)
    window.parameters.stop.set_values(["###"])
    window.presets.save_as()
    dialog = window.presets.dialog
    dialog.setTextValue("我的预设")
    dialog.accept()
    saved = PresetStore(paths.data_dir / "presets").path_for("我的预设")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["prompt"] == "preset prompt 预设"
    assert data["parameters"]["temperature"] == 1.25 and data["parameters"]["stop"] == ["###"]
    assert data["profile"] == "loopback"
    assert "sk-" not in saved.read_text(encoding="utf-8")

    window.prompt.setPlainText("something else")
    window.parameters.temperature.set_value(None)
    picker = window.presets.open_picker()
    picker.filter.setText("我的")  # QTest cannot type CJK characters
    assert picker.proxy.rowCount() == 1
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert window.prompt.toPlainText() == "preset prompt 预设"
    assert window.parameters.temperature.value() == 1.25
    assert window.windowTitle().startswith("我的预设")

    window.prompt.setPlainText("edited")
    qtbot.keyClick(window.prompt, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    assert json.loads(saved.read_text(encoding="utf-8"))["prompt"] == "edited"


def test_builtin_preset_loads_and_missing_profile_asks(qtbot, window, paths):
    builtin = next(p for p in window.presets.presets() if p.builtin and "中文" in p.name)
    window.presets.load(builtin)
    assert window.prompt.toPlainText() == builtin.prompt
    foreign = Preset(name="f", prompt="x", profile="Their relay", parameters={"max_tokens": 2})
    window.presets.load(foreign)
    dialog = window.presets.dialog
    assert "Their relay" in dialog.labelText()
    assert dialog.comboBoxItems() == ["loopback"]
    dialog.setTextValue("loopback")
    dialog.accept()
    assert window.prompt.toPlainText() == "x"
    assert window.profiles.current.name == "loopback"


def test_import_export_rename_delete(qtbot, window, paths, tmp_path):
    exported = tmp_path / "导出.json"
    window.prompt.setPlainText("to share")
    window.presets.export_file(exported)
    assert json.loads(exported.read_text(encoding="utf-8"))["prompt"] == "to share"
    window.presets.import_file(exported)
    imported = window.presets.current
    assert imported is not None and not imported.builtin
    window.presets.rename()
    window.presets.dialog.setTextValue("renamed")
    window.presets.dialog.accept()
    store = PresetStore(paths.data_dir / "presets")
    assert store.path_for("renamed").exists()
    window.presets.delete()
    assert not store.path_for("renamed").exists()
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    window.presets.import_file(bad)
    assert str(bad) in window.messages.text()


def test_every_run_is_recorded_searchable_and_restorable(qtbot, window, api):
    window.prompt.setPlainText("first prompt alpha")
    run_and_wait(qtbot, window)
    window.prompt.setPlainText("second prompt beta")
    window.parameters.temperature.set_value(0.3)
    run_and_wait(qtbot, window)
    assert not window.history_dock.isVisible()  # history opens on demand
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.history_dock.isVisible()
    panel = window.history
    assert QApplication.focusWidget() is panel.search
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 2, timeout=5000)
    assert panel.table_model.rows[0].prompt == "second prompt beta"  # newest first
    qtbot.keyClicks(panel.search, "alpha")
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 1, timeout=5000)
    panel.table.selectRow(0)
    window.prompt.setPlainText("")
    window.status.show_state("something else")
    panel.restore_selected()
    # The run comes back whole: its prompt and its completion (tinted) in the document,
    # its parameters in the sidebar, its figures in the status line.
    assert window.prompt.toPlainText() == "first prompt alpha" + expected_text(6)
    assert window.completion_text() == expected_text(6)
    assert completions(window) == [expected_text(6)]
    assert window.parameters.temperature.value() == 0.7
    assert window.status.state.text() == "Done"
    assert window.status.finish.text() == "finish: length"
    panel.copy_selected()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == expected_text(6)
    panel.delete_selected()
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 0, timeout=5000)


def run_against(qtbot, window, url: str):
    """Point the current profile at ``url``, run, and wait for the history's one row."""
    from dataclasses import replace

    current = window.profiles.current
    window.profiles.save_profile(current.name, replace(current, base_url=url))
    run_and_wait(qtbot, window)
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 1, timeout=5000)
    return panel


def test_failed_and_cancelled_runs_are_recorded_with_partial_text(qtbot, window, api):
    panel = run_against(qtbot, window, api.base_url("cut"))
    record = panel.store.get(panel.table_model.rows[0].id)
    assert record.status == "error" and "connection closed" in record.error
    assert record.output == expected_text(3)


def test_history_export_jsonl_and_markdown(qtbot, window, tmp_path):
    run_and_wait(qtbot, window)
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 1, timeout=5000)
    panel.table.selectRow(0)
    task = panel.export_to("jsonl", panel.selected_ids(), tmp_path / "runs.jsonl")
    qtbot.waitUntil(task.done, timeout=5000)
    task = panel.export_to("md", panel.selected_ids(), tmp_path / "runs.md")
    qtbot.waitUntil(task.done, timeout=5000)
    line = json.loads((tmp_path / "runs.jsonl").read_text(encoding="utf-8"))
    assert line["result"]["choices"][0]["text"] == expected_text(6)
    assert expected_text(6) in (tmp_path / "runs.md").read_text(encoding="utf-8")


def test_history_with_10000_runs_loads_one_page_at_a_time(qtbot, qloop, paths):
    store = HistoryStore(paths.data_dir / HistoryStore.FILE_NAME)
    record = RunRecord(created=0, profile="p", base_url="u", model="m", request={"model": "m"},
                       prompt="p", output="o", result={}, status="ok")  # fmt: skip
    with store._lock:
        store._db.executemany(
            "INSERT INTO runs (created, profile, base_url, model, request, prompt, output,"
            " result, status) VALUES (?, 'p', 'u', 'm', '{}', ?, 'o', '{}', 'ok')",
            [(i, f"prompt {i}") for i in range(10_000)],
        )
        store._db.commit()
    store.add(record)
    store.close()
    window = open_window(qtbot, paths)
    try:
        model = window.history.table_model
        assert model.rowCount() == PAGE  # not 10,000 rows at once
        assert model.canFetchMore(model.index(-1, -1))
        model.fetchMore(model.index(-1, -1))
        assert model.rowCount() == 2 * PAGE
    finally:
        close_window(qtbot, qloop, window)


def test_corrupt_history_database_disables_history_visibly(qtbot, qloop, paths, api):
    db = paths.data_dir / HistoryStore.FILE_NAME
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"garbage" * 500)
    window = open_window(qtbot, paths)
    try:
        window.focus_history_search()
        assert "History is disabled" in window.history.notice.text()
        assert window.history.notice.isVisible()
        assert run_and_wait(qtbot, window).ok  # the app keeps working
        assert db.read_bytes() == b"garbage" * 500  # never deleted or replaced
    finally:
        close_window(qtbot, qloop, window)


def test_a_completion_is_one_undo_step(qtbot, window):
    window.prompt.setPlainText("Start:")
    run_and_wait(qtbot, window)
    assert window.prompt.toPlainText() == "Start:" + expected_text(6)  # written in place
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "Start:"
    assert (window.completion_text(), completions(window)) == ("", [])
    window.redo_action.trigger()
    assert window.prompt.toPlainText() == "Start:" + expected_text(6)
    assert completions(window) == [expected_text(6)]
    assert window.completion_text() == expected_text(6)


def test_regenerate_replaces_the_last_completion(qtbot, window, api):
    window.prompt.setPlainText("again")
    run_and_wait(qtbot, window)
    cursor = window.prompt.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.prompt.setTextCursor(cursor)
    qtbot.keyClicks(window.prompt, " [mine]")  # typed after the completion: not replaced
    window.parameters.max_tokens.set_value(3)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    # The text before the completion is the prompt, again.
    assert completion_prompts(api) == ["again", "again"]
    assert window.prompt.toPlainText() == "again" + expected_text(3) + " [mine]"
    assert completions(window) == [expected_text(3)]
    # One undo step brings the first completion back, tinted; redo the new one.
    window.undo_action.trigger()
    assert window.prompt.toPlainText() == "again" + expected_text(6) + " [mine]"
    assert completions(window) == [expected_text(6)]
    window.redo_action.trigger()
    assert window.prompt.toPlainText() == "again" + expected_text(3) + " [mine]"
    assert completions(window) == [expected_text(3)]


def test_working_state_is_autosaved_and_restored(qtbot, qloop, paths):
    window = open_window(qtbot, paths)
    try:
        with qtbot.waitSignal(window.autosave.saved, timeout=5000):
            window.prompt.setPlainText("draft 草稿")
            window.parameters.logprobs.set_value(3)
    finally:
        close_window(qtbot, qloop, window)
    again = open_window(qtbot, paths)
    try:
        assert again.prompt.toPlainText() == "draft 草稿"
        assert again.parameters.logprobs.value() == 3
        # What was just restored is not written again (it was, 400 ms after every start).
        assert not again.autosave._timer.isActive()
    finally:
        close_window(qtbot, qloop, again)


KILL_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
from app.core.paths import AppPaths
from app.ui.shell.application import create_window
from app.ui.shell.event_loop import create_event_loop

app = QApplication([])
loop = create_event_loop(app)
window = create_window(AppPaths.resolve())
window.show()
window.autosave.saved.connect(lambda: print("saved", flush=True))
loop.call_soon(window.prompt.setPlainText, "typed before the crash")
loop.call_soon(window.output.set_text, 0, "output before the crash")
with loop:
    loop.run_forever()
"""


def test_state_survives_kill_9(qtbot, qloop, paths):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "saved"  # autosave happened
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    window = open_window(qtbot, paths)
    try:
        assert window.prompt.toPlainText() == "typed before the crash"
    finally:
        close_window(qtbot, qloop, window)


def test_a_failed_run_without_text_shows_why_in_the_output_column(qtbot, window, api):
    panel = run_against(qtbot, window, api.base_url("500"))
    model = panel.table_model
    shown = model.data(model.index(0, 5))
    assert shown.startswith("⚠ ") and "500" in shown
    assert model.rows[0].output == ""
