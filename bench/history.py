"""History benchmark: 10,000 runs in SQLite; print the times the history panel depends on.

    python bench/history.py [--runs 10000]

Prints: insert rate, the first page (200 newest), count, a full-text search, a page deep
in the list, and the window's history model opening on the database. Figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.history import HistoryStore, RunRecord


def timed(label: str, func: object) -> object:
    start = time.perf_counter()
    value = func()  # type: ignore[operator]
    print(f"  {label:<38} {(time.perf_counter() - start) * 1000:8.1f} ms")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder) / "history.sqlite3")
        words = ["alpha", "beta", "gamma", "你好", "世界", "delta", "needle"]
        records = [
            RunRecord(created=i, profile=f"p{i % 3}", base_url="http://h/v1", model=f"m{i % 4}",
                      request={"model": "m", "prompt": "x" * 200}, prompt=f"prompt {i} " * 20,
                      output=" ".join(words[(i + k) % len(words)] for k in range(60)),
                      result={"choices": [{"text": "y" * 400}]}, status="ok")
            for i in range(args.runs)
        ]  # fmt: skip
        print(f"History with {args.runs:,} runs:")
        start = time.perf_counter()
        for record in records:
            store.add(record)
        elapsed = time.perf_counter() - start
        print(f"  {'insert (one transaction each)':<38} {args.runs / elapsed:8.0f} runs/s")
        timed("first page (200 newest)", lambda: store.search(limit=200))
        timed("count", store.count)
        hits = timed("full-text search 'needle'", lambda: store.search("needle", limit=200))
        timed("filter model=m1, page 200", lambda: store.search(model="m1", limit=200))
        timed("page at offset 9,800", lambda: store.search(limit=200, offset=9_800))
        print(f"  (search found {len(hits):,} rows on its first page)")  # type: ignore[arg-type]
        from PySide6.QtWidgets import QApplication

        from app.ui.history.history_panel import HistoryTableModel

        QApplication.instance() or QApplication([])
        model = HistoryTableModel(store)
        timed("window model: open (count + 1 page)", model.reload)
        print(f"  window model rows loaded: {model.rowCount()} of {model.total:,}")
        store.close()


if __name__ == "__main__":
    main()
