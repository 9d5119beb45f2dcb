"""API keys, kept only in the OS keyring (``keyring``), never in a file of ours.

At start-up :meth:`KeyStore.probe` checks the backend once (callers run it off the GUI
thread with a time limit: a locked SecretService can block). The ``fail`` and ``null``
backends, plaintext backends and any :class:`keyring.errors.KeyringError` mean "no secure
storage": the store then says so plainly and keeps keys for this session only, in memory.
``$OPENAI_API_KEY`` overrides the stored key of remote profiles for a session.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

if TYPE_CHECKING:  # keyring loads on first use (off the GUI thread), not at start-up
    from keyring.backend import KeyringBackend

__all__ = ["ENV_KEY", "SERVICE", "KeyStatus", "KeyStore", "classify_backend", "probe_in_background"]

SERVICE = "completion-playground"
ENV_KEY = "OPENAI_API_KEY"
_PROBE_USER = "__probe__"
_INSECURE_MARKERS = ("plaintext", "null", "fail", "uncrypted", "unencrypted")
STORED = kind(
    "keys.stored",
    QT_TRANSLATE_NOOP("Core", "API keys are stored in the system keyring ({backend})."),
)
SESSION_ONLY = kind(
    "keys.session_only",
    QT_TRANSLATE_NOOP(
        "Core",
        "No secure key storage is available: {problem} API keys are kept for this session only.",
    ),
)
NO_BACKEND_FAIL = kind(
    "keys.no_backend",
    QT_TRANSLATE_NOOP("Core", "no keyring backend was found (keyring's fail/null backend)."),
)
NO_BACKEND = kind("keys.no_backend", QT_TRANSLATE_NOOP("Core", "no keyring backend was found."))
PLAIN_TEXT = kind(
    "keys.plain_text",
    QT_TRANSLATE_NOOP("Core", "the only keyring backend stores keys in plain text ({backend})."),
)
NO_ANSWER = kind(
    "keys.no_answer", QT_TRANSLATE_NOOP("Core", "the keyring does not answer ({error}).")
)
FAILED = kind("keys.failed", QT_TRANSLATE_NOOP("Core", "the keyring failed ({error})."))
TIMED_OUT = kind(
    "keys.timed_out",
    QT_TRANSLATE_NOOP("Core", "the keyring did not answer within {seconds:g} s (is it locked?)."),
)


class KeyStatus(NamedTuple):
    """Whether API keys are kept securely, and in which keyring backend."""

    secure: bool
    backend: str
    #: Why keys are not stored securely, or ``None`` when they are.
    problem: Message | None = None

    def describe(self) -> Message:
        if self.secure:
            return STORED(backend=self.backend)
        return SESSION_ONLY(problem=self.problem or "")


def _backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def classify_backend(backend: KeyringBackend) -> Message | None:
    """``None`` if the backend keeps secrets safely, else why it does not."""
    inner = list(getattr(backend, "backends", [])) or [backend]
    for item in inner:
        name = _backend_name(item).lower()
        if any(marker in name for marker in _INSECURE_MARKERS):
            if "fail" in name or "null" in name:
                return NO_BACKEND_FAIL()
            return PLAIN_TEXT(backend=_backend_name(item))
    if not inner:
        return NO_BACKEND()
    return None


class KeyStore:
    """Stores one key per profile (``key_ref``) in the keyring, or in memory as a fallback."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._chosen = backend
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()
        self._status: KeyStatus | None = None

    @property
    def _backend(self) -> KeyringBackend:
        if self._chosen is None:
            import keyring

            self._chosen = keyring.get_keyring()
        return self._chosen

    @property
    def status(self) -> KeyStatus | None:
        """The probe's verdict (``None`` until :meth:`probe` ran)."""
        return self._status

    @property
    def secure(self) -> bool:
        return bool(self._status and self._status.secure)

    def probe(self) -> KeyStatus:
        """Check the backend with one harmless read. May block: call it off the GUI thread."""
        name = _backend_name(self._backend)
        problem = classify_backend(self._backend)
        if problem is None:
            try:
                self._backend.get_password(SERVICE, _PROBE_USER)
            except _keyring_error() as exc:
                problem = NO_ANSWER(error=f"{type(exc).__name__}: {exc}")
            except Exception as exc:
                problem = FAILED(error=f"{type(exc).__name__}: {exc}")
        self._status = KeyStatus(problem is None, name, problem)
        return self._status

    def timed_out(self, seconds: float) -> KeyStatus:
        """Record that the probe did not answer in time (a locked keyring, say)."""
        self._status = KeyStatus(
            False,
            _backend_name(self._backend),
            TIMED_OUT(seconds=seconds),
        )
        return self._status

    def get(self, ref: str | None) -> str | None:
        if not ref:
            return None
        with self._lock:
            if ref in self._session:
                return self._session[ref]
        if not self.secure:
            return None
        try:
            return self._backend.get_password(SERVICE, ref)
        except _keyring_error():
            return None

    def set(self, ref: str, key: str) -> bool:
        """Store a key; returns True if it went to the keyring, False if session-only."""
        if self.secure:
            try:
                self._backend.set_password(SERVICE, ref, key)
            except _keyring_error():
                pass
            else:
                with self._lock:
                    self._session.pop(ref, None)
                return True
        with self._lock:
            self._session[ref] = key
        return False

    def delete(self, ref: str | None) -> None:
        if not ref:
            return
        with self._lock:
            self._session.pop(ref, None)
        if self.secure:
            # Nothing stored, or already gone: both fine.
            with contextlib.suppress(_keyring_error()):
                self._backend.delete_password(SERVICE, ref)

    @staticmethod
    def environment_key() -> str | None:
        """``$OPENAI_API_KEY``, which overrides stored keys of remote profiles."""
        return os.environ.get(ENV_KEY) or None


async def probe_in_background(store: KeyStore, timeout: float = 5.0) -> KeyStatus:
    """Run :meth:`KeyStore.probe` in a worker thread, giving up after ``timeout`` seconds."""
    import asyncio

    try:
        return await asyncio.wait_for(asyncio.to_thread(store.probe), timeout)
    except TimeoutError:
        return store.timed_out(timeout)


def _keyring_error() -> Any:
    """keyring's base exception class (imported when first needed)."""
    import keyring.errors

    return keyring.errors.KeyringError
