"""Streaming benchmark: raw bytes, a bare httpx consumer, the core client and the window.

    python bench/stream.py [--quick] [--tokens N [N ...]] [--rounds R] [--window-rounds W]
                           [--no-clients] [--no-window] [--newlines yes|no|both]
                           [--logprobs yes|no|both] [--stall-stacks]

The streams come from ``bench/server.py`` in its own process, which writes a prebuilt body
(every event JSON-encoded before the first request; one warm-up request per stream before
timing), so the figures measure reading and decoding only. Printed, never asserted:

(a) for 20k and 100k tokens, with and without logprobs (top 5): the throughput of reading
    the raw bytes (``aiter_raw``, the limit), of a bare httpx consumer (``aiter_lines`` +
    ``json.loads``, collecting the text; with logprobs also one that keeps each chunk's
    logprobs object, as the core keeps every token's) and of the core client
    (``app.core.run.execute`` with a ``CompletionClient``), medians of alternating rounds,
    and the ratio core/bare (target >= 0.9);
(b) for 20k, 100k and 500k tokens, with a newline in every token or none, with logprobs
    (top 5) or none: the time a real window (offscreen, qasync loop, the app's GCGuard)
    takes from Run to the last token painted (``window.runs.painted``; without logprobs:
    ``runFinished``), its ratio to the core client's time on the same stream (target
    <= 1.3), the time per token and the 500k/20k per-token ratio (target <= 1.5), and the
    longest event-loop stall seen by a 1 ms ``QTimer`` during the run and after it, until
    the end-of-run work is done and the loop has been idle for 200 ms (target <= 50 ms).
    Each row up to 100k tokens is the median of three rounds (``--window-rounds``), each
    figure on its own; the 500k rows run once. Next to it, Qt's own time to take the same
    text in as many frames (:func:`qt_floor`: a bare ``QPlainTextEdit``, no Python between
    frames) and the window's time over the core client's plus Qt's: Qt holds the GIL while
    it inserts, lays out and paints, so a window that decodes and shows in one process
    cannot go below that sum.
    ``--stall-stacks`` also samples the GUI thread's stack during stalls and prints where
    they were spent.

``--quick`` (what ``make bench`` runs) measures 20k tokens only, with fewer rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import collections
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # bench/machine.py

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.request import CompletionRequest
from app.core.run import execute

if TYPE_CHECKING:
    from app.ui.shell.gc_guard import GCGuard

ROOT = Path(__file__).resolve().parent.parent
TOP_K = 5
#: After the end of a run the loop must go this long without a stall before we stop.
SETTLE_S = 0.2
#: A tick gap above this counts as the loop being busy (restarts the settle wait).
BUSY_GAP_S = 0.016
SETTLE_CAP_S = 30.0


def machine() -> str:
    try:
        import PySide6

        pyside = PySide6.__version__
    except ImportError:  # pragma: no cover - the app needs it
        pyside = "absent"
    return describe(f"PySide6 {pyside}", f"httpx {httpx.__version__}")


@contextlib.contextmanager
def server_process() -> Iterator[str]:
    """``bench/server.py`` in its own process, so it does not compete for our GIL."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "server.py"), "--port", "0"],
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


@dataclass(frozen=True)
class Stream:
    """One prebuilt stream of the bench server."""

    tokens: int
    newlines: bool = False
    logprobs: bool = False

    def base_url(self, server: str) -> str:
        spec = f"bench;tokens={self.tokens};newlines={int(self.newlines)}"
        return f"{server}/s/{spec};logprobs={TOP_K if self.logprobs else 0}/v1"

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model": "m", "prompt": "p", "max_tokens": self.tokens}
        if self.logprobs:
            body["logprobs"] = TOP_K
        return body | {"stream": True}

    def label(self) -> str:
        return (
            f"{self.tokens // 1000:>4}k {'newlines' if self.newlines else 'no nl':8} "
            f"{'logprobs' if self.logprobs else 'no lp':8}"
        )


# -- (a) the clients ---------------------------------------------------------------------------


async def raw_bytes(http: httpx.AsyncClient, stream: Stream, server: str) -> tuple[float, int]:
    """The limit: read the body and do nothing with it."""
    url = f"{stream.base_url(server)}/completions"
    start = time.perf_counter()
    size = 0
    async with http.stream("POST", url, json=stream.body()) as response:
        async for chunk in response.aiter_raw():
            size += len(chunk)
    return time.perf_counter() - start, size


async def bare_httpx(
    http: httpx.AsyncClient, stream: Stream, server: str, *, keep_logprobs: bool = False
) -> tuple[float, int]:
    """The simplest correct consumer: aiter_lines + json.loads, collecting the text.

    ``keep_logprobs`` also keeps each chunk's ``logprobs`` object, as the core client keeps
    every token's: then the garbage collector sees the same growing heap in both.
    """
    url = f"{stream.base_url(server)}/completions"
    start = time.perf_counter()
    parts = []
    kept = []
    async with http.stream("POST", url, json=stream.body()) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                for choice in json.loads(line[6:])["choices"]:
                    parts.append(choice["text"])
                    if keep_logprobs:
                        kept.append(choice["logprobs"])
    text = "".join(parts)
    return time.perf_counter() - start, len(text)


async def core_client(client: CompletionClient, stream: Stream, server: str) -> tuple[float, int]:
    """The app's path: ``execute`` with a ``CompletionClient`` (wire log included)."""
    request = CompletionRequest(
        model="m", prompt="p", max_tokens=stream.tokens, logprobs=TOP_K if stream.logprobs else None
    )
    endpoint = Endpoint(stream.base_url(server), read_timeout=120)
    start = time.perf_counter()
    result = await execute(client, endpoint, request, output_limit=None)
    elapsed = time.perf_counter() - start
    assert result.ok, result.error
    if stream.logprobs:
        assert len(result.choices[0].tokens) == stream.tokens
    return elapsed, len(result.text)


@dataclass
class ClientFigures:
    """Median seconds per consumer (``keep`` only for a stream with logprobs)."""

    raw: float
    bare: float
    keep: float | None
    core: float
    size: int


async def measure_clients(stream: Stream, server: str, rounds: int) -> ClientFigures:
    async with httpx.AsyncClient(timeout=120) as http, CompletionClient() as client:
        consumers: dict[str, Callable[[], Awaitable[tuple[float, int]]]] = {
            "raw": lambda: raw_bytes(http, stream, server),
            "bare": lambda: bare_httpx(http, stream, server),
            "core": lambda: core_client(client, stream, server),
        }
        if stream.logprobs:
            consumers["keep"] = lambda: bare_httpx(http, stream, server, keep_logprobs=True)
        for consumer in consumers.values():  # warm-up: the server builds the body, pools connect
            await consumer()
        times: dict[str, list[float]] = {name: [] for name in consumers}
        sizes: dict[str, int] = {}
        for _ in range(rounds):  # alternate so all see the same machine conditions
            for name, consumer in consumers.items():
                elapsed, sizes[name] = await consumer()
                times[name].append(elapsed)
    assert sizes["bare"] == sizes["core"], ("bare and core disagree on the text", sizes)
    median = {name: statistics.median(t) for name, t in times.items()}
    return ClientFigures(
        median["raw"], median["bare"], median.get("keep"), median["core"], sizes["raw"]
    )


def client_table(
    server: str, sizes: list[int], rounds: int, logprobs: tuple[bool, ...] = (False, True)
) -> None:
    """Section (a)."""
    print(
        f"\n(a) core client vs a bare httpx consumer, on bench/server.py's prebuilt bodies"
        f" (tokens/s, median of {rounds} alternating rounds)"
    )
    print(
        f"    {'stream':28} {'MB':>5} {'raw bytes':>10} {'bare':>9} {'bare+lp':>9}"
        f" {'core':>9} {'core/bare':>9} {'core/bare+lp':>12} {'raw/bare':>8}"
    )
    for tokens in sizes:
        for lp in logprobs:
            stream = Stream(tokens, logprobs=lp)
            f = asyncio.run(measure_clients(stream, server, rounds))
            keep = f"{tokens / f.keep:9,.0f}" if f.keep else f"{'-':>9}"
            keep_ratio = f"{f.keep / f.core:12.2f}" if f.keep else f"{'-':>12}"
            print(
                f"    {stream.label():28} {f.size / 1e6:5.1f} {tokens / f.raw:10,.0f}"
                f" {tokens / f.bare:9,.0f} {keep} {tokens / f.core:9,.0f}"
                f" {f.bare / f.core:9.2f} {keep_ratio} {f.bare / f.raw:8.1f}",
                flush=True,
            )
    print("    raw bytes: aiter_raw, nothing decoded (the limit)")
    print(
        "    bare: aiter_lines + json.loads, keeping the text; bare+lp: also each logprobs object"
    )
    print("    core: app.core.run.execute with a CompletionClient (events, result, wire log)")
    print("    core/bare: throughput ratio (target >= 0.9); raw/bare: how much faster raw is")


async def core_only(stream: Stream, server: str, rounds: int) -> tuple[float, int]:
    """The core client's median time on ``stream`` and the length of the text it got."""
    async with CompletionClient() as client:
        _, chars = await core_client(client, stream, server)  # warm-up
        times = [(await core_client(client, stream, server))[0] for _ in range(rounds)]
    return statistics.median(times), chars


# -- (b) the window ------------------------------------------------------------------------------


@dataclass
class WindowFigures:
    total: float  # Run → last token painted
    finished: float  # Run → runFinished
    stall_during: float
    stall_after: float
    settle: float  # end → loop idle for SETTLE_S
    worst_at: float  # when the longest stall ended, from Run
    chars: int
    sampler: StallSampler | None = None
    #: Frames that carried text, and what the document's editor showed them in (the Qt
    #: floor repeats them; see :func:`qt_floor`).
    frames: int = 0
    text: str = ""
    editor_size: tuple[int, int] = (0, 0)


class Ticker:
    """A 1 ms QTimer that records the gaps between its ticks (and when each ended)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.ticks: list[float] = []

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def longest(self, since: float, until: float) -> tuple[float, float]:
        """The longest gap that ended in (since, until], and when it ended."""
        best, at = 0.0, since
        ticks = self.ticks
        for before, after in itertools.pairwise(ticks):
            if since < after <= until and after - before > best:
                best, at = after - before, after
        return best, at


class StallSampler(threading.Thread):
    """While the 1 ms ticker is late by more than ``threshold``, sample the GUI thread's
    Python stack every ``interval`` (``--stall-stacks``): where the stalls are spent.

    A sample needs the GIL. Qt's C++ code (painting, layout) releases it; C code that
    keeps it (a garbage collection, a big ``str`` operation) delays the sample until the
    GUI thread is back in Python, usually in the frame that called it. So each sample
    is weighted by the stalled time since the previous one, not counted.
    """

    def __init__(self, ticker: Ticker, threshold: float = 0.05, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.ticker = ticker
        self.threshold = threshold
        self.interval = interval
        #: Stalled seconds per stack (innermost frames first).
        self.seconds: collections.Counter[tuple[str, ...]] = collections.Counter()
        self._main = threading.main_thread().ident
        self._done = threading.Event()

    def run(self) -> None:
        previous = time.perf_counter()
        while not self._done.wait(self.interval):
            now = time.perf_counter()
            ticks = self.ticker.ticks
            late = now - ticks[-1] if ticks else 0.0
            if late >= self.threshold:
                frame = sys._current_frames().get(self._main)  # what a sampling profiler does
                if frame is not None:
                    self.seconds[_stack_key(frame)] += min(now - previous, late)
            previous = now

    def stop(self) -> None:
        self._done.set()
        self.join()

    def report(self, top: int = 6) -> None:
        total = sum(self.seconds.values())
        if not total:
            return
        print(f"      time in stalls over {self.threshold * 1000:.0f} ms, by stack: {total:.2f} s")
        for stack, seconds in self.seconds.most_common(top):
            print(f"      {seconds / total:5.0%}  {' < '.join(stack)}")


def _stack_key(frame: FrameType) -> tuple[str, ...]:
    """The innermost frames of a stack, the app's and the bench's only, innermost first."""
    out: list[str] = []
    for summary in reversed(traceback.extract_stack(frame)):
        path = Path(summary.filename)
        if "app" in path.parts or path.name == "stream.py":
            part = (
                "/".join(path.parts[path.parts.index("app") :])
                if "app" in path.parts
                else path.name
            )
            out.append(f"{summary.name} ({part}:{summary.lineno})")
        elif not out:
            out.append(f"{summary.name} ({path.name}:{summary.lineno})")
        if len(out) == 4:
            break
    return tuple(out)


async def window_run(
    server: str,
    stream: Stream,
    home: str,
    *,
    stall_stacks: bool = False,
    gc_guard: GCGuard | None = None,
) -> WindowFigures:
    """One run in a fresh window; see the module docstring for what is measured."""
    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from app.ui.shell.application import create_window, guard_runs

    Path(home).mkdir(parents=True, exist_ok=True)
    paths = AppPaths.resolve(home)
    ProfileStore(paths.config_dir).save(
        [Profile(name="bench", base_url=stream.base_url(server), default_model="m")], "bench"
    )
    window = create_window(paths)
    window.controller.output_limit = None
    window.connection.model.setCurrentText("m")
    window.parameters.max_tokens.set_value(stream.tokens)
    window.parameters.logprobs.set_value(TOP_K if stream.logprobs else None)
    window.resize(1200, 800)
    if gc_guard is not None:
        guard_runs(gc_guard, window)  # as the app does
    window.show()
    # As the app does right after its first frame: the HTTP client is made in the
    # background, not on the first Run's path, and the history's database is opened.
    window.controller.prepare(window.current_profile())
    window.storage.history  # noqa: B018
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.5)  # let the window settle (model list, token count, first paint)
    if gc_guard is not None:
        gc_guard.freeze_startup()  # the app does this a second after its window is shown
    marks: dict[str, float] = {}
    finished: asyncio.Future[None] = loop.create_future()
    painted: asyncio.Future[None] = loop.create_future()

    def on_finished(_outcome: object) -> None:
        marks["finished"] = time.perf_counter()
        if not finished.done():
            finished.set_result(None)

    def on_painted(_painted: object) -> None:
        marks["painted"] = time.perf_counter()
        if not painted.done():
            painted.set_result(None)

    window.controller.runFinished.connect(on_finished)
    window.runs.painted.connect(on_painted)
    ticker = Ticker()
    ticker.start()
    sampler = StallSampler(ticker) if stall_stacks else None
    if sampler is not None:
        sampler.start()
    start = time.perf_counter()
    window.run()
    await finished
    if stream.logprobs:
        await painted
        end = marks["painted"]
    else:
        end = max(marks["finished"], marks.get("painted", 0.0))
    # After the end: wait until the loop has gone SETTLE_S without a busy gap.
    quiet_since = end
    seen = bisect.bisect_right(ticker.ticks, end)
    while True:
        await asyncio.sleep(0.02)
        ticks = ticker.ticks
        for i in range(max(seen, 1), len(ticks)):
            if ticks[i] - ticks[i - 1] > BUSY_GAP_S:
                quiet_since = ticks[i]
        seen = len(ticks)
        now = time.perf_counter()
        if now - quiet_since >= SETTLE_S or now - end > SETTLE_CAP_S:
            break
    settled = time.perf_counter()
    ticker.stop()
    if sampler is not None:
        sampler.stop()
    during, worst_during = ticker.longest(start, end)
    after, worst_after = ticker.longest(end, settled)
    text = window.completion_text()
    frames = window.controller.frames.count
    editor_size = (window.document.width(), window.document.height())
    await window.controller.shutdown()
    window.close()
    window.deleteLater()
    await asyncio.sleep(0.05)
    return WindowFigures(
        total=end - start,
        finished=marks["finished"] - start,
        stall_during=during,
        stall_after=after,
        settle=settled - end,
        worst_at=(worst_during if during >= after else worst_after) - start,
        chars=len(text),
        sampler=sampler,
        frames=frames,
        text=text,
        editor_size=editor_size,
    )


def _median_figures(runs: list[WindowFigures]) -> WindowFigures:
    """Each figure's median over the rounds (the stalls too: a round's longest stall)."""
    middle = sorted(runs, key=lambda f: f.total)[len(runs) // 2]
    return WindowFigures(
        total=statistics.median(f.total for f in runs),
        finished=statistics.median(f.finished for f in runs),
        stall_during=statistics.median(f.stall_during for f in runs),
        stall_after=statistics.median(f.stall_after for f in runs),
        settle=statistics.median(f.settle for f in runs),
        worst_at=middle.worst_at,
        chars=min(f.chars for f in runs),
        sampler=middle.sampler,
        frames=middle.frames,
        text=middle.text,
        editor_size=middle.editor_size,
    )


def with_soft_breaks(text: str) -> str:
    """``text`` with a line break wherever the document puts a soft break (a line longer
    than :data:`app.core.document_text.SOFT_LIMIT` is cut into blocks by the core's own
    :func:`~app.core.document_text.soft_pieces`), so the floor lays out the same blocks."""
    from app.core.document_text import SOFT_LIMIT, soft_pieces

    lines = text.split("\n")
    if max(map(len, lines), default=0) <= SOFT_LIMIT:
        return text
    return "\n".join("\n".join(soft_pieces(line, SOFT_LIMIT)) for line in lines)


def qt_floor(text: str, frames: int, size: tuple[int, int], *, soft_breaks: bool = True) -> float:
    """Qt's own time to take ``text`` as the window did: a bare ``QPlainTextEdit`` of the
    document editor's size gets it in ``frames`` equal pieces (long lines cut into blocks as
    the document cuts them, unless ``soft_breaks`` is false), scrolled to its end and
    painted after each, with no Python in between but this loop. No window that shows the
    text in one process can beat this plus the decoding: it is the floor the window's time
    is compared to besides the core client."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QPlainTextEdit

    from app.ui.common.editor_font import mark_editor

    if soft_breaks:
        text = with_soft_breaks(text)
    frames = max(1, frames)
    editor = QPlainTextEdit()
    mark_editor(editor)  # the document's font
    editor.resize(*size)
    editor.show()
    editor.repaint()
    step = -(-len(text) // frames)
    cursor = QTextCursor(editor.document())
    bar = editor.verticalScrollBar()
    viewport = editor.viewport()
    start = time.perf_counter()
    for first in range(0, len(text), step):
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text[first : first + step])
        bar.setValue(bar.maximum())
        viewport.repaint()
        bar.repaint()
    elapsed = time.perf_counter() - start
    editor.close()
    editor.deleteLater()
    return elapsed


def window_table(
    server: str,
    sizes: list[int],
    core_rounds: int,
    newlines: tuple[bool, ...] = (False, True),
    logprobs: tuple[bool, ...] = (False, True),
    *,
    stall_stacks: bool = False,
    window_rounds: int = 1,
) -> None:
    """Section (b)."""
    import gc

    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.event_loop import create_event_loop
    from app.ui.shell.gc_guard import GCGuard

    streams = [Stream(n, nl, lp) for n in sizes for nl in newlines for lp in logprobs]
    print("\n(b) the window: Run → last token painted, vs the core client on the same stream")
    print("    core client times (plain asyncio, median):", flush=True)
    core: dict[Stream, float] = {}
    chars: dict[Stream, int] = {}
    for stream in streams:
        rounds = core_rounds if stream.tokens <= 100_000 else 1
        core[stream], chars[stream] = asyncio.run(core_only(stream, server, rounds))
        print(f"      {stream.label()}  {core[stream]:.3f} s", flush=True)

    def quiet(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "propagateSizeHints" not in message:  # the offscreen platform's chatter
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # closing one bench window must not stop the loop
    loop = create_event_loop(app)
    gc_guard = GCGuard(app)  # as the app does: collect on the GUI thread, from a timer
    gc_guard.start()
    figures: dict[Stream, WindowFigures] = {}
    floors: dict[Stream, float] = {}
    print(
        f"    {'stream':28} {'window s':>9} {'finish s':>9} {'/core':>6} {'Qt s':>7}"
        f" {'/core+Qt':>8} {'frames':>6} {'µs/token':>9}"
        f" {'stall run':>10} {'stall end':>10} {'settle':>7} {'worst at':>9}",
        flush=True,
    )

    async def all_runs(root: Path) -> None:
        # Warm-up: the first window, fonts, caches. Every window gets a config dir of its own.
        warm_up = Stream(2_000, True, True)
        await window_run(server, warm_up, str(root / "warm-up"), gc_guard=gc_guard)
        for number, stream in enumerate(streams):
            # Each row is the median of its rounds (this VM's figures move by ±30%); 500k
            # rows run once.
            runs = []
            for round_ in range(window_rounds if stream.tokens <= 100_000 else 1):
                home = str(root / f"{number}-{round_}")
                runs.append(
                    await window_run(
                        server, stream, home, stall_stacks=stall_stacks, gc_guard=gc_guard
                    )
                )
                gc.collect()
            f = _median_figures(runs)
            figures[stream] = f
            floor_rounds = window_rounds if stream.tokens <= 100_000 else 1
            floors[stream] = statistics.median(
                qt_floor(f.text, f.frames, f.editor_size) for _ in range(floor_rounds)
            )
            limit = core[stream] + floors[stream]
            expected = chars[stream]
            flag = "" if f.chars == expected else f"  ({f.chars:,} of {expected:,} characters!)"
            print(
                f"    {stream.label():28} {f.total:9.3f} {f.finished:9.3f}"
                f" {f.total / core[stream]:6.2f} {floors[stream]:7.3f} {f.total / limit:8.2f}"
                f" {f.frames:6d} {f.total / stream.tokens * 1e6:9.1f}"
                f" {f.stall_during * 1000:8.1f}ms {f.stall_after * 1000:8.1f}ms"
                f" {f.settle:6.2f}s {f.worst_at:8.2f}s{flag}",
                flush=True,
            )
            f.text = ""  # the floor had it; a 500k row's text need not stay
            if f.sampler is not None:
                f.sampler.report()
            gc.collect()

    # A window's history or autosave may still write for a moment after it closed.
    with loop, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as root:
        loop.run_until_complete(all_runs(Path(root)))
    gc_guard.stop()

    print("    targets: /core <= 1.3; longest stall <= 50 ms (during the run and after it)")
    print(
        "    Qt s: Qt's own time to take the same text in the same number of frames (a bare"
        " QPlainTextEdit,\n    no Python between frames: qt_floor); /core+Qt: the window's"
        " time over the core client's plus that,\n    the limit of a window that decodes"
        " and shows the text in one process (Qt keeps Python's GIL while it does)"
    )
    small, large = min(sizes), max(sizes)
    if small != large:
        print(f"    per-token time {large // 1000}k / {small // 1000}k (target <= 1.5):")
        for nl in newlines:
            for lp in logprobs:
                a = figures[Stream(small, nl, lp)].total / small
                b = figures[Stream(large, nl, lp)].total / large
                print(f"      {Stream(0, nl, lp).label()[5:]:20} {b / a:5.2f}")
    misses = [
        s.label()
        for s, f in figures.items()
        if f.total / core[s] > 1.3 or max(f.stall_during, f.stall_after) > 0.05
    ]
    print(f"    rows missing a target: {len(misses)} of {len(figures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k tokens only, fewer rounds")
    parser.add_argument("--tokens", type=int, nargs="+", help="stream sizes (both sections)")
    parser.add_argument("--rounds", type=int, help="rounds per figure in (a) (default 7, quick 3)")
    parser.add_argument(
        "--window-rounds", type=int, help="(b): rounds per row up to 100k (default 3, quick 1)"
    )
    parser.add_argument("--no-clients", action="store_true", help="skip section (a)")
    parser.add_argument("--no-window", action="store_true", help="skip section (b)")
    both = {"both": (False, True), "yes": (True,), "no": (False,)}
    parser.add_argument("--newlines", choices=both, default="both", help="(b): streams with")
    parser.add_argument("--logprobs", choices=both, default="both", help="(a), (b): streams with")
    parser.add_argument(
        "--stall-stacks", action="store_true", help="(b): sample the GUI thread's stack in stalls"
    )
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    client_sizes = args.tokens or ([20_000] if args.quick else [20_000, 100_000])
    window_sizes = args.tokens or ([20_000] if args.quick else [20_000, 100_000, 500_000])
    print(f"Machine: {machine()}")
    with server_process() as server:
        print(f"Bench server {server} (prebuilt bodies, its own process)", flush=True)
        if not args.no_clients:
            client_table(server, client_sizes, rounds, both[args.logprobs])
        if not args.no_window:
            window_table(
                server,
                window_sizes,
                1 if args.quick else 3,
                newlines=both[args.newlines],
                logprobs=both[args.logprobs],
                stall_stacks=args.stall_stacks,
                window_rounds=args.window_rounds or (1 if args.quick else 3),
            )


if __name__ == "__main__":
    main()
