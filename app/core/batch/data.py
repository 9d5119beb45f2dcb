"""Batch data: the rows of a CSV, TSV or JSON Lines file, every value as text.

:func:`load_data` reads a file (UTF-8, with or without a byte-order mark), picking the
format by the file's extension (``.csv``; ``.tsv``/``.tab``; ``.jsonl``/``.ndjson``/
``.json``) unless one is given; :func:`parse_data` does the same for text in memory.

* CSV and TSV: the first record is the header (names trimmed; each must be unique and
  non-empty). Quoted values may hold the delimiter, quotes (``""``) and line breaks.
  Blank lines are skipped; a short record is padded with empty values; a record with
  more non-empty values than the header has columns is an error naming its line.
* JSON Lines: one JSON object per line (blank lines skipped); values that are not text
  are JSON-dumped (``3`` → ``"3"``, ``true`` → ``"true"``, ``null`` → ``"null"``, a list
  → its JSON). A ``.json`` file may also hold one JSON array of objects. The columns are
  every key, in the order they first appear; a key a row lacks is an empty value.

Every problem raises :class:`DataError`, whose ``msg`` is a
:class:`~app.core.messages.Message` naming the file (and the line).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = ["FORMATS", "DataError", "DataSet", "format_for", "load_data", "parse_data"]

#: The formats :func:`parse_data` reads.
FORMATS = ("csv", "tsv", "jsonl")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
#: The longest value a CSV field may hold (the csv module's default is 128 KiB).
FIELD_LIMIT = 64 * 1024 * 1024

DATA_UNREADABLE = kind(
    "batch.data_unreadable",
    QT_TRANSLATE_NOOP("Core", "The data file {path} cannot be read ({reason})."),
)
DATA_NOT_UTF8 = kind(
    "batch.data_not_utf8",
    QT_TRANSLATE_NOOP(
        "Core", "The data file {path} is not UTF-8 text (invalid byte at position {offset})."
    ),
)
DATA_FORMAT = kind(
    "batch.data_format",
    QT_TRANSLATE_NOOP(
        "Core",
        "The data file {path} is not CSV, TSV or JSON Lines: name it .csv, .tsv or .jsonl.",
    ),
)
DATA_EMPTY = kind(
    "batch.data_empty", QT_TRANSLATE_NOOP("Core", "The data file {path} has no rows.")
)
DATA_CSV = kind(
    "batch.data_csv",
    QT_TRANSLATE_NOOP("Core", "The data file {path} cannot be read at line {line} ({reason})."),
)
DATA_UNNAMED_COLUMN = kind(
    "batch.data_unnamed_column",
    QT_TRANSLATE_NOOP(
        "Core", "Column {number} of the data file {path} has no name in the header row."
    ),
)
DATA_DUPLICATE_COLUMN = kind(
    "batch.data_duplicate_column",
    QT_TRANSLATE_NOOP(
        "Core", "The header row of the data file {path} names the column {name} twice."
    ),
)
DATA_EXTRA_CELLS = kind(
    "batch.data_extra_cells",
    QT_TRANSLATE_NOOP(
        "Core",
        "Line {line} of the data file {path} has {cells} values, but the header row has "
        "{columns} columns.",
    ),
)
DATA_NOT_JSON = kind(
    "batch.data_not_json",
    QT_TRANSLATE_NOOP("Core", "Line {line} of the data file {path} is not valid JSON ({reason})."),
)
DATA_NOT_OBJECT = kind(
    "batch.data_not_object",
    QT_TRANSLATE_NOOP(
        "Core", 'Line {line} of the data file {path} is not a JSON object ({{"column": "value"}}).'
    ),
)


class DataError(ValueError):
    """A data file cannot be used; ``msg`` says why (naming the file and the line)."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        super().__init__(str(msg))


@dataclass(frozen=True)
class DataSet:
    """Rows of text values under named columns (row ``i`` is the ``i + 1``-th data row)."""

    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]
    #: Where the rows came from (for messages; empty for text in memory).
    source: str = ""
    format: str = "csv"

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], source: str = "") -> DataSet:
        """Rows given as dicts (values JSON-dumped unless text), e.g. from a window's table."""
        return _from_objects([(i + 1, row) for i, row in enumerate(rows)], source, "jsonl")


def format_for(path: str | Path) -> str | None:
    """The format a file name says (``None`` when its extension is not one we read)."""
    return _EXTENSIONS.get(Path(path).suffix.lower())


def load_data(path: str | Path, format: str | None = None) -> DataSet:
    """The rows of a data file; raises :class:`DataError`."""
    name = str(path)
    chosen = format or format_for(path)
    if chosen not in FORMATS:
        raise DataError(DATA_FORMAT(path=name))
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(DATA_UNREADABLE(path=name, reason=exc.strerror or str(exc))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(DATA_NOT_UTF8(path=name, offset=exc.start)) from None
    return parse_data(text, chosen, name)


def parse_data(text: str, format: str, source: str = "") -> DataSet:
    """The rows of ``text`` in ``format`` (``csv``, ``tsv`` or ``jsonl``); raises DataError."""
    text = text.removeprefix("\ufeff")
    if format == "jsonl":
        data = _parse_jsonl(text, source)
    elif format in ("csv", "tsv"):
        data = _parse_delimited(text, "," if format == "csv" else "\t", source, format)
    else:
        raise DataError(DATA_FORMAT(path=source))
    if not data.rows:
        raise DataError(DATA_EMPTY(path=source))
    return data


def _parse_delimited(text: str, delimiter: str, source: str, format: str) -> DataSet:
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    try:
        for record in reader:
            if not record:
                continue  # a blank line
            if header is None:
                header = _header(record, source)
                continue
            if len(record) > len(header) and any(v.strip() for v in record[len(header) :]):
                raise DataError(
                    DATA_EXTRA_CELLS(
                        path=source, line=reader.line_num, cells=len(record), columns=len(header)
                    )
                )
            values = record + [""] * (len(header) - len(record))
            rows.append(dict(zip(header, values, strict=False)))
    except csv.Error as exc:
        raise DataError(DATA_CSV(path=source, line=reader.line_num, reason=str(exc))) from None
    return DataSet(tuple(header or ()), tuple(rows), source, format)


def _header(record: list[str], source: str) -> list[str]:
    names = [name.strip() for name in record]
    while len(names) > 1 and not names[-1]:
        names.pop()  # a trailing delimiter (spreadsheets write them)
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        if not name:
            raise DataError(DATA_UNNAMED_COLUMN(path=source, number=number))
        if name in seen:
            raise DataError(DATA_DUPLICATE_COLUMN(path=source, name=name))
        seen.add(name)
    return names


def _parse_jsonl(text: str, source: str) -> DataSet:
    if text.lstrip().startswith("["):  # a .json file holding one array of objects
        try:
            items = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise DataError(DATA_NOT_JSON(path=source, line=1, reason=_reason(exc))) from None
        if isinstance(items, list):
            return _from_objects([(1, item) for item in items], source, "jsonl")
    objects: list[tuple[int, Any]] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            objects.append((line_number, json.loads(line)))
        except (ValueError, RecursionError) as exc:
            raise DataError(
                DATA_NOT_JSON(path=source, line=line_number, reason=_reason(exc))
            ) from None
    return _from_objects(objects, source, "jsonl")


def _reason(exc: Exception) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__


def _from_objects(objects: list[tuple[int, Any]], source: str, format: str) -> DataSet:
    columns: dict[str, None] = {}
    rows: list[dict[str, str]] = []
    for line_number, item in objects:
        if not isinstance(item, Mapping):
            raise DataError(DATA_NOT_OBJECT(path=source, line=line_number))
        row = {str(key): _text(value) for key, value in item.items()}
        columns.update(dict.fromkeys(row))
        rows.append(row)
    names = tuple(columns)
    full = tuple({name: row.get(name, "") for name in names} for row in rows)
    return DataSet(names, full, source, format)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return str(value)
