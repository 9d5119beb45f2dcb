"""History shared by processes, keyset paging, and private files.

No run is lost to a busy database: opening never writes when the schema is current (and
reads no more than the header and schema), writes take the lock up front (``BEGIN
IMMEDIATE``) with a generous busy timeout and retry with backoff. A file from the first
schema gets its keyset indexes on open, only when the write lock is free at once. Pages
continue after the last row's ``(created, id)``: every run exactly once, in order, however
many share a timestamp, filtered or searched, in the store and in the window's model.
Everything the app writes under its folders is private to the user: files 0600, folders
0700.
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

from app.core import history
from app.core.history import HistoryError, HistoryStore, RunRecord, RunSummary
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


def trace_statements(monkeypatch) -> list[str]:
    """Every statement the connections opened from now on execute."""
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    return statements


def test_opening_a_current_database_does_not_write_or_scan(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    statements = trace_statements(monkeypatch)
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


# -- keyset paging ----------------------------------------------------------------------------

#: The indexes as the first schema made them (single columns, id order not kept).
FIRST_SCHEMA_INDEXES = (
    "CREATE INDEX runs_created ON runs(created DESC)",
    "CREATE INDEX runs_model ON runs(model)",
    "CREATE INDEX runs_profile ON runs(profile)",
)


def fill(path: Path, count: int, created: float = 1000.0) -> None:
    """``count`` runs sharing one timestamp, in one transaction on a connection of its own.

    Models m0..m2 and profiles p0..p1 take turns; every 7th output says "needle" and every
    5th prompt "ab" (a two-letter text is searched with LIKE, not the trigram index).
    """
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO runs (created, profile, base_url, model, request, prompt, output, result,"
        " status) VALUES (?, ?, 'u', ?, '{}', ?, ?, '{}', 'ok')",
        [(created, f"p{i % 2}", f"m{i % 3}", f"prompt {i}{' ab' if i % 5 == 0 else ''}",
          f"output {i}{' needle' if i % 7 == 0 else ''}") for i in range(count)],
    )  # fmt: skip
    db.commit()
    db.close()


def walk(store: HistoryStore, limit: int, **filters) -> list[RunSummary]:
    """Every page, each after the last row of the one before, until a short page."""
    rows: list[RunSummary] = []
    after = None
    while True:
        page = store.page(after, limit, **filters)
        rows += page
        if len(page) < limit:
            return rows
        after = page[-1].key


def newest_first(rows: list[RunSummary]) -> list[tuple[float, int]]:
    return sorted((r.key for r in rows), reverse=True)


@pytest.fixture
def thousand(tmp_path) -> HistoryStore:
    """1,000 runs with the same ``created``: only the id orders them."""
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    fill(path, 1000)
    return HistoryStore(path)


@pytest.mark.parametrize("few", [0, 10_000])  # the list walked in chunks, or matches by id
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 1000),
        ({"model": "m1"}, 333),
        ({"profile": "p0"}, 500),
        ({"model": "m2", "profile": "p1"}, 166),
        ({"text": "needle"}, 143),  # full text (trigram)
        ({"text": "needle", "model": "m0"}, 48),
        ({"text": "ab"}, 200),  # two letters: LIKE
        ({"text": "ab", "profile": "p1"}, 100),
        ({"text": "nothing like it"}, 0),
    ],
)
def test_keyset_pages_list_every_run_once_in_order(thousand, monkeypatch, filters, expected,
                                                   few):  # fmt: skip
    monkeypatch.setattr(history, "FEW_MATCHES", few)
    monkeypatch.setattr(history, "_FIRST_CHUNK", 3)  # many chunks, pages ending inside them
    for limit in (1, 7, 200, 1000):
        rows = walk(thousand, limit, **filters)
        keys = [r.key for r in rows]
        assert len(set(keys)) == len(keys) == expected  # each run once
        assert keys == newest_first(rows)  # newest first, ties by id, across pages
        assert {r.created for r in rows} <= {1000.0}
    assert thousand.count(**filters) == expected
    if filters.get("model"):
        assert {r.model for r in rows} == {filters["model"]}
    if filters.get("text") == "needle":
        assert all("needle" in r.output for r in rows)
    assert [r.id for r in thousand.search(**filters, limit=50, offset=100)] == [
        r.id for r in rows[100:150]
    ]  # the offset pages (older callers) list the same order


def test_a_run_recorded_while_paging_goes_to_the_top_and_shifts_no_page(thousand):
    first = thousand.page(None, 100)
    for created in (1000.0, 5000.0):  # the same time as the others, and newer
        thousand.add(RunRecord(created=created, profile="p0", base_url=None, model="m0",
                               request={}, prompt="late needle", output="", result={},
                               status="ok"))  # fmt: skip
    rest = walk(thousand, 100)  # the first page again, then on
    after_first = [r for r in rest if r.key < first[-1].key]
    assert [r.key for r in first + after_first] == newest_first(first + after_first)
    assert len(first) + len(after_first) == 1000
    newer = thousand.newer(first[0].key, 10)
    assert [r.prompt for r in newer] == ["late needle", "late needle"]
    assert [r.key for r in newer] == newest_first(newer) and newer[0].created == 5000.0
    assert thousand.newer(first[0].key, 1) == newer[-1:]  # the nearest, when capped
    assert [r.prompt for r in thousand.page(None, 2, text="needle")] == ["late needle"] * 2


def test_a_search_sees_runs_another_process_records_between_pages(thousand, tmp_path):
    first = thousand.page(None, 10, text="needle")
    assert thousand.count("needle") == 143
    other = sqlite3.connect(thousand.path)
    other.execute(
        "INSERT INTO runs (created, request, prompt, output, result, status)"
        " VALUES (9999, '{}', 'from the CLI', 'a needle', '{}', 'ok')"
    )
    other.commit()
    other.close()
    assert thousand.count("needle") == 144
    assert thousand.page(None, 1, text="needle")[0].prompt == "from the CLI"
    assert thousand.page(first[-1].key, 10, text="needle")[0].key < first[-1].key
    thousand.delete([r.id for r in first])  # this connection's own change
    assert thousand.count("needle") == 134
    assert len(walk(thousand, 50, text="needle")) == 134


@pytest.mark.parametrize("text", ["needle", "ab"])  # full text (trigram), LIKE
def test_a_search_step_reads_at_most_its_budget_and_says_where_to_go_on(thousand, monkeypatch,
                                                                         text):  # fmt: skip
    """However rare the text, one step reads a bounded stretch of the list (some steps
    find nothing); the steps together list every match once, in order."""
    monkeypatch.setattr(history, "FEW_MATCHES", 0)  # walk the list, as for a common text
    everything = [r.key for r in thousand.page(None, 1000)]
    expected = [r.key for r in thousand.page(None, 1000, text=text)]
    found: list[tuple[float, int]] = []
    after, steps, empty = None, 0, 0
    while True:
        step = thousand.scan(after, 200, text=text, budget=5)
        start = 0 if after is None else everything.index(after) + 1
        end = len(everything) if step.next is None else everything.index(step.next) + 1
        assert end - start <= 5
        assert [r.key for r in step.rows] == [k for k in everything[start:end] if k in expected]
        found += [r.key for r in step.rows]
        steps, empty = steps + 1, empty + (not step.rows)
        if step.next is None:
            break
        after = step.next
    assert found == expected and len(set(found)) == len(found) == thousand.count(text)
    assert 200 <= steps <= 201 and empty > 0  # 1,000 runs, 5 a step


def test_a_rare_text_is_read_by_id_in_one_step(thousand):
    step = thousand.scan(None, 200, text="needle", budget=5)  # 143 matches: few
    assert len(step.rows) == 143 and step.next is None
    assert [r.key for r in step.rows] == newest_first(step.rows)


def test_runs_recorded_since_a_tally_are_found_and_deletions_noticed(thousand, monkeypatch):
    monkeypatch.setattr(history, "FEW_MATCHES", 0)
    tally, first = thousand.opening(10, text="needle")
    assert tally.runs == 1000 and tally.newest == (1000.0, 1000)
    assert [r.key for r in first.rows] == [r.key for r in thousand.page(None, 10, text="needle")]
    for prompt in ("a needle", "hay", "another needle"):
        thousand.add(RunRecord(created=2000.0, profile="p0", base_url=None, model="m0",
                               request={}, prompt=prompt, output="", result={},
                               status="ok"))  # fmt: skip
    since = thousand.since(tally, 10, text="needle")
    assert since is not None
    now, rows = since
    assert [r.prompt for r in rows] == ["another needle", "a needle"]
    assert now.runs == 1003 and now.newest == (2000.0, 1003)
    assert thousand.since(now, 10) == (now, [])
    thousand.delete([5])
    assert thousand.since(now, 10) is None  # a run counted then is gone


@pytest.mark.parametrize(
    "filters", [{}, {"model": "m1"}, {"profile": "p0"}, {"text": "needle"}, {"text": "ab"}]
)
def test_a_keyset_page_is_one_index_range_without_a_sort(thousand, monkeypatch, filters):
    """The query plan, not a timing: SQLite reads the page (or with text, each chunk of the
    list) from an index in order."""
    monkeypatch.setattr(history, "FEW_MATCHES", 0)  # (few matches are sorted, by design)
    plans: list[str] = []
    db = thousand._db
    execute = db.execute

    class Explaining:
        def execute(self, sql, params=()):
            if "ORDER BY runs.created" in sql:
                plans.extend(row[3] for row in execute("EXPLAIN QUERY PLAN " + sql, params))
            return execute(sql, params)

        def __getattr__(self, name):
            return getattr(db, name)

    thousand._db = Explaining()
    try:
        thousand.page((1000.0, 500), 100, **filters)
    finally:
        thousand._db = db
    assert plans and not any("TEMP B-TREE" in plan for plan in plans), plans
    assert any(
        ("USING INDEX runs_" in plan or "USING COVERING INDEX runs_" in plan) and "<" in plan
        for plan in plans
    ), plans


def first_schema_database(path: Path, runs: int) -> None:
    """A file as the first schema left it: keyset-less indexes."""
    HistoryStore(path).close()
    db = sqlite3.connect(path)
    for statement in FIRST_SCHEMA_INDEXES:
        db.execute(f"DROP INDEX {statement.split()[2]}")
        db.execute(statement)
    db.commit()
    db.close()
    fill(path, runs)


def index_sql(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index'").fetchall()
    finally:
        db.close()
    return {row[0] for row in rows if row[0]}


def test_a_first_schema_file_gets_keyset_indexes_on_open_without_a_scan(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    first_schema_database(path, 300)
    db = sqlite3.connect(path)
    table = db.execute("SELECT * FROM runs ORDER BY id").fetchall()
    db.close()
    statements = trace_statements(monkeypatch)
    store = HistoryStore(path)
    for statement in statements:
        assert "CHECK" not in statement.upper(), statement  # no quick_check / integrity_check
        assert not statement.upper().startswith(("UPDATE", "INSERT", "DELETE", "VACUUM"))
    assert index_sql(path) == set(history._INDEXES.values())
    assert store._db.execute("SELECT * FROM runs ORDER BY id").fetchall() == table
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
    assert [r.id for r in walk(store, 64)] == list(range(300, 0, -1))
    store.close()
    statements.clear()
    HistoryStore(path).close()  # upgraded: the next open reads only
    assert all(s.upper().startswith(("SELECT ", "PRAGMA ")) for s in statements), statements


def test_a_first_schema_file_opens_at_once_while_another_process_writes(tmp_path):
    path = tmp_path / "history.sqlite3"
    first_schema_database(path, 50)
    locker = sqlite3.connect(path)
    locker.execute("BEGIN IMMEDIATE")
    try:
        store = HistoryStore(path, timeout=5.0)  # busy: opens without its indexes, no wait
        assert index_sql(path) == set(FIRST_SCHEMA_INDEXES)
        assert [r.id for r in walk(store, 8)] == list(range(50, 0, -1))  # right, if slower
        m1 = [i for i in range(50, 0, -1) if (i - 1) % 3 == 1]  # fill() gave run i-1 "m1"
        assert [r.id for r in walk(store, 8, model="m1")] == m1
        store.close()
    finally:
        locker.rollback()
        locker.close()
    HistoryStore(path).close()  # free now: the next open upgrades
    assert index_sql(path) == set(history._INDEXES.values())


def test_an_older_app_reads_a_migrated_file_as_before(tmp_path):
    """The schema version is unchanged and the index names are the first schema's."""
    path = tmp_path / "history.sqlite3"
    first_schema_database(path, 10)
    HistoryStore(path).close()
    db = sqlite3.connect(path)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.close()
    assert names >= history._SCHEMA_OBJECTS


# -- the window's model -----------------------------------------------------------------------


def test_the_model_fetches_every_run_by_keyset(qtbot, thousand):
    from app.ui.history.history_panel import PAGE, HistoryTableModel

    fill(thousand.path, 600)  # 1,600 runs at one time: pages end inside a tie
    model = HistoryTableModel(thousand)
    model.reload()
    assert model.rowCount() == PAGE
    calls: list[object] = []
    scan = thousand.scan
    thousand.scan = lambda after, *a, **kw: calls.append(after) or scan(after, *a, **kw)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    # After each page's last row (no offset); the 8th page was known to be the last.
    assert calls == [model.rows[i * PAGE - 1].key for i in range(1, 8)]
    keys = [r.key for r in model.rows]
    assert len(set(keys)) == len(keys) == 1600 and keys == newest_first(model.rows)
    model.text = "needle"
    model.reload()
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == thousand.count("needle") == 229 > PAGE
    assert all("needle" in r.output for r in model.rows)
    assert len({r.id for r in model.rows}) == 229


def test_the_model_adds_new_runs_at_the_top_and_resyncs_after_deletions(qtbot, thousand):
    from app.ui.history.history_panel import PAGE, HistoryTableModel

    model = HistoryTableModel(thousand)
    model.reload()
    model.fetchMore(model.index(-1, -1))
    shown = list(model.rows)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    late = [thousand.add(RunRecord(created=2000.0 + i, profile="p0", base_url=None, model="m0",
                                   request={}, prompt=f"late {i}", output="", result={},
                                   status="ok")) for i in range(3)]  # fmt: skip
    model.refresh()
    assert inserted == [(0, 2)] and model.rows[3:] == shown  # nothing reloaded
    assert [r.id for r in model.rows[:3]] == late[::-1]
    thousand.delete(late[:1])  # the panel deletes (in a thread), then forgets
    model.forget(late[:1])
    assert model.rowCount() == 2 * PAGE + 2
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    before = list(model.rows)
    block = [r.id for r in before[10:15]] + [before[20].id]
    thousand.delete(block)
    model.forget(block)
    assert removed == [(20, 20), (10, 14)]  # adjacent rows go together
    assert list(model.rows) == before[:10] + before[15:20] + before[21:]
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.refresh()
    assert list(model.rows) == before[:10] + before[15:20] + before[21:]  # still in step
    assert not resets  # what the panel deleted itself is no reason to read the list again
    other = sqlite3.connect(thousand.path)  # another process prunes
    other.execute("DELETE FROM runs WHERE id <= 10")
    other.commit()
    other.close()
    model.refresh()
    assert resets and model.rowCount() == PAGE and thousand.count() == 986
    assert 10 not in model.rows.ids()


def test_the_model_goes_on_by_itself_after_a_search_step_that_found_nothing(qtbot, thousand,
                                                                          monkeypatch):  # fmt: skip
    from PySide6.QtCore import QCoreApplication

    from app.ui.history.history_panel import HistoryTableModel

    monkeypatch.setattr(history, "FEW_MATCHES", 0)
    monkeypatch.setattr(history, "SCAN_STEP", 4)  # the newest match is the 6th run
    model = HistoryTableModel(thousand)
    model.text = "needle"
    model.reload()
    assert model.rowCount() == 0 and model.canFetchMore(model.index(-1, -1))
    qtbot.waitUntil(lambda: model.rowCount() > 0)  # no view asked: the model went on
    assert model.rows[0].id == 995
    calls: list[object] = []
    scan = thousand.scan
    thousand.scan = lambda after, *a, **kw: calls.append(after) or scan(after, *a, **kw)
    model.reload()  # nothing in the first step again: a step is scheduled ...
    model.text = ""
    model.reload()  # ... and dropped: the list was read again since
    QCoreApplication.processEvents()
    QCoreApplication.processEvents()
    assert calls == [] and model.rowCount() == 200  # (the first steps come with the tally)


def test_a_long_list_is_let_go_of_a_slice_per_loop_turn(qtbot, thousand, monkeypatch):
    from app.ui.history import history_panel
    from app.ui.history.history_panel import HistoryTableModel

    monkeypatch.setattr(history_panel, "FREE_SLICE", 300)
    model = HistoryTableModel(thousand)
    model.reload()
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    items = model.rows._items  # what the list held
    assert len(items) == 1000
    model.text = "needle"
    model.reload()
    assert len(items) == 700 and model.rowCount() == 143  # one slice now, the list read
    qtbot.waitUntil(lambda: not items)  # the rest on later turns


def test_the_model_reports_a_page_it_cannot_read(qtbot, thousand):
    from app.ui.history.history_panel import HistoryTableModel

    model = HistoryTableModel(thousand)
    model.reload()
    thousand.close()
    with qtbot.waitSignal(model.failed) as failed:
        model.fetchMore(model.index(-1, -1))
    assert "History is disabled" in failed.args[0]
    assert not model.canFetchMore(model.index(-1, -1)) and model.rowCount() == 200


def test_the_panel_shows_new_runs_at_the_top_and_worded_problems(qtbot, thousand):
    from app.ui.history.history_panel import PAGE, HistoryPanel

    panel = HistoryPanel(thousand)
    qtbot.addWidget(panel)
    model = panel.table_model
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    new = thousand.add(RunRecord(created=3000.0, profile="p9", base_url=None, model="m9",
                                 request={}, prompt="new", output="", result={},
                                 status="ok"))  # fmt: skip
    panel.reload()  # what the window does after a run
    assert not resets and model.rows[0].id == new and model.rowCount() == PAGE + 1
    assert panel.model_filter.findData("m9") >= 0  # the filter lists follow
    panel.search.setText("needle")
    panel.reload()  # the filters changed: read again
    assert resets and model.rowCount() == 143
    thousand.close()
    with qtbot.waitSignal(panel.problem) as problem:
        panel.reload()
    assert problem.args[0].startswith("History is disabled")


def test_results_are_stored_compressed_and_older_plain_text_rows_still_read(tmp_path):
    import json

    from app.core.events import ChoiceDelta
    from app.core.history import record_for
    from app.core.logprobs import TokenLogprob
    from app.core.result import ResultBuilder

    builder = ResultBuilder()
    tokens = tuple(
        TokenLogprob(f" t{i}", -0.5, ((f" t{i}", -0.5), (" x", -2.0))) for i in range(5000)
    )
    builder.apply(ChoiceDelta(0, "".join(t.token for t in tokens), tokens, "length"))
    result = builder.finish()
    store = HistoryStore(tmp_path / "history.sqlite3")
    request = CompletionRequest(model="m", prompt="p", params={"logprobs": 2})
    run_id = store.add(record_for(request, result, profile="p", base_url="http://h/v1"))
    raw = (
        sqlite3.connect(tmp_path / "history.sqlite3")
        .execute("SELECT result, typeof(result) FROM runs WHERE id = ?", (run_id,))
        .fetchone()
    )
    assert raw[1] == "blob"
    plain = json.dumps(store.get(run_id).result, ensure_ascii=False)
    assert len(raw[0]) * 5 < len(plain)  # compressed
    got = store.get(run_id).result["choices"][0]["logprobs"]
    # Tokens are kept as compact rows: [token, logprob, [[token, logprob], …], offset].
    assert len(got) == 5000 and got[1] == [" t1", -0.5, [[" t1", -0.5], [" x", -2.0]], None]
    # A row written before results were compressed (plain JSON text) reads the same.
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    with db:
        db.execute("UPDATE runs SET result = ? WHERE id = ?", (plain, run_id))
    db.close()
    assert store.get(run_id).result == json.loads(plain)
    store.close()


def test_tokens_kept_as_rows_come_back_the_same_and_exports_show_objects(tmp_path):
    import json
    import math

    from app.core.events import ChoiceDelta
    from app.core.history import record_for
    from app.core.logprobs import TokenLogprob
    from app.core.result import ResultBuilder, result_from_json

    tokens = (
        TokenLogprob("a", -0.25, (("a", -0.25), ("b", -1.5)), 0),
        TokenLogprob("<b>", None, (), 1),
        # JSON has no infinity: the slice with it is converted token by token.
        TokenLogprob("c", -math.inf, (("c", -math.inf), ("d", -3.0)), 4),
    )
    builder = ResultBuilder()
    builder.apply(ChoiceDelta(0, "a<b>c", tokens, "stop"))
    result = builder.finish()
    store = HistoryStore(tmp_path / "history.sqlite3")
    request = CompletionRequest(model="m", prompt="p", params={"logprobs": 2})
    run_id = store.add(record_for(request, result, profile="p", base_url="http://h/v1"))
    record = store.get(run_id)
    assert record.result["choices"][0]["logprobs"][2] == ["c", None, [["c", None], ["d", -3.0]], 4]
    back = result_from_json(record.result).choices[0].tokens
    assert back[:2] == list(tokens[:2])
    assert back[2] == TokenLogprob("c", None, (("d", -3.0),), 4)  # what JSON could keep
    # An older record's objects read the same as rows.
    old = {"choices": [{"index": 0, "text": "a", "logprobs": [tokens[0].to_json()]}]}
    assert result_from_json(old).choices[0].tokens == [tokens[0]]
    out = tmp_path / "runs.jsonl"
    store.export_jsonl([run_id], out)
    exported = json.loads(out.read_text(encoding="utf-8"))["result"]["choices"][0]["logprobs"]
    assert exported[0] == {
        "token": "a",
        "logprob": -0.25,
        "top": [{"token": "a", "logprob": -0.25}, {"token": "b", "logprob": -1.5}],
        "offset": 0,
    }
    store.close()


def test_the_window_opens_its_history_when_first_asked_for(tmp_path):
    """Not at start-up (SQLite is not needed for the first frame); once, then kept."""
    from app.ui.shell.storage import open_storage

    paths = AppPaths.resolve(tmp_path / "home")
    storage = open_storage(paths)
    assert not paths.history_file.exists()
    store = storage.history
    assert store is not None and paths.history_file.exists()
    assert storage.history is store and storage.history_problem is None
    store.close()


def test_a_damaged_history_is_reported_when_the_window_asks_for_it(tmp_path):
    from app.ui.shell.storage import open_storage

    paths = AppPaths.resolve(tmp_path / "home")
    paths.prepare()
    damaged = b"SQLite format 3\x00" + b"\x07" * 4000
    paths.history_file.write_bytes(damaged)
    storage = open_storage(paths)
    assert storage.history is None and storage.history is None  # asked twice, opened once
    assert storage.history_problem is not None
    assert "History is disabled" in str(storage.history_problem)
    assert paths.history_file.read_bytes() == damaged
