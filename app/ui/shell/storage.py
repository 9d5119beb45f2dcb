"""What the window keeps on disk: presets, run history, the autosaved session, settings.

Opened once at start-up by :func:`open_storage`, which never raises: a folder that cannot
be created, a history database that cannot be used, a session or settings file that cannot
be read are each reported (as :class:`~app.core.messages.Message` values the window words
with :func:`app.ui.common.wording.text_of`) and the app runs with what it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.history import HistoryError, HistoryStore
from app.core.messages import Message
from app.core.paths import AppPaths
from app.core.presets import PresetStore
from app.core.profiles import BOTH
from app.core.session_state import SessionFile, WorkingState
from app.core.settings import LoadedSettings, SettingsFile

__all__ = ["WindowStorage", "open_storage"]


@dataclass
class WindowStorage:
    """Everything the window keeps on disk, opened, with the problems found opening it."""

    presets: PresetStore
    history: HistoryStore | None
    session: SessionFile
    history_problem: Message | None = None
    restored: WorkingState | None = None
    #: The session file's problem, and a folder that could not be created or written.
    session_problem: Message | None = None
    settings_file: SettingsFile | None = None
    config_dir: Path | None = None
    settings: LoadedSettings | None = None
    folder_problem: Message | None = None


def _together(first: Message | None, second: Message | None) -> Message | None:
    """Both problems in one message (the window shows one start-up message at a time)."""
    if first is None or second is None:
        return first or second
    return BOTH(first=first, second=second)


def open_storage(paths: AppPaths, settings: LoadedSettings | None = None) -> WindowStorage:
    """Open everything the window keeps (``settings``: already loaded at start-up)."""
    folder_problem = paths.prepare()
    history: HistoryStore | None
    try:
        history = HistoryStore(paths.data_dir / HistoryStore.FILE_NAME)
        history_problem = None
    except HistoryError as exc:
        history, history_problem = None, exc.msg
    session = SessionFile(paths.config_dir)
    restored, session_problem = session.load()
    settings_file = SettingsFile(paths.config_dir)
    return WindowStorage(
        presets=PresetStore(paths.data_dir / "presets"),
        history=history,
        session=session,
        history_problem=history_problem,
        restored=restored,
        session_problem=_together(folder_problem, session_problem),
        settings_file=settings_file,
        settings=settings if settings is not None else settings_file.load(),
        config_dir=paths.config_dir,
        folder_problem=folder_problem,
    )
