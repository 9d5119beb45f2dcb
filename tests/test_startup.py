"""Start-up stays light: what the first frame loads, checked in a fresh process.

Timing is for ``bench/startup.py``; these check the shape: the modules used later are not
imported, PySide has not been made to create every Qt class (it does when a scroll area's
viewport or Qt's private widgets reach Python unwrapped: app/ui/common/viewport.py), and
the window icon does not load Qt's SVG module.
"""

from __future__ import annotations

import json

import pytest

from app.ui.shell.application import NOT_AT_START
from tests.probe import run_probe

PROBE = """
import json, sys
from app.main import main
seen = {}


def first_frame():
    from PySide6 import QtGui, QtWidgets
    seen.update(modules=sorted(sys.modules), widget_classes=sorted(QtWidgets.__dict__),
                gui_classes=sorted(QtGui.__dict__))


main(["--config-dir", sys.argv[1], "--smoke-test"], on_first_frame=first_frame)
seen["after"] = sorted(sys.modules)
try:
    maps = open("/proc/self/maps").read()  # the icon is set right after the first frame
except OSError:
    maps = None
seen["svg"] = None if maps is None else "libQt6Svg" in maps
from PySide6.QtGui import QGuiApplication
seen["icon"] = not QGuiApplication.windowIcon().isNull()
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def first_frame(tmp_path_factory):
    home = tmp_path_factory.mktemp("startup")
    proc = run_probe(PROBE, str(home))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_what_comes_later_is_not_imported(first_frame):
    loaded = [name for name in NOT_AT_START if name in first_frame["modules"]]
    assert loaded == []
    assert "app.ui.shell.main_window" in first_frame["modules"]  # the probe did start
    # The event loop came right after the first frame (the smoke test ran on it).
    assert {"asyncio", "qasync"} <= set(first_frame["after"])


def test_pyside_made_only_the_classes_the_window_names(first_frame):
    classes = set(first_frame["widget_classes"])
    assert "QPlainTextEdit" in classes and "QMainWindow" in classes
    # Never used by the first frame: present only if PySide made every class.
    assert not classes & {"QWizard", "QCalendarWidget", "QColumnView", "QMdiArea"}


def test_actions_do_not_make_pyside_build_the_icon_class(first_frame):
    # QAction(text, parent) would: its sibling overload takes an icon (app/ui/common/actions.py).
    assert "QAction" in first_frame["gui_classes"]
    assert "QIcon" not in first_frame["gui_classes"]


def test_text_action_has_its_text_and_parent(qtbot):
    from PySide6.QtWidgets import QWidget

    from app.ui.common.actions import text_action

    owner = QWidget()
    qtbot.addWidget(owner)
    action = text_action("&Run", owner)
    assert action.text() == "&Run" and action.parent() is owner


def test_the_window_icon_does_not_load_the_svg_module(first_frame):
    if first_frame["svg"] is None:
        pytest.skip("no /proc/self/maps here")
    assert first_frame["svg"] is False
    assert first_frame["icon"]  # set (after the first frame)


@pytest.mark.parametrize("kind", ["QPlainTextEdit", "QScrollArea", "custom viewport"])
def test_the_cheap_viewport_is_the_area_s_viewport(qtbot, kind):
    from PySide6.QtWidgets import QPlainTextEdit, QScrollArea, QWidget

    from app.ui.common.viewport import viewport

    area = QPlainTextEdit() if kind == "QPlainTextEdit" else QScrollArea()
    qtbot.addWidget(area)
    if kind == "custom viewport":
        custom = QWidget()
        custom.setObjectName("mine")
        area.setViewport(custom)
    found = viewport(area)
    assert found is area.viewport()
    if kind == "custom viewport":
        assert found is custom


def test_what_waits_for_the_first_paint_runs_once_after_it(qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from app.ui.shell import application

    monkeypatch.setattr(application, "FIRST_PAINT_WAIT_MS", 300)
    painted: list[bool] = []

    class Painted(QWidget):
        def paintEvent(self, event):
            painted.append(True)

    shown, hidden = Painted(), QWidget()
    qtbot.addWidget(shown)
    qtbot.addWidget(hidden)
    calls: list[int] = []
    late: list[bool] = []
    application.after_first_paint(shown, lambda: calls.append(len(painted)))
    application.after_first_paint(hidden, lambda: late.append(True))  # never painted
    shown.show()
    qtbot.waitUntil(lambda: bool(calls), timeout=250)  # the paint, not the fallback
    assert calls[0] >= 1
    shown.repaint()
    qtbot.waitUntil(lambda: bool(late), timeout=2000)  # the fallback: past the wait
    assert calls == [calls[0]]  # once: neither the second paint nor the wait called again


LATER_PROBE = """
import sys
from app.main import main


def first_frame():
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.main_window import MainWindow

    app = QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

    def check():
        if not window.controller.connections._clients:
            QTimer.singleShot(20, check)
            return
        print("prepared", "asyncio" in sys.modules, flush=True)
        window.close()  # the last window: the app quits and shuts the controller down

    QTimer.singleShot(0, check)


main(["--config-dir", sys.argv[1]], on_first_frame=first_frame)
print("shut down", flush=True)
"""


def test_after_the_first_frame_the_loop_starts_and_the_client_is_made(tmp_path):
    """Without --smoke-test: the asyncio loop starts after the first paint, the HTTP client
    is made in the background, and closing the window runs the shutdown on that loop."""
    proc = run_probe(LATER_PROBE, str(tmp_path / "home"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["prepared True", "shut down"]
    assert "Traceback" not in proc.stderr
