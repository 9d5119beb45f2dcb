"""Where the app keeps its files: one config dir and one data dir, overridable for tests.

Precedence: ``--config-dir DIR`` > ``$COMPLETION_PLAYGROUND_HOME`` > the platform's usual
places (platformdirs). With an override every settings and data file lives under DIR.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

__all__ = ["HOME_ENV", "AppPaths"]

HOME_ENV = "COMPLETION_PLAYGROUND_HOME"


@dataclass(frozen=True)
class AppPaths:
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

    def ensure(self) -> AppPaths:
        for path in (self.config_dir, self.data_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True)
        return self
