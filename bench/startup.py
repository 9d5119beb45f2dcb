"""Start-up cost against the limit: the app's window vs a bare QMainWindow, same machine.

Each round starts a fresh process that opens a window offscreen and quits once its first
frame has been painted (the window's first paint event, then one loop turn): once a bare
``QMainWindow`` (the floor: Python + Qt), once the app (``completion-playground
--smoke-test`` with a fresh config folder, measured through ``main(on_first_frame=...)`` at
the same point). Printed: CPU time (user + system) and peak memory (max RSS) of each,
medians over the rounds, and the ratios (targets: CPU ≤ 2×, memory ≤ 1.5×). Also which
heavy modules the app imported before its first frame (not the HTTP stack, keyring, dialogs
or asyncio), and the app's figures at exit: the smoke test then has started asyncio
(qasync), which the app does right after the first frame.

Two more floors show what any window of this kind pays before its own code: the bare window
showing one line of text (Qt loads its fonts and text engine for it), and that window
naming Qt's ``Qt`` namespace, as any real window does for an alignment or a key (PySide
makes its 93 enum classes then, with Python's ``enum``). Their ratios to the bare window
are printed too.

Both start with their bytecode cached, as every start after the first does (pip and the
.deb compile it at install; a checkout writes ``__pycache__`` on the first start): one
unmeasured round fills a private cache (``PYTHONPYCACHEPREFIX`` in a temporary folder), even
where ``PYTHONDONTWRITEBYTECODE`` is set. Without it the app's ~100 modules are compiled
on every start (~0.2 s here), which measures the compiler, not the start-up.

``--instructions`` counts instead, once each, the instructions the bare window, the floor
naming the ``Qt`` namespace and the app execute up to their first frame, under valgrind's
callgrind (a minute or two): the same count on every run (±1 M) whatever else the machine
does, where CPU time here moves by ±5% from one hour to the next. The app's timers that a
real start never sees fire before its first frame (it comes ~50 times later under
valgrind) are held: :data:`SLOW_TIMERS` in the probe. Instructions are not time
(system calls, cache misses and page faults are not in them), so the CPU ratio stays the
target; the count shows whether a change made start-up cheaper.

    python bench/startup.py [--rounds 7] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)


class FirstPaint(QObject):  # quit once the window has been painted
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False


first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
app.exec()
import resource
u = resource.getrusage(resource.RUSAGE_SELF)
print(f"USAGE: {u.ru_utime + u.ru_stime} {u.ru_maxrss / 1024}")
"""

TEXT = BARE.replace(
    "window.resize(1280, 800)",
    "from PySide6.QtWidgets import QPlainTextEdit\n"
    "window.setCentralWidget(QPlainTextEdit('Once upon a time'))\n"
    "window.resize(1280, 800)",
)

NAMESPACE = TEXT.replace("import sys", "import sys\nfrom PySide6.QtCore import Qt")

#: The app's window, measured when its first frame has been painted (asyncio and the rest
#: of start-up's deferred work begin after it), and again at exit, one loop turn later.
PROBE = """
import sys
from app.main import main
first = []


def first_frame():
    import resource
    u = resource.getrusage(resource.RUSAGE_SELF)
    first.append(f"USAGE: {u.ru_utime + u.ru_stime} {u.ru_maxrss / 1024}")
    from app.ui.shell.application import NOT_AT_START
    heavy = sorted(m for m in NOT_AT_START if m in sys.modules)
    print("LOADED:", ",".join(heavy) or "none")


code = main(sys.argv[1:], on_first_frame=first_frame)
print(first[0])
import resource
u = resource.getrusage(resource.RUSAGE_SELF)
print(f"EXIT: {u.ru_utime + u.ru_stime} {u.ru_maxrss / 1024}")
"""


#: For ``--instructions``: each ends the process at its first frame (no teardown counted).


def _exit_at_first_frame(script: str) -> str:
    """``script`` ending its process where it would quit (no teardown counted)."""
    return script.replace(
        "QTimer.singleShot(0, app.quit)", "QTimer.singleShot(0, lambda: os._exit(0))"
    ).replace("import sys\n", "import os\nimport sys\n", 1)


BARE_AT_FIRST_FRAME = _exit_at_first_frame(BARE)
NAMESPACE_AT_FIRST_FRAME = _exit_at_first_frame(NAMESPACE)
APP_AT_FIRST_FRAME = """
import os
import sys


#: Under valgrind the first frame comes ~50 times later: timers that a real start never
#: sees fire before it (the first-paint fallback after a second, the prompt's token count
#: half a second after the restored text). They wait for ever here, as they do in real time.
SLOW_TIMERS = {
    "app.ui.shell.application": "FIRST_PAINT_WAIT_MS",
    "app.ui.document.token_count": "DEBOUNCE_MS",
}


class HoldTheTimers:
    def find_spec(self, name, path=None, target=None):
        if name not in SLOW_TIMERS:
            return None
        from importlib.util import find_spec

        sys.meta_path.remove(self)
        try:
            spec = find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        exec_module = spec.loader.exec_module

        def patched(module):
            exec_module(module)
            setattr(module, SLOW_TIMERS[name], 10**8)

        spec.loader.exec_module = patched
        return spec


sys.meta_path.insert(0, HoldTheTimers())
from app.main import main
main(sys.argv[1:], on_first_frame=lambda: os._exit(0))
"""

#: The floors, cheapest first: an empty window, one showing text, that naming Qt's namespace.
FLOORS = ("bare QMainWindow", "+ a line of text", "+ the Qt namespace")


def measure(argv: list[str], pycache: str) -> tuple[float, float, str]:
    """(CPU seconds, max RSS in MB, stdout) of one child process, as it reports them."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": pycache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    usage = next(line for line in proc.stdout.splitlines() if line.startswith("USAGE:"))
    cpu, mem = (float(x) for x in usage.split()[1:3])
    return cpu, mem, proc.stdout


def at_exit(out: str) -> tuple[float, float]:
    """The app's (CPU seconds, max RSS in MB) at exit, from the probe's output."""
    line = next(line for line in out.splitlines() if line.startswith("EXIT:"))
    cpu, mem = (float(x) for x in line.split()[1:3])
    return cpu, mem


def instructions(argv: list[str], pycache: str) -> int:
    """Instructions one child process executes, counted by callgrind (after one run
    uncounted that fills the bytecode cache)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": pycache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, timeout=120, check=True)
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out", *argv],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=900,
        )  # fmt: skip
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(proc.stderr[-2000:])
    return int(found.group(1))


def count_instructions() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as pycache, tempfile.TemporaryDirectory() as home:
        bare = instructions([sys.executable, "-c", BARE_AT_FIRST_FRAME], pycache)
        floor = instructions([sys.executable, "-c", NAMESPACE_AT_FIRST_FRAME], pycache)
        app = instructions(
            [sys.executable, "-c", APP_AT_FIRST_FRAME, "--config-dir", home, "--smoke-test"],
            pycache,
        )
    print("instructions to the first frame (callgrind, one run each):")
    for label, count in (("bare QMainWindow", bare), ("+ text and the Qt namespace", floor),
                         ("the app's window", app)):  # fmt: skip
        print(f"{label + ':':38} {count / 1e6:8.1f} M ({count / bare:.2f}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind instead"
    )
    args = parser.parse_args()
    from machine import describe  # bench/machine.py (this script's folder)
    from PySide6 import __version__ as pyside

    print(describe(f"PySide6 {pyside}"))
    if args.instructions:
        count_instructions()
        return
    cpu: dict[str, list[float]] = {name: [] for name in (*FLOORS, "app")}
    mem: dict[str, list[float]] = {name: [] for name in cpu}
    loaded = ""
    exits: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as pycache:
        for round_ in range(args.rounds + 1):  # alternate: all see the same conditions
            scripts = dict(zip(FLOORS, (BARE, TEXT, NAMESPACE), strict=True))
            order = [*FLOORS, "app"]
            if round_ % 2:  # every other round backwards: the first of a round ran slower
                order.reverse()
            figures = {}
            for name in order:
                if name == "app":
                    with tempfile.TemporaryDirectory() as home:
                        argv = [sys.executable, "-c", PROBE, "--config-dir", home, "--smoke-test"]
                        figures[name] = measure(argv, pycache)
                else:
                    figures[name] = measure([sys.executable, "-c", scripts[name]], pycache)
            if not round_:
                continue  # the bytecode cache was being filled
            for name, (c, m, _out) in figures.items():
                cpu[name].append(c)
                mem[name].append(m)
            out = figures["app"][2]
            exits.append(at_exit(out))
            loaded = next((line for line in out.splitlines() if line.startswith("LOADED")), "")
    c = {name: statistics.median(v) for name, v in cpu.items()}
    m = {name: statistics.median(v) for name, v in mem.items()}
    b = "bare QMainWindow"
    for name in cpu:
        label = "the app's window" if name == "app" else name
        print(
            f"{label + ':':38} CPU {c[name]:.3f} s ({c[name] / c[b]:.2f}×), "
            f"max RSS {m[name]:.0f} MB ({m[name] / m[b]:.2f}×)"
        )
    print(
        f"ratio app/bare:    CPU {c['app'] / c[b]:.2f}× (target ≤ 2), memory "
        f"{m['app'] / m[b]:.2f}× (target ≤ 1.5)"
    )
    print(f"heavy modules at the first frame: {loaded.removeprefix('LOADED: ')}")
    exit_cpu = statistics.median(e[0] for e in exits)
    exit_mem = statistics.median(e[1] for e in exits)
    print(
        f"the app at exit (asyncio started after the first frame): CPU {exit_cpu:.3f} s "
        f"({exit_cpu / c[b]:.2f}×), max RSS {exit_mem:.0f} MB ({exit_mem / m[b]:.2f}×)"
    )
    print(f"(medians of {args.rounds} rounds)")


if __name__ == "__main__":
    main()
