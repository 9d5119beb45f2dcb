"""Batch benchmark: rows per second through the core's batch runner against a fast server.

    python bench/batch.py [--rows 1000] [--concurrency 8]

A loopback server (``tests.loopback_server`` in its own process, so it does not compete
for our GIL) answers every completion at once. The bench fills a CSV of ``--rows`` rows
(Chinese text and quoted commas included), renders the template for each, and runs them
with :class:`app.core.batch.BatchRun` through the real :class:`app.core.runs.Runner` at
``--concurrency``, printed for four set-ups: whole answers and streamed ones, each without
and with the history (a SQLite file in a temporary folder, one transaction per run, as in
the app), after a bare httpx client's figure for the same requests (what the server
itself allows on this machine). Figures only; nothing is asserted. The window's part of
this bench (a table updated from ``on_cell``) comes with the window.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.batch import BatchRun, BatchSpec, load_data
from app.core.compare import CompareTarget
from app.core.connections import Connections
from app.core.history import HistoryStore
from app.core.keys import KeyStore
from app.core.profiles import Profile
from app.core.runs import Runner

ROOT = Path(__file__).resolve().parent.parent


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(
        f"{cpu_name()}, {os.cpu_count()} logical cores; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}"
    )
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


if __name__ == "__main__":
    main()
