"""Import a pasted curl command for ``POST /v1/completions`` (the inverse of View code).

:func:`parse_curl` reads the command the way a POSIX shell would split it (``shlex``),
after joining line continuations (``\\``, ``^`` of cmd.exe and PowerShell's backtick). It
understands ``-H/--header``, ``-d/--data/--data-raw/--data-binary/--data-ascii``,
``--json``, ``--url``, ``-X/--request``, ``-x/--proxy`` and ignores display flags such as
``-s`` or ``-N``. The result names the base URL, the JSON body, extra headers and the key:
a literal ``Bearer`` key is returned so the caller can put it in the keyring (never in a
file); ``$OPENAI_API_KEY``-style placeholders are reported as such. Anything that cannot
be imported faithfully (a chat-completions URL, a body read from a file, a body that is
not JSON) raises :class:`CurlImportError` with a sentence that says why.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from app.core.endpoint import InvalidBaseURL, normalise_base_url
from app.core.request import CompletionRequest

__all__ = ["CurlImportError", "ImportedCurl", "parse_curl"]

_DATA_OPTIONS = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"}
_HEADER_OPTIONS = {"-H", "--header"}
# Options that take a value we do not need (skipped with their value).
_VALUE_OPTIONS = {
    "-o", "--output", "-m", "--max-time", "--connect-timeout", "-A", "--user-agent",
    "-e", "--referer", "-b", "--cookie", "-c", "--cookie-jar", "-u", "--user", "--retry",
    "--retry-delay", "-w", "--write-out", "--cacert", "--cert", "--key", "--resolve",
    "--limit-rate", "--http-version", "-K", "--config", "--trace", "--trace-ascii",
}  # fmt: skip
_SHORT_VALUE = {"H", "d", "X", "x", "o", "m", "A", "e", "b", "c", "u", "w", "K"}
_PLACEHOLDER = re.compile(r"^(?:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|%([A-Za-z_][A-Za-z0-9_]*)%)$")
_SECRET_HEADER = re.compile(r"(api[-_]?key|token|secret|cookie|session|password)", re.I)
_IGNORED_HEADERS = {"content-type", "accept", "content-length", "user-agent", "host"}
_REQUEST_FIELDS = {f.name for f in fields(CompletionRequest)}


class CurlImportError(ValueError):
    """The command cannot be imported; the message says why in a sentence."""


@dataclass(frozen=True)
class ImportedCurl:
    """What a curl command describes."""

    base_url: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    #: A literal key from ``Authorization: Bearer …`` (for the keyring only).
    api_key: str | None = None
    #: The environment variable named instead of a key (``OPENAI_API_KEY``), if any.
    key_placeholder: str | None = None
    proxy: str | None = None
    #: Sentences about what was left out (unknown parameters, secret headers).
    notes: tuple[str, ...] = ()

    def request(self) -> CompletionRequest:
        """The body as a request (parameters the app does not know are left out)."""
        body = {k: v for k, v in self.body.items() if k in _REQUEST_FIELDS | {"stream_options"}}
        body.setdefault("model", "")
        body.setdefault("prompt", "")
        try:
            return CompletionRequest.from_body(body)
        except TypeError as exc:  # pragma: no cover - from_body takes known fields only
            raise CurlImportError(f"The body cannot be used: {exc}") from None

    @property
    def unknown_parameters(self) -> list[str]:
        return [k for k in self.body if k not in _REQUEST_FIELDS | {"stream_options"}]


def _join_continuations(text: str) -> str:
    text = re.sub(r"\\\r?\n", " ", text)  # POSIX shells
    text = re.sub(r"\^\r?\n", " ", text)  # cmd.exe
    return re.sub(r"`\r?\n", " ", text)  # PowerShell


def _split(text: str) -> list[str]:
    try:
        words = shlex.split(_join_continuations(text.strip()), comments=False, posix=True)
    except ValueError as exc:
        raise CurlImportError(
            f"The command cannot be read: {exc} (a quote is not closed?)"
        ) from None
    if words and words[0] == "$":  # a pasted prompt
        words = words[1:]
    if not words or words[0].rsplit("/", 1)[-1] not in ("curl", "curl.exe"):
        raise CurlImportError("Paste a command that starts with curl.")
    return words[1:]


def _options(words: list[str]) -> list[tuple[str, str | None]]:
    """(option, value) pairs; positional words come as ("", word)."""
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("--"):
            name, eq, attached = word.partition("=")
            takes_value = name in _DATA_OPTIONS | _HEADER_OPTIONS | _VALUE_OPTIONS | {
                "--url", "--request", "--proxy",
            }  # fmt: skip
            if takes_value and not eq:
                if i >= len(words):
                    raise CurlImportError(f"{name} needs a value.")
                out.append((name, words[i]))
                i += 1
            else:
                out.append((name, attached if eq else None))
        elif word.startswith("-") and len(word) > 1:
            # Short options may be combined (-sS) and may carry their value (-HAuth: x).
            for j, letter in enumerate(word[1:], start=1):
                if letter in _SHORT_VALUE:
                    value = word[j + 1 :]
                    if not value:
                        if i >= len(words):
                            raise CurlImportError(f"-{letter} needs a value.")
                        value = words[i]
                        i += 1
                    out.append((f"-{letter}", value))
                    break
                out.append((f"-{letter}", None))
        else:
            out.append(("", word))
    return out


def _check_path(url: str) -> None:
    path = urlsplit(url if "://" in url else f"http://{url}").path.rstrip("/")
    if path.endswith("/chat/completions"):
        raise CurlImportError(
            "This is a chat-completions command (/v1/chat/completions). Completion "
            "Playground speaks the text-completions API: use a /v1/completions URL and a "
            '"prompt" instead of "messages".'
        )
    if not path.endswith("/completions"):
        raise CurlImportError(
            f"The URL {url!r} is not a /v1/completions endpoint, so it cannot be imported."
        )


def _parse_body(parts: list[str]) -> dict[str, Any]:
    if not parts:
        raise CurlImportError("The command sends no body (no -d or --json with the request).")
    if any(p.startswith("@") for p in parts):
        raise CurlImportError(
            "The body is read from a file (-d @file); paste the command with the JSON inline."
        )
    text = "&".join(parts)  # what curl sends for several -d options
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CurlImportError(
            f"The body is not valid JSON: {exc.msg} at character {exc.pos}."
        ) from None
    if not isinstance(body, dict):
        raise CurlImportError("The body must be a JSON object with model and prompt.")
    if "messages" in body and "prompt" not in body:
        raise CurlImportError(
            'The body has "messages" (chat completions); the text-completions API takes "prompt".'
        )
    return body


def parse_curl(text: str) -> ImportedCurl:
    """What the curl command ``text`` sends; raises :class:`CurlImportError`."""
    url: str | None = None
    method: str | None = None
    proxy: str | None = None
    data: list[str] = []
    headers: dict[str, str] = {}
    notes: list[str] = []
    for option, value in _options(_split(text)):
        if option in ("", "--url"):
            if url is not None and value != url:
                raise CurlImportError("The command names more than one URL.")
            url = value
        elif option in _DATA_OPTIONS:
            data.append(value or "")
        elif option in _HEADER_OPTIONS:
            name, colon, header_value = (value or "").partition(":")
            if not colon or not name.strip():
                raise CurlImportError(f"The header {value!r} has no name: value form.")
            headers[name.strip()] = header_value.strip()
        elif option in ("-X", "--request"):
            method = (value or "").upper()
        elif option in ("-x", "--proxy"):
            proxy = value
    if url is None:
        raise CurlImportError("The command has no URL.")
    if method not in (None, "POST"):
        raise CurlImportError(f"The command uses {method}; completions are sent with POST.")
    _check_path(url)
    try:
        base_url = normalise_base_url(url)
    except InvalidBaseURL as exc:
        raise CurlImportError(str(exc)) from None
    body = _parse_body(data)

    api_key = placeholder = None
    extra: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == "authorization":
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise CurlImportError("Only 'Authorization: Bearer <key>' can be imported.")
            token = token.strip()
            match = _PLACEHOLDER.match(token)
            if match:
                placeholder = match.group(1) or match.group(2)
            else:
                api_key = token
        elif lower in _IGNORED_HEADERS:
            continue
        elif _SECRET_HEADER.search(name) or _PLACEHOLDER.match(value):
            notes.append(
                f"The header {name} was not imported: it looks like a secret, and only the "
                "API key (Authorization: Bearer) is stored, in the system keyring."
            )
        else:
            extra[name] = value
    imported = ImportedCurl(
        base_url=base_url, body=body, headers=extra, api_key=api_key,
        key_placeholder=placeholder, proxy=proxy, notes=tuple(notes),
    )  # fmt: skip
    unknown = imported.unknown_parameters
    if unknown:
        notes.append("Parameters the app does not have were left out: " + ", ".join(unknown) + ".")
        imported = ImportedCurl(**{**imported.__dict__, "notes": tuple(notes)})
    return imported
