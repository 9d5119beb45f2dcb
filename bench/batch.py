"""Batch benchmark: rows per second through the core's batch runner against a fast server.

    python bench/batch.py [--rows 1000] [--concurrency 8]

A loopback server (``tests.loopback_server`` in its own process, so it does not compete
for our GIL) answers every completion at once. The bench fills a CSV of ``--rows`` rows
(Chinese text and quoted commas included), renders the template for each, and runs them
with :class:`app.core.batch.BatchRun` through the real :class:`app.core.runs.Runner` at
``--concurrency``, printed for four set-ups: whole answers and streamed ones, each without
and with the history (a SQLite file in a temporary folder, one transaction per run, as in
the app), after a bare httpx client's figure for the same requests (what the server
itself allows on this machine).

The window's figure (skipped with ``--no-window``): a real main window (offscreen, qasync
loop, a temporary config folder, the history on) opens the Batch window, loads the same
data file and runs it at ``--concurrency`` against the same server, one variant, whole
answers; printed are the rows per second from Run to the last cell, and the longest
event-loop stall a 1 ms ``QTimer`` saw while the table filled and after it, until the
end-of-batch work is done (target <= 50 ms). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # bench/machine.py

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.batch import BatchRun, BatchSpec, load_data
from app.core.compare import CompareTarget
from app.core.connections import Connections
from app.core.history import HistoryStore
from app.core.keys import KeyStore
from app.core.profiles import Profile
from app.core.runs import Runner

if TYPE_CHECKING:
    from app.ui.shell.gc_guard import GCGuard

ROOT = Path(__file__).resolve().parent.parent
#: After the batch ended the loop must go this long without a stall before we stop.
SETTLE_S = 0.2
#: A tick gap above this counts as the loop being busy (restarts the settle wait).
BUSY_GAP_S = 0.016
SETTLE_CAP_S = 30.0


@contextlib.contextmanager
def server_process() -> Iterator[str]:
    """The loopback server in its own process; yields its root URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.loopback_server", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "Serving on http://127.0.0.1:PORT/v1 ..."
        yield line.split()[2].removesuffix("/v1")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_data(path: Path, rows: int) -> None:
    lines = ["id,question,note"]
    for i in range(rows):
        lines.append(f'{i},"第{i}个问题, with a comma","line one\nline two"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def run_once(
    server: str, data_path: Path, concurrency: int, stream: bool, history_path: Path | None
) -> tuple[float, int, float | None]:
    """(seconds, cells done, p95 latency) of one batch over the data file."""
    data = load_data(data_path)
    spec = BatchSpec(
        prompt="Q{{id}}: {{question}}\nA:",
        parameters={"max_tokens": 8, "temperature": 0.0, "stream": stream},
        variants=[CompareTarget("bench", "m")],
        concurrency=concurrency,
    )
    batch = BatchRun(spec, data)
    profile = Profile(name="bench", base_url=f"{server}/v1")
    connections = Connections(KeyStore())
    history = HistoryStore(history_path) if history_path is not None else None
    try:
        start = time.perf_counter()
        progress = await batch.run(Runner(connections, history), {"bench": profile})
        elapsed = time.perf_counter() - start
    finally:
        await connections.aclose()
        if history is not None:
            history.close()
    assert progress.finished and progress.failed == 0, progress
    (summary,) = batch.summary()
    return elapsed, progress.done, summary.p95_latency


async def bare_httpx(server: str, rows: int, concurrency: int) -> float:
    """The same requests (whole answers) from a bare httpx client: the server's own limit."""
    import httpx

    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60) as http:

        async def one(i: int) -> None:
            body = {"model": "m", "prompt": f"Q{i}: 第{i}个问题, with a comma\nA:",
                    "max_tokens": 8, "temperature": 0.0, "stream": False}  # fmt: skip
            async with limit:
                response = await http.post(f"{server}/v1/completions", json=body)
                response.json()

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(rows)))
        return time.perf_counter() - start


# -- the window ---------------------------------------------------------------------------


class Ticker:
    """A 1 ms QTimer that records when it ticked (a long gap: the loop was busy)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.ticks: list[float] = []

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def gaps(self) -> Iterator[tuple[float, float]]:
        """(gap, when it ended) for every pair of ticks."""
        for before, after in zip(self.ticks, self.ticks[1:], strict=False):
            yield after - before, after

    def longest(self, since: float, until: float) -> float:
        return max((gap for gap, at in self.gaps() if since < at <= until), default=0.0)


class Collections:
    """The garbage collector's pauses (the app collects from a timer on the GUI thread,
    :class:`app.ui.shell.gc_guard.GCGuard`): a stall may be one of them."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, int, float]] = []  # (seconds, generation, when ended)
        self._started = 0.0

    def __enter__(self) -> Collections:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        else:
            self.pauses.append((now - self._started, info["generation"], now))

    def longest(self, since: float, until: float) -> tuple[float, int]:
        return max(((p, g) for p, g, at in self.pauses if since < at <= until), default=(0.0, 0))


@dataclass
class WindowFigures:
    seconds: float  # Run → the batch's end
    ok: int  # cells that ran without an error
    shown: int  # lines in the results table
    stall_during: float  # the longest gap between 1 ms ticks while the table filled
    stall_after: float  # … and after it, until the loop was idle for SETTLE_S
    settle: float
    gc_pause: float  # the longest garbage collection in all that time
    gc_generation: int


async def window_run(
    server: str, data_path: Path, concurrency: int, home: str, gc_guard: GCGuard
) -> WindowFigures:
    """One batch in a fresh window; see the module docstring for what is measured."""
    from app.core.paths import AppPaths
    from app.core.profiles import ProfileStore
    from app.ui.shell.application import create_window

    paths = AppPaths.resolve(home)
    profile = Profile(name="bench", base_url=f"{server}/v1", default_model="m")
    ProfileStore(paths.config_dir).save([profile], "bench")
    window = create_window(paths)
    window.prompt.setPlainText("Q{{id}}: {{question}}\nA:")
    window.parameters.max_tokens.set_value(8)
    window.parameters.temperature.set_value(0.0)
    window.parameters.stream.setChecked(False)
    window.resize(1200, 800)
    window.show()
    window.storage.history  # noqa: B018 - opened right after the first frame, as the app does
    await asyncio.sleep(0.5)  # let the window settle (model list, token count, first paint)
    gc_guard.freeze_startup()  # as the app does a second after its window is shown
    batch = window.show_batch()
    batch.concurrency.setValue(concurrency)
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[float] = loop.create_future()
    # Warm-up (not measured): a short batch opens the connections and imports what the
    # first request needs (the app's model-list refresh does that at start-up).
    warm_up = data_path.with_name("warm-up.csv")
    write_data(warm_up, 2 * concurrency)
    assert batch.load_data_file(str(warm_up)), batch.check_errors
    warm_task = batch.run_batch()
    assert warm_task is not None, batch.message.text()
    await warm_task
    assert batch.load_data_file(str(data_path)), batch.check_errors
    assert not batch.check(), batch.check_errors
    await asyncio.sleep(0.3)
    batch.finished.connect(lambda _: ended.done() or ended.set_result(time.perf_counter()))
    ticker = Ticker()
    ticker.start()
    with Collections() as collections:
        start = time.perf_counter()
        task = batch.run_batch()
        assert task is not None, batch.message.text()
        end = await ended
        while True:  # after the end: until the loop has gone SETTLE_S without a busy gap
            await asyncio.sleep(0.02)
            now = time.perf_counter()
            busy = [at for gap, at in ticker.gaps() if at > end and gap > BUSY_GAP_S]
            if now - max(busy, default=end) >= SETTLE_S or now - end > SETTLE_CAP_S:
                break
        settled = time.perf_counter()
    ticker.stop()
    cells = batch.results.cells
    ok = sum(1 for c in cells if c.ok)
    shown = batch.proxy.rowCount()
    during, after = ticker.longest(start, end), ticker.longest(end, settled)
    pause, generation = collections.longest(start, settled)
    await window.controller.shutdown()
    batch.close()
    window.close()
    window.deleteLater()
    await asyncio.sleep(0.05)
    return WindowFigures(end - start, ok, shown, during, after, settled - end, pause, generation)


def window_figure(server: str, data_path: Path, rows: int, concurrency: int) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.event_loop import create_event_loop
    from app.ui.shell.gc_guard import GCGuard

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop
    loop = create_event_loop(app)
    gc_guard = GCGuard(app)  # as the app does: collect on the GUI thread, from a timer
    gc_guard.start()
    with loop, tempfile.TemporaryDirectory() as home:
        f = loop.run_until_complete(window_run(server, data_path, concurrency, home, gc_guard))
    gc_guard.stop()
    label = "window, whole + history".ljust(36)
    print(
        f"{label}  {f.ok / f.seconds:8.1f} rows/s  ({f.ok} of {rows} rows ok, {f.shown} lines "
        f"shown, in {f.seconds:.2f} s)"
    )
    print(
        f"{'':36}  longest event-loop stall {f.stall_during * 1000:.1f} ms while the table "
        f"filled, {f.stall_after * 1000:.1f} ms after it (settled in {f.settle:.2f} s; "
        "target <= 50 ms)"
    )
    print(
        f"{'':36}  longest garbage collection meanwhile {f.gc_pause * 1000:.1f} ms "
        f"(generation {f.gc_generation}; the app collects from a 1 s timer on the GUI thread)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-window", action="store_true", help="skip the window's figure")
    args = parser.parse_args()
    print(describe())
    print(f"{args.rows:,} rows, concurrency {args.concurrency}, max_tokens 8, one variant")
    with server_process() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data_path = folder / "rows.csv"
        write_data(data_path, args.rows)
        warm = folder / "warm.csv"
        write_data(warm, 50)
        asyncio.run(run_once(server, warm, args.concurrency, False, None))
        bare = asyncio.run(bare_httpx(server, args.rows, args.concurrency))
        print(f"{'bare httpx, whole (the server limit)':28}  {args.rows / bare:8.1f} rows/s")
        for stream in (False, True):
            for with_history in (False, True):
                history = folder / f"h-{stream}-{with_history}.sqlite3" if with_history else None
                elapsed, done, p95 = asyncio.run(
                    run_once(server, data_path, args.concurrency, stream, history)
                )
                kind = "streamed" if stream else "whole"
                label = f"batch, {kind} {'+ history' if history else ''}".ljust(36)
                p95_text = f"{p95 * 1000:.1f} ms" if p95 is not None else "-"
                print(
                    f"{label}  {done / elapsed:8.1f} rows/s  ({done} rows in {elapsed:.2f} s, "
                    f"p95 latency {p95_text})"
                )
        if not args.no_window:
            window_figure(server, data_path, args.rows, args.concurrency)


if __name__ == "__main__":
    main()
