"""Settings file: defaults, round trip, bad values reported, broken files kept aside;
history retention."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from app.core.history import HistoryStore, RunRecord
from app.core.settings import Settings, SettingsError, SettingsFile


def test_defaults_without_a_file(tmp_path):
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings == Settings() and loaded.problem is None


def test_round_trip_keeps_unknown_fields(tmp_path):
    store = SettingsFile(tmp_path)
    chosen = Settings(language="zh_CN", theme="dark", editor_font="Noto Sans Mono CJK SC",
                      editor_font_size=14, read_timeout=120.0, history_days=30)  # fmt: skip
    store.save(chosen)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["settings"]["future_option"] = {"x": 1}
    store.path.write_text(json.dumps(data), encoding="utf-8")
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings == chosen and loaded.problem is None
    store.save(replace(loaded.settings, theme="light"))
    again = json.loads(store.path.read_text(encoding="utf-8"))
    assert again["settings"]["future_option"] == {"x": 1}
    assert again["settings"]["theme"] == "light" and again["schema_version"] == 1


def test_invalid_values_fall_back_and_are_reported(tmp_path):
    store = SettingsFile(tmp_path)
    store.path.write_text(
        json.dumps({"schema_version": 1, "settings": {
            "language": "klingon", "theme": "dark", "editor_font_size": 500,
            "read_timeout": -1}}),
        encoding="utf-8",
    )  # fmt: skip
    loaded = store.load()
    assert loaded.settings.theme == "dark"  # the good value is kept
    assert loaded.settings.language == "system" and loaded.settings.editor_font_size == 11
    assert "language" in str(loaded.problem) and "editor_font_size" in str(loaded.problem)
    assert "read_timeout" in str(loaded.problem)
    assert store.path.exists()  # not overwritten


@pytest.mark.parametrize("content", ["{not json", "[]", '{"settings": 3}', ""])
def test_a_broken_file_is_kept_aside_and_reported(tmp_path, content):
    store = SettingsFile(tmp_path)
    store.path.write_text(content, encoding="utf-8")
    loaded = store.load()
    assert loaded.settings == Settings()
    assert "settings.json.corrupt" in str(loaded.problem)
    assert (tmp_path / "settings.json.corrupt").read_text(encoding="utf-8") == content


def test_save_refuses_invalid_settings(tmp_path):
    with pytest.raises(SettingsError, match="theme"):
        SettingsFile(tmp_path).save(Settings(theme="purple"))
    assert not (tmp_path / "settings.json").exists()


def _record(created: float, text: str) -> RunRecord:
    return RunRecord(
        created=created, profile="p", base_url="http://h/v1", model="m",
        request={"model": "m", "prompt": text}, prompt=text, output=text, result={},
        status="ok", error=None,
    )  # fmt: skip


def test_history_retention_by_age_and_count(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    now = time.time()
    for days in (100, 40, 10, 1, 0):
        store.add(_record(now - days * 86400, f"run {days} days ago"))
    assert store.prune(older_than_days=30, now=now) == 2
    assert store.count() == 3
    assert store.count("days ago") == 3  # the search index follows
    assert store.prune(keep_runs=2) == 1
    assert [r.prompt for r in store.search()] == ["run 0 days ago", "run 1 days ago"]
    assert store.prune() == 0
