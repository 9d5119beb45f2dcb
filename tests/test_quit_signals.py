"""Ctrl+C and SIGTERM close the window as Quit does: the last edits kept, no traceback, the
shell's exit status (128 + the signal). A fresh process each (the signals are its own)."""

from __future__ import annotations

import os
import signal

import pytest

from tests.probe import run_probe

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

PROBE = """
import os, signal, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.main import main

home, name, step = sys.argv[1:4]


def first_frame():
    window = next(w for w in QApplication.topLevelWidgets() if w.inherits("QMainWindow"))
    if step == "write":
        window.prompt.setPlainText("kept through " + name)  # not yet autosaved
        sent = getattr(signal, name)
        QTimer.singleShot(100, lambda: os.kill(os.getpid(), sent))
    else:
        print("text", window.prompt.toPlainText(), flush=True)
        QTimer.singleShot(0, window.close)


code = main(["--config-dir", home], on_first_frame=first_frame)
print("exit", code, flush=True)
sys.exit(code)
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_quit_signal_closes_the_window_and_keeps_the_last_edits(tmp_path, name):
    home = str(tmp_path / "home")
    proc = run_probe(PROBE, home, name, "write", timeout=30)
    number = getattr(signal, name)
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr
    assert proc.stdout.splitlines() == [f"exit {128 + number}"], proc.stderr
    assert proc.returncode == 128 + number
    again = run_probe(PROBE, home, name, "read", timeout=30)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"text kept through {name}", "exit 0"]


def test_the_signals_are_given_back_once_the_window_is_gone():
    """Installed and uninstalled in one process: the handlers and wake-up fd as before."""
    code = """
import signal, sys
from PySide6.QtWidgets import QApplication
from app.ui.shell.quit_signals import QUIT_SIGNALS, QuitSignals
app = QApplication([])
before = [signal.getsignal(s) for s in QUIT_SIGNALS]
quit_signals = QuitSignals(lambda n: None)
quit_signals.install()
during = [signal.getsignal(s) for s in QUIT_SIGNALS]
quit_signals.uninstall()
after = [signal.getsignal(s) for s in QUIT_SIGNALS]
print(before == after, during != before, signal.set_wakeup_fd(-1))
"""
    proc = run_probe(code)
    assert proc.stdout.split() == ["True", "True", "-1"], proc.stderr
