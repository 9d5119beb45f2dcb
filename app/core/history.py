"""Run history in SQLite: every run (GUI and CLI) with its request, output and outcome.

One table of runs plus an FTS5 index (trigram tokenizer, so Chinese and partial words are
found) over prompt and output. Never stores a key: the request body is what was sent, and
keys travel only in headers (and a base URL never carries ``user:password@``).

Runs are listed newest first, ordered by ``(created, id)``, and paged by keyset
(:meth:`HistoryStore.page`: the rows after the last one shown, ``WHERE (created, id) < (?,
?)``), read from an index in that order, so the page at run 100,000 costs what the first
does. A text filter never gathers all its matches first (for a word in every one of 100,000
runs that alone took 60–180 ms): a text the full-text index finds at most
:data:`FEW_MATCHES` times is read by id; otherwise the keyset index is read a chunk at a
time and the full-text index (or ``LIKE``, for fewer than three characters) says which
runs of the chunk match. :meth:`HistoryStore.scan` stops after :data:`SCAN_STEP` runs read,
filled or not, and says where to go on, so no step of the window's list takes long however
rare the text.

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
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from app.core import json_text
from app.core.atomic import PRIVATE_FILE_MODE, atomic_write_text, make_private_dir
from app.core.logprobs import tokens_from_json
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.paths import HISTORY_FILE_NAME
from app.core.profiles import strip_credentials
from app.core.request import CompletionRequest
from app.core.result import CompletionResult

__all__ = [
    "HistoryError",
    "HistoryStore",
    "Key",
    "RunRecord",
    "RunSummary",
    "ScanPage",
    "Tally",
    "record_for",
]

#: Not raised for the keyset indexes: an older app reads a migrated file as before.
SCHEMA_VERSION = 1
_T = TypeVar("_T")
#: A run's place in the list, newest first: ``(created, id)`` (the id breaks ties).
Key = tuple[float, int]

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
#: The indexes in keyset order (each ends with ``created DESC, id DESC``, so a page, filtered
#: by model or profile or not, is one index range with no sort). The names are the ones the
#: first schema gave single-column indexes: an older app finds its schema complete, and a
#: file it created is upgraded on open (see :meth:`HistoryStore._upgrade_indexes`).
_INDEXES = {
    "runs_created": "CREATE INDEX runs_created ON runs(created DESC, id DESC)",
    "runs_model": "CREATE INDEX runs_model ON runs(model, created DESC, id DESC)",
    "runs_profile": "CREATE INDEX runs_profile ON runs(profile, created DESC, id DESC)",
}
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
CREATE INDEX IF NOT EXISTS runs_created ON runs(created DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_model ON runs(model, created DESC, id DESC);
CREATE INDEX IF NOT EXISTS runs_profile ON runs(profile, created DESC, id DESC);
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
#: A text search reads the keyset index at most this many runs at a time, and one step of
#: :meth:`HistoryStore.scan` (what the window's list reads per request) at most this many
#: runs in all: ~4 ms of keys plus the matching (up to ~8 ms with ``LIKE``) here.
SCAN_STEP = 4096
#: The first chunk of a search; the next ones are sized from the matches seen so far.
_FIRST_CHUNK = 512
#: A full-text search the index matches at most this often is read by id (the index finds
#: the newest matches first, ~0.2 ms for 100), not by walking the list.
FEW_MATCHES = 1000
_SUMMARY = (
    "SELECT runs.id, runs.created, runs.profile, runs.model, runs.status,"
    " substr(runs.prompt, 1, ?), substr(runs.output, 1, ?), substr(coalesce(runs.error, ''), 1, ?)"
)


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
    """One run as the history keeps it: request, prompt, output, result and status."""

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


class RunSummary(NamedTuple):
    """A row of the list: the run's columns and the first characters of prompt and output
    (a named tuple: ``tuple(summary)`` is its plain values)."""

    id: int
    created: float
    profile: str | None
    model: str | None
    status: str
    prompt: str
    output: str
    #: The failed run's error sentence ("" when it did not fail).
    error: str = ""

    @property
    def key(self) -> Key:
        """This run's place in the list (what :meth:`HistoryStore.page` continues after)."""
        return (self.created, self.id)


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
        # Tokens stay lazy: encoded a slice at a time by add() (json_text.dumps).
        result={**result.to_json(lazy=True), "wire": result.wire.to_json(WIRE_LIMIT)},
        status=status,
        error=result.error.user_message() if result.error else None,
        group_id=group_id,
    )


def _exported(record: RunRecord) -> dict[str, Any]:
    """A record as exports show it: tokens as objects (``{"token", "logprob", "top",
    "offset"}``), whichever form the history keeps them in."""
    data = record.to_json()
    choices = data["result"].get("choices") if isinstance(data["result"], dict) else None
    if isinstance(choices, list):
        data["result"] = {**data["result"], "choices": [_tokens_as_objects(c) for c in choices]}
    return data


def _tokens_as_objects(choice: Any) -> Any:
    if not isinstance(choice, dict) or not isinstance(choice.get("logprobs"), list):
        return choice
    tokens = [t.to_json() for t in tokens_from_json(choice["logprobs"])]
    return {**choice, "logprobs": tokens or None}


@dataclass(frozen=True)
class _Filter:
    """What the list is narrowed to: text in prompt or output, a model, a profile."""

    text: str = ""
    model: str | None = None
    profile: str | None = None

    @property
    def query(self) -> str:
        return self.text.strip()

    def columns(self) -> tuple[list[str], list[Any]]:
        """The model and profile conditions (each is the first column of an index)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.model:
            clauses.append("runs.model = ?")
            params.append(self.model)
        if self.profile:
            clauses.append("runs.profile = ?")
            params.append(self.profile)
        return clauses, params

    @property
    def phrase(self) -> str | None:
        """The text as an FTS5 phrase, for three characters or more (the trigram index
        needs three); ``None``: searched with ``LIKE``."""
        text = self.query
        return '"' + text.replace('"', '""') + '"' if len(text) >= 3 else None

    def _like(self) -> str:
        text = self.query
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def matches(self) -> tuple[str, list[Any]]:
        """The ids of the runs whose prompt or output contains the text (a SELECT)."""
        phrase = self.phrase
        if phrase is not None:
            return "SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?", [phrase]
        like = self._like()
        return (
            "SELECT id FROM runs WHERE prompt LIKE ? ESCAPE '\\' OR output LIKE ? ESCAPE '\\'",
            [like, like],
        )

    def matching(self, db: sqlite3.Connection, keys: Sequence[Key]) -> set[int]:
        """Which of the runs at ``keys`` contain the text. Asked for the id range the keys
        span, which the full-text index (or the table, for ``LIKE``) reads as one range:
        runs are numbered as they are recorded, so a chunk of the list is about one range
        (when it is not, more is read, never less)."""
        ids = [key[1] for key in keys]
        low, high = min(ids), max(ids)
        phrase = self.phrase
        if phrase is not None:
            sql = "SELECT rowid FROM runs_fts WHERE runs_fts MATCH ? AND rowid BETWEEN ? AND ?"
            params: list[Any] = [phrase, low, high]
        else:
            like = self._like()
            sql = (
                "SELECT id FROM runs WHERE id BETWEEN ? AND ?"
                " AND (prompt LIKE ? ESCAPE '\\' OR output LIKE ? ESCAPE '\\')"
            )
            params = [low, high, like, like]
        return {row[0] for row in db.execute(sql, params)}


class ScanPage(NamedTuple):
    """One step through the list: the rows found and where the next step goes on."""

    rows: list[RunSummary]
    #: The last run this step read (matched or not): the next step continues after it.
    #: ``None``: the list ends here.
    next: Key | None


class Tally(NamedTuple):
    """How many runs the database held, and the newest of them (``None``: none)."""

    runs: int
    newest: Key | None


@contextlib.contextmanager
def _snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """Reads that see the database at one moment (one read transaction)."""
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")


def _where(clauses: Sequence[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _normal(sql: str) -> str:
    return " ".join(sql.split()).lower()


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

    FILE_NAME = HISTORY_FILE_NAME

    def __init__(self, path: Path, *, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._timeout = timeout
        #: The last text search's few matches (see :meth:`_few`): for which filter and
        #: database state (data_version, total_changes), and their keys, newest first.
        self._few_for: tuple[_Filter, int, int] | None = None
        self._few_keys: list[Key] | None = None
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
        if version == SCHEMA_VERSION:
            schema = self._schema()
            if set(schema) == _SCHEMA_OBJECTS:
                self._upgrade_indexes(schema)
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
        self._upgrade_indexes(self._schema())

    def _schema(self) -> dict[str, str]:
        """The app's schema objects present in the file, by name, with their SQL."""
        marks = ",".join("?" * len(_SCHEMA_OBJECTS))
        rows = self._retrying(
            lambda: self._db.execute(
                f"SELECT name, sql FROM sqlite_master WHERE name IN ({marks})",
                sorted(_SCHEMA_OBJECTS),
            ).fetchall()
        )
        return {str(name): str(sql or "") for name, sql in rows}

    def _upgrade_indexes(self, schema: dict[str, str]) -> None:
        """Give a file from the first schema its keyset indexes (once; the table is untouched).

        An index is rebuilt from the table, never the table itself: it is dropped and created
        again in keyset order, in one transaction. That is a write, so it is tried only when
        an index is old, and only if the write lock is free at once: when another process
        holds it (or the file is read-only), the file opens as it is (pages are right, only
        slower) and the next open tries again.
        """
        stale = [
            name for name, sql in _INDEXES.items() if _normal(schema.get(name, "")) != _normal(sql)
        ]
        if not stale:
            return
        db = self._db
        db.execute("PRAGMA busy_timeout = 0")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                for name in stale:
                    db.execute(f"DROP INDEX IF EXISTS {name}")
                    db.execute(_INDEXES[name])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError:
            pass  # busy, read-only or full: the old indexes still answer every query
        finally:
            db.execute(f"PRAGMA busy_timeout = {round(self._timeout * 1000)}")

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

    def _read(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Reads (no transaction: WAL readers never wait for writers)."""
        with self._lock:
            try:
                return self._retrying(lambda: work(self._db))
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """One read."""
        return self._read(lambda db: db.execute(sql, params).fetchall())

    def _few(self, db: sqlite3.Connection, flt: _Filter) -> list[Key] | None:
        """The keys of every run matching ``flt``, newest first, when the full-text index
        finds the text at most :data:`FEW_MATCHES` times (it finds the newest first, so
        asking costs about what the few cost); ``None`` when it finds it more often, or the
        text is searched with ``LIKE``. Kept while the database is unchanged (``PRAGMA
        data_version`` for other processes, ``total_changes`` for this connection), so
        paging through one search asks once."""
        phrase = flt.phrase
        if phrase is None:
            return None
        version = int(db.execute("PRAGMA data_version").fetchone()[0])
        state = (flt, version, db.total_changes)
        if self._few_for == state:
            return self._few_keys
        ids = [row[0] for row in db.execute(
            "SELECT rowid FROM runs_fts WHERE runs_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            [phrase, FEW_MATCHES + 1],
        )]  # fmt: skip
        keys = None
        if len(ids) <= FEW_MATCHES:
            clauses, params = flt.columns()
            clauses.append(f"runs.id IN ({','.join('?' * len(ids))})")
            sql = f"SELECT runs.created, runs.id FROM runs{_where(clauses)}"
            keys = sorted(map(tuple, db.execute(sql, [*params, *ids])), reverse=True)
        self._few_for, self._few_keys = state, keys
        return keys

    def _walk(
        self,
        db: sqlite3.Connection,
        flt: _Filter,
        after: Key | None,
        limit: int,
        *,
        newer: bool = False,
        budget: int | None = None,
    ) -> tuple[list[Key], Key | None]:
        """The keys of up to ``limit`` runs matching ``flt``'s text in list order after
        ``after`` (``newer``: the runs above it, nearest first), and where to go on
        (``None``: the end). Reads the keyset index a chunk at a time, each chunk sized
        from the matches so far, and asks which runs of the chunk match; stops once
        ``budget`` runs were read (``None``: not before ``limit`` matches or the end)."""
        few = self._few(db, flt)
        if few is not None:
            if newer:
                keys = [key for key in reversed(few) if after is None or key > after]
            else:
                keys = [key for key in few if after is None or key < after]
            found = keys[:limit]
            return found, (found[-1] if len(keys) > limit else None)
        clauses, params = flt.columns()
        compare, order = (">", "ASC") if newer else ("<", "DESC")
        found: list[Key] = []
        position, read = after, 0
        chunk = _FIRST_CHUNK if budget is None else max(1, min(_FIRST_CHUNK, budget))
        while True:
            where, values = list(clauses), list(params)
            if position is not None:
                where.append(f"(runs.created, runs.id) {compare} (?, ?)")
                values += position
            keys = [tuple(row) for row in db.execute(
                f"SELECT runs.created, runs.id FROM runs{_where(where)}"
                f" ORDER BY runs.created {order}, runs.id {order} LIMIT ?",
                [*values, chunk],
            )]  # fmt: skip
            hits = flt.matching(db, keys) if keys else set()
            for key in keys:
                if key[1] in hits:
                    found.append(key)
                    if len(found) == limit:
                        return found, key
            if len(keys) < chunk:
                return found, None
            position = keys[-1]
            read += len(keys)
            if budget is not None and read >= budget:
                return found, position
            density = (len(found) + 1) / read
            chunk = max(_FIRST_CHUNK, min(SCAN_STEP, int((limit - len(found)) / density * 1.25)))
            if budget is not None:
                chunk = max(1, min(chunk, budget - read))

    def _summaries_of(self, db: sqlite3.Connection, keys: Sequence[Key]) -> list[RunSummary]:
        """The rows of the runs at ``keys``, in that order."""
        if not keys:
            return []
        ids = [key[1] for key in keys]
        rows = db.execute(
            f"{_SUMMARY} FROM runs WHERE runs.id IN ({','.join('?' * len(ids))})",
            [PREVIEW, PREVIEW, PREVIEW, *ids],
        ).fetchall()
        by_id = {row[0]: row for row in rows}
        return [RunSummary(*by_id[i]) for i in ids if i in by_id]

    def _listed(
        self,
        db: sqlite3.Connection,
        flt: _Filter,
        *,
        limit: int,
        after: Key | None = None,
        newer_than: Key | None = None,
        offset: int = 0,
    ) -> list[RunSummary]:
        """Runs by model and profile only (no text), newest first: after ``after`` (a
        keyset page: one index range), or the ``limit`` just above ``newer_than``, or (old
        callers) from ``offset``."""
        clauses, params = flt.columns()
        order = "DESC"
        if after is not None:
            clauses.append("(runs.created, runs.id) < (?, ?)")
            params += [after[0], after[1]]
        if newer_than is not None:
            clauses.append("(runs.created, runs.id) > (?, ?)")
            params += [newer_than[0], newer_than[1]]
            order = "ASC"
        rows = [RunSummary(*row) for row in db.execute(
            f"{_SUMMARY} FROM runs{_where(clauses)}"
            f" ORDER BY runs.created {order}, runs.id {order} LIMIT ? OFFSET ?",
            [PREVIEW, PREVIEW, PREVIEW, *params, limit, offset],
        )]  # fmt: skip
        return rows[::-1] if newer_than is not None else rows

    def _newer(
        self, db: sqlite3.Connection, flt: _Filter, than: Key, limit: int
    ) -> list[RunSummary]:
        if not flt.query:
            return self._listed(db, flt, limit=limit, newer_than=than)
        keys, _ = self._walk(db, flt, than, limit, newer=True)
        return self._summaries_of(db, keys[::-1])

    @staticmethod
    def _tally(db: sqlite3.Connection) -> Tally:
        runs = int(db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
        newest = db.execute(
            "SELECT created, id FROM runs ORDER BY created DESC, id DESC LIMIT 1"
        ).fetchone()
        return Tally(runs, tuple(newest) if newest else None)

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
            # In slices, compressed: a long run's tokens must not hold the GIL (and the
            # window) at once. Read back by json_text.loads (older rows are plain text).
            record.output, json_text.compressed(record.result), record.status,
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
        """How many runs match (a text search reads all its matches: not for the window)."""
        flt = _Filter(text, model, profile)

        def work(db: sqlite3.Connection) -> int:
            clauses, params = flt.columns()
            if flt.query:
                few = self._few(db, flt)
                if few is not None:
                    return len(few)
                select, matched = flt.matches()
                clauses.append(f"runs.id IN ({select})")
                params += matched
            sql = f"SELECT COUNT(*) FROM runs{_where(clauses)}"
            return int(db.execute(sql, params).fetchone()[0])

        return self._read(work)

    def scan(
        self,
        after: Key | None = None,
        limit: int = 200,
        *,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
        budget: int | None = None,
    ) -> ScanPage:
        """One step through the list after the run at ``after``: up to ``limit`` runs,
        newest first, and where the next step goes on. Without text a step is one index
        range of ``limit`` runs. With text it stops after reading ``budget`` runs
        (:data:`SCAN_STEP` unless given), full or not: a rare text in a long history takes
        several steps, none of them long."""
        step = SCAN_STEP if budget is None else budget
        return self._step(_Filter(text, model, profile), after, limit, step)

    def page(
        self,
        after: Key | None = None,
        limit: int = 200,
        *,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
    ) -> list[RunSummary]:
        """The next ``limit`` runs, newest first, older than the run at ``after`` (the
        :attr:`RunSummary.key` of the last row shown; ``None``: from the newest); fewer
        only at the end.

        Keyset paging: every page is an index range, however deep; a run added meanwhile
        goes to the top and never shifts a page, so every run is listed exactly once.
        """
        return self._step(_Filter(text, model, profile), after, limit, None).rows

    def _step(self, flt: _Filter, after: Key | None, limit: int, budget: int | None) -> ScanPage:
        return self._read(lambda db: self._step_in(db, flt, after, limit, budget))

    def _step_in(
        self, db: sqlite3.Connection, flt: _Filter, after: Key | None, limit: int,
        budget: int | None,
    ) -> ScanPage:  # fmt: skip
        if not flt.query:
            rows = self._listed(db, flt, limit=limit + 1, after=after)
            return ScanPage(rows[:limit], rows[limit - 1].key if len(rows) > limit else None)
        keys, position = self._walk(db, flt, after, limit, budget=budget)
        return ScanPage(self._summaries_of(db, keys), position)

    def newer(
        self,
        than: Key,
        limit: int = 200,
        *,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
    ) -> list[RunSummary]:
        """The (at most ``limit``) runs just newer than the run at ``than``, newest first:
        what to add above the rows shown. Fewer than ``limit`` means these are all."""
        flt = _Filter(text, model, profile)
        return self._read(lambda db: self._newer(db, flt, than, limit))

    def search(
        self,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
        *,
        limit: int = 200,
        offset: int = 0,
    ) -> list[RunSummary]:
        """Newest first from ``offset`` (each page reads the ``offset`` runs before it:
        page with :meth:`page` instead)."""
        flt = _Filter(text, model, profile)
        if not flt.query:
            return self._read(lambda db: self._listed(db, flt, limit=limit, offset=offset))
        return self.page(None, offset + limit, text=text, model=model, profile=profile)[offset:]

    def since(
        self,
        tally: Tally,
        limit: int = 200,
        *,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
    ) -> tuple[Tally, list[RunSummary]] | None:
        """The runs recorded since ``tally`` was taken that match (at most ``limit``,
        newest first) and the tally now, read at one moment; ``None`` when runs counted
        in ``tally`` went away since (deleted, pruned by another process)."""
        flt = _Filter(text, model, profile)

        def work(db: sqlite3.Connection) -> tuple[Tally, list[RunSummary]] | None:
            with _snapshot(db):  # a run recorded meanwhile is counted and listed, or neither
                now = self._tally(db)
                if tally.newest is None:  # there were none: every run is new
                    if tally.runs:
                        return None
                    return now, self._step_in(db, flt, None, limit, None).rows
                added = db.execute(
                    "SELECT COUNT(*) FROM runs WHERE (created, id) > (?, ?)", tally.newest
                ).fetchone()[0]
                if now.runs != tally.runs + int(added):
                    return None
                return now, self._newer(db, flt, tally.newest, limit)

        return self._read(work)

    def opening(
        self,
        limit: int = 200,
        *,
        text: str = "",
        model: str | None = None,
        profile: str | None = None,
    ) -> tuple[Tally, ScanPage]:
        """The tally and the list's first step (:meth:`scan` from the newest), read at one
        moment: a run recorded meanwhile is in both or in neither, so :meth:`since` never
        lists it a second time, nor misses it."""
        flt = _Filter(text, model, profile)

        def work(db: sqlite3.Connection) -> tuple[Tally, ScanPage]:
            with _snapshot(db):
                return self._tally(db), self._step_in(db, flt, None, limit, SCAN_STEP)

        return self._read(work)

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
        row[7] = json_text.loads(row[7])
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
        """The models (or profiles) the runs used, sorted.

        Skips through the column's index one value at a time (a seek per value), rather
        than reading an entry per run.
        """
        if column not in ("model", "profile"):
            raise ValueError(column)
        rows = self._run(
            f"WITH RECURSIVE v(x) AS (SELECT (SELECT min({column}) FROM runs)"
            f" UNION ALL SELECT (SELECT min({column}) FROM runs WHERE {column} > v.x)"
            " FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
        )
        return sorted(str(r[0]) for r in rows)

    def export_jsonl(self, ids: Sequence[int], path: Path) -> None:
        lines = [json.dumps(_exported(self.get(i)), ensure_ascii=False) for i in ids]
        atomic_write_text(Path(path), "\n".join(lines) + ("\n" if lines else ""))

    def export_markdown(self, ids: Sequence[int], path: Path) -> None:
        """The runs as Markdown: prompts and outputs in code blocks whose fence is longer
        than any run of backticks in them (a code completion's own ```` ``` ```` closed
        a fixed one, and the rest of the file became Markdown); what a server or the user
        named (profile, URL, model, error, finish reason, parameters) as inline code."""
        parts = ["# Completion Playground runs\n"]
        for run_id in ids:
            record = self.get(run_id)
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
            parts.append(f"## Run {record.id} — {when}\n")
            parts.append(
                f"- profile: {_inline_code(record.profile)} ({_inline_code(record.base_url)})\n"
                f"- model: {_inline_code(record.model)}\n- status: {record.status}"
                + (f" ({_inline_code(record.error)})" if record.error else "")
                + "\n"
            )
            params = {k: v for k, v in record.request.items() if k not in ("prompt", "model")}
            parts.append(f"- parameters: {_inline_code(json.dumps(params, ensure_ascii=False))}\n")
            parts.append("\n### Prompt\n\n" + _fenced(record.prompt))
            for choice in record.result.get("choices", []):
                finish = choice.get("finish_reason")
                parts.append(
                    f"\n### Output (choice {choice.get('index', 0)}, "
                    f"{_inline_code(str(finish)) if finish else 'unfinished'})\n\n"
                    + _fenced(str(choice.get("text", "")))
                )
        atomic_write_text(Path(path), "\n".join(parts))


def _backtick_run(text: str) -> int:
    """The longest run of backticks in ``text``."""
    return max(map(len, re.findall("`+", text)), default=0) if "`" in text else 0


def _fenced(text: str) -> str:
    """``text`` as a Markdown code block that nothing in it can close (CommonMark: a fence
    closes only with at least as many backticks as opened it)."""
    fence = "`" * max(3, _backtick_run(text) + 1)
    return f"{fence}text\n{text}\n{fence}\n"


def _inline_code(text: str | None) -> str:
    """``text`` as inline Markdown code on one line ("-" when there is none)."""
    if not text:
        return "-"
    text = text.replace("\r", " ").replace("\n", " ")
    ticks = "`" * (_backtick_run(text) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""  # renderers strip one each
    return f"{ticks}{pad}{text}{pad}{ticks}"
