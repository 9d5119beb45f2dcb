"""Server kinds: what each OpenAI-compatible server is, takes and does differently.

A profile has a server kind (``openai`` for OpenAI and OpenAI-style relays, ``llamacpp``,
``llama-cpp-python``, ``vllm``, ``ollama``, ``koboldcpp``, ``textgen`` for
text-generation-webui, ``lmstudio``). The kind selects the parameters of the registry the
window shows (:func:`app.core.parameters.for_kind`), says how the server reads
``max_tokens: 0`` (prompt scoring depends on it), where its tokenizer is (the prompt token
count) and what the user should know about it (Ollama's template). :func:`detect` asks a
server what it is, from each kind's own probe endpoint; :func:`count_tokens` counts a text's
tokens with the server's own tokenizer where it has one, else estimates
(:func:`estimate_tokens`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.core import parameters as registry
from app.core.endpoint import Endpoint
from app.core.errors import EXIT_NETWORK_ERROR, AuthenticationError, CompletionError
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

if TYPE_CHECKING:  # no HTTP stack at import time (the window starts without it)
    from app.core.client import CompletionClient

__all__ = [
    "DEFAULT_KIND",
    "KINDS",
    "PROBE_ORDER",
    "Detection",
    "ServerKind",
    "TokenCount",
    "Tokenizer",
    "count_tokens",
    "detect",
    "estimate_tokens",
    "get_kind",
    "scoring_max_tokens",
    "server_root",
]

CONTEXT = "Core"  # labels are worded like every core message
DEFAULT_KIND = registry.OPENAI


@dataclass(frozen=True)
class Tokenizer:
    """A server's tokenizer endpoint: ``POST root + path`` with ``payload(text, model)``."""

    path: str
    payload: Callable[[str, str], dict[str, Any]]
    count: Callable[[Any], int | None]
    #: Whether ``path`` is under the API base (``/v1/...``) rather than the server root.
    under_base: bool = False


def _list_len(key: str) -> Callable[[Any], int | None]:
    def count(data: Any) -> int | None:
        value = data.get(key) if isinstance(data, dict) else None
        return len(value) if isinstance(value, list) else None

    return count


def _model(model: str) -> dict[str, str]:
    """``{"model": model}``, or nothing when no model is chosen (the server's default)."""
    return {"model": model} if model else {}


def _int_field(key: str) -> Callable[[Any], int | None]:
    def count(data: Any) -> int | None:
        value = data.get(key) if isinstance(data, dict) else None
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return value if ok else None

    return count


@dataclass(frozen=True)
class ServerKind:
    """A kind of server: what it is called, which parameters it takes, its quirks."""

    id: str
    label: str
    #: How the server reads ``max_tokens: 0``: "nothing" (generate nothing: OpenAI, vLLM)
    #: or "unlimited" (llama.cpp-based servers, koboldcpp: the default length or no limit).
    max_tokens_zero: str = "nothing"
    tokenizer: Tokenizer | None = None
    #: Something the user must know when this kind is chosen (shown beside the parameters).
    note: str | None = None
    #: The probe: a GET path from the server root, and a test of its JSON answer.
    probe: tuple[str, Callable[[Any], bool]] | None = None

    @property
    def parameters(self) -> list[registry.Param]:
        return registry.for_kind(self.id)

    def accepts(self, name: str) -> bool:
        param = registry.get(name)
        return param is None or param.accepted_by(self.id)


def _has(*keys: str) -> Callable[[Any], bool]:
    return lambda data: isinstance(data, dict) and all(k in data for k in keys)


def _only_version(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("version"), str) and len(data) <= 2


def _kobold(data: Any) -> bool:
    return isinstance(data, dict) and data.get("result") == "KoboldCpp"


def _lmstudio(data: Any) -> bool:
    items = data.get("data") if isinstance(data, dict) else None
    return (
        isinstance(items, list)
        and bool(items)
        and all(isinstance(i, dict) and ("state" in i or "compatibility_type" in i) for i in items)
    )


def _lcp_python(data: Any) -> bool:
    info = data.get("info") if isinstance(data, dict) else None
    return isinstance(info, dict) and "llama.cpp Python" in str(info.get("title", ""))


KINDS: dict[str, ServerKind] = {
    k.id: k
    for k in (
        ServerKind(registry.OPENAI, QT_TRANSLATE_NOOP("Core", "OpenAI or an OpenAI-style relay")),
        ServerKind(
            registry.LLAMACPP,
            QT_TRANSLATE_NOOP("Core", "llama.cpp server"),
            max_tokens_zero="unlimited",
            # add_special: counted as a prompt is (with the BOS token the model adds).
            tokenizer=Tokenizer(
                "/tokenize",
                lambda text, model: {"content": text, "add_special": True},
                _list_len("tokens"),
            ),
            probe=("/props", _has("default_generation_settings")),
        ),
        ServerKind(
            registry.LLAMA_CPP_PYTHON,
            QT_TRANSLATE_NOOP("Core", "llama-cpp-python"),
            max_tokens_zero="unlimited",
            tokenizer=Tokenizer(
                "/extras/tokenize/count",
                lambda text, model: {"input": text, **_model(model)},
                _int_field("count"),
            ),
            probe=("/openapi.json", _lcp_python),
        ),
        ServerKind(
            registry.VLLM,
            QT_TRANSLATE_NOOP("Core", "vLLM"),
            tokenizer=Tokenizer(
                "/tokenize",
                lambda text, model: {"prompt": text, **_model(model)},
                _int_field("count"),
            ),
            probe=("/version", _only_version),
        ),
        ServerKind(
            registry.OLLAMA,
            QT_TRANSLATE_NOOP("Core", "Ollama"),
            max_tokens_zero="unlimited",
            note=QT_TRANSLATE_NOOP(
                "Core",
                "Ollama's /v1/completions takes only OpenAI's parameters (others are dropped "
                "without a word) and wraps the prompt in the model's chat template, so the "
                "text is not continued as written. For raw completion use a llama.cpp server.",
            ),
            probe=("/api/version", _only_version),
        ),
        ServerKind(
            registry.KOBOLDCPP,
            QT_TRANSLATE_NOOP("Core", "koboldcpp"),
            max_tokens_zero="unlimited",
            tokenizer=Tokenizer(
                "/api/extra/tokencount",
                lambda text, model: {"prompt": text},
                _int_field("value"),
            ),
            probe=("/api/extra/version", _kobold),
        ),
        ServerKind(
            registry.TEXTGEN,
            QT_TRANSLATE_NOOP("Core", "text-generation-webui"),
            tokenizer=Tokenizer(
                "/internal/token-count",
                lambda text, model: {"text": text},
                _int_field("length"),
                under_base=True,
            ),
            probe=("/v1/internal/model/info", _has("model_name")),
        ),
        ServerKind(
            registry.LMSTUDIO,
            QT_TRANSLATE_NOOP("Core", "LM Studio"),
            max_tokens_zero="unlimited",
            probe=("/api/v0/models", _lmstudio),
        ),
    )
}
#: The order Detect asks in: specific probes first (vLLM's /version is the least telling).
PROBE_ORDER = (
    registry.KOBOLDCPP,
    registry.LLAMACPP,
    registry.TEXTGEN,
    registry.LMSTUDIO,
    registry.OLLAMA,
    registry.LLAMA_CPP_PYTHON,
    registry.VLLM,
)


def get_kind(kind_id: str | None) -> ServerKind:
    """The kind with this id (OpenAI for anything unknown)."""
    return KINDS.get(kind_id or "", KINDS[DEFAULT_KIND])


def scoring_max_tokens(kind_id: str | None) -> int:
    """``max_tokens`` for prompt scoring: 0 where the server reads it as "generate nothing",
    1 where 0 means "no limit" (the extra token is cut off)."""
    return 0 if get_kind(kind_id).max_tokens_zero == "nothing" else 1


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


@dataclass(frozen=True)
class TokenCount:
    """A text's token count: ``exact`` from the server's tokenizer, else an estimate."""

    count: int
    exact: bool


def server_root(base_url: str) -> str:
    """``http://host:port`` (plus any path before ``/v1``) for a ``.../v1`` base URL."""
    root = base_url.rstrip("/")
    for suffix in ("/v1", "/api/v1", "/api"):
        if root.endswith(suffix):
            return root[: -len(suffix)]
    return root


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


# -- token counts ----------------------------------------------------------------------------

#: Han, kana, Hangul and their punctuation, fullwidth forms: about one token each.
_CJK = (
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


@functools.cache
def _cjk() -> re.Pattern[str]:
    """:data:`_CJK`, compiled when first needed (its ranges take ~3 ms: not at start-up)."""
    return re.compile(_CJK)


#: Characters after Latin Extended-B (U+024F): other scripts, symbols, emoji.
_BEYOND_LATIN = re.compile("[^\u0000-\u024f]+")
_ESTIMATE_SLICE = 65536
#: Texts up to this long are estimated at once (well under a millisecond).
_INLINE_ESTIMATE = 20_000


def estimate_tokens(text: str) -> int:
    """A cheap estimate of the tokens in ``text`` for servers without a tokenizer endpoint.

    The rule of thumb of BPE tokenizers (GPT, Llama, Qwen…), by script:

    * Latin text (ASCII and accented Latin letters, up to U+024F, spaces and punctuation
      included): about 4 characters per token;
    * CJK (Han, kana, Hangul, their punctuation and fullwidth forms): about 1 token per
      character;
    * everything else (Cyrillic, Greek, Arabic, Indic scripts, emoji…): about 1 token per
      1.5 bytes of UTF-8.

    The sum is rounded up; any non-empty text is at least 1 token. Real counts vary by
    tokenizer (often ±30 %), which is why the UI marks an estimate with "≈".
    """
    if not text:
        return 0
    latin = cjk = other_bytes = 0
    # In slices: the regular expressions hold the GIL for as long as they run, and a
    # count may run in a worker thread beside the window.
    for start in range(0, len(text), _ESTIMATE_SLICE):
        piece = text[start : start + _ESTIMATE_SLICE]
        beyond = "".join(_BEYOND_LATIN.findall(piece))
        latin += len(piece) - len(beyond)
        others = _cjk().sub("", beyond)
        cjk += len(beyond) - len(others)
        other_bytes += len(others.encode("utf-8", "surrogatepass"))
    return max(1, math.ceil(latin / 4 + cjk + other_bytes / 1.5))


def tokenizer_url(endpoint: Endpoint, tokenizer: Tokenizer) -> str:
    """Where a kind's tokenizer is for this endpoint."""
    base = endpoint.base_url if tokenizer.under_base else server_root(endpoint.base_url)
    return base.rstrip("/") + tokenizer.path


async def count_tokens(
    client: CompletionClient, endpoint: Endpoint, kind_id: str | None, text: str, model: str
) -> TokenCount:
    """The tokens of ``text``: exact from the kind's tokenizer endpoint, else an estimate.

    llama.cpp, llama-cpp-python, vLLM, koboldcpp and text-generation-webui have a
    tokenizer endpoint (``model`` picks the tokenizer where the server takes one; empty:
    the server's default); OpenAI, Ollama and LM Studio have none. When the endpoint fails
    for any reason (an old build, a relay in between, the server down) the result is
    :func:`estimate_tokens` with ``exact=False``: a count is never an error. Cancellation
    propagates. The estimate of a long text is made in a worker thread (in slices), so
    the event loop's thread stays free.
    """
    import asyncio

    tokenizer = get_kind(kind_id).tokenizer
    if tokenizer is not None:
        try:
            data = await client.post_json(
                endpoint, tokenizer_url(endpoint, tokenizer), tokenizer.payload(text, model)
            )
        except CompletionError:
            data = None
        count = tokenizer.count(data) if data is not None else None
        if count is not None:
            return TokenCount(count, True)
    if len(text) <= _INLINE_ESTIMATE:
        return TokenCount(estimate_tokens(text), False)
    return TokenCount(await asyncio.to_thread(estimate_tokens, text), False)
