"""Memory benchmark: one window, ten 100k-token runs with logprobs (top 5), one after another.

    python bench/memory.py [--runs 10] [--tokens 100000]

Each run continues the same document (as a user pressing Run again would), against
``bench/server.py`` in its own process. After each run (its tokens painted, the loop idle
for a moment) the process's resident memory is read from ``/proc/self/statm``, and the
garbage collector's tracked and frozen objects are counted. Printed: the memory before the
first run, after the first and after the last, and the ratio last/first (target ≤ 1.5:
undo and branches keep what they need to restore text, not every token object; older
runs' token data is read again from the history when asked for).

The window is the app's (``create_window``), with the app's garbage-collection guard
wired as ``app/ui/shell/application.py`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from stream import Stream, machine, server_process  # bench/stream.py

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    """Resident memory now (not the peak)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


async def runs(server: str, stream: Stream, count: int, home: str) -> list[tuple[float, int, int]]:
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from app.ui.shell.application import create_window, guard_runs
    from app.ui.shell.gc_guard import GCGuard

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    guard = GCGuard(app)
    guard.start()
    paths = AppPaths.resolve(home)
    ProfileStore(paths.config_dir).save(
        [Profile(name="bench", base_url=stream.base_url(server), default_model="m")], "bench"
    )
    window = create_window(paths)
    guard_runs(guard, window)  # as the app does
    window.controller.output_limit = None
    window.connection.model.setCurrentText("m")
    window.parameters.max_tokens.set_value(stream.tokens)
    window.parameters.logprobs.set_value(5)
    window.prompt.setPlainText("Once upon a time")
    window.resize(1200, 800)
    window.show()
    window.storage.history  # noqa: B018 - opened right after the first frame, as the app does
    await asyncio.sleep(0.5)
    guard.freeze_startup()
    figures = [(rss_mb(), len(gc.get_objects()), gc.get_freeze_count())]
    loop = asyncio.get_running_loop()
    for number in range(count):
        painted: asyncio.Future[None] = loop.create_future()
        recorded: asyncio.Future[None] = loop.create_future()

        def done(future: asyncio.Future[None]) -> Callable[[object], None]:
            return lambda _: future.done() or future.set_result(None)

        window.runs.painted.connect(on_painted := done(painted))
        window.controller.runRecorded.connect(on_recorded := done(recorded))
        window.run()
        await asyncio.gather(painted, recorded)  # coloured, then in the history
        window.runs.painted.disconnect(on_painted)
        window.controller.runRecorded.disconnect(on_recorded)
        await asyncio.sleep(1.0)  # autosave, token count, View code: all settled
        figures.append((rss_mb(), len(gc.get_objects()), gc.get_freeze_count()))
        print(
            f"  after run {number + 1:2}: {figures[-1][0]:7.1f} MB resident, "
            f"{figures[-1][1]:>9,} tracked objects, {figures[-1][2]:>9,} frozen",
            flush=True,
        )
    await window.controller.shutdown()
    window.close()
    guard.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=100_000)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.event_loop import create_event_loop

    print(machine())
    stream = Stream(args.tokens, newlines=False, logprobs=True)
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = create_event_loop(app)
    started = time.perf_counter()
    with server_process() as server, loop, tempfile.TemporaryDirectory() as home:
        print(f"{args.runs} runs of {stream.label().strip()} in one window", flush=True)
        figures = loop.run_until_complete(runs(server, stream, args.runs, home))
    before, first, last = figures[0][0], figures[1][0], figures[-1][0]
    print(f"before the first run   {before:7.1f} MB")
    print(f"after the first run    {first:7.1f} MB")
    print(f"after run {args.runs:<2}           {last:7.1f} MB")
    print(f"ratio last/first       {last / first:7.2f}   (target <= 1.5)")
    print(f"({time.perf_counter() - started:.0f} s in all; {platform.python_version()})")


if __name__ == "__main__":
    main()
