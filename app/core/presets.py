"""Presets: a prompt, its suffix and every request parameter, plus profile and model names.

One preset is one readable JSON file (``schema_version``, diff-friendly, never a key) in
the data dir's ``presets/`` folder. Files from newer versions keep their unknown fields on
re-save. A corrupt or foreign file is reported with its name and the problem, and is never
overwritten. A few built-in examples ship with the app (read-only; "Save as" copies them).
Reading never raises anything but :class:`PresetError`, whatever bytes a file holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core import parameters as registry
from app.core.atomic import atomic_write_json
from app.core.request import CompletionRequest, RequestValidationError

__all__ = [
    "BUILTIN_PRESETS",
    "PRESET_KIND",
    "Preset",
    "PresetError",
    "PresetStore",
    "parameter_type_errors",
]

SCHEMA_VERSION = 1
PRESET_KIND = "completion-playground/preset"
_KEYLIKE = re.compile(r"(?i)\b(api[_-]?key|authorization|bearer)\b")


class PresetError(ValueError):
    """A preset file cannot be used; the message names the file and the problem."""


def parameter_type_errors(params: dict[str, Any]) -> list[str]:
    """What a stored parameter dict holds that the parameter panel could not show.

    Each known parameter's value is checked against the registry (type and range; custom
    parameters may be any JSON value). Used by every reader of stored parameters (presets,
    the saved session), which must not hand the window a value it cannot display.
    """
    errors: list[str] = []
    for name, value in params.items():
        param = registry.get(name)
        if value is None or param is None:
            continue
        problem = registry.check_value(param, value)
        if problem is not None:
            errors.append(f"{name}: {problem}")
    return errors


@dataclass
class Preset:
    """A saved prompt with its parameters (and optionally a profile and model)."""

    name: str
    prompt: Any = ""  # text, or a list for JSON prompts
    parameters: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    model: str | None = None
    prompt_mode: str = "text"
    builtin: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def request(self, model: str | None = None) -> CompletionRequest:
        """The request this preset describes (validated); every parameter it holds is kept
        and sent, custom ones too."""
        request = CompletionRequest(
            model=model or self.model or "", prompt=self.prompt, params=self.parameters
        )
        request.validate()
        return request

    @classmethod
    def from_request(
        cls, name: str, request: CompletionRequest, *, profile: str | None, prompt_mode: str
    ) -> Preset:
        params = request.parameters()
        if params.get("stream") is True:
            del params["stream"]  # the default
        return cls(
            name=name,
            prompt=request.prompt,
            parameters=params,
            profile=profile,
            model=request.model,
            prompt_mode=prompt_mode,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "kind": PRESET_KIND,
            "name": self.name,
            "profile": self.profile,
            "model": self.model,
            "prompt_mode": self.prompt_mode,
            "prompt": self.prompt,
            "parameters": self.parameters,
        }
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: Any, source: str) -> Preset:
        if not isinstance(data, dict):
            raise PresetError(f"{source}: not a preset (the file is not a JSON object)")
        if data.get("kind") != PRESET_KIND:
            raise PresetError(f"{source}: not a Completion Playground preset (no matching 'kind')")
        version = data.get("schema_version")
        if not isinstance(version, int) or version < 1:
            raise PresetError(f"{source}: missing or invalid schema_version")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PresetError(f"{source}: the preset has no name")
        params = data.get("parameters", {})
        if not isinstance(params, dict):
            raise PresetError(f"{source}: 'parameters' is not an object")
        problems = parameter_type_errors(params)
        if problems:
            raise PresetError(f"{source}: invalid parameters ({'; '.join(problems)})")
        known = {"schema_version", "kind", "name", "profile", "model", "prompt_mode", "prompt",
                 "parameters"}  # fmt: skip
        preset = cls(
            name=name.strip(),
            prompt=data.get("prompt", ""),
            parameters=dict(params),
            profile=data.get("profile") if isinstance(data.get("profile"), str) else None,
            model=data.get("model") if isinstance(data.get("model"), str) else None,
            prompt_mode=data.get("prompt_mode") if data.get("prompt_mode") == "json" else "text",
            extra={k: v for k, v in data.items() if k not in known},
        )
        try:
            preset.request(model=preset.model or "model")
        except (RequestValidationError, TypeError, ValueError, RecursionError) as exc:
            raise PresetError(f"{source}: invalid parameters ({exc})") from None
        return preset


def _slug(name: str) -> str:
    """A file name for a preset name; keeps CJK and other letters, drops path characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")
    return cleaned[:80] or "preset"


BUILTIN_PRESETS: tuple[Preset, ...] = (
    Preset(
        name="Few-shot sentiment classification",
        prompt=(
            "Classify the sentiment of each review as Positive or Negative.\n\n"
            "Review: The battery lasts all day and the screen is gorgeous.\n"
            "Sentiment: Positive\n\n"
            "Review: It stopped working after a week and support never answered.\n"
            "Sentiment: Negative\n\n"
            "Review: Setup took two minutes and it just works.\n"
            "Sentiment:"
        ),
        parameters={"max_tokens": 3, "temperature": 0.0, "stop": ["\n"], "logprobs": 3},
        builtin=True,
    ),
    Preset(
        name="Code completion with suffix (insert mode)",
        prompt='def fibonacci(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n',
        parameters={
            "suffix": "\n\nprint(fibonacci(10))  # 55\n",
            "max_tokens": 128,
            "temperature": 0.2,
            "stop": ["\ndef ", "\nclass "],
        },
        builtin=True,
    ),
    Preset(
        name="中文写作：秋天的短文",
        prompt="题目：秋天的早晨\n\n要求：用生动的语言描写秋天早晨的景色，约两百字。\n\n正文：",
        parameters={
            "max_tokens": 300,
            "temperature": 0.8,
            "top_p": 0.95,
            "frequency_penalty": 0.3,
        },
        builtin=True,
    ),
)


@dataclass
class PresetLoad:
    """The presets read from their folder, and the files that could not be read."""

    presets: list[Preset]
    #: One sentence per file that could not be read (the files are left as they are).
    problems: list[str]


class PresetStore:
    """User presets as files in one folder, plus the built-in examples."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, name: str) -> Path:
        return self.folder / f"{_slug(name)}.json"

    def load(self) -> PresetLoad:
        presets: list[Preset] = list(BUILTIN_PRESETS)
        problems: list[str] = []
        try:
            paths = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        except OSError as exc:
            paths = []
            problems.append(f"{self.folder}: cannot be read ({exc.strerror or exc})")
        for path in paths:
            try:
                presets.append(self.read(path))
            except PresetError as exc:
                problems.append(str(exc))
        return PresetLoad(presets, problems)

    @staticmethod
    def read(path: Path) -> Preset:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PresetError(f"{path}: cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PresetError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        except (ValueError, RecursionError) as exc:  # e.g. nested too deeply
            raise PresetError(f"{path}: not valid JSON ({exc})") from None
        return Preset.from_json(data, str(path))

    def save(self, preset: Preset, *, replace_name: str | None = None) -> Path:
        """Write a preset (``replace_name``: the name it had, for a rename).

        Refuses to overwrite a file that is not a readable preset of ours.
        """
        if preset.builtin:
            raise PresetError(f"{preset.name}: built-in presets are read-only; use Save as")
        target = self.path_for(preset.name)
        if target.exists() and replace_name != preset.name:
            try:
                existing = self.read(target)
            except PresetError as exc:
                raise PresetError(f"{target}: exists and is not a valid preset; not overwritten "
                                  f"({exc})") from None  # fmt: skip
            if existing.name != preset.name:
                raise PresetError(f"{target}: holds the preset {existing.name!r}")
        elif target.exists():
            self.read(target)  # corrupt → PresetError, never silently overwritten
        _check_no_key(preset)
        atomic_write_json(target, preset.to_json())
        if replace_name is not None and replace_name != preset.name:
            old = self.path_for(replace_name)
            if old.exists() and old != target:
                old.unlink()
        return target

    def rename(self, preset: Preset, new_name: str) -> Preset:
        if self.path_for(new_name).exists():
            raise PresetError(f"a preset named {new_name!r} exists already")
        renamed = replace(preset, name=new_name)
        self.save(renamed, replace_name=preset.name)
        return renamed

    def delete(self, preset: Preset) -> None:
        if preset.builtin:
            raise PresetError(f"{preset.name}: built-in presets cannot be deleted")
        path = self.path_for(preset.name)
        if path.exists():
            self.read(path)  # only delete what is really this preset
            path.unlink()

    def import_file(self, path: Path) -> Preset:
        """Copy a preset file into the store (under a free name if needed)."""
        preset = replace(self.read(Path(path)), builtin=False)
        name, counter = preset.name, 2
        while self.path_for(name).exists():
            name = f"{preset.name} ({counter})"
            counter += 1
        preset = replace(preset, name=name)
        self.save(preset)
        return preset

    @staticmethod
    def export_file(preset: Preset, path: Path) -> None:
        _check_no_key(preset)
        atomic_write_json(Path(path), replace(preset, builtin=False).to_json())


def _check_no_key(preset: Preset) -> None:
    """Presets never hold keys: refuse parameters that look like one."""
    for key in preset.parameters:
        if _KEYLIKE.search(str(key)):
            raise PresetError(f"{preset.name}: presets cannot hold an API key ({key})")
