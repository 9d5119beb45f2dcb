"""The parameter registry: every request parameter the app knows, declared once.

Each :class:`Param` says what a parameter is (JSON type, range and step, the server's
default, group, a translatable label and one-line help), how it is reached (CLI flag,
whether the openai SDK takes it as a named argument or in ``extra_body``) and which server
kinds accept it (:mod:`app.core.server_kinds`). Everything else is derived from here:
validation and the request body (:mod:`app.core.request`), the parameter panel's rows, CLI
flags, presets and the saved session, history restore, Compare overrides, learned
capabilities, View code, Import curl, and the translation sources (the labels and help
are marked for lupdate). Adding a parameter is one entry here plus its translation.

A parameter the registry does not know is a *custom* parameter: any JSON value, sent as
given, kept by presets and history, never dropped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = [
    "ALL_KINDS",
    "GROUPS",
    "PARAMS",
    "Group",
    "Param",
    "ParamType",
    "check_value",
    "coerce_value",
    "get",
    "is_known",
    "parse_cli_value",
]

CONTEXT = "Parameters"


class ParamType(Enum):
    INT = "integer"
    FLOAT = "number"
    BOOL = "boolean"
    STRING = "string"  # one line
    TEXT = "text"  # several lines (a grammar, a suffix)
    STRING_LIST = "string list"
    INT_LIST = "integer list"
    JSON = "json"  # any JSON value; objects for schemas and maps


class Group(Enum):
    SAMPLING = "sampling"
    PENALTIES = "penalties"
    CHOICES = "choices"
    TEXT = "text"
    STRUCTURE = "structure"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    Group.SAMPLING: QT_TRANSLATE_NOOP("Parameters", "Sampling"),
    Group.PENALTIES: QT_TRANSLATE_NOOP("Parameters", "Penalties"),
    Group.CHOICES: QT_TRANSLATE_NOOP("Parameters", "Choices and probabilities"),
    Group.TEXT: QT_TRANSLATE_NOOP("Parameters", "Text"),
    Group.STRUCTURE: QT_TRANSLATE_NOOP("Parameters", "Structure"),
}
GROUPS = tuple(Group)

# Server kinds (ids of app.core.server_kinds.KINDS; kept here as plain names so that the
# registry does not depend on the kinds module).
OPENAI = "openai"
LLAMACPP = "llamacpp"
LLAMA_CPP_PYTHON = "llama-cpp-python"
VLLM = "vllm"
OLLAMA = "ollama"
KOBOLDCPP = "koboldcpp"
TEXTGEN = "textgen"
LMSTUDIO = "lmstudio"
ALL_KINDS = frozenset(
    {OPENAI, LLAMACPP, LLAMA_CPP_PYTHON, VLLM, OLLAMA, KOBOLDCPP, TEXTGEN, LMSTUDIO}
)


@dataclass(frozen=True)
class Param:
    """One request parameter (its body key is ``name``)."""

    name: str
    type: ParamType
    group: Group
    label: str
    help: str
    kinds: frozenset[str] = ALL_KINDS
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    #: The upper end of a slider when ``maximum`` is far away (max_tokens, seed).
    slider_maximum: float | None = None
    #: What the server uses when the parameter is not sent (``None``: unknown / none).
    default: Any = None
    #: Defaults that differ by server kind.
    kind_defaults: Mapping[str, Any] | None = None
    #: Part of OpenAI's API: a named argument of the openai SDK (else ``extra_body``).
    sdk_named: bool = False
    #: Sent by a fresh window (the panel's "send" tick starts on).
    initially_sent: bool = False
    #: The value a fresh panel shows when it differs from the server's default.
    initial: Any = None
    #: At most this many items (lists).
    max_items: int | None = None
    #: Where the value goes in the body when not at the top level under ``name``.
    body_path: tuple[str, ...] | None = None

    @property
    def flag(self) -> str:
        """The CLI flag: ``--top-k`` for ``top_k``."""
        return "--" + self.name.replace("_", "-")

    @property
    def is_numeric(self) -> bool:
        return self.type in (ParamType.INT, ParamType.FLOAT)

    def default_for(self, server_kind: str | None) -> Any:
        if self.kind_defaults and server_kind in self.kind_defaults:
            return self.kind_defaults[server_kind]
        return self.default

    def start_value(self, server_kind: str | None = None) -> Any:
        """What the panel shows before the user sets anything."""
        if self.initial is not None:
            return self.initial
        value = self.default_for(server_kind)
        if value is not None:
            return value
        if self.type == ParamType.BOOL:
            return False
        if self.is_numeric:
            return self.minimum if self.minimum is not None else 0
        if self.type in (ParamType.STRING_LIST, ParamType.INT_LIST):
            return []
        if self.type == ParamType.JSON:
            return {}
        return ""

    def accepted_by(self, server_kind: str | None) -> bool:
        return server_kind is None or server_kind in self.kinds


def _kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


_EXCEPT_OLLAMA = ALL_KINDS - {OLLAMA}
_SAMPLING, _PENALTIES, _CHOICES, _TEXT, _STRUCTURE = (
    Group.SAMPLING,
    Group.PENALTIES,
    Group.CHOICES,
    Group.TEXT,
    Group.STRUCTURE,
)
I, F, B, S, T, SL, IL, J = (  # noqa: E741 (short names for the table below)
    ParamType.INT,
    ParamType.FLOAT,
    ParamType.BOOL,
    ParamType.STRING,
    ParamType.TEXT,
    ParamType.STRING_LIST,
    ParamType.INT_LIST,
    ParamType.JSON,
)
INT64 = 2**63 - 1

PARAMS: tuple[Param, ...] = (
    # -- OpenAI's parameters (the seeds), in the panel's order --------------------------------
    Param("max_tokens", I, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Maximum tokens"),
          QT_TRANSLATE_NOOP("Parameters", "How many tokens to generate at most."),
          minimum=0, maximum=1_000_000, step=1, slider_maximum=4096, default=16,
          sdk_named=True, initially_sent=True, initial=256,
          kind_defaults={LLAMACPP: -1, TEXTGEN: 512}),
    Param("temperature", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Temperature"),
          QT_TRANSLATE_NOOP("Parameters", "Randomness: 0 always picks the most likely token, higher is more varied."),
          minimum=0, maximum=2, step=0.01, default=1.0, sdk_named=True,
          initially_sent=True, initial=0.7,
          kind_defaults={LLAMACPP: 0.8, LLAMA_CPP_PYTHON: 0.8, KOBOLDCPP: 0.75}),
    Param("top_p", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Top P"),
          QT_TRANSLATE_NOOP("Parameters", "Nucleus sampling: keep the most likely tokens that cover this probability."),
          minimum=0, maximum=1, step=0.01, default=1.0, sdk_named=True,
          kind_defaults={LLAMACPP: 0.95, LLAMA_CPP_PYTHON: 0.95, KOBOLDCPP: 0.92, TEXTGEN: 0.95}),
    Param("presence_penalty", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Presence penalty"),
          QT_TRANSLATE_NOOP("Parameters", "Penalise tokens that already appeared, to talk about new things."),
          minimum=-2, maximum=2, step=0.01, default=0.0, sdk_named=True),
    Param("frequency_penalty", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Frequency penalty"),
          QT_TRANSLATE_NOOP("Parameters", "Penalise tokens by how often they appeared, to repeat less."),
          minimum=-2, maximum=2, step=0.01, default=0.0, sdk_named=True),
    Param("seed", I, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Seed"),
          QT_TRANSLATE_NOOP("Parameters", "The same seed and parameters give the same text (where supported)."),
          minimum=-(2**63), maximum=INT64, step=1, slider_maximum=1000, sdk_named=True,
          initial=42),
    Param("n", I, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Choices (n)"),
          QT_TRANSLATE_NOOP("Parameters", "How many completions to generate for the prompt."),
          kinds=_EXCEPT_OLLAMA, minimum=1, maximum=128, step=1, slider_maximum=10, default=1,
          sdk_named=True),
    Param("best_of", I, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Best of"),
          QT_TRANSLATE_NOOP("Parameters", "Generate this many server-side and return the n best (no streaming)."),
          kinds=_kinds(OPENAI, VLLM), minimum=1, maximum=20, step=1, default=1,
          sdk_named=True, initial=2),
    Param("logprobs", I, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Log probabilities"),
          QT_TRANSLATE_NOOP("Parameters", "Return the probabilities of this many most likely tokens per position."),
          kinds=ALL_KINDS, minimum=0, maximum=5, step=1, sdk_named=True, initial=5),
    Param("echo", B, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Echo the prompt"),
          QT_TRANSLATE_NOOP("Parameters", "Send the prompt back in front of the completion."),
          kinds=_kinds(OPENAI, VLLM, LLAMA_CPP_PYTHON, TEXTGEN), default=False,
          sdk_named=True),
    Param("stream", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Stream tokens"),
          QT_TRANSLATE_NOOP("Parameters", "Show the text as it is generated."),
          default=False, sdk_named=True, initially_sent=True, initial=True),
    Param("include_usage", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Ask for usage at the end of the stream"),
          QT_TRANSLATE_NOOP("Parameters", "A last event with the token counts (stream_options.include_usage)."),
          default=False, body_path=("stream_options", "include_usage")),
    Param("stop", SL, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Stop"),
          QT_TRANSLATE_NOOP("Parameters", "Generation stops before any of these texts."),
          max_items=4, default=[], sdk_named=True),
    Param("suffix", T, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Suffix"),
          QT_TRANSLATE_NOOP("Parameters", "Text after the insertion point: the model fills in between."),
          kinds=_kinds(OPENAI, LLAMA_CPP_PYTHON, OLLAMA, TEXTGEN), sdk_named=True),
    Param("logit_bias", J, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Logit bias"),
          QT_TRANSLATE_NOOP("Parameters", 'Make tokens more or less likely: {"50256": -100} bans a token.'),
          kinds=ALL_KINDS - {OLLAMA}, sdk_named=True),
    Param("user", S, _TEXT, QT_TRANSLATE_NOOP("Parameters", "User"),
          QT_TRANSLATE_NOOP("Parameters", "An id for the end user (for the provider's abuse monitoring)."),
          kinds=_kinds(OPENAI, VLLM, LLAMA_CPP_PYTHON), sdk_named=True),
    # -- samplers of local servers ---------------------------------------------------------------
    Param("top_k", I, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Top K"),
          QT_TRANSLATE_NOOP("Parameters", "Keep only the K most likely tokens (0 = off)."),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, VLLM, KOBOLDCPP, TEXTGEN, LMSTUDIO),
          minimum=-1, maximum=1000, step=1, slider_maximum=200, default=40,
          kind_defaults={VLLM: 0, TEXTGEN: 0, KOBOLDCPP: 100}),
    Param("min_p", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Min P"),
          QT_TRANSLATE_NOOP("Parameters", "Drop tokens less likely than this fraction of the most likely one."),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, VLLM, KOBOLDCPP, TEXTGEN, LMSTUDIO),
          minimum=0, maximum=1, step=0.01, default=0.05,
          kind_defaults={VLLM: 0.0, KOBOLDCPP: 0.0, TEXTGEN: 0.0}),
    Param("typical_p", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Typical P"),
          QT_TRANSLATE_NOOP("Parameters", "Locally typical sampling (1 = off)."),
          kinds=_kinds(LLAMACPP, TEXTGEN), minimum=0, maximum=1, step=0.01, default=1.0),
    Param("typical", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Typical"),
          QT_TRANSLATE_NOOP("Parameters", "Locally typical sampling, koboldcpp's name (1 = off)."),
          kinds=_kinds(KOBOLDCPP), minimum=0, maximum=1, step=0.01, default=1.0),
    Param("top_a", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Top A"),
          QT_TRANSLATE_NOOP("Parameters", "Drop tokens below A × (top probability)² (0 = off)."),
          kinds=_kinds(KOBOLDCPP, TEXTGEN), minimum=0, maximum=1, step=0.01, default=0.0),
    Param("tfs", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Tail-free sampling"),
          QT_TRANSLATE_NOOP("Parameters", "Cut the tail of unlikely tokens (1 = off)."),
          kinds=_kinds(KOBOLDCPP, TEXTGEN), minimum=0, maximum=1, step=0.01, default=1.0),
    Param("top_n_sigma", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Top n-sigma"),
          QT_TRANSLATE_NOOP("Parameters", "Keep tokens within n standard deviations of the best logit (-1 = off)."),
          kinds=_kinds(LLAMACPP), minimum=-1, maximum=10, step=0.1, default=-1.0),
    Param("min_keep", I, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Minimum kept tokens"),
          QT_TRANSLATE_NOOP("Parameters", "Samplers keep at least this many candidates."),
          kinds=_kinds(LLAMACPP), minimum=0, maximum=100, step=1, default=0),
    Param("dynatemp_range", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Dynamic temperature range"),
          QT_TRANSLATE_NOOP("Parameters", "Temperature varies by entropy within ± this range (0 = off)."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP), minimum=0, maximum=5, step=0.01, default=0.0),
    Param("dynatemp_exponent", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Dynamic temperature exponent"),
          QT_TRANSLATE_NOOP("Parameters", "How the temperature follows the entropy."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=0, maximum=5, step=0.01,
          default=1.0),
    Param("mirostat", I, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Mirostat"),
          QT_TRANSLATE_NOOP("Parameters", "0 = off, 1 = Mirostat, 2 = Mirostat 2.0 (top-k/p are then ignored)."),
          kinds=_kinds(LLAMACPP), minimum=0, maximum=2, step=1, default=0),
    Param("mirostat_mode", I, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Mirostat mode"),
          QT_TRANSLATE_NOOP("Parameters", "0 = off, 1 = Mirostat, 2 = Mirostat 2.0."),
          kinds=_kinds(LLAMA_CPP_PYTHON, KOBOLDCPP, TEXTGEN), minimum=0, maximum=2, step=1,
          default=0),
    Param("mirostat_tau", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Mirostat tau"),
          QT_TRANSLATE_NOOP("Parameters", "Mirostat's target entropy."),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, KOBOLDCPP, TEXTGEN), minimum=0, maximum=10,
          step=0.1, default=5.0),
    Param("mirostat_eta", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Mirostat eta"),
          QT_TRANSLATE_NOOP("Parameters", "Mirostat's learning rate."),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, KOBOLDCPP, TEXTGEN), minimum=0, maximum=1,
          step=0.01, default=0.1),
    Param("xtc_probability", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "XTC probability"),
          QT_TRANSLATE_NOOP("Parameters", "Chance that XTC removes the most likely tokens (0 = off)."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=0, maximum=1, step=0.01,
          default=0.0),
    Param("xtc_threshold", F, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "XTC threshold"),
          QT_TRANSLATE_NOOP("Parameters", "Tokens above this probability may be removed by XTC."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=0, maximum=1, step=0.01,
          default=0.1, kind_defaults={KOBOLDCPP: 0.2}),
    Param("samplers", SL, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Sampler order"),
          QT_TRANSLATE_NOOP("Parameters", "The samplers to use, in order (e.g. top_k, top_p, min_p, temperature)."),
          kinds=_kinds(LLAMACPP)),
    Param("sampler_order", IL, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Sampler order (ids)"),
          QT_TRANSLATE_NOOP("Parameters", "koboldcpp's sampler order: 6 rep_pen, 0 top_k, 1 top_a, 3 tfs, 4 typical, "
                     "2 top_p, 5 temperature."),
          kinds=_kinds(KOBOLDCPP)),
    Param("repeat_penalty", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Repeat penalty"),
          QT_TRANSLATE_NOOP("Parameters", "Multiply the probability of recently seen tokens down (1 = off)."),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, KOBOLDCPP, LMSTUDIO), minimum=0, maximum=3,
          step=0.01, default=1.0, kind_defaults={LLAMA_CPP_PYTHON: 1.1}),
    Param("repeat_last_n", I, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Repeat window"),
          QT_TRANSLATE_NOOP("Parameters", "How many recent tokens the penalties look at (-1 = the whole context)."),
          kinds=_kinds(LLAMACPP), minimum=-1, maximum=32768, step=1, slider_maximum=2048,
          default=64),
    Param("repetition_penalty", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Repetition penalty"),
          QT_TRANSLATE_NOOP("Parameters", "Penalise tokens of the prompt and the output (1 = off)."),
          kinds=_kinds(VLLM, TEXTGEN), minimum=0.01, maximum=3, step=0.01,  # koboldcpp reads it
          default=1.0),  # as repeat_penalty (the larger of the two): one row there
    Param("repetition_penalty_range", I, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Repetition penalty range"),
          QT_TRANSLATE_NOOP("Parameters", "How many recent tokens the penalty looks at (0 = the whole context)."),
          kinds=_kinds(TEXTGEN), minimum=0, maximum=32768, step=1, slider_maximum=4096,
          default=1024),
    Param("rep_pen_range", I, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "Repetition penalty range"),
          QT_TRANSLATE_NOOP("Parameters", "koboldcpp: how many recent tokens the penalty looks at."),
          kinds=_kinds(KOBOLDCPP), minimum=0, maximum=32768, step=1, slider_maximum=4096,
          default=320),
    Param("dry_multiplier", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "DRY multiplier"),
          QT_TRANSLATE_NOOP("Parameters", "Strength of the DRY penalty on repeated sequences (0 = off)."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=0, maximum=5, step=0.01,
          default=0.0),
    Param("dry_base", F, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "DRY base"),
          QT_TRANSLATE_NOOP("Parameters", "How fast the DRY penalty grows with the repeated length."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=1, maximum=4, step=0.01,
          default=1.75),
    Param("dry_allowed_length", I, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "DRY allowed length"),
          QT_TRANSLATE_NOOP("Parameters", "Repeats up to this many tokens are not penalised."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP, TEXTGEN), minimum=0, maximum=50, step=1,
          default=2),
    Param("dry_penalty_last_n", I, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "DRY window"),
          QT_TRANSLATE_NOOP("Parameters", "How many recent tokens DRY scans (-1 = the whole context)."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP), minimum=-1, maximum=32768, step=1,
          slider_maximum=4096, default=64, kind_defaults={KOBOLDCPP: 320}),
    Param("dry_sequence_breakers", SL, _PENALTIES, QT_TRANSLATE_NOOP("Parameters", "DRY sequence breakers"),
          QT_TRANSLATE_NOOP("Parameters", "Texts that end a repeated sequence for DRY."),
          kinds=_kinds(LLAMACPP, KOBOLDCPP), default=["\n", ":", '"', "*"]),
    Param("ignore_eos", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Ignore end of text"),
          QT_TRANSLATE_NOOP("Parameters", "Keep generating past the end-of-text token."),
          kinds=_kinds(LLAMACPP, VLLM), default=False),
    Param("ban_eos_token", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Ban end of text"),
          QT_TRANSLATE_NOOP("Parameters", "Never generate the end-of-text token."),
          kinds=_kinds(KOBOLDCPP, TEXTGEN), default=False),
    Param("min_tokens", I, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Minimum tokens"),
          QT_TRANSLATE_NOOP("Parameters", "Do not stop before this many tokens."),
          kinds=_kinds(VLLM, LLAMA_CPP_PYTHON), minimum=0, maximum=1_000_000, step=1,
          slider_maximum=1024, default=0),
    Param("stop_token_ids", IL, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Stop token ids"),
          QT_TRANSLATE_NOOP("Parameters", "Generation stops at any of these token ids."),
          kinds=_kinds(VLLM)),
    Param("include_stop_str_in_output", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Keep the stop text"),
          QT_TRANSLATE_NOOP("Parameters", "Include the stop sequence that ended the text in the output."),
          kinds=_kinds(VLLM), default=False),
    Param("skip_special_tokens", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Skip special tokens"),
          QT_TRANSLATE_NOOP("Parameters", "Leave special tokens out of the text."),
          kinds=_kinds(VLLM, TEXTGEN), default=True),
    Param("truncate_prompt_tokens", I, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Truncate the prompt to"),
          QT_TRANSLATE_NOOP("Parameters", "Keep only the last this many prompt tokens (-1 = the model's limit)."),
          kinds=_kinds(VLLM), minimum=-1, maximum=1_000_000, step=1, slider_maximum=32768),
    Param("cache_prompt", B, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Reuse the prompt cache"),
          QT_TRANSLATE_NOOP("Parameters", "Reuse the evaluated start of the previous prompt."),
          kinds=_kinds(LLAMACPP), default=True),
    Param("n_probs", I, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Top probabilities (n_probs)"),
          QT_TRANSLATE_NOOP("Parameters", "llama.cpp: return the probabilities of this many tokens per position."),
          kinds=_kinds(LLAMACPP), minimum=0, maximum=100, step=1, slider_maximum=20,
          default=0),
    Param("prompt_logprobs", I, _CHOICES, QT_TRANSLATE_NOOP("Parameters", "Prompt log probabilities"),
          QT_TRANSLATE_NOOP("Parameters", "Return this many alternatives for every prompt token (no streaming)."),
          kinds=_kinds(VLLM), minimum=0, maximum=20, step=1),
    Param("grammar", T, _STRUCTURE, QT_TRANSLATE_NOOP("Parameters", "Grammar (GBNF)"),
          QT_TRANSLATE_NOOP("Parameters", 'Only text this grammar allows, e.g. root ::= "yes" | "no".'),
          kinds=_kinds(LLAMACPP, LLAMA_CPP_PYTHON, KOBOLDCPP)),
    Param("grammar_string", T, _STRUCTURE, QT_TRANSLATE_NOOP("Parameters", "Grammar (GBNF)"),
          QT_TRANSLATE_NOOP("Parameters", "text-generation-webui's grammar field."),
          kinds=_kinds(TEXTGEN)),
    Param("json_schema", J, _STRUCTURE, QT_TRANSLATE_NOOP("Parameters", "JSON schema"),
          QT_TRANSLATE_NOOP("Parameters", "Only JSON that matches this schema."),
          kinds=_kinds(LLAMACPP)),
    Param("structured_outputs", J, _STRUCTURE, QT_TRANSLATE_NOOP("Parameters", "Structured outputs"),
          QT_TRANSLATE_NOOP("Parameters", 'vLLM: one of {"json": schema}, {"regex": …}, {"choice": […]}, '
                     '{"grammar": …}.'),
          kinds=_kinds(VLLM)),
    Param("ttl", I, _TEXT, QT_TRANSLATE_NOOP("Parameters", "Model time to live (s)"),
          QT_TRANSLATE_NOOP("Parameters", "LM Studio unloads a model loaded for this request after this idle time."),
          kinds=_kinds(LMSTUDIO), minimum=0, maximum=86400 * 7, step=60, slider_maximum=7200),
    Param("draft_model", S, _SAMPLING, QT_TRANSLATE_NOOP("Parameters", "Draft model"),
          QT_TRANSLATE_NOOP("Parameters", "LM Studio: a small model for speculative decoding."),
          kinds=_kinds(LMSTUDIO)),
)  # fmt: skip

_BY_NAME = {p.name: p for p in PARAMS}
#: Fields of a request that are not parameters.
NOT_PARAMETERS = ("model", "prompt")


def get(name: str) -> Param | None:
    return _BY_NAME.get(name)


def is_known(name: str) -> bool:
    return name in _BY_NAME


def for_kind(server_kind: str | None) -> list[Param]:
    """The parameters a server kind takes, in registry order."""
    return [p for p in PARAMS if p.accepted_by(server_kind)]


# -- values ---------------------------------------------------------------------------------

WHOLE_NUMBER = kind("param.whole_number", QT_TRANSLATE_NOOP("Core", "must be a whole number"))
A_NUMBER = kind("param.number", QT_TRANSLATE_NOOP("Core", "must be a number"))
FINITE = kind("param.finite", QT_TRANSLATE_NOOP("Core", "must be a finite number"))
BETWEEN = kind("param.between", QT_TRANSLATE_NOOP("Core", "must be between {low} and {high}"))
AT_LEAST = kind("param.at_least", QT_TRANSLATE_NOOP("Core", "must be at least {low}"))
AT_MOST = kind("param.at_most", QT_TRANSLATE_NOOP("Core", "must be at most {high}"))
TRUE_FALSE = kind("param.bool", QT_TRANSLATE_NOOP("Core", "must be true or false"))
TEXT = kind("param.text", QT_TRANSLATE_NOOP("Core", "must be text"))
TEXT_LIST = kind("param.text_list", QT_TRANSLATE_NOOP("Core", "must be a list of texts"))
NON_EMPTY_TEXTS = kind(
    "param.non_empty_texts", QT_TRANSLATE_NOOP("Core", "each entry must be non-empty text")
)
INT_LIST = kind("param.int_list", QT_TRANSLATE_NOOP("Core", "must be a list of whole numbers"))
AT_MOST_ITEMS = kind(
    "param.max_items", QT_TRANSLATE_NOOP("Core", "at most {count} entries are allowed")
)
NOT_JSON = kind(
    "param.not_json", QT_TRANSLATE_NOOP("Core", "not valid JSON ({reason} at column {column})")
)
JSON_VALUE = kind("param.json", QT_TRANSLATE_NOOP("Core", "must be a JSON value"))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(number: float, integer: bool) -> str:
    return str(int(number)) if integer else f"{number:g}"


def check_value(param: Param, value: Any) -> Message | None:
    """What is wrong with ``value`` for ``param`` (``None`` when it is fine).

    Values are JSON values as a body carries them (numbers, booleans, text, lists, objects).
    """
    kind_ = param.type
    if kind_ == ParamType.INT:
        if not _is_int(value):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                return WHOLE_NUMBER()
        return _range(param, value, integer=True)
    if kind_ == ParamType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return A_NUMBER()
        if not math.isfinite(value):
            return FINITE()
        return _range(param, value, integer=False)
    if kind_ == ParamType.BOOL:
        return None if isinstance(value, bool) else TRUE_FALSE()
    if kind_ in (ParamType.STRING, ParamType.TEXT):
        return None if isinstance(value, str) else TEXT()
    if kind_ == ParamType.STRING_LIST:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return TEXT_LIST()
        if any(v == "" for v in value):
            return NON_EMPTY_TEXTS()
        if param.max_items is not None and len(value) > param.max_items:
            return AT_MOST_ITEMS(count=param.max_items)
        return None
    if kind_ == ParamType.INT_LIST:
        if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
            return INT_LIST()
        return None
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return JSON_VALUE()
    return None


def _range(param: Param, value: float, *, integer: bool) -> Message | None:
    low, high = param.minimum, param.maximum
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        return BETWEEN(low=_shown(low, integer), high=_shown(high, integer))
    if low is not None:
        return AT_LEAST(low=_shown(low, integer))
    return AT_MOST(high=_shown(high or 0, integer))


def coerce_value(param: Param | None, value: Any) -> Any:
    """A checked value in the form the body carries (floats for numbers, lists)."""
    if param is None:
        return value
    if param.type == ParamType.FLOAT and not isinstance(value, bool):
        return float(value)
    if param.type == ParamType.INT and isinstance(value, float) and value.is_integer():
        return int(value)
    if param.type in (ParamType.STRING_LIST, ParamType.INT_LIST) and isinstance(value, tuple):
        return list(value)
    return value


def parse_json_text(text: str) -> Any:
    """A JSON value typed by a user; raises ValueError with a :class:`Message` as arg."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(NOT_JSON(reason=exc.msg, column=exc.colno)) from None


def parse_cli_value(text: str) -> Any:
    """``--param NAME=VALUE``: VALUE as JSON if it is JSON, else as a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def split_known(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(known parameters, custom parameters) of a parameter dict."""
    known = {k: v for k, v in params.items() if k in _BY_NAME}
    custom = {k: v for k, v in params.items() if k not in _BY_NAME}
    return known, custom


def names(params: Iterable[Param]) -> list[str]:
    return [p.name for p in params]
