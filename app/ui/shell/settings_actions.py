"""Settings in the window: the Settings action (Ctrl+,), saving and applying a choice.

Theme, editor font, default timeouts and history retention apply at once; the language
applies after a restart (widgets are built with the translators of their time). A
settings file that could not be read is reported when the window opens; saving problems
are shown in the dialog, which keeps the user's choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from app.core.settings import Settings, SettingsError
from app.ui.common.actions import text_action
from app.ui.common.editor_font import set_editor_font
from app.ui.common.message_area import Severity
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.theme import apply_theme
from app.ui.common.wording import text_of
from app.ui.common.workspace import Workspace
from app.ui.profiles.profile_manager import ProfileManager
from app.ui.runs.controller import RunController
from app.ui.shell.storage import WindowStorage

if TYPE_CHECKING:
    import asyncio

    from app.ui.shell.settings_dialog import SettingsDialog

__all__ = ["SettingsActions"]


class SettingsActions(QObject):
    """Settings ▸ apply to the parts they concern (given, not reached for)."""

    applied = Signal(object)  # Settings
    #: Retention removed runs from the history (the history view reloads).
    pruned = Signal(int)

    def __init__(
        self,
        storage: WindowStorage,
        profiles: ProfileManager,
        controller: RunController,
        workspace: Workspace,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.storage = storage
        self.profiles = profiles
        self.controller = controller
        self.file = storage.settings_file
        loaded = storage.settings
        self.settings = loaded.settings if loaded is not None else Settings()
        self.dialog: SettingsDialog | None = None
        self._tasks = TaskKeeper()
        self.action = text_action(self.tr("&Settings…"), window)
        self.action.setShortcut(QKeySequence("Ctrl+,"))
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.triggered.connect(lambda: self.show())
        if loaded is not None and loaded.problem:
            workspace.tell(text_of(loaded.problem), Severity.ERROR)
        self._apply(self.settings, first=True)

    def show(self) -> SettingsDialog:
        if self.dialog is None:
            from app.ui.shell.settings_dialog import SettingsDialog  # built on first use

            self.dialog = SettingsDialog(self.window)
            self.dialog.applyRequested.connect(self.save)
        self.dialog.load(self.settings)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def save(self, settings: Settings, close: bool = False) -> bool:
        previous = self.settings
        try:
            settings.validate()
            if self.file is not None:
                self.file.save(settings)
        except (SettingsError, OSError) as exc:
            if self.dialog is not None:
                self.dialog.show_result(self.tr("Not saved: {0}").format(exc), False)
            return False
        self.settings = settings
        self._apply(settings)
        message = self.tr("Saved.")
        if settings.language != previous.language:
            message += " " + self.tr("The new language applies after a restart.")
        if self.dialog is not None:
            self.dialog.show_result(message, close)
        return True

    def _apply(self, settings: Settings, *, first: bool = False) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and (not first or settings.theme != "system"):
            apply_theme(app, settings.theme)
        # Always, also at start-up: the editors show the settings' size from the first
        # frame, so applying a setting later never makes the text jump.
        set_editor_font(settings.editor_font, settings.editor_font_size)
        self.profiles.default_timeouts = (settings.connect_timeout, settings.read_timeout)
        self.controller.output_limit = settings.output_limit or None
        if settings.history_days or settings.history_max_runs:
            self.prune_history()
        self.applied.emit(settings)

    def prune_history(self) -> asyncio.Task[int] | None:
        """Apply the retention settings to history (in a worker thread)."""
        store = self.storage.history
        if store is None:
            return None
        settings = self.settings

        async def prune() -> int:
            import asyncio

            deleted = await asyncio.to_thread(
                store.prune,
                older_than_days=settings.history_days,
                keep_runs=settings.history_max_runs,
            )
            if deleted:
                self.pruned.emit(deleted)
            return deleted

        try:
            return self._tasks.spawn(prune())
        except RuntimeError:  # no running loop (a window built outside the app)
            return None
