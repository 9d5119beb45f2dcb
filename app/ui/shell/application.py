"""Start the Qt application with a qasync event loop, and the ``--smoke-test`` check."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import APP_DISPLAY_NAME, APP_NAME, __version__
from app.core.connections import Connections
from app.core.keys import KeyStore
from app.core.paths import AppPaths
from app.core.settings import LoadedSettings, SettingsFile
from app.resource_files import ICON_SIZES, icon_png
from app.ui.common.cjk_weight import even_cjk_weight, has_cjk
from app.ui.common.i18n import install_translators
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController
from app.ui.shell.gc_guard import GCGuard
from app.ui.shell.main_window import MainWindow
from app.ui.shell.storage import WindowStorage, open_storage

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from app.ui.shell.event_loop import AppEventLoop
    from app.ui.shell.quit_signals import QuitSignals

__all__ = ["NOT_AT_START", "after_first_paint", "create_window", "run_gui"]

#: Modules the first frame does without: they load when first used (checked by a test and
#: printed by ``bench/startup.py``).
NOT_AT_START = (
    "httpx",
    "keyring",
    "app.core.client",
    "app.core.runs",  # a run's modules: its plan, result, branches and statistics, loaded
    "app.core.run",  # right after the first frame (RunController.prepare)
    "app.core.result",
    "app.core.wire_log",
    "app.core.branches",
    "app.core.token_stats",
    "app.core.prompt_score",
    "app.core.detection",  # asking a server its kind (the profile dialog's Detect)
    "app.core.token_count",  # the prompt's token count: its first count follows the frame
    "app.core.code_export",
    "app.core.curl_parse",
    "app.ui.analysis.output_view",
    "app.ui.analysis.token_side",  # the Tokens panel: a tab behind the parameters
    "app.ui.analysis.token_details",
    "app.ui.analysis.branch_panel",
    "app.ui.analysis.wire_inspector",
    "app.ui.batch.batch_window",
    "app.ui.code.code_view",
    "app.ui.compare.compare_window",
    "app.ui.history.history_panel",
    "app.ui.presets.preset_picker",
    "app.ui.profiles.profile_dialog",
    "app.ui.shell.settings_dialog",
    "asyncio",  # and with it ssl (OpenSSL) and socket: the loop starts after the first frame
    "qasync",
    "concurrent.futures",  # the after-run worker is made when first needed
    "ctypes",  # app.core.heap: from the first run on
    "sqlite3",  # the history's database opens right after the first frame
    "app.core.history",
    "html",  # its table of entities, for three characters (app.ui.common.plain escapes them)
    "uuid",  # and with it ``platform`` (ids are random bytes in hex)
    "app.ui.shell.quit_signals",  # Ctrl+C and SIGTERM: taken over once the loop runs
)


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QCoreApplication.setOrganizationName(APP_NAME)
    app = QApplication(argv)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)  # before translators; the title uses tr
    app.setDesktopFileName(APP_NAME)
    return app


def app_icon() -> QIcon:
    """The app icon: its rendered PNG sizes, 16 to 512 pixels (Qt scales the nearest; the
    SVG, for the desktop's icon theme, would load Qt's SVG module at start-up: 3 MB)."""
    from PySide6.QtGui import QIcon  # (its class and enum classes: after the first frame)

    icon = QIcon()
    for size in ICON_SIZES:
        png = icon_png(APP_NAME, size)
        if png.exists():
            icon.addFile(str(png), QSize(size, size))
    return icon


def create_window(
    paths: AppPaths,
    keys: KeyStore | None = None,
    settings: LoadedSettings | None = None,
    *,
    storage: WindowStorage | None = None,
    icon: bool = True,
) -> MainWindow:
    """A main window with its own controller, profiles and clients (``settings``: already
    loaded, so a broken file is reported by the window rather than kept aside unseen;
    ``storage``: already opened; ``icon``: set the app's icon now, unless set already)."""
    app = QApplication.instance()
    if icon and isinstance(app, QApplication) and app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
    connections = Connections(keys or KeyStore())
    controller = RunController(connections)
    profiles = ProfileManager(paths, connections)
    window = MainWindow(controller, profiles, storage or open_storage(paths, settings))
    controller.setParent(window)
    profiles.setParent(window)
    return window


def guard_runs(gc_guard: GCGuard, window: MainWindow) -> None:
    """Tell the garbage-collection guard when runs start, end and have settled (their
    after-run work, which ends with the history record, is done)."""
    window.controller.runStarted.connect(gc_guard.hold)
    window.controller.runFinished.connect(gc_guard.release)
    window.controller.runRecorded.connect(gc_guard.settled)


#: Milliseconds after which what waits for the window's first paint starts anyway (a window
#: that starts minimised or on another desktop may not be painted for a while).
FIRST_PAINT_WAIT_MS = 1000


class _FirstPaint(QObject):
    """Calls ``callback`` once, in the event loop's turn after ``widget``'s first paint (or
    after :data:`FIRST_PAINT_WAIT_MS`, whichever comes first)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._call)  # after the whole frame is painted
        return False

    def _call(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted for the first time."""
    _FirstPaint(widget, callback)


def run_gui(
    paths: AppPaths,
    *,
    smoke_test: bool = False,
    argv: list[str] | None = None,
    on_first_frame: Callable[[], None] | None = None,
) -> int:
    """Show the window, then (the first frame painted) start asyncio inside Qt's event loop
    and what start-up leaves for later. ``on_first_frame``: called first (the start-up
    benchmark reads the process's CPU time and memory there)."""
    app = _application(argv or [sys.argv[0]])
    gc_guard = GCGuard(app)
    gc_guard.start(frozen_later=not smoke_test)
    settings = SettingsFile(paths.config_dir).load()
    language = install_translators(settings.settings.language)
    storage = open_storage(paths, settings)
    restored = storage.restored.prompt if storage.restored is not None else ""
    if language.startswith("zh") or has_cjk(restored):
        even_cjk_weight()  # the first frame shows CJK text: before any of it is laid out
    window = create_window(paths, settings=settings, storage=storage, icon=False)
    guard_runs(gc_guard, window)
    window.show()
    loops: list[AppEventLoop] = []
    signals: list[QuitSignals] = []

    def quit_on_signal(signum: int) -> None:
        window.close()  # as Quit does: the run cancelled, the autosave and state written
        app.exit(128 + signum)

    def first_frame() -> None:
        if on_first_frame is not None:
            on_first_frame()
        app.setWindowIcon(app_icon())
        even_cjk_weight()  # before any CJK text is typed or shown
        # asyncio (and with it ssl, OpenSSL, sockets) is not needed to paint the window.
        from app.ui.shell.event_loop import create_event_loop
        from app.ui.shell.quit_signals import QuitSignals

        loops.append(create_event_loop(app, already_running=True))
        signals.append(QuitSignals(quit_on_signal, app))
        signals[0].install()
        if smoke_test:
            QTimer.singleShot(0, app.quit)
            return
        window.profiles.start_key_probe()
        window.refresh_models()
        # The HTTP stack is not needed for the first frame; made off the loop's thread now,
        # it is ready before the first Run.
        window.controller.prepare(window.current_profile())
        window.storage.history  # noqa: B018 - its database opened now, not as the first run ends
        # Once the window is up, what start-up built stays for the session: out of the
        # collector's way, so later full collections walk only what runs create.
        QTimer.singleShot(1000, gc_guard.freeze_startup)

    after_first_paint(window, first_frame)
    app.lastWindowClosed.connect(app.quit)
    code = app.exec()
    if loops:  # quit before the first frame: nothing was started
        from app.ui.shell.event_loop import finish_event_loop

        finish_event_loop(loops[0], window.controller.shutdown())
    for quit_signals in signals:
        quit_signals.uninstall()
    gc_guard.stop()
    if smoke_test:
        print("ok", flush=True)
    return code
