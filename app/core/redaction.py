"""Secrets stay home: which headers are secret, and scrubbing secret values out of text.

One declarative source for "is this header a secret" (the wire log masks them, View code
replaces them with variables, Import curl refuses to store them) and one
:class:`Redactor` that removes the stored key and every secret header value from any text
that leaves the request: error messages, history fields, exports, stderr.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MASK", "Redactor", "is_secret_header"]

MASK = "•••"
#: Header names that always carry a credential.
_SECRET_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "api-key", "x-api-key"}
)
#: Header names that look like they carry one (``X-Auth-Token``, ``X-Goog-Api-Key`` …).
_SECRET_PATTERN = re.compile(
    r"(auth|api[-_]?key|(?:^|[-_])key(?:$|[-_])|token|secret|cookie|session|password|passwd"
    r"|signature|credential)",
    re.IGNORECASE,
)
#: Secrets shorter than this are not scrubbed from text (too likely to be ordinary words).
MIN_SECRET = 4


def is_secret_header(name: str) -> bool:
    """Whether a header's value must be treated as a secret (masked, never written out)."""
    lowered = name.strip().lower()
    return lowered in _SECRET_NAMES or bool(_SECRET_PATTERN.search(lowered))


class Redactor:
    """Replaces every known secret (the key, secret header values) in text with a mask."""

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        found = {s.strip() for s in secrets if isinstance(s, str) and len(s.strip()) >= MIN_SECRET}
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = tuple(sorted(found, key=len, reverse=True))

    @classmethod
    def for_headers(cls, api_key: str | None, headers: Iterable[tuple[str, str]]) -> Redactor:
        """The key and the value of every header whose name says it is a secret."""
        values: list[str | None] = [api_key]
        for name, value in headers:
            if is_secret_header(name):
                values.append(value)
                scheme, _, rest = value.partition(" ")
                if rest and scheme.lower() in ("bearer", "basic", "token"):
                    values.append(rest)
        return cls(values)

    def __bool__(self) -> bool:
        return bool(self._secrets)

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._secrets

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def bytes(self, data: bytes) -> bytes:
        for secret in self._secrets:
            raw = secret.encode("utf-8", "replace")
            if raw in data:
                data = data.replace(raw, MASK.encode())
        return data
