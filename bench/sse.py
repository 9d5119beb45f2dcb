"""SSE decoder benchmark: one huge ``data: ...`` line fed in 16 KB reads, as httpx would.

    python bench/sse.py [--sizes 5 20 50] [--read 16384] [--rounds 3]

For each size (in MB, 10^6 bytes) prints the time the decoder takes to turn the body
into its single event (feeding every read, then flush) and the throughput: the median
and the best of a few rounds, as a busy machine makes single timings noisy. The text
mixes ASCII with CJK and emoji, so the final UTF-8 decode is the costly kind. Target:
the 50 MB line in under 2 s (it took about 100 s when every read re-scanned the whole
pending buffer). Figures are printed, not asserted; ``make bench`` runs this too.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import cpu_name  # bench/machine.py

from app.core.sse import SSEDecoder

MB = 1_000_000


def body(megabytes: int) -> bytes:
    """One ``data:`` line of ``megabytes`` MB (mostly ASCII JSON-ish text, some UTF-8)."""
    unit = '{"text": "the model said 你好 🙂"} '.encode()
    payload = unit * (megabytes * MB // len(unit) + 1)
    return b"data: " + payload[: megabytes * MB] + b"\n\n"


def decode(stream: bytes, read: int) -> tuple[float, int]:
    view = memoryview(stream)
    chunks = [bytes(view[i : i + read]) for i in range(0, len(stream), read)]
    decoder = SSEDecoder()
    start = time.perf_counter()
    events = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    events += decoder.flush()
    elapsed = time.perf_counter() - start
    assert len(events) == 1, len(events)
    return elapsed, len(events[0].data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50], metavar="MB")
    parser.add_argument("--read", type=int, default=16 * 1024, help="bytes per read")
    parser.add_argument("--rounds", type=int, default=3, help="timings per size")
    args = parser.parse_args()
    print(
        f"SSE decoder, one data: line in {args.read:,}-byte reads - "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{cpu_name()}"
    )
    print(f"  median (best) of {args.rounds} rounds")
    for size in args.sizes:
        stream = body(size)
        times = []
        for _ in range(args.rounds):
            elapsed, chars = decode(stream, args.read)
            times.append(elapsed)
        median, best = statistics.median(times), min(times)
        mb = len(stream) / MB
        target = "  (target < 2 s)" if size == 50 else ""
        print(
            f"  {size:>3} MB line: {median:6.3f} s ({best:.3f} s)  "
            f"{mb / median:6.1f} MB/s ({mb / best:.1f} MB/s)  {chars:,} characters{target}"
        )


if __name__ == "__main__":
    main()
