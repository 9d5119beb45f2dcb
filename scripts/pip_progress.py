"""Run ``pip install`` and show where it is: elapsed time and the current step.

    python scripts/pip_progress.py LOG_FILE -- <pip install arguments>

pip itself only prints "Building wheel for llama-cpp-python ... still running…" for the
several minutes its C++ build takes. This runs pip verbosely, keeps the whole output in
``LOG_FILE``, and prints one short line every few seconds (or when the step changes): the
elapsed time and what is happening — which package is being downloaded or built and, during
the llama.cpp build, the build's own progress: Ninja's ``[143/193]`` (the generator
llama-cpp-python's build uses where Ninja is installed, as pip's build isolation does) with
the file being compiled, or Make's ``[ 42%] Building CXX object …``. On failure the last
lines of the log are printed. The exit code is pip's.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

_STEP = re.compile(
    r"^(Collecting \S+|Downloading \S+|Building wheel for \S+|Installing collected packages|"
    r"Successfully installed|Obtaining file)"
)
_CMAKE = re.compile(r"\[\s*(\d+)%\]\s+(Building \w+ object \S+|Linking \w+ \S+)")
_NINJA = re.compile(r"^\[(\d+)/(\d+)\]\s+(.*)")
_SOURCE = re.compile(r"\s-c\s+(\S+)")
_OUTPUT = re.compile(r"\s-o\s+(\S+)")
_EVERY = 5.0


def _short(text: str, width: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def build_detail(line: str) -> str | None:
    """The build's progress in one of its output lines (stripped), or None.

    Make prints ``[ 42%] Building CXX object ggml/…/ggml.c.o``; Ninja prints
    ``[143/193]`` and, in a verbose build as pip's ``-v`` makes it, the whole compiler
    command, of which the file compiled (or the file linked) is what a reader wants."""
    if cmake := _CMAKE.search(line):
        return f"{cmake.group(1)}% {_short(cmake.group(2), 50)}"
    ninja = _NINJA.match(line)
    if ninja is None:
        return None
    done, total, rest = int(ninja.group(1)), int(ninja.group(2)), ninja.group(3)
    if total <= 0:
        return None
    if source := _SOURCE.search(rest):
        what = f"compiling {source.group(1).rsplit('/', 1)[-1]}"
    elif output := _OUTPUT.search(rest):
        what = f"linking {output.group(1).rsplit('/', 1)[-1]}"
    else:
        what = rest
    return f"{100 * done // total}% ({done}/{total}) {_short(what, 44)}"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "pip", "install", "-v", *argv[2:]]
    return follow(command, Path(argv[0]))


def follow(command: list[str], log_path: Path, every: float = _EVERY) -> int:
    """Run ``command``, its output into ``log_path``, a short status line at most every
    ``every`` seconds (at once when the step changes); its exit code."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    step, detail, shown_at, shown = "starting pip", "", 0.0, ""
    with (
        log_path.open("w", encoding="utf-8", errors="replace") as log,
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            encoding="utf-8", errors="replace", bufsize=1,
        ) as process,
    ):  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            stripped = line.strip()
            match = _STEP.match(stripped)
            if match:
                step, detail = _short(stripped, 60), ""
            elif (progress := build_detail(stripped)) is not None:
                detail = progress
            now = time.monotonic()
            status = f"{step}{' · ' + detail if detail else ''}"
            if status != shown and (now - shown_at >= every or not detail):
                elapsed = int(now - start)
                print(f"  [{elapsed // 60:d}m{elapsed % 60:02d}s] {status}", flush=True)
                shown, shown_at = status, now
        code = process.wait()
    elapsed = int(time.monotonic() - start)
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        print("\n".join(tail), file=sys.stderr)
        print(f"pip failed after {elapsed // 60}m{elapsed % 60:02d}s; full log: {log_path}",
              file=sys.stderr)  # fmt: skip
    else:
        print(f"  done in {elapsed // 60}m{elapsed % 60:02d}s (log: {log_path})", flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
