"""Child-process entry point that runs the llama.cpp server and dies with its parent.

``python -m app.local_model_host --parent-pid PID -- <llama_cpp.server arguments>``

On Linux the kernel sends SIGTERM when the parent dies (``PR_SET_PDEATHSIG``); on every
platform a watchdog thread also exits when the parent process is gone, so an app that
crashes or is killed never leaves an orphan server behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["main"]

_PR_SET_PDEATHSIG = 1
_SYNCHRONIZE = 0x00100000
_INFINITE = 0xFFFFFFFF


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        if os.name == "nt":  # os.kill(pid, 0) would terminate the parent on Windows
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            handle = kernel32.OpenProcess(_SYNCHRONIZE, False, parent_pid)
            if handle:
                kernel32.WaitForSingleObject(handle, _INFINITE)
            os._exit(0)
        while True:
            if os.getppid() != parent_pid or not _alive(parent_pid):
                os._exit(0)
            time.sleep(1.0)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    """POSIX only: signal 0 checks that the process exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parent_pid = None
    if len(args) >= 2 and args[0] == "--parent-pid":
        parent_pid = int(args[1])
        args = args[2:]
    if args and args[0] == "--":
        args = args[1:]
    if parent_pid is not None:
        _die_with_parent(parent_pid)
    sys.argv = ["llama_cpp.server", *args]
    import runpy

    runpy.run_module("llama_cpp.server", run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
