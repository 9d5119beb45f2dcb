"""Qt's own floor for the window's part of a run: text into a bare ``QPlainTextEdit``.

    python bench/qt_floor.py [--tokens N [N ...]]

Short token texts (``" tok{i}"``, with a newline in every token or none), put into a plain
``QPlainTextEdit`` (word wrap, 1200×800, offscreen) a frame's worth at a time (32K
characters, as the app's run controller does), scrolled to the end and painted after each
(``stream.qt_floor``, which ``bench/stream.py`` runs beside each window row with that row's
own text and frames): no colouring, no spans, no Python per line. Printed: seconds and µs
per token. No window can do less on the GUI thread, so window time ≥ core time + this while
both share the interpreter lock. The last line shows that lock: how much a spinning Python
thread gets done while ``insertText`` works, against while the main thread sleeps.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from stream import machine, qt_floor  # bench/stream.py

FRAME = 32_768


def token_text(i: int, newline: bool) -> str:
    return f" tok{i % 1000}" + ("\n" if newline else "")


def fill(tokens: int, newline: bool) -> float:
    """Seconds for ``tokens`` token texts in frames of :data:`FRAME` characters, as one
    paragraph when there are no newlines (no soft breaks: the bare widget's own cost)."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    text = "".join(token_text(i, newline) for i in range(tokens))
    return qt_floor(text, -(-len(text) // FRAME), (1200, 800), soft_breaks=False)


def gil_during_insert(lines: int = 200_000) -> tuple[float, float]:
    """Turns a spinning Python thread gets per second while ``QTextCursor.insertText`` puts
    ``lines`` lines into a document, and while the main thread sleeps: whether Qt's text
    engine lets other Python threads (a decoder) run meanwhile."""
    import threading

    from PySide6.QtGui import QTextCursor, QTextDocument

    count = 0
    stop = False

    def spin() -> None:
        nonlocal count
        while not stop:
            count += 1

    text = "\n".join(f" tok{i}" for i in range(lines))
    document = QTextDocument()
    thread = threading.Thread(target=spin)
    thread.start()
    try:
        time.sleep(0.05)
        before, started = count, time.perf_counter()
        QTextCursor(document).insertText(text)
        inserting = (count - before) / (time.perf_counter() - started)
        before, started = count, time.perf_counter()
        time.sleep(0.2)
        sleeping = (count - before) / (time.perf_counter() - started)
    finally:
        stop = True
        thread.join()
    return inserting, sleeping


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, nargs="+", default=[20_000, 100_000, 500_000])
    args = parser.parse_args()
    print(machine())
    print("bare QPlainTextEdit: insert, lay out and paint a frame's worth at a time")
    for tokens in args.tokens:
        for newline in (False, True):
            took = fill(tokens, newline)
            label = f"{tokens // 1000}k {'newlines' if newline else 'no nl   '}"
            print(f"  {label:16} {took:7.3f} s  {took / tokens * 1e6:6.1f} µs/token", flush=True)
    inserting, sleeping = gil_during_insert()
    print(
        f"a Python thread beside insertText: {inserting:,.0f} turns/s, beside a sleep:"
        f" {sleeping:,.0f} turns/s ({inserting / sleeping:.1%}: Qt keeps the interpreter lock"
        " while it inserts, so decoding in a thread cannot overlap it)"
    )


if __name__ == "__main__":
    main()
