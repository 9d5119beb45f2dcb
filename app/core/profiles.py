"""Endpoint profiles: where to send requests, with which model, headers, proxy and timeouts.

Profiles live in ``profiles.json`` under the config dir: a versioned document
(``schema_version``, with migrations from older versions) written atomically. A file that
cannot be read is moved aside (``profiles.json.corrupt``) and reported, never overwritten.
Keys are not stored here: a profile only holds ``key_ref``, the name of its entry in the
OS keyring (see :mod:`app.core.keys`). Nor are passwords: a base URL with ``user:password@``
is refused, and one found in an existing file is removed (the file is rewritten without it)
and reported.

Loading never raises: whatever the file holds (any JSON value, any bytes, a field of the
wrong type), :meth:`ProfileStore.load` returns usable profiles and, when the file could not
be used as it was, a :class:`~app.core.messages.Message` saying what happened.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json, keep_aside
from app.core.endpoint import (
    BASE_URL_HAS_CREDENTIALS,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    Endpoint,
    normalise_base_url,
)
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.parameters import (
    ALL_KINDS,
    KOBOLDCPP,
    LLAMA_CPP_PYTHON,
    LLAMACPP,
    LMSTUDIO,
    OLLAMA,
    OPENAI,
    TEXTGEN,
    VLLM,
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
    "check_prices",
    "strip_credentials",
]

SCHEMA_VERSION = 1
REMOTE = "remote"
LOCAL_MODEL = "local-model"
#: The first-launch profile's name (the window shows it translated).
LOCAL_MODEL_NAME = QT_TRANSLATE_NOOP("Core", "Local model")


PROFILES_UNREADABLE = kind(
    "profiles.unreadable",
    QT_TRANSLATE_NOOP(
        "Core",
        "The profiles file {path} could not be read ({reason}); it was kept as {kept} and "
        "the default profile is used.",
    ),
)
PROFILES_UNREADABLE_NOT_MOVED = kind(
    "profiles.unreadable_not_moved",
    QT_TRANSLATE_NOOP(
        "Core",
        "The profiles file {path} could not be read ({reason}) and could not be moved "
        "aside ({error}); the default profile is used for this session.",
    ),
)
PROFILES_NEWER = kind(
    "profiles.newer",
    QT_TRANSLATE_NOOP(
        "Core",
        "The profiles file {path} was written by a newer version of the app (schema "
        "{version}); fields this version does not know are kept.",
    ),
)
PROFILES_CREDENTIALS_REMOVED = kind(
    "profiles.credentials_removed",
    QT_TRANSLATE_NOOP(
        "Core",
        "The base URL of the profile {names} contained a user name or password. It was "
        "removed from the URL and from {path}; put the key in the API key field (stored in "
        "the system keyring).",
    ),
)
PROFILES_CREDENTIALS_NOT_REWRITTEN = kind(
    "profiles.credentials_not_rewritten",
    QT_TRANSLATE_NOOP(
        "Core",
        "The base URL of the profile {names} contained a user name or password. It is not "
        "used, but {path} could not be rewritten without it ({error}): remove it from that "
        "file, and put the key in the API key field (stored in the system keyring).",
    ),
)
#: Two sentences shown together, one after the other.
BOTH = kind("core.both", QT_TRANSLATE_NOOP("Core", "{first} {second}"))


class ProfileError(ValueError):
    """A profile is invalid (the message names the field)."""


def strip_credentials(url: str) -> str | None:
    """``url`` without its ``user:password@`` part, or ``None`` when it has none.

    Works on the text (no parsing that could fail), where :func:`urllib.parse.urlsplit`
    puts the network location: after ``scheme://`` (or at the start) up to ``/ ? #``.
    """
    marker = url.find("://")
    start = marker + 3 if marker >= 0 else 0
    end = len(url)
    for separator in "/?#":
        found = url.find(separator, start)
        if found != -1:
            end = min(end, found)
    netloc = url[start:end]
    if "@" not in netloc:
        return None
    return url[:start] + netloc.rpartition("@")[2] + url[end:]


#: The longest currency label a price may carry ("USD", "¥", "CNY", "credits"…).
MAX_CURRENCY_LENGTH = 16


def _price(value: Any) -> bool:
    """Whether ``value`` is a usable price: a finite number >= 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and number >= 0


def check_prices(prices: Any) -> None:
    """Raise :class:`ProfileError` naming the field unless ``prices`` is ``None`` or
    ``{"prompt": number, "completion": number, "currency": text}`` (prices per 1,000
    tokens, >= 0; currency optional, "USD" when absent). Other keys are kept as they are
    (a newer version's)."""
    if prices is None:
        return
    if not isinstance(prices, dict):
        raise ProfileError(
            'prices: must be an object such as {"prompt": 0.5, "completion": 1.5, '
            '"currency": "USD"} (per 1,000 tokens)'
        )
    for key in ("prompt", "completion"):
        if not _price(prices.get(key)):
            raise ProfileError(f"prices.{key}: must be a number >= 0 (per 1,000 tokens)")
    currency = prices.get("currency", "USD")
    if (
        not isinstance(currency, str)
        or not currency.strip()
        or len(currency.strip()) > MAX_CURRENCY_LENGTH
    ):
        raise ProfileError(
            f'prices.currency: must be text of 1 to {MAX_CURRENCY_LENGTH} characters ("USD", "¥"…)'
        )


def _seconds(value: Any) -> bool:
    """Whether ``value`` is a usable timeout: a finite positive number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and number > 0


def new_id(size: int = 16) -> str:
    """A random id of ``size`` bytes in hex (what ``uuid.uuid4().hex`` gave, without the
    ``uuid`` module, which imports ``platform``: ~3 ms of the start-up)."""
    return os.urandom(size).hex()


@dataclass
class Profile:
    """A server to talk to: its address, model, headers, proxy, timeouts and key name."""

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
    id: str = field(default_factory=new_id)
    #: Request parameters this endpoint rejected (learned; see app.core.capabilities).
    unsupported: list[str] = field(default_factory=list)
    #: What the server is (an id of app.core.server_kinds); ``None``: OpenAI-style, or
    #: llama-cpp-python for the built-in local model.
    server: str | None = None
    #: Prices per 1,000 tokens for batch costs: ``{"prompt": 0.5, "completion": 1.5,
    #: "currency": "USD"}`` (see :func:`check_prices`); ``None``: no prices known.
    prices: dict[str, Any] | None = None
    #: Fields written by a newer version of the app, kept as they are on save.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_local_model(self) -> bool:
        return self.kind == LOCAL_MODEL

    @property
    def server_kind(self) -> str:
        """The server kind's id (the built-in model is llama-cpp-python's server)."""
        if self.server:
            return self.server
        return LLAMA_CPP_PYTHON if self.is_local_model else OPENAI

    def _check_types(self) -> None:
        for name in ("name", "base_url", "default_model", "kind", "id"):
            if not isinstance(getattr(self, name), str):
                raise ProfileError(f"{name}: must be text")
        for name in ("proxy", "key_ref", "model_path", "server"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ProfileError(f"{name}: must be text or null")
        if not isinstance(self.headers, dict):
            raise ProfileError("headers: must be an object")
        if not isinstance(self.extra, dict):
            raise ProfileError("extra: must be an object")
        check_prices(self.prices)

    def validate(self) -> None:
        """Raise :class:`ProfileError` (naming the field) unless every field is usable."""
        self._check_types()
        if not self.name.strip():
            raise ProfileError("name: a profile needs a name")
        if self.kind not in (REMOTE, LOCAL_MODEL):
            raise ProfileError(f"kind: unknown profile kind {self.kind!r}")
        if self.server is not None and self.server not in ALL_KINDS:
            raise ProfileError(f"server: unknown server kind {self.server!r}")
        if strip_credentials(self.base_url) is not None:
            raise ProfileError(f"base_url: {BASE_URL_HAS_CREDENTIALS()}")
        if self.kind == REMOTE:
            try:
                normalise_base_url(self.base_url)
            except ValueError as exc:  # InvalidBaseURL, or urlsplit's "Invalid IPv6 URL"
                raise ProfileError(f"base_url: {exc}") from None
        for name in ("connect_timeout", "read_timeout"):
            if not _seconds(getattr(self, name)):
                raise ProfileError(f"{name}: must be a positive number of seconds")
        if not isinstance(self.unsupported, list) or not all(
            isinstance(p, str) for p in self.unsupported
        ):
            raise ProfileError("unsupported: must be a list of parameter names")
        if self.proxy is not None and self.proxy.strip() and "://" not in self.proxy:
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
    def from_json(cls, data: Any) -> Profile:
        """A validated profile from its JSON object; raises :class:`ProfileError`."""
        if not isinstance(data, dict):
            raise ProfileError("a profile must be a JSON object")
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        if not isinstance(kwargs.get("name"), str):
            raise ProfileError("name: missing or not text")
        if not isinstance(kwargs.get("headers", {}), dict):
            raise ProfileError("headers: must be an object")
        if not isinstance(kwargs.get("unsupported", []), list):
            raise ProfileError("unsupported: must be a list of parameter names")
        check_prices(kwargs.get("prices"))
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
    server: str | None = None

    def make(self, name: str | None = None) -> Profile:
        return Profile(
            name=name or self.label,
            base_url=self.base_url,
            default_model=self.default_model,
            kind=self.kind,
            server=self.server,
        )


TEMPLATES: tuple[ProfileTemplate, ...] = (
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "Local model (built in)"),
        "",
        "SmolLM2-135M-Instruct",
        kind=LOCAL_MODEL,
        server=LLAMA_CPP_PYTHON,
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "OpenAI"),
        "https://api.openai.com/v1",
        "gpt-3.5-turbo-instruct",
        True,
        server=OPENAI,
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "chatanywhere"),
        "https://api.chatanywhere.tech/v1",
        "gpt-3.5-turbo-instruct",
        True,
        server=OPENAI,
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "wushuangai"),
        "https://www.wushuangai.com/v1",
        "gpt-3.5-turbo-instruct",
        True,
        server=OPENAI,
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "llama.cpp server"), "http://127.0.0.1:8080/v1", server=LLAMACPP
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "llama-cpp-python"),
        "http://127.0.0.1:8000/v1",
        server=LLAMA_CPP_PYTHON,
    ),
    ProfileTemplate(QT_TRANSLATE_NOOP("Core", "vLLM"), "http://127.0.0.1:8000/v1", server=VLLM),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "Ollama"), "http://127.0.0.1:11434/v1", server=OLLAMA
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "koboldcpp"), "http://127.0.0.1:5001/v1", server=KOBOLDCPP
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "text-generation-webui"),
        "http://127.0.0.1:5000/v1",
        server=TEXTGEN,
    ),
    ProfileTemplate(
        QT_TRANSLATE_NOOP("Core", "LM Studio"), "http://127.0.0.1:1234/v1", server=LMSTUDIO
    ),
)


def default_profiles() -> list[Profile]:
    """First launch: the built-in local model, which works offline with no key."""
    return [TEMPLATES[0].make(LOCAL_MODEL_NAME)]


@dataclass
class LoadedProfiles:
    """The profiles read from their file, the current one's name, and any problem."""

    profiles: list[Profile]
    current: str
    #: What to tell the user when the file could not be used as it was (else ``None``).
    problem: Message | None = None

    def find(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    @property
    def current_profile(self) -> Profile:
        return self.find(self.current) or self.profiles[0]


def _migrate_0(data: Any) -> dict[str, Any]:
    """Version 0 (before schema_version existed): a bare list of profiles."""
    if isinstance(data, list):
        profiles: Any = data
    elif isinstance(data, dict):
        profiles = data.get("profiles", [])
    else:
        raise ProfileError("not a profiles file (neither an object nor a list)")
    return {"schema_version": 1, "profiles": profiles, "current": None}


MIGRATIONS: dict[int, Callable[[Any], dict[str, Any]]] = {0: _migrate_0}


class ProfileStore:
    """Reads and writes ``profiles.json``; every write is atomic.

    :meth:`load` never raises. A file it cannot use is moved aside
    (``profiles.json.corrupt``); when even that fails (a read-only folder), the file is left
    in place, the problem says so, and :meth:`save` moves it aside before writing, so the
    unread file is never overwritten.
    """

    FILE_NAME = "profiles.json"

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / self.FILE_NAME
        self._unread_in_place = False

    def load(self) -> LoadedProfiles:
        """The profiles (defaults when there is no usable file) and any problem."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._defaults()
        except OSError as exc:
            return self._unusable(exc.strerror or type(exc).__name__)
        try:
            return self._parse(json.loads(raw.decode("utf-8")))
        except (ValueError, RecursionError) as exc:  # incl. ProfileError, UnicodeDecodeError
            return self._unusable(str(exc) or type(exc).__name__)

    @staticmethod
    def _defaults(problem: Message | None = None) -> LoadedProfiles:
        profiles = default_profiles()
        return LoadedProfiles(profiles, profiles[0].name, problem)

    def _unusable(self, reason: str) -> LoadedProfiles:
        """Keep the file aside (if it can be moved) and start with the default profile."""
        try:
            moved = keep_aside(self.path)
        except OSError as exc:
            self._unread_in_place = True
            return self._defaults(
                PROFILES_UNREADABLE_NOT_MOVED(
                    path=str(self.path), reason=reason, error=exc.strerror or str(exc)
                )
            )
        return self._defaults(
            PROFILES_UNREADABLE(path=str(self.path), reason=reason, kept=moved.name)
        )

    def _parse(self, data: Any) -> LoadedProfiles:
        version = data.get("schema_version", 0) if isinstance(data, dict) else 0
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise ProfileError("schema_version is not a version number")
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](data)
            version = data["schema_version"]
        problem = None
        if version > SCHEMA_VERSION:
            problem = PROFILES_NEWER(path=str(self.path), version=version)
        items = data.get("profiles")
        if not isinstance(items, list):
            raise ProfileError("'profiles' is not a list")
        profiles: list[Profile] = []
        with_credentials: list[str] = []
        cleaned_items: list[Any] = []
        for item in items:
            base_url = item.get("base_url") if isinstance(item, dict) else None
            cleaned = strip_credentials(base_url) if isinstance(base_url, str) else None
            if cleaned is not None:
                item = {**item, "base_url": cleaned}
            cleaned_items.append(item)
            profile = Profile.from_json(item)
            if any(p.name == profile.name for p in profiles):
                raise ProfileError(f"two profiles are named {profile.name!r}")
            if cleaned is not None:
                with_credentials.append(profile.name)
            profiles.append(profile)
        if with_credentials:
            removed = self._rewrite_without_credentials({**data, "profiles": cleaned_items},
                                                        with_credentials)  # fmt: skip
            problem = removed if problem is None else BOTH(first=problem, second=removed)
        if not profiles:
            profiles = default_profiles()
        current = data.get("current")
        if not isinstance(current, str) or not any(p.name == current for p in profiles):
            current = profiles[0].name
        return LoadedProfiles(profiles, current, problem)

    def _rewrite_without_credentials(self, data: dict[str, Any], names: list[str]) -> Message:
        """Write the file back with the passwords removed (everything else as it was)."""
        quoted = ", ".join(repr(name) for name in names)
        try:
            atomic_write_json(self.path, data)
        except OSError as exc:
            return PROFILES_CREDENTIALS_NOT_REWRITTEN(
                names=quoted, path=str(self.path), error=exc.strerror or str(exc)
            )
        return PROFILES_CREDENTIALS_REMOVED(names=quoted, path=str(self.path))

    def save(self, profiles: list[Profile], current: str) -> None:
        """Validate and write atomically; raises ProfileError or OSError."""
        names = [p.name for p in profiles]
        if len(set(names)) != len(names):
            raise ProfileError("two profiles have the same name")
        for profile in profiles:
            profile.validate()
        if self._unread_in_place and self.path.exists():
            keep_aside(self.path)  # the file load could not use is kept, not overwritten
        self._unread_in_place = False
        atomic_write_json(
            self.path,
            {
                "schema_version": SCHEMA_VERSION,
                "current": current,
                "profiles": [p.to_json() for p in profiles],
            },
        )
