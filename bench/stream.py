"""Streaming benchmark: core client vs a bare httpx consumer, and the GUI's ingest.

A loopback server streams 20,000 tokens as fast as it can. Printed:

(a) the core client's throughput divided by a bare httpx consumer's on the same stream
    (target >= 0.9);
(b) the GUI's ingest time for the stream and the longest event-loop stall while the
    window receives it (target <= 50 ms).

Figures are printed, not asserted: run ``python bench/stream.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.request import CompletionRequest
from app.core.run import execute

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def server_process() -> Iterator[str]:
    """The loopback server in its own process, so it does not compete for our GIL."""
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


async def bare_httpx(base_url: str, tokens: int) -> tuple[float, int]:
    """The simplest correct consumer: aiter_lines + json.loads, no abstractions."""
    body = {"model": "m", "prompt": "p", "max_tokens": tokens, "stream": True}
    async with httpx.AsyncClient(timeout=60) as client:
        start = time.perf_counter()
        parts = []
        async with client.stream("POST", f"{base_url}/completions", json=body) as response:
            async for line in response.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    parts.append(json.loads(line[6:])["choices"][0]["text"])
        elapsed = time.perf_counter() - start
    return elapsed, len("".join(parts))


async def core_client(base_url: str, tokens: int) -> tuple[float, int]:
    request = CompletionRequest(model="m", prompt="p", max_tokens=tokens)
    async with CompletionClient() as client:
        start = time.perf_counter()
        result = await execute(client, Endpoint(base_url, read_timeout=60), request)
        elapsed = time.perf_counter() - start
    assert result.ok, result.error
    return elapsed, len(result.text)


async def client_ratio(base_url: str, tokens: int, rounds: int) -> None:
    bare, core = [], []
    for _ in range(rounds):  # alternate so both see the same machine conditions
        t, n_bare = await bare_httpx(base_url, tokens)
        bare.append(t)
        t, n_core = await core_client(base_url, tokens)
        core.append(t)
    assert n_bare == n_core, (n_bare, n_core)
    b, c = statistics.median(bare), statistics.median(core)
    print(f"(a) bare httpx consumer: {tokens / b:,.0f} tokens/s (median of {rounds}, {b:.3f} s)")
    print(f"    core client:         {tokens / c:,.0f} tokens/s (median of {rounds}, {c:.3f} s)")
    print(f"    throughput ratio core/bare = {b / c:.2f}  (target >= 0.9)")


def gui_ingest(base_url: str, tokens: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from app.ui.shell.application import create_window
    from app.ui.shell.event_loop import create_event_loop

    app = QApplication.instance() or QApplication([])
    loop = create_event_loop(app)
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.resolve(home)
        ProfileStore(paths.config_dir).save(
            [Profile(name="loopback", base_url=base_url, default_model="test-model")],
            "loopback",
        )
        window = create_window(paths)
        window.connection.model.setCurrentText("m")
        window.parameters.max_tokens.set_value(tokens)
        window.resize(1200, 800)
        window.show()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        ticker = QTimer()
        ticker.setInterval(1)
        ticker.timeout.connect(tick)
        done: dict[str, float] = {}

        def finished(result: object) -> None:
            window.output.flush()  # everything is in the widget now
            done["t"] = time.perf_counter()
            loop.call_soon(loop.stop)  # not processEvents(): we are inside the run's task

        window.controller.runFinished.connect(finished)

        async def start() -> None:
            last[0] = time.perf_counter()
            ticker.start()
            done["start"] = time.perf_counter()
            window.run()

        with loop:
            loop.create_task(start())
            loop.run_forever()
            ticker.stop()
            shown = window.output.text(0)
            loop.run_until_complete(window.controller.shutdown())
        window.close()
    ingest = done["t"] - done["start"]
    print(
        f"(b) GUI ingest of {tokens:,} tokens: {ingest:.3f} s "
        f"({tokens / ingest:,.0f} tokens/s, {window.output.flush_count} widget updates, "
        f"{len(shown):,} characters shown)"
    )
    print(
        f"    longest event-loop stall: {max(gaps) * 1000:.1f} ms  (target <= 50 ms; "
        f"median tick {statistics.median(gaps) * 1000:.1f} ms)"
    )
    if os.environ.get("CP_BENCH_DEBUG"):
        worst = max(range(len(gaps)), key=gaps.__getitem__)
        print(f"    worst stall at tick {worst} of {len(gaps)} (t={sum(gaps[:worst]):.3f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with server_process() as url:
        base_url = f"{url}/s/fast;tokens={args.tokens}/v1"
        print(f"Streaming {args.tokens:,} tokens from {url} (loopback, server in its own process)")
        asyncio.run(client_ratio(base_url, args.tokens, args.rounds))
        gui_ingest(base_url, args.tokens)


if __name__ == "__main__":
    main()
