"""What the window keeps on disk: presets, run history, the autosaved session, settings.

Opened once at start-up by :func:`open_storage`, which never raises: a folder that cannot
be created, a history database that cannot be used, a session or settings file that cannot
be read are each reported (as :class:`~app.core.messages.Message` values the window words
with :func:`app.ui.common.wording.text_of`) and the app runs with what it has. The history
database is opened when first asked for (after the first frame; SQLite is not needed to
paint the window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.messages import Message
from app.core.paths import AppPaths
from app.core.presets import PresetStore
from app.core.profiles import BOTH
from app.core.session_state import SessionFile, WorkingState
from app.core.settings import LoadedSettings, SettingsFile

if TYPE_CHECKING:
    from app.core.history import HistoryStore

__all__ = ["WindowStorage", "open_storage"]


@dataclass
class WindowStorage:
    """Everything the window keeps on disk, opened, with the problems found opening it."""

    presets: PresetStore
    #: The history database's file; opened by :attr:`history` when first asked for.
    history_path: Path | None
    session: SessionFile
    restored: WorkingState | None = None
    #: The session file's problem, and a folder that could not be created or written.
    session_problem: Message | None = None
    settings_file: SettingsFile | None = None
    config_dir: Path | None = None
    settings: LoadedSettings | None = None
    folder_problem: Message | None = None
    _history: HistoryStore | None = field(default=None, repr=False)
    _history_problem: Message | None = field(default=None, repr=False)
    _history_opened: bool = field(default=False, repr=False)

    @property
    def history(self) -> HistoryStore | None:
        """The run history, opened now if it was not yet (``None``: it cannot be used, see
        :attr:`history_problem`). Opened on the GUI thread, before a run needs it."""
        if not self._history_opened:
            self._history_opened = True
            from app.core.history import HistoryError, HistoryStore

            if self.history_path is not None:
                try:
                    self._history = HistoryStore(self.history_path)
                except HistoryError as exc:
                    self._history_problem = exc.msg
        return self._history

    @property
    def history_problem(self) -> Message | None:
        """Why the history cannot be used (it is opened to find out), or ``None``."""
        _ = self.history
        return self._history_problem


def _together(first: Message | None, second: Message | None) -> Message | None:
    """Both problems in one message (the window shows one start-up message at a time)."""
    if first is None or second is None:
        return first or second
    return BOTH(first=first, second=second)


def open_storage(paths: AppPaths, settings: LoadedSettings | None = None) -> WindowStorage:
    """Open everything the window keeps (``settings``: already loaded at start-up)."""
    folder_problem = paths.prepare()
    session = SessionFile(paths.config_dir)
    restored, session_problem = session.load()
    settings_file = SettingsFile(paths.config_dir)
    return WindowStorage(
        presets=PresetStore(paths.data_dir / "presets"),
        history_path=paths.history_file,
        session=session,
        restored=restored,
        session_problem=_together(folder_problem, session_problem),
        settings_file=settings_file,
        settings=settings if settings is not None else settings_file.load(),
        config_dir=paths.config_dir,
        folder_problem=folder_problem,
    )
