"""App settings: language, theme, default timeouts, editor font, history retention.

Kept in ``settings.json`` in the config dir, a versioned document written atomically.
Unknown fields (from a newer version) are kept on save; a value of the wrong type is
reported and replaced by its default for this session, and a file that cannot be read at
all is moved aside (``settings.json.corrupt``) and reported, never overwritten silently.
Window geometry and splitter positions are not here: Qt's QSettings keeps those.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside
from app.core.endpoint import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT

__all__ = [
    "LANGUAGES",
    "THEMES",
    "LoadedSettings",
    "Settings",
    "SettingsError",
    "SettingsFile",
]

SCHEMA_VERSION = 1
#: "system" follows the desktop's locale; the others are the shipped translations.
LANGUAGES = ("system", "en", "zh_CN")
THEMES = ("system", "light", "dark")


class SettingsError(ValueError):
    """A setting has an invalid value (the message names it)."""


@dataclass(frozen=True)
class Settings:
    language: str = "system"
    theme: str = "system"
    #: Timeouts (seconds) given to new profiles.
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    #: Editor font: empty family means the system's fixed-width font; size in points.
    editor_font: str = ""
    editor_font_size: int = 11
    #: Runs older than this many days are deleted from history at start; 0 keeps all.
    history_days: int = 0
    #: At most this many runs are kept (the oldest go first); 0 means no limit.
    history_max_runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validate(self) -> None:
        if self.language not in LANGUAGES:
            raise SettingsError(f"language: one of {', '.join(LANGUAGES)}")
        if self.theme not in THEMES:
            raise SettingsError(f"theme: one of {', '.join(THEMES)}")
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise SettingsError(f"{name}: a positive number of seconds")
        if not isinstance(self.editor_font, str):
            raise SettingsError("editor_font: a font family name")
        size = self.editor_font_size
        if isinstance(size, bool) or not isinstance(size, int) or not 6 <= size <= 72:
            raise SettingsError("editor_font_size: a whole number of points from 6 to 72")
        for name in ("history_days", "history_max_runs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SettingsError(f"{name}: a whole number, 0 for no limit")

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return {**self.extra, **data}


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    #: What was wrong with the file (a sentence), or ``None``.
    problem: str | None = None


def _from_json(data: Any) -> LoadedSettings:
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        raise ValueError("not a settings file")
    raw = data["settings"]
    names = {f.name for f in fields(Settings)} - {"extra"}
    settings = Settings(extra={k: v for k, v in raw.items() if k not in names})
    bad = []
    for name in names & raw.keys():
        candidate = replace(settings, **{name: raw[name]})
        try:
            candidate.validate()
        except SettingsError as exc:
            bad.append(str(exc))
        else:
            settings = candidate
    problem = None
    if bad:
        problem = "Some settings were invalid and are back to their defaults: " + "; ".join(bad)
    return LoadedSettings(settings, problem)


class SettingsFile:
    FILE_NAME = "settings.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME

    def load(self) -> LoadedSettings:
        """The settings; defaults when there is no file; a broken file is kept aside."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LoadedSettings(Settings())
        except OSError as exc:
            return LoadedSettings(Settings(), f"The settings could not be read: {exc}")
        try:
            return _from_json(json.loads(text))
        except (ValueError, TypeError) as exc:
            aside = keep_aside(self.path)
            return LoadedSettings(
                Settings(),
                f"The settings file could not be read ({exc}); it was kept as {aside.name} "
                "and the defaults are used.",
            )

    def save(self, settings: Settings) -> None:
        """Write atomically; raises SettingsError or OSError."""
        settings.validate()
        atomic_write_json(
            self.path, {"schema_version": SCHEMA_VERSION, "settings": settings.to_json()}
        )
