"""Where the app keeps its files: one config dir and one data dir, overridable for tests.

Precedence: ``--config-dir DIR`` > ``$COMPLETION_PLAYGROUND_HOME`` > the platform's usual
places (platformdirs). With an override every settings and data file lives under DIR.
The folders are created private to the user (0700 on POSIX). A folder that cannot be
created or written (a read-only home) is reported by :meth:`AppPaths.prepare`, never
raised: the app still starts, with defaults, and says what it cannot save.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME
from app.core.atomic import make_private_dir
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = ["FOLDERS_UNUSABLE", "HISTORY_FILE_NAME", "HOME_ENV", "AppPaths"]

HOME_ENV = "COMPLETION_PLAYGROUND_HOME"

FOLDERS_UNUSABLE = kind(
    "paths.folders_unusable",
    QT_TRANSLATE_NOOP(
        "Core",
        "The app cannot write to {folders} ({reason}); it started with defaults, and "
        "settings, profiles, presets or history may not be saved.",
    ),
)


#: The run history's SQLite database, in the data folder.
HISTORY_FILE_NAME = "history.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    """Where the app keeps its settings, data (history, presets) and cache."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def resolve(cls, config_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        root = config_dir or os.environ.get(HOME_ENV) or None
        if root:
            base = Path(root).expanduser().resolve()
            return cls(base, base / "data", base / "cache")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def history_file(self) -> Path:
        return self.data_dir / HISTORY_FILE_NAME

    def prepare(self) -> Message | None:
        """Create the folders (0700) as far as possible; what could not be, as a message.

        Never raises: a read-only config folder must not stop the app from starting.
        """
        failed: list[str] = []
        reason = ""
        for path in (self.config_dir, self.data_dir, self.cache_dir):
            try:
                make_private_dir(path)
                if not os.access(path, os.W_OK | os.X_OK):
                    raise PermissionError(13, "read-only", str(path))
            except OSError as exc:
                failed.append(str(path))
                reason = reason or exc.strerror or type(exc).__name__
        if not failed:
            return None
        return FOLDERS_UNUSABLE(folders=", ".join(failed), reason=reason)

    def ensure(self) -> AppPaths:
        """Create the folders where possible (see :meth:`prepare`, which says what failed)."""
        self.prepare()
        return self
