"""Endpoint profiles: where to send requests, with which model, headers, proxy and timeouts.

Profiles live in ``profiles.json`` under the config dir: a versioned document
(``schema_version``, with migrations from older versions) written atomically. A file that
cannot be read is moved aside (``profiles.json.corrupt``) and reported, never overwritten.
Keys are not stored here: a profile only holds ``key_ref``, the name of its entry in the
OS keyring (see :mod:`app.core.keys`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside
from app.core.endpoint import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    Endpoint,
    InvalidBaseURL,
    normalise_base_url,
)

__all__ = [
    "LOCAL_MODEL",
    "REMOTE",
    "SCHEMA_VERSION",
    "TEMPLATES",
    "LoadedProfiles",
    "Profile",
    "ProfileError",
    "ProfileStore",
    "ProfileTemplate",
]

SCHEMA_VERSION = 1
REMOTE = "remote"
LOCAL_MODEL = "local-model"
LOCAL_MODEL_NAME = "Local model"


class ProfileError(ValueError):
    """A profile is invalid (the message names the field)."""


@dataclass
class Profile:
    name: str
    base_url: str = ""
    default_model: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    proxy: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    #: Name of this profile's key in the OS keyring; ``None`` when it has no key.
    key_ref: str | None = None
    kind: str = REMOTE
    #: Local-model profiles: a GGUF file; ``None`` means the bundled SmolLM2 model.
    model_path: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: Request parameters this endpoint rejected (learned; see app.core.capabilities).
    unsupported: list[str] = field(default_factory=list)
    #: Fields written by a newer version of the app, kept as they are on save.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_local_model(self) -> bool:
        return self.kind == LOCAL_MODEL

    def validate(self) -> None:
        if not self.name.strip():
            raise ProfileError("name: a profile needs a name")
        if self.kind not in (REMOTE, LOCAL_MODEL):
            raise ProfileError(f"kind: unknown profile kind {self.kind!r}")
        if self.kind == REMOTE:
            try:
                normalise_base_url(self.base_url)
            except InvalidBaseURL as exc:
                raise ProfileError(f"base_url: {exc}") from None
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ProfileError(f"{name}: must be a positive number of seconds")
        if not isinstance(self.unsupported, list) or not all(
            isinstance(p, str) for p in self.unsupported
        ):
            raise ProfileError("unsupported: must be a list of parameter names")
        if self.proxy and "://" not in self.proxy:
            raise ProfileError("proxy: use a URL such as http://127.0.0.1:7890 or socks5://…")
        for key, value in self.headers.items():
            if not isinstance(key, str) or not isinstance(value, str) or not key.strip():
                raise ProfileError("headers: names and values must be text")
            if key.strip().lower() == "authorization":
                raise ProfileError("headers: put the key in the API key field, not a header")

    def endpoint(self, api_key: str | None, base_url: str | None = None) -> Endpoint:
        """The endpoint for this profile (``base_url`` overrides, for the local server)."""
        return Endpoint(
            base_url=base_url or self.base_url,
            api_key=api_key,
            headers=tuple(self.headers.items()),
            connect_timeout=float(self.connect_timeout),
            read_timeout=float(self.read_timeout),
        )

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        if not isinstance(data, dict):
            raise ProfileError("a profile must be a JSON object")
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        if not isinstance(kwargs.get("name"), str):
            raise ProfileError("name: missing or not text")
        if not isinstance(kwargs.get("headers", {}), dict):
            raise ProfileError("headers: must be an object")
        profile = cls(**kwargs, extra=extra)
        profile.validate()
        return profile


@dataclass(frozen=True)
class ProfileTemplate:
    """A starting point offered when adding a profile."""

    label: str
    base_url: str
    default_model: str = ""
    needs_key: bool = False
    kind: str = REMOTE

    def make(self, name: str | None = None) -> Profile:
        return Profile(
            name=name or self.label,
            base_url=self.base_url,
            default_model=self.default_model,
            kind=self.kind,
        )


TEMPLATES: tuple[ProfileTemplate, ...] = (
    ProfileTemplate(
        LOCAL_MODEL_NAME + " (built in)", "", "SmolLM2-135M-Instruct", kind=LOCAL_MODEL
    ),
    ProfileTemplate("OpenAI", "https://api.openai.com/v1", "gpt-3.5-turbo-instruct", True),
    ProfileTemplate(
        "chatanywhere", "https://api.chatanywhere.tech/v1", "gpt-3.5-turbo-instruct", True
    ),
    ProfileTemplate("wushuangai", "https://www.wushuangai.com/v1", "gpt-3.5-turbo-instruct", True),
    ProfileTemplate("llama.cpp server", "http://127.0.0.1:8080/v1"),
    ProfileTemplate("vLLM", "http://127.0.0.1:8000/v1"),
    ProfileTemplate("Ollama", "http://127.0.0.1:11434/v1"),
    ProfileTemplate("LM Studio", "http://127.0.0.1:1234/v1"),
)


def default_profiles() -> list[Profile]:
    """First launch: the built-in local model, which works offline with no key."""
    return [TEMPLATES[0].make(LOCAL_MODEL_NAME)]


@dataclass
class LoadedProfiles:
    profiles: list[Profile]
    current: str
    #: A sentence for the user when the file could not be used as it was (else ``None``).
    problem: str | None = None

    def find(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def current_profile(self) -> Profile:
        return self.find(self.current) or self.profiles[0]


def _migrate_0(data: Any) -> dict[str, Any]:
    """Version 0 (before schema_version existed): a bare list of profiles."""
    profiles = data if isinstance(data, list) else data.get("profiles", [])
    return {"schema_version": 1, "profiles": profiles, "current": None}


MIGRATIONS: dict[int, Callable[[Any], dict[str, Any]]] = {0: _migrate_0}


class ProfileStore:
    """Reads and writes ``profiles.json``; every write is atomic."""

    FILE_NAME = "profiles.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME

    def load(self) -> LoadedProfiles:
        if not self.path.exists():
            profiles = default_profiles()
            return LoadedProfiles(profiles, profiles[0].name)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return self._parse(data)
        except (ValueError, ProfileError, UnicodeDecodeError) as exc:
            moved = keep_aside(self.path)
            profiles = default_profiles()
            return LoadedProfiles(
                profiles,
                profiles[0].name,
                problem=f"The profiles file {self.path} could not be read ({exc}); it was "
                f"kept as {moved.name} and the default profile is used.",
            )

    def _parse(self, data: Any) -> LoadedProfiles:
        version = data.get("schema_version", 0) if isinstance(data, dict) else 0
        if not isinstance(version, int):
            raise ProfileError("schema_version is not a number")
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](data)
            version = data["schema_version"]
        problem = None
        if version > SCHEMA_VERSION:
            problem = (
                f"The profiles file {self.path} was written by a newer version of the app "
                f"(schema {version}); fields this version does not know are kept."
            )
        items = data.get("profiles")
        if not isinstance(items, list):
            raise ProfileError("'profiles' is not a list")
        profiles: list[Profile] = []
        for item in items:
            profile = Profile.from_json(item)
            if any(p.name == profile.name for p in profiles):
                raise ProfileError(f"two profiles are named {profile.name!r}")
            profiles.append(profile)
        if not profiles:
            profiles = default_profiles()
        current = data.get("current")
        if not any(p.name == current for p in profiles):
            current = profiles[0].name
        return LoadedProfiles(profiles, current, problem)

    def save(self, profiles: list[Profile], current: str) -> None:
        names = [p.name for p in profiles]
        if len(set(names)) != len(names):
            raise ProfileError("two profiles have the same name")
        for profile in profiles:
            profile.validate()
        atomic_write_json(
            self.path,
            {
                "schema_version": SCHEMA_VERSION,
                "current": current,
                "profiles": [p.to_json() for p in profiles],
            },
        )
