"""Run ``pip install`` and show where it is: elapsed time and the current step.

    python scripts/pip_progress.py LOG_FILE -- <pip install arguments>

pip itself only prints "Building wheel for llama-cpp-python ... still running…" for the
several minutes its C++ build takes. This runs pip verbosely, keeps the whole output in
``LOG_FILE``, and prints one short line every few seconds (or when the step changes): the
elapsed time and what is happening — which package is being downloaded or built and, during
the llama.cpp build, CMake's own ``[ 42%] Building CXX object …`` progress. On failure
the last lines of the log are printed. The exit code is pip's.
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
_EVERY = 5.0


def _short(text: str, width: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    log_path = Path(argv[0])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "install", "-v", *argv[2:]]
    start = time.monotonic()
    step, detail, shown_at, shown = "starting pip", "", 0.0, ""
    with log_path.open("w", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            encoding="utf-8", errors="replace", bufsize=1,
        )  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            stripped = line.strip()
            match = _STEP.match(stripped)
            if match:
                step, detail = _short(stripped, 60), ""
            elif cmake := _CMAKE.search(stripped):
                detail = f"{cmake.group(1)}% {_short(cmake.group(2), 50)}"
            now = time.monotonic()
            status = f"{step}{' · ' + detail if detail else ''}"
            if status != shown and (now - shown_at >= _EVERY or not detail):
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
