"""App settings: language, theme, default timeouts, editor font, history retention.

Kept in ``settings.json`` in the config dir, a versioned document written atomically.
Unknown fields (from a newer version) are kept on save; a value of the wrong type is
reported and replaced by its default for this session, and a file that cannot be read at
all (not JSON, not UTF-8, unreadable) is moved aside (``settings.json.corrupt``) and
reported, never overwritten silently. :meth:`SettingsFile.load` never raises: it returns
settings and, when something was wrong, a :class:`~app.core.messages.Message`.
Window geometry and splitter positions are not here: Qt's QSettings keeps those.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside
from app.core.endpoint import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = [
    "LANGUAGES",
    "THEMES",
    "LoadedSettings",
    "Settings",
    "SettingsError",
    "SettingsFile",
]

SCHEMA_VERSION = 1
#: Characters of output after which a run is stopped (an endless stream must not eat the
#: machine's memory); Settings ▸ Output limit in the window, ``--max-output`` in the CLI.
DEFAULT_OUTPUT_LIMIT = 4_000_000

SETTINGS_INVALID_VALUES = kind(
    "settings.invalid_values",
    QT_TRANSLATE_NOOP(
        "Core", "Some settings were invalid and are back to their defaults: {details}"
    ),
)
SETTINGS_UNREADABLE = kind(
    "settings.unreadable",
    QT_TRANSLATE_NOOP(
        "Core",
        "The settings file could not be read ({reason}); it was kept as {kept} and the "
        "defaults are used.",
    ),
)
SETTINGS_UNREADABLE_NOT_MOVED = kind(
    "settings.unreadable_not_moved",
    QT_TRANSLATE_NOOP(
        "Core",
        "The settings file {path} could not be read ({reason}) and could not be moved "
        "aside ({error}); the defaults are used for this session.",
    ),
)

#: "system" follows the desktop's locale; the others are the shipped translations.
LANGUAGES = ("system", "en", "zh_CN")
THEMES = ("system", "light", "dark")


def _seconds(value: Any) -> bool:
    """A finite positive number of seconds (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value)) and value > 0
    except OverflowError:
        return False


class SettingsError(ValueError):
    """A setting has an invalid value (the message names it)."""


@dataclass(frozen=True)
class Settings:
    """The app's settings (Settings dialog), with their defaults."""

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
    #: A run stops after this many characters of output (the text is kept); 0: no limit.
    output_limit: int = DEFAULT_OUTPUT_LIMIT
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validate(self) -> None:
        if self.language not in LANGUAGES:
            raise SettingsError(f"language: one of {', '.join(LANGUAGES)}")
        if self.theme not in THEMES:
            raise SettingsError(f"theme: one of {', '.join(THEMES)}")
        for name in ("connect_timeout", "read_timeout"):
            if not _seconds(getattr(self, name)):
                raise SettingsError(f"{name}: a positive number of seconds")
        if not isinstance(self.editor_font, str):
            raise SettingsError("editor_font: a font family name")
        size = self.editor_font_size
        if isinstance(size, bool) or not isinstance(size, int) or not 6 <= size <= 72:
            raise SettingsError("editor_font_size: a whole number of points from 6 to 72")
        for name in ("history_days", "history_max_runs", "output_limit"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SettingsError(f"{name}: a whole number, 0 for no limit")

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return {**self.extra, **data}


@dataclass(frozen=True)
class LoadedSettings:
    """The settings read from their file, and what was wrong with it."""

    settings: Settings
    #: What was wrong with the file, or ``None``.
    problem: Message | None = None


def _from_json(data: Any) -> LoadedSettings:
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        raise ValueError("not a settings file")
    raw = data["settings"]
    names = {f.name for f in fields(Settings)} - {"extra"}
    settings = Settings(extra={k: v for k, v in raw.items() if k not in names})
    bad = []
    for name in sorted(names & raw.keys()):
        candidate = replace(settings, **{name: raw[name]})
        try:
            candidate.validate()
        except SettingsError as exc:
            bad.append(str(exc))
        else:
            settings = candidate
    problem = SETTINGS_INVALID_VALUES(details="; ".join(bad)) if bad else None
    return LoadedSettings(settings, problem)


class SettingsFile:
    """Reads and writes ``settings.json``; every write is atomic."""

    FILE_NAME = "settings.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME
        self._unread_in_place = False

    def load(self) -> LoadedSettings:
        """The settings; defaults when there is no file; a broken file is kept aside.

        Never raises: any bytes, any JSON value, give settings and at most a problem.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadedSettings(Settings())
        except OSError as exc:
            return self._unusable(exc.strerror or type(exc).__name__)
        try:
            return _from_json(json.loads(raw.decode("utf-8")))
        except (ValueError, TypeError, RecursionError) as exc:  # incl. UnicodeDecodeError
            return self._unusable(str(exc) or type(exc).__name__)

    def _unusable(self, reason: str) -> LoadedSettings:
        try:
            aside = keep_aside(self.path)
        except OSError as exc:
            self._unread_in_place = True
            return LoadedSettings(
                Settings(),
                SETTINGS_UNREADABLE_NOT_MOVED(
                    path=str(self.path), reason=reason, error=exc.strerror or str(exc)
                ),
            )
        return LoadedSettings(Settings(), SETTINGS_UNREADABLE(reason=reason, kept=aside.name))

    def save(self, settings: Settings) -> None:
        """Write atomically; raises SettingsError or OSError.

        A file :meth:`load` could neither read nor move is moved aside first, never
        overwritten.
        """
        settings.validate()
        if self._unread_in_place and self.path.exists():
            keep_aside(self.path)
        self._unread_in_place = False
        atomic_write_json(
            self.path, {"schema_version": SCHEMA_VERSION, "settings": settings.to_json()}
        )
