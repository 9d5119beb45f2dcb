"""Run a Python snippet in a fresh interpreter with the offscreen Qt platform (start-up
probes: what a new process imports and does before and after its first frame)."""

from __future__ import annotations

import os
import subprocess
import sys


def run_probe(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -c code *args``, offscreen, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
