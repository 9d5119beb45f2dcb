"""History benchmark: 100,000 runs in SQLite; print the times the history panel depends on.

    python bench/history.py [--runs 100000]

Fills a database with ``--runs`` runs (one ``executemany`` in one transaction, the full-text
index kept by the triggers; three runs share each timestamp, as a compare run's do), then
prints, with the machine on top:

* opening (a new connection: the header and the schema, no scan of the file);
* the first page, then the keyset walked from the newest run to the oldest (every page:
  the slowest, the p95, the last), and the old ``OFFSET`` page at the end for comparison;
* searches: a word in every run, in one run in 100, in one in 1,000, in none (full text,
  trigram), two letters in every run and in none (``LIKE``): the first step the window's
  list reads (``scan``: at most ``SCAN_STEP`` runs read, a page or less), every step to
  the end of the list, a whole page however many steps it takes (``page``), and the
  count (which reads every match; the window does not ask for it);
* the window's model (offscreen): opening (count and first page) and fetching to the end;
* opening a file the first schema made (its indexes rebuilt in keyset order, once).

Target: any page of 100,000 runs in ≤ 20 ms. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # bench/machine.py

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.history import HistoryStore, Key, RunSummary

PAGE = 200
WORDS = ["alpha", "beta", "gamma", "你好", "世界", "delta", "epsilon"]
FIRST_SCHEMA_INDEXES = (
    "CREATE INDEX runs_created ON runs(created DESC)",
    "CREATE INDEX runs_model ON runs(model)",
    "CREATE INDEX runs_profile ON runs(profile)",
)
_T = TypeVar("_T")


def machine() -> str:
    return describe(f"SQLite {sqlite3.sqlite_version}")


def rows(count: int) -> Iterator[tuple[object, ...]]:
    """Runs about the size real ones are (a 250-character prompt, a 60-word output)."""
    request = json.dumps({"model": "m", "prompt": "x" * 200, "max_tokens": 64})
    result = json.dumps({"choices": [{"index": 0, "text": "y" * 400}], "usage": {}})
    start = time.time() - count
    for i in range(count):
        output = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(60))
        if i % 100 == 0:
            output += " haystack" + (" needle" if i % 1000 == 0 else "")
        yield (start + i // 3, f"p{i % 3}", "http://h/v1", f"m{i % 4}", request,
               f"prompt {i} " + "lorem ipsum " * 20, output, result, "ok")  # fmt: skip


def fill(path: Path, count: int) -> None:
    HistoryStore(path).close()  # the schema, as the app makes it
    db = sqlite3.connect(path)
    with db:  # one transaction
        db.executemany(
            "INSERT INTO runs (created, profile, base_url, model, request, prompt, output,"
            " result, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(count),
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def ms(func: Callable[[], _T]) -> tuple[_T, float]:
    start = time.perf_counter()
    value = func()
    return value, (time.perf_counter() - start) * 1000


def line(label: str, value: float, unit: str = "ms", note: str = "") -> None:
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in label)  # two columns each
    print(f"  {label:<{52 - wide}} {value:9.1f} {unit}{'  ' + note if note else ''}")


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def walk(store: HistoryStore) -> tuple[list[float], int, Key | None]:
    """Every page from the newest run to the oldest: each page's time, the rows, the end."""
    times: list[float] = []
    total = 0
    after: Key | None = None
    while True:
        page: list[RunSummary]
        page, took = ms(partial(store.page, after, PAGE))
        times.append(took)
        total += len(page)
        if len(page) < PAGE:
            return times, total, after
        after = page[-1].key


def report_walk(label: str, times: list[float], total: int) -> None:
    line(f"{label}: slowest of {len(times):,} pages", max(times))
    line(f"{label}: p95 page", p95(times))
    line(f"{label}: last page", times[-1], note=f"({total:,} runs listed)")


def bench_store(path: Path, runs: int) -> None:
    store, took = ms(lambda: HistoryStore(path))
    size = path.stat().st_size / 2**20
    line("open (new connection: header and schema)", took, note=f"(file {size:,.0f} MB)")
    _, took = ms(lambda: store.page(None, PAGE))
    line(f"first page ({PAGE} newest)", took)
    times, total, _ = walk(store)
    report_walk("keyset walk to the oldest", times, total)
    _, took = ms(lambda: store.search(limit=PAGE, offset=runs - PAGE))
    line(f"(before: OFFSET {runs - PAGE:,} page, for comparison)", took)
    _, took = ms(lambda: store.count())
    line("count", took)
    _, took = ms(lambda: store.distinct("model") + store.distinct("profile"))
    line("distinct models and profiles (the filter lists)", took)
    for text, what in (
        ("gamma", "in every run"),
        ("haystack", "in 1 run in 100"),
        ("needle", "in 1 run in 1,000"),
        ("zebra", "in none"),
        ("你好", "two letters, LIKE, in every run"),
        ("zq", "two letters, LIKE, in none"),
    ):
        step, took = ms(partial(store.scan, None, PAGE, text=text))
        line(f"search {text!r} ({what}): first step", took, note=f"({len(step.rows)} rows)")
        steps: list[float] = []
        after: Key | None = None
        found = 0
        while True:
            step, took = ms(partial(store.scan, after, PAGE, text=text))
            steps.append(took)
            found += len(step.rows)
            if step.next is None:
                break
            after = step.next
        line(f"search {text!r}: slowest of {len(steps):,} steps", max(steps),
             note=f"(p95 {p95(steps):.1f} ms; {found:,} runs listed)")  # fmt: skip
        _, took = ms(partial(store.page, None, PAGE, text=text))
        line(f"search {text!r}: a whole first page", took, note="(as many steps as it takes)")
        _, took = ms(partial(store.count, text))
        line(f"search {text!r}: count (reads every match)", took)
    store.close()


def bench_model(path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.history.history_panel import HistoryTableModel

    app = QApplication.instance() or QApplication([])
    store = HistoryStore(path)
    model = HistoryTableModel(store)
    _, took = ms(model.reload)
    line("window model: open (first page)", took)
    fetches: list[float] = []
    start = time.perf_counter()
    root = model.index(-1, -1)
    while model.canFetchMore(root):
        fetches.append(ms(lambda: model.fetchMore(root))[1])
    line("window model: fetch to the end", (time.perf_counter() - start) * 1000,
         note=f"({len(fetches):,} fetches, {model.rowCount():,} rows)")  # fmt: skip
    line("window model: slowest fetchMore", max(fetches, default=0.0))
    line("window model: p95 fetchMore", p95(fetches or [0.0]))
    searching = HistoryTableModel(store)
    searching.text = "needle"
    _, took = ms(searching.reload)
    line("window model: open on a search ('needle')", took, note=f"({searching.rowCount()} rows)")
    shown = model.rowCount()
    model.text = "gamma"
    _, took = ms(model.reload)
    line(f"window model: search 'gamma' after {shown:,} rows shown", took,
         note="(frees them, reads the first step)")  # fmt: skip
    model.text = "zq"
    _, took = ms(model.reload)
    line("window model: search 'zq' (LIKE, in none)", took,
         note="(the first step; the rest come a loop turn apart)")  # fmt: skip
    store.close()
    del app


def bench_upgrade(path: Path, runs: int) -> None:
    db = sqlite3.connect(path)
    for statement in FIRST_SCHEMA_INDEXES:
        db.execute(f"DROP INDEX {statement.split()[2]}")
        db.execute(statement)
    db.commit()
    before = (
        "SELECT id, created, profile, model, status, substr(prompt, 1, 160),"
        " substr(output, 1, 160) FROM runs ORDER BY created DESC, id DESC LIMIT ? OFFSET ?"
    )
    for offset in sorted({0, min(9_800, runs - PAGE), runs - PAGE}):
        _, took = ms(lambda offset=offset: db.execute(before, (PAGE, offset)).fetchall())
        line(f"(before: first-schema indexes, OFFSET {offset:,} page)", took)
    db.close()
    store, took = ms(lambda: HistoryStore(path))
    store.close()
    line("open a first-schema file (indexes rebuilt, once)", took)
    store, took = ms(lambda: HistoryStore(path))
    store.close()
    line("open it again", took)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / HistoryStore.FILE_NAME
        _, took = ms(lambda: fill(path, args.runs))
        print(f"History with {args.runs:,} runs (filled in {took / 1000:.1f} s):")
        bench_store(path, args.runs)
        bench_model(path)
        bench_upgrade(path, args.runs)
    print(f"Target: any page ≤ 20 ms (keyset paging; a search's list reads a step at a time);"
          f" {PAGE} runs a page.")  # fmt: skip


if __name__ == "__main__":
    main()
