"""Batch results as JSON Lines or CSV, written atomically (:mod:`app.core.atomic`).

:func:`cell_record` is one cell as a JSON object: the row's number and values, the
variant, the prompt sent, the choices (text, finish reason, logprobs), usage, tokens (with
where they came from), timings, cost, pass/fail, log-likelihood, and the error if the
request failed. :func:`export_jsonl` writes one such line per cell (row by row, each row's
variants in order; the CLI runs one variant, so one line per row). :func:`export_csv`
writes one flat line per cell (UTF-8 with a byte-order mark, so spreadsheet programs read
Chinese text correctly); a data column whose name a result column has is suffixed
`` (data)``. Numbers that JSON cannot hold (an infinite log-likelihood) are written as
``null``.

The CSV is meant for spreadsheet programs, which run a cell starting with ``=``, ``+``,
``-`` or ``@`` as a formula (``=HYPERLINK(…)`` from a model or a relay, or from the data
file, becomes a live link that can send the sheet's cells away): such a text cell is
written with a leading ``'`` (OWASP's advice; a plain number such as ``-5`` is left as it
is). The JSON Lines export keeps every text exactly.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_bytes, atomic_write_text
from app.core.batch.runner import BatchCell, BatchRun

__all__ = [
    "CSV_COLUMNS",
    "cell_record",
    "export_csv",
    "export_jsonl",
    "jsonl_text",
    "spreadsheet_text",
]

#: The result columns of the CSV export, after the row, the variant and the data columns.
CSV_COLUMNS = (
    "prompt",
    "output",
    "finish_reason",
    "status",
    "error",
    "prompt_tokens",
    "completion_tokens",
    "tokens_estimated",
    "latency_s",
    "cost",
    "currency",
    "expected",
    "passed",
    "loglik",
)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def cell_record(batch: BatchRun, cell: BatchCell) -> dict[str, Any]:
    """One cell as a JSON object (see the module doc)."""
    variant = batch.variants[cell.variant]
    outcome = cell.outcome
    result = outcome.result.to_json() if outcome is not None else None
    record: dict[str, Any] = {
        "row": cell.row + 1,
        "variant": cell.variant + 1,
        "variant_label": variant.label,
        "profile": variant.profile,
        "model": cell.request.model,
        "values": dict(cell.values),
        "prompt": cell.prompt,
    }
    if cell.suffix:
        record["suffix"] = cell.suffix
    record.update(
        {
            "status": cell.state,
            "attempts": cell.attempts,
            "text": cell.text,
            "finish_reason": cell.finish_reason,
            "choices": result["choices"] if result else [],
            "usage": cell.usage,
            "tokens": cell.tokens.to_json() if cell.tokens else None,
            "timings": result["timings"] if result else None,
            "cost": cell.cost,
            "currency": cell.currency,
        }
    )
    if cell.expected is not None:
        record.update(
            {
                "expected": cell.expected,
                "match": batch.spec.match,
                "passed": cell.passed,
            }
        )
    if cell.loglik is not None:
        record["loglik"] = _finite(cell.loglik.value)
        record["loglik_tokens"] = cell.loglik.tokens
        record["loglik_problem"] = str(cell.loglik.problem) if cell.loglik.problem else None
        record["score_cost"] = cell.score_cost
    error = outcome.result.error if outcome is not None else None
    record["error"] = error.user_message() if error is not None else None
    record["error_code"] = error.msg.code if error is not None else None
    record["notes"] = result["notes"] if result else []
    record["history_id"] = cell.record_id
    return record


def _json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities (a server's usage may hold them) as ``None``."""
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _line(record: dict[str, Any]) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(_json_safe(record), ensure_ascii=False, allow_nan=False)


def jsonl_text(records: Iterable[dict[str, Any]]) -> str:
    """JSON Lines: one compact object per line, non-ASCII text as it is."""
    return "".join(_line(r) + "\n" for r in records)


def export_jsonl(
    batch: BatchRun, path: str | Path, cells: Iterable[BatchCell] | None = None
) -> None:
    """Every cell (or ``cells``) as one JSON line; atomic, raises OSError."""
    chosen = batch.cells if cells is None else cells
    atomic_write_text(Path(path), jsonl_text(cell_record(batch, c) for c in chosen))


#: How a spreadsheet cell that is a formula starts (a tab or carriage return first too).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """A text cell a spreadsheet shows as text, never runs as a formula (see the module's
    docs); other values as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value  # a number such as -5


def _csv_row(batch: BatchRun, cell: BatchCell) -> list[Any]:
    tokens = cell.tokens
    loglik = _finite(cell.loglik.value) if cell.loglik else None
    error = cell.error
    safe = spreadsheet_text
    values = [cell.row + 1, cell.variant + 1, safe(batch.variants[cell.variant].label)]
    values += [safe(cell.values.get(name, "")) for name in batch.data.columns]
    values += [
        safe(cell.prompt),
        safe(cell.text),
        safe(cell.finish_reason or ""),
        cell.state,
        safe(str(error)) if error is not None else "",
        tokens.prompt if tokens else "",
        tokens.completion if tokens else "",
        ("yes" if tokens.estimated else "no") if tokens else "",
        f"{cell.latency:.3f}" if cell.latency is not None else "",
        f"{cell.cost:.6f}" if cell.cost is not None else "",
        cell.currency or "",
        safe(cell.expected) if cell.expected is not None else "",
        "" if cell.passed is None else ("pass" if cell.passed else "fail"),
        f"{loglik:.4f}" if loglik is not None else "",
    ]
    return values


def export_csv(batch: BatchRun, path: str | Path, cells: Iterable[BatchCell] | None = None) -> None:
    """Every cell (or ``cells``) as one CSV line under a header; atomic, raises OSError."""
    reserved = {"row", "variant", "variant_label", *CSV_COLUMNS}
    data_names = [f"{n} (data)" if n in reserved else n for n in batch.data.columns]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = [spreadsheet_text(name) for name in data_names]
    writer.writerow(["row", "variant", "variant_label", *header, *CSV_COLUMNS])
    for cell in batch.cells if cells is None else cells:
        writer.writerow(_csv_row(batch, cell))
    atomic_write_bytes(Path(path), buffer.getvalue().encode("utf-8-sig"))
