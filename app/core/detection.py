"""Ask a server what kind it is, from each kind's own probe endpoint (:func:`detect`).

Used by the profile dialog's Detect and ``completion-playground detect``; the kinds, their
probes and what each answer must look like are declared in :mod:`app.core.server_kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.core.errors import EXIT_NETWORK_ERROR, AuthenticationError, CompletionError
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.server_kinds import DEFAULT_KIND, KINDS, PROBE_ORDER, ServerKind, server_root

if TYPE_CHECKING:  # no HTTP stack at import time
    from app.core.client import CompletionClient
    from app.core.endpoint import Endpoint

__all__ = ["PROBE_READ_TIMEOUT", "Detection", "detect"]

FOUND = kind("kinds.found", QT_TRANSLATE_NOOP("Core", "Detected {kind} (asked {url})."))
FOUND_VERSION = kind(
    "kinds.found_version", QT_TRANSLATE_NOOP("Core", "Detected {kind} {version} (asked {url}).")
)
NOT_FOUND = kind(
    "kinds.not_found",
    QT_TRANSLATE_NOOP(
        "Core",
        "No local server kind answered its probe; treating it as OpenAI or an OpenAI-style relay.",
    ),
)
#: How long one probe may wait for its answer: a probe that hangs is "not this kind"
#: (the profile's read timeout, minutes for a local model, is for completions).
PROBE_READ_TIMEOUT = 15.0


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found: the kind's id, the sentence to show, the version if told."""

    kind: str
    message: Message
    version: str | None = None


def _is_network_failure(error: CompletionError) -> bool:
    """The server could not be reached or did not answer in time."""
    return error.exit_code == EXIT_NETWORK_ERROR


async def _probe(client: CompletionClient, endpoint: Endpoint, kind_: ServerKind) -> Any:
    """The probe's answer when it says "this kind", else ``None`` (any failure included)."""
    assert kind_.probe is not None
    path, test = kind_.probe
    url = server_root(endpoint.base_url) + path
    try:
        data = await client.get_json(endpoint, url)
    except CompletionError:
        return None
    try:
        return (url, data) if test(data) else None
    except Exception:  # an answer of an unforeseen shape is "not this kind"
        return None


async def _models(client: CompletionClient, endpoint: Endpoint) -> CompletionError | None:
    """Ask for the model list; its error, if any (returned: the probes must all finish)."""
    try:
        await client.get_json(endpoint, endpoint.models_url, what="models")
    except CompletionError as exc:
        return exc
    return None


async def detect(client: CompletionClient, endpoint: Endpoint) -> Detection:
    """Ask the server what it is: each kind's probe endpoint and the model list, all at once.

    Every probe is a ``GET`` from the server root (``/props``, ``/version``…) with the
    endpoint's key and headers; the first kind in :data:`PROBE_ORDER` whose probe answers
    as that kind's server does wins. A probe that fails (404, an error, not JSON, a
    timeout) only means "not this kind"; a server that answers none is OpenAI-style.

    Raises the :class:`CompletionError` of the model list when the server cannot be
    reached (refused, DNS, TLS, proxy, timeout: nothing can be detected) and, when no
    probe answered, when the server refused the key (HTTP 401), rather than calling a
    server that refuses every question "OpenAI". Any other failure of the model list
    (a relay that forbids listing, a 500) does not stop the detection.
    """
    import asyncio

    probing = replace(endpoint, read_timeout=min(endpoint.read_timeout, PROBE_READ_TIMEOUT))
    kinds = [KINDS[k] for k in PROBE_ORDER]
    models_error, *answers = await asyncio.gather(
        _models(client, probing), *(_probe(client, probing, k) for k in kinds)
    )
    if models_error is not None and _is_network_failure(models_error):
        raise models_error
    for kind_, answer in zip(kinds, answers, strict=True):
        if answer is None:
            continue
        url, data = answer
        version = _version(data)
        label = Message("kinds.label", kind_.label, {})
        message = (
            FOUND_VERSION(kind=label, version=version, url=url)
            if version
            else FOUND(kind=label, url=url)
        )
        return Detection(kind_.id, message, version)
    if isinstance(models_error, AuthenticationError) and models_error.status_code == 401:
        raise models_error
    return Detection(DEFAULT_KIND, NOT_FOUND())


def _version(data: Any) -> str | None:
    """The version a probe answer tells (one line, at most 40 characters), if any."""
    if not isinstance(data, dict):
        return None
    found = None
    for key in ("version", "build_info"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            found = value
            break
    info = data.get("info")
    if found is None and isinstance(info, dict) and isinstance(info.get("version"), str):
        found = info["version"]
    if found is None:
        return None
    return " ".join(str(found).split())[:40] or None
