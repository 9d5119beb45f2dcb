"""The machine a benchmark's figures come from: what every ``bench/`` script prints first."""

from __future__ import annotations

import os
import platform
from pathlib import Path

__all__ = ["cpu_name", "describe"]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def describe(*versions: str) -> str:
    """``CPU, N logical cores; Python x.y.z, <versions>; OS release``."""
    software = ", ".join((f"Python {platform.python_version()}", *versions))
    return (
        f"{cpu_name()}, {os.cpu_count()} logical cores; {software}; "
        f"{platform.system()} {platform.release()}"
    )
