"""Server kinds: what each OpenAI-compatible server is, takes and does differently.

A profile has a server kind (``openai`` for OpenAI and OpenAI-style relays, ``llamacpp``,
``llama-cpp-python``, ``vllm``, ``ollama``, ``koboldcpp``, ``textgen`` for
text-generation-webui, ``lmstudio``). The kind selects the parameters of the registry the
window shows (:func:`app.core.parameters.for_kind`), says how the server reads
``max_tokens: 0`` (prompt scoring depends on it), where its tokenizer is (the prompt token
count) and what the user should know about it (Ollama's template). Asking a server what
it is: :mod:`app.core.detection`; counting a text's tokens: :mod:`app.core.token_count`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core import parameters as registry
from app.core.messages import QT_TRANSLATE_NOOP

__all__ = [
    "DEFAULT_KIND",
    "KINDS",
    "PROBE_ORDER",
    "ServerKind",
    "Tokenizer",
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


def server_root(base_url: str) -> str:
    """``http://host:port`` (plus any path before ``/v1``) for a ``.../v1`` base URL."""
    root = base_url.rstrip("/")
    for suffix in ("/v1", "/api/v1", "/api"):
        if root.endswith(suffix):
            return root[: -len(suffix)]
    return root
