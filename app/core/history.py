"""Run history in SQLite: every run (GUI and CLI) with its request, output and outcome.

One table of runs plus an FTS5 index (trigram tokenizer, so Chinese and partial words are
found) over prompt and output. Never stores a key: the request body is what was sent, and
keys travel only in headers (and a base URL never carries ``user:password@``).

Several processes share the file (the window, CLI runs): opening it never writes unless
the schema is missing or older, every write is one ``BEGIN IMMEDIATE`` transaction with a
generous busy timeout, retried with backoff while another process holds the write lock,
so no run is lost to a busy database. The file and its ``-wal``/``-shm`` companions are
private to the user (0600). A corrupt database raises :class:`HistoryError` (with a
:class:`~app.core.messages.Message` for the user); the file is never deleted or replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from app.core.atomic import PRIVATE_FILE_MODE, atomic_write_text, make_private_dir
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.profiles import strip_credentials
from app.core.request import CompletionRequest
from app.core.result import CompletionResult

__all__ = ["HistoryError", "HistoryStore", "RunRecord", "RunSummary", "record_for"]

SCHEMA_VERSION = 1
_T = TypeVar("_T")

HISTORY_LOCKED = kind(
    "history.locked",
    QT_TRANSLATE_NOOP(
        "Core",
        "History is disabled: the database {path} cannot be used because it is locked by "
        "another program. The file was left untouched.",
    ),
)
HISTORY_DAMAGED = kind(
    "history.damaged",
    QT_TRANSLATE_NOOP(
        "Core",
        "History is disabled: the database {path} cannot be used because it is damaged "
        "({detail}). The file was left untouched.",
    ),
)
HISTORY_NEWER = kind(
    "history.newer",
    QT_TRANSLATE_NOOP(
        "Core",
        "History is disabled: the database {path} was written by a newer version of the app "
        "(schema {version}). The file was left untouched.",
    ),
)
HISTORY_UNUSABLE = kind(
    "history.unusable",
    QT_TRANSLATE_NOOP(
        "Core",
        "History is disabled: the database {path} cannot be used because {detail}. The file "
        "was left untouched.",
    ),
)

#: The objects a current database has (checked on open instead of re-running the script).
_SCHEMA_OBJECTS = frozenset({"runs", "runs_created", "runs_model", "runs_profile", "runs_fts",
                             "runs_ai", "runs_ad"})  # fmt: skip
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    created REAL NOT NULL,
    group_id TEXT,
    profile TEXT,
    base_url TEXT,
    model TEXT,
    request TEXT NOT NULL,
    prompt TEXT NOT NULL,
    output TEXT NOT NULL,
    result TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT
);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created DESC);
CREATE INDEX IF NOT EXISTS runs_model ON runs(model);
CREATE INDEX IF NOT EXISTS runs_profile ON runs(profile);
CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5(
    prompt, output, content='runs', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS runs_ai AFTER INSERT ON runs BEGIN
    INSERT INTO runs_fts(rowid, prompt, output) VALUES (new.id, new.prompt, new.output);
END;
CREATE TRIGGER IF NOT EXISTS runs_ad AFTER DELETE ON runs BEGIN
    INSERT INTO runs_fts(runs_fts, rowid, prompt, output)
    VALUES ('delete', old.id, old.prompt, old.output);
END;
"""
PREVIEW = 160
WIRE_LIMIT = 256 * 1024  # characters of raw response kept per run for the wire inspector
#: Seconds SQLite itself waits for another process's lock before reporting "busy".
BUSY_TIMEOUT = 10.0
#: Then a write is tried again this many times, after these pauses (seconds) ...
_RETRY_PAUSES = (0.05, 0.2, 0.5, 1.0)


class HistoryError(Exception):
    """History cannot be used (corrupt, locked, unwritable); the app keeps working.

    ``msg`` is the sentence for the user (``str(error)`` is its English wording).
    """

    def __init__(self, msg: Message) -> None:
        super().__init__(str(msg))
        self.msg = msg


class _NewerSchema(sqlite3.DatabaseError):
    def __init__(self, version: int) -> None:
        super().__init__(f"schema {version}")
        self.version = version


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _without_credentials(url: str | None) -> str | None:
    """A base URL as history keeps it: never with ``user:password@``."""
    return url and (strip_credentials(url) or url)


def _private(path: Path) -> None:
    """Make an existing file 0600 (an older version created the database 0644)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE_MODE)


@dataclass
class RunRecord:
    created: float
    profile: str | None
    base_url: str | None
    model: str | None
    request: dict[str, Any]
    prompt: str
    output: str
    result: dict[str, Any]
    status: str  # "ok", "error" or "cancelled"
    error: str | None = None
    group_id: str | None = None
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "profile": self.profile,
            "base_url": self.base_url,
            "model": self.model,
            "status": self.status,
            "error": self.error,
            "group_id": self.group_id,
            "request": self.request,
            "result": self.result,
        }


@dataclass(frozen=True)
class RunSummary:
    id: int
    created: float
    profile: str | None
    model: str | None
    status: str
    prompt: str
    output: str


def _prompt_text(prompt: Any) -> str:
    return prompt if isinstance(prompt, str) else json.dumps(prompt, ensure_ascii=False)


def record_for(
    request: CompletionRequest,
    result: CompletionResult,
    *,
    profile: str | None,
    base_url: str | None,
    group_id: str | None = None,
) -> RunRecord:
    """The history record of a finished (or failed, or cancelled) run."""
    status = "cancelled" if result.cancelled else ("error" if result.error else "ok")
    return RunRecord(
        created=time.time(),
        profile=profile,
        base_url=_without_credentials(base_url),
        model=request.model,
        request=request.to_body(),
        prompt=_prompt_text(request.prompt),
        output=result.text,
        result={**result.to_json(), "wire": result.wire.to_json(WIRE_LIMIT)},
        status=status,
        error=result.error.user_message() if result.error else None,
        group_id=group_id,
    )


@dataclass
class _Filter:
    text: str = ""
    model: str | None = None
    profile: str | None = None
    params: list[Any] = field(default_factory=list)

    def where(self) -> str:
        clauses = []
        self.params = []
        text = self.text.strip()
        if len(text) >= 3:
            clauses.append("runs.id IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)")
            self.params.append('"' + text.replace('"', '""') + '"')
        elif text:
            clauses.append("(runs.prompt LIKE ? ESCAPE '\\' OR runs.output LIKE ? ESCAPE '\\')")
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            self.params += [like, like]
        if self.model:
            clauses.append("runs.model = ?")
            self.params.append(self.model)
        if self.profile:
            clauses.append("runs.profile = ?")
            self.params.append(self.profile)
        return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _statements(script: str) -> list[str]:
    """Split a schema script into statements (triggers hold ``;`` inside BEGIN … END)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements


_SCHEMA_STATEMENTS = _statements(_SCHEMA)


class HistoryStore:
    """Thread-safe (one connection behind a lock): writes may come from worker threads.

    ``timeout`` is how long SQLite waits for another process's lock; a write still busy
    after that is tried again with backoff until twice that time has passed.
    """

    FILE_NAME = "history.sqlite3"

    def __init__(self, path: Path, *, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._timeout = timeout
        db: sqlite3.Connection | None = None
        try:
            make_private_dir(self.path.parent)
            self._create_private_file()
            # Python's implicit transactions stay on (one BEGIN for executemany), but every
            # write here starts its own BEGIN IMMEDIATE first (see _write).
            db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self._db = db
            self._open()
        except (sqlite3.Error, OSError) as exc:
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            raise HistoryError(self._describe(exc)) from None
        for suffix in ("", "-wal", "-shm"):
            _private(Path(f"{self.path}{suffix}"))

    def _create_private_file(self) -> None:
        """Create a missing database file 0600; SQLite gives ``-wal``/``-shm`` its mode."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            return
        os.close(fd)

    def _open(self) -> None:
        """Check the database cheaply and create or upgrade the schema only when needed.

        Reading the header and the schema is all: no integrity scan of the whole file (a
        damaged page is reported when it is read) and no write when the schema is current,
        so opening never waits for another process's write lock.
        """
        db = self._db
        version = self._retrying(lambda: db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise _NewerSchema(version)
        mode = self._retrying(lambda: db.execute("PRAGMA journal_mode").fetchone()[0])
        if version == SCHEMA_VERSION and self._schema_complete():
            return
        if str(mode).lower() != "wal":
            self._retrying(lambda: db.execute("PRAGMA journal_mode=WAL").fetchone())

        def create(db: sqlite3.Connection) -> None:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise _NewerSchema(current)
            for statement in _SCHEMA_STATEMENTS:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

        self._write(create)

    def _schema_complete(self) -> bool:
        marks = ",".join("?" * len(_SCHEMA_OBJECTS))
        rows = self._retrying(
            lambda: self._db.execute(
                f"SELECT name FROM sqlite_master WHERE name IN ({marks})", sorted(_SCHEMA_OBJECTS)
            ).fetchall()
        )
        return {row[0] for row in rows} == _SCHEMA_OBJECTS

    def _describe(self, exc: BaseException) -> Message:
        path = str(self.path)
        if isinstance(exc, _NewerSchema):
            return HISTORY_NEWER(path=path, version=exc.version)
        if isinstance(exc, sqlite3.Error) and _is_busy(exc):
            return HISTORY_LOCKED(path=path)
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return HISTORY_DAMAGED(path=path, detail=str(exc))
        if isinstance(exc, OSError):
            return HISTORY_UNUSABLE(path=path, detail=exc.strerror or str(exc))
        return HISTORY_UNUSABLE(path=path, detail=str(exc))

    def _retrying(self, step: Callable[[], _T]) -> _T:
        """Run ``step``; while the database is busy, try again with backoff (bounded)."""
        deadline = time.monotonic() + 2 * self._timeout
        pauses = iter(_RETRY_PAUSES)
        while True:
            try:
                return step()
            except sqlite3.OperationalError as exc:
                pause = next(pauses, None) if _is_busy(exc) else None
                if pause is None or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction (retried while busy).

        Taking the write lock up front means SQLite's busy timeout applies to it (a
        deferred transaction that upgrades to a write fails at once when another process
        wrote meanwhile).
        """
        db = self._db

        def attempt() -> _T:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise
            return result

        return self._retrying(attempt)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """A read (no transaction: WAL readers never wait for writers)."""
        with self._lock:
            try:
                return self._retrying(lambda: self._db.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None

    def _change(self, sql: str, params: Sequence[Any] = ()) -> int:
        """A write in its own transaction; returns the number of rows changed."""
        with self._lock:
            try:
                return self._write(lambda db: db.execute(sql, params).rowcount)
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, record: RunRecord) -> int:
        values = (
            record.created, record.group_id, record.profile, _without_credentials(record.base_url),
            record.model, json.dumps(record.request, ensure_ascii=False), record.prompt,
            record.output, json.dumps(record.result, ensure_ascii=False), record.status,
            record.error,
        )  # fmt: skip

        def insert(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "INSERT INTO runs (created, group_id, profile, base_url, model, request,"
                " prompt, output, result, status, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            return int(cursor.lastrowid or 0)

        with self._lock:
            try:
                record.id = self._write(insert)
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None
        return record.id

    def add_many(self, records: Iterable[RunRecord]) -> None:
        for record in records:
            self.add(record)

    def count(self, text: str = "", model: str | None = None, profile: str | None = None) -> int:
        flt = _Filter(text, model, profile)
        where = flt.where()
        return int(self._run(f"SELECT COUNT(*) FROM runs{where}", flt.params)[0][0])

    def search(
        self,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
        *,
        limit: int = 200,
        offset: int = 0,
    ) -> list[RunSummary]:
        """Newest first, a page at a time."""
        flt = _Filter(text, model, profile)
        where = flt.where()
        rows = self._run(
            "SELECT id, created, profile, model, status, substr(prompt, 1, ?),"
            f" substr(output, 1, ?) FROM runs{where} ORDER BY created DESC, id DESC"
            " LIMIT ? OFFSET ?",
            [PREVIEW, PREVIEW, *flt.params, limit, offset],
        )
        return [RunSummary(*row) for row in rows]

    def get(self, run_id: int) -> RunRecord:
        rows = self._run(
            "SELECT created, profile, base_url, model, request, prompt, output, result, status,"
            " error, group_id, id FROM runs WHERE id = ?",
            (run_id,),
        )
        if not rows:
            raise KeyError(run_id)
        row = list(rows[0])
        row[4] = json.loads(row[4])
        row[7] = json.loads(row[7])
        return RunRecord(*row)

    def delete(self, ids: Sequence[int]) -> None:
        if ids:
            marks = ",".join("?" * len(ids))
            self._change(f"DELETE FROM runs WHERE id IN ({marks})", list(ids))

    def prune(
        self, *, older_than_days: int = 0, keep_runs: int = 0, now: float | None = None
    ) -> int:
        """Delete runs older than ``older_than_days`` and beyond the newest ``keep_runs``
        (0 = no limit for either); returns how many were deleted."""
        before = self.count()
        if older_than_days > 0:
            cutoff = (time.time() if now is None else now) - older_than_days * 86400
            self._change("DELETE FROM runs WHERE created < ?", (cutoff,))
        if keep_runs > 0:
            self._change(
                "DELETE FROM runs WHERE id NOT IN"
                " (SELECT id FROM runs ORDER BY created DESC, id DESC LIMIT ?)",
                (keep_runs,),
            )
        return before - self.count()

    def distinct(self, column: str) -> list[str]:
        if column not in ("model", "profile"):
            raise ValueError(column)
        rows = self._run(f"SELECT DISTINCT {column} FROM runs WHERE {column} IS NOT NULL")
        return sorted(str(r[0]) for r in rows)

    def export_jsonl(self, ids: Sequence[int], path: Path) -> None:
        lines = [json.dumps(self.get(i).to_json(), ensure_ascii=False) for i in ids]
        atomic_write_text(Path(path), "\n".join(lines) + ("\n" if lines else ""))

    def export_markdown(self, ids: Sequence[int], path: Path) -> None:
        parts = ["# Completion Playground runs\n"]
        for run_id in ids:
            record = self.get(run_id)
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
            parts.append(f"## Run {record.id} — {when}\n")
            parts.append(
                f"- profile: {record.profile or '-'} ({record.base_url or '-'})\n"
                f"- model: {record.model or '-'}\n- status: {record.status}"
                + (f" ({record.error})" if record.error else "")
                + "\n"
            )
            params = {k: v for k, v in record.request.items() if k not in ("prompt", "model")}
            parts.append(f"- parameters: `{json.dumps(params, ensure_ascii=False)}`\n")
            parts.append("\n### Prompt\n\n```text\n" + record.prompt + "\n```\n")
            for choice in record.result.get("choices", []):
                parts.append(
                    f"\n### Output (choice {choice.get('index', 0)}, "
                    f"{choice.get('finish_reason') or 'unfinished'})\n\n```text\n"
                    + str(choice.get("text", ""))
                    + "\n```\n"
                )
        atomic_write_text(Path(path), "\n".join(parts))
