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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from app.core.endpoint import InvalidBaseURL, normalise_base_url
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.redaction import is_secret_header
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
_IGNORED_HEADERS = {"content-type", "accept", "content-length", "user-agent", "host"}

UNREADABLE = kind(
    "curl.unreadable",
    QT_TRANSLATE_NOOP("Core", "The command cannot be read: {reason} (a quote is not closed?)"),
)
NOT_CURL = kind(
    "curl.not_curl", QT_TRANSLATE_NOOP("Core", "Paste a command that starts with curl.")
)
NEEDS_VALUE = kind("curl.needs_value", QT_TRANSLATE_NOOP("Core", "{option} needs a value."))
CHAT_URL = kind(
    "curl.chat_url",
    QT_TRANSLATE_NOOP(
        "Core",
        "This is a chat-completions command (/v1/chat/completions). Completion Playground "
        'speaks the text-completions API: use a /v1/completions URL and a "prompt" instead '
        'of "messages".',
    ),
)
NOT_COMPLETIONS = kind(
    "curl.not_completions",
    QT_TRANSLATE_NOOP(
        "Core", "The URL {url} is not a /v1/completions endpoint, so it cannot be imported."
    ),
)
NO_BODY = kind(
    "curl.no_body",
    QT_TRANSLATE_NOOP("Core", "The command sends no body (no -d or --json with the request)."),
)
BODY_FROM_FILE = kind(
    "curl.body_file",
    QT_TRANSLATE_NOOP(
        "Core", "The body is read from a file (-d @file); paste the command with the JSON inline."
    ),
)
BODY_NOT_JSON = kind(
    "curl.body_json",
    QT_TRANSLATE_NOOP("Core", "The body is not valid JSON: {reason} at character {position}."),
)
BODY_NOT_OBJECT = kind(
    "curl.body_object",
    QT_TRANSLATE_NOOP("Core", "The body must be a JSON object with model and prompt."),
)
CHAT_BODY = kind(
    "curl.chat_body",
    QT_TRANSLATE_NOOP(
        "Core",
        'The body has "messages" (chat completions); the text-completions API takes "prompt".',
    ),
)
TWO_URLS = kind("curl.two_urls", QT_TRANSLATE_NOOP("Core", "The command names more than one URL."))
BAD_HEADER = kind(
    "curl.bad_header", QT_TRANSLATE_NOOP("Core", "The header {header} has no name: value form.")
)
NO_URL = kind("curl.no_url", QT_TRANSLATE_NOOP("Core", "The command has no URL."))
NOT_POST = kind(
    "curl.not_post",
    QT_TRANSLATE_NOOP("Core", "The command uses {method}; completions are sent with POST."),
)
NOT_BEARER = kind(
    "curl.not_bearer",
    QT_TRANSLATE_NOOP("Core", "Only 'Authorization: Bearer <key>' can be imported."),
)
SECRET_HEADER = kind(
    "curl.secret_header",
    QT_TRANSLATE_NOOP(
        "Core",
        "The header {header} was not imported: it looks like a secret, and only the API key "
        "(Authorization: Bearer) is stored, in the system keyring.",
    ),
)
CUSTOM_KEPT = kind(
    "curl.custom_kept",
    QT_TRANSLATE_NOOP("Core", "Kept as custom parameters (sent as they are): {names}."),
)


class CurlImportError(ValueError):
    """The command cannot be imported; ``msg`` says why in a sentence."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        super().__init__(str(msg))


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
    #: What to tell the user (secret headers left out, custom parameters kept).
    notes: tuple[Message, ...] = ()

    def request(self) -> CompletionRequest:
        """The body as a request; parameters the registry does not know are kept (custom)."""
        body = dict(self.body)
        body.setdefault("model", "")
        body.setdefault("prompt", "")
        return CompletionRequest.from_body(body)

    @property
    def custom_parameters(self) -> list[str]:
        """Body fields the registry does not know (kept and sent as custom parameters)."""
        return sorted(self.request().custom_parameters())


def _join_continuations(text: str) -> str:
    text = re.sub(r"\\\r?\n", " ", text)  # POSIX shells
    text = re.sub(r"\^\r?\n", " ", text)  # cmd.exe
    return re.sub(r"`\r?\n", " ", text)  # PowerShell


def _split(text: str) -> list[str]:
    try:
        words = shlex.split(_join_continuations(text.strip()), comments=False, posix=True)
    except ValueError as exc:
        raise CurlImportError(UNREADABLE(reason=str(exc))) from None
    if words and words[0] == "$":  # a pasted prompt
        words = words[1:]
    if not words or words[0].rsplit("/", 1)[-1] not in ("curl", "curl.exe"):
        raise CurlImportError(NOT_CURL())
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
                    raise CurlImportError(NEEDS_VALUE(option=name))
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
                            raise CurlImportError(NEEDS_VALUE(option=f"-{letter}"))
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
        raise CurlImportError(CHAT_URL())
    if not path.endswith("/completions"):
        raise CurlImportError(NOT_COMPLETIONS(url=url))


def _parse_body(parts: list[str]) -> dict[str, Any]:
    if not parts:
        raise CurlImportError(NO_BODY())
    if any(p.startswith("@") for p in parts):
        raise CurlImportError(BODY_FROM_FILE())
    text = "&".join(parts)  # what curl sends for several -d options
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CurlImportError(BODY_NOT_JSON(reason=exc.msg, position=exc.pos)) from None
    if not isinstance(body, dict):
        raise CurlImportError(BODY_NOT_OBJECT())
    if "messages" in body and "prompt" not in body:
        raise CurlImportError(CHAT_BODY())
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
                raise CurlImportError(TWO_URLS())
            url = value
        elif option in _DATA_OPTIONS:
            data.append(value or "")
        elif option in _HEADER_OPTIONS:
            name, colon, header_value = (value or "").partition(":")
            if not colon or not name.strip():
                raise CurlImportError(BAD_HEADER(header=value))
            headers[name.strip()] = header_value.strip()
        elif option in ("-X", "--request"):
            method = (value or "").upper()
        elif option in ("-x", "--proxy"):
            proxy = value
    if url is None:
        raise CurlImportError(NO_URL())
    if method not in (None, "POST"):
        raise CurlImportError(NOT_POST(method=method))
    _check_path(url)
    try:
        base_url = normalise_base_url(url)
    except InvalidBaseURL as exc:
        raise CurlImportError(Message("curl.base_url", str(exc))) from None
    body = _parse_body(data)

    api_key = placeholder = None
    extra: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == "authorization":
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise CurlImportError(NOT_BEARER())
            token = token.strip()
            match = _PLACEHOLDER.match(token)
            if match:
                placeholder = match.group(1) or match.group(2)
            else:
                api_key = token
        elif lower in _IGNORED_HEADERS:
            continue
        elif is_secret_header(name) or _PLACEHOLDER.match(value):
            notes.append(SECRET_HEADER(header=name))
        else:
            extra[name] = value
    imported = ImportedCurl(
        base_url=base_url, body=body, headers=extra, api_key=api_key,
        key_placeholder=placeholder, proxy=proxy, notes=tuple(notes),
    )  # fmt: skip
    custom = imported.custom_parameters
    if custom:
        notes.append(CUSTOM_KEPT(names=", ".join(custom)))
        imported = ImportedCurl(**{**imported.__dict__, "notes": tuple(notes)})
    return imported
