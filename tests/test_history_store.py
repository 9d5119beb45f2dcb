"""History shared by processes, and private files.

No run is lost to a busy database: opening never writes when the schema is current (and
reads no more than the header and schema), writes take the lock up front (``BEGIN
IMMEDIATE``) with a generous busy timeout and retry with backoff. Everything the app
writes under its folders is private to the user: files 0600, folders 0700.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core.history import HistoryError, HistoryStore, RunRecord
from app.core.paths import AppPaths
from app.core.presets import Preset
from app.core.profiles import Profile, ProfileStore
from app.core.request import CompletionRequest
from app.core.session_state import WorkingState
from app.core.settings import Settings, SettingsFile

#: A second process that holds the write lock for longer than the old 2 s timeout, then
#: keeps writing big rows in short transactions until ``stop`` exists.
WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    from pathlib import Path

    path, stop, hold = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    big = "x" * (256 * 1024)

    def write():
        db.execute(
            "INSERT INTO runs (created, profile, request, prompt, output, result, status)"
            " VALUES (0, 'writer', '{}', 'big', 'big', ?, 'ok')", (big,)
        )

    db.execute("BEGIN IMMEDIATE")
    write()
    print("holding", flush=True)
    time.sleep(hold)  # a slow writer: this is the situation under test, not a wait
    db.execute("COMMIT")
    written = 1
    while not stop.exists():
        db.execute("BEGIN IMMEDIATE")
        write()
        db.execute("COMMIT")
        written += 1
        time.sleep(0.02)  # pacing, so the file stays small
    print(written, flush=True)
    """
)


def record(marker: str) -> RunRecord:
    return RunRecord(created=1.0, profile="mine", base_url="http://h/v1", model="m",
                     request={"model": "m", "prompt": marker}, prompt=marker, output="out",
                     result={"choices": []}, status="ok")  # fmt: skip


def start_writer(path: Path, stop: Path, hold: float = 3.0) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(stop), str(hold)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "holding"  # it has the write lock now
    return writer


def stop_writer(writer: subprocess.Popen[str], stop: Path) -> int:
    stop.touch()
    out, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0
    return int(out.strip())


def test_no_run_is_lost_while_another_process_writes_big_rows(tmp_path):
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    stop = tmp_path / "stop"
    writer = start_writer(path, stop)
    try:
        for i in range(50):  # as 50 CLI runs do: open, add, close
            store = HistoryStore(path)
            try:
                store.add(record(f"run {i}"))
            finally:
                store.close()
    finally:
        written = stop_writer(writer, stop)
    store = HistoryStore(path)
    assert store.count(profile="mine") == 50
    assert {r.prompt for r in store.search(profile="mine", limit=100)} == {
        f"run {i}" for i in range(50)
    }
    assert store.count(profile="writer") == written >= 2


def test_cli_runs_are_recorded_while_another_process_holds_the_lock(tmp_path, api):
    home = tmp_path / "cli-home"
    path = home / "data" / HistoryStore.FILE_NAME
    HistoryStore(path).close()
    stop = tmp_path / "stop"
    writer = start_writer(path, stop, hold=6.0)  # longer than a CLI start plus 2 s
    try:
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "complete",
                    "--config-dir",
                    str(home),
                    "--base-url",
                    api.base_url(),
                    "--model",
                    "m",
                    "--prompt",
                    f"cli {i}",
                    "--max-tokens",
                    "2",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(5)
        ]
        results = [run.communicate(timeout=60) for run in runs]
    finally:
        stop_writer(writer, stop)
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0 and "note:" not in err, err
    store = HistoryStore(path)
    assert sorted(r.prompt for r in store.search("cli ")) == [f"cli {i}" for i in range(5)]


def test_opening_a_current_database_does_not_write_or_scan(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    before = path.read_bytes()
    HistoryStore(path).close()
    assert statements, "the trace saw nothing"
    for statement in statements:  # only reads: the header's pragmas and the schema
        upper = statement.upper()
        assert upper.startswith(("SELECT ", "PRAGMA ")) and "=" not in upper.split("WHERE")[0]
        assert "CHECK" not in upper, statement  # no quick_check / integrity_check scan
    assert path.read_bytes() == before


def test_opening_while_another_process_holds_the_write_lock(tmp_path):
    path = tmp_path / "history.sqlite3"
    first = HistoryStore(path)
    first.add(record("before"))
    first.close()
    locker = sqlite3.connect(path)
    locker.execute("BEGIN IMMEDIATE")
    try:
        store = HistoryStore(path, timeout=0.2)  # the old open wrote, and failed here
        assert store.count() == 1  # reading works while another connection writes
        with pytest.raises(HistoryError, match="locked") as info:
            store.add(record("blocked"))
        assert info.value.msg.code == "history.locked"
    finally:
        locker.rollback()
        locker.close()
    store.add(record("after"))  # the lock is gone: the write goes through
    assert store.count() == 2


def test_a_newer_or_corrupt_database_is_reported_and_left_untouched(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 99")
    db.close()
    content = newer.read_bytes()
    with pytest.raises(HistoryError) as info:
        HistoryStore(newer)
    assert info.value.msg.code == "history.newer" and "newer version" in str(info.value)
    assert newer.read_bytes() == content
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    with pytest.raises(HistoryError) as info:
        HistoryStore(damaged)
    assert "History is disabled" in str(info.value) and str(damaged) in str(info.value)
    assert damaged.read_bytes() == b"SQLite format 3\x00" + b"\x07" * 4000


def test_an_old_database_without_the_schema_is_upgraded(tmp_path):
    path = tmp_path / "history.sqlite3"
    sqlite3.connect(path).close()  # an empty database (user_version 0)
    store = HistoryStore(path)
    store.add(record("x"))
    assert store.count() == 1 and store.search("x")


# -- permissions ------------------------------------------------------------------------------


def _modes(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` (and root) that others could read or enter."""
    loose = {}
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            loose[str(path.relative_to(root))] = oct(mode)
    return loose


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_every_file_the_app_writes_is_private(tmp_path):
    from app.ui.shell.storage import open_storage

    umask = os.umask(0o022)  # a usual umask, as a desktop session has
    try:
        _write_everything(tmp_path / "home", open_storage)
    finally:
        os.umask(umask)
    assert _modes(tmp_path / "home") == {}


def _write_everything(home: Path, open_storage) -> None:
    """What a session of the window writes: history, profiles, settings, a preset …"""
    paths = AppPaths.resolve(home)
    storage = open_storage(paths)
    assert storage.history is not None
    storage.history.add(record("private"))
    ProfileStore(paths.config_dir).save([Profile("p", "http://127.0.0.1:9/v1")], "p")
    SettingsFile(paths.config_dir).save(Settings(theme="dark"))
    request = CompletionRequest(model="m", prompt="p")
    storage.presets.save(Preset.from_request("mine", request, profile="p", prompt_mode="text"))
    storage.session.save(WorkingState(prompt="draft"))
    storage.history.export_jsonl([1], paths.cache_dir / "export.jsonl")
    names = {p.name for p in home.rglob("*")}
    assert {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", "profiles.json",
            "settings.json", "session.json", "mine.json", "presets"} <= names  # fmt: skip
    assert _modes(home) == {}  # while the database is open (-wal and -shm exist)
    storage.history.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    path.chmod(0o644)
    store = HistoryStore(path)
    store.add(record("x"))
    assert _modes(tmp_path) == {}
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_cli_process_writes_private_files(tmp_path, api):
    home = tmp_path / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "complete", "--config-dir", str(home), "--base-url",
         api.base_url(), "--model", "m", "--prompt", "hi", "--max-tokens", "1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (home / "data" / "history.sqlite3").exists()
    assert _modes(home) == {}
