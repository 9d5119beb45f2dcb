"""What the window keeps on disk: presets, run history, the autosaved session, settings.

Opened once at start-up by :func:`open_storage`; a history database that cannot be used
is reported (``history_problem``) and the app runs without history.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.history import HistoryError, HistoryStore
from app.core.paths import AppPaths
from app.core.presets import PresetStore
from app.core.session_state import SessionFile, WorkingState
from app.core.settings import LoadedSettings, SettingsFile

__all__ = ["WindowStorage", "open_storage"]


@dataclass
class WindowStorage:
    presets: PresetStore
    history: HistoryStore | None
    session: SessionFile
    history_problem: str | None = None
    restored: WorkingState | None = None
    session_problem: str | None = None
    settings_file: SettingsFile | None = None
    config_dir: Path | None = None
    settings: LoadedSettings | None = None


def open_storage(paths: AppPaths) -> WindowStorage:
    history: HistoryStore | None
    try:
        history = HistoryStore(paths.data_dir / HistoryStore.FILE_NAME)
        history_problem = None
    except HistoryError as exc:
        history, history_problem = None, str(exc)
    session = SessionFile(paths.config_dir)
    restored, session_problem = session.load()
    settings_file = SettingsFile(paths.config_dir)
    return WindowStorage(
        presets=PresetStore(paths.data_dir / "presets"),
        history=history,
        session=session,
        history_problem=history_problem,
        restored=restored,
        session_problem=session_problem,
        settings_file=settings_file,
        settings=settings_file.load(),
        config_dir=paths.config_dir,
    )
