"""Run history in SQLite: every run (GUI and CLI) with its request, output and outcome.

One table of runs plus an FTS5 index (trigram tokenizer, so Chinese and partial words are
found) over prompt and output. Never stores a key: the request body is what was sent, and
keys travel only in headers. A corrupt or locked database raises :class:`HistoryError`
with a sentence for the user; the file is never deleted or replaced.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_text
from app.core.request import CompletionRequest
from app.core.result import CompletionResult

__all__ = ["HistoryError", "HistoryStore", "RunRecord", "RunSummary", "record_for"]

SCHEMA_VERSION = 1
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


class HistoryError(Exception):
    """History cannot be used (corrupt, locked, unwritable); the app keeps working."""


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
        base_url=base_url,
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


class HistoryStore:
    """Thread-safe (one connection behind a lock): writes may come from worker threads."""

    FILE_NAME = "history.sqlite3"

    def __init__(self, path: Path, *, timeout: float = 2.0) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            check = self._db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"written by a newer version (schema {version})")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(self._describe(exc)) from None

    def _describe(self, exc: BaseException) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            why = "it is locked by another program"
        elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError
        ):
            why = f"it is damaged ({text})"
        else:
            why = text
        return (
            f"History is disabled: the database {self.path} cannot be used because {why}. "
            "The file was left untouched."
        )

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                rows = self._db.execute(sql, params).fetchall()
                self._db.commit()
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None
        return rows

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, record: RunRecord) -> int:
        with self._lock:
            try:
                cursor = self._db.execute(
                    "INSERT INTO runs (created, group_id, profile, base_url, model, request,"
                    " prompt, output, result, status, error)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.created, record.group_id, record.profile, record.base_url,
                        record.model, json.dumps(record.request, ensure_ascii=False),
                        record.prompt, record.output,
                        json.dumps(record.result, ensure_ascii=False), record.status,
                        record.error,
                    ),
                )  # fmt: skip
                self._db.commit()
            except sqlite3.Error as exc:
                raise HistoryError(self._describe(exc)) from None
        record.id = int(cursor.lastrowid or 0)
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
            self._run(f"DELETE FROM runs WHERE id IN ({marks})", list(ids))

    def prune(
        self, *, older_than_days: int = 0, keep_runs: int = 0, now: float | None = None
    ) -> int:
        """Delete runs older than ``older_than_days`` and beyond the newest ``keep_runs``
        (0 = no limit for either); returns how many were deleted."""
        before = self.count()
        if older_than_days > 0:
            cutoff = (time.time() if now is None else now) - older_than_days * 86400
            self._run("DELETE FROM runs WHERE created < ?", (cutoff,))
        if keep_runs > 0:
            self._run(
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
