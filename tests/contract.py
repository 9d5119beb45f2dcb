"""Load the official OpenAI completions schemas (OpenAPI 3.0) as JSON Schema validators.

The contract file lives in ``shared/contract/`` beside the repository (CI clones it there);
a copy is vendored in ``tests/data/`` so the suite also runs from a lone clone.
OpenAPI's ``nullable: true`` is rewritten to JSON Schema's null type and
``#/components/schemas/X`` references to ``#/$defs/X``.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

HERE = Path(__file__).resolve().parent
CANDIDATES = (
    HERE.parent.parent / "shared" / "contract" / "openai-completions-schemas.json",
    HERE / "data" / "openai-completions-schemas.json",
)


def contract_path() -> Path:
    for path in CANDIDATES:
        if path.exists():
            return path
    raise FileNotFoundError("openai-completions-schemas.json not found")


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items() if not k.startswith("x-")}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        out["$ref"] = "#/$defs/" + ref.rsplit("/", 1)[1]
    if out.pop("nullable", False):
        if "type" in out and isinstance(out["type"], str):
            out["type"] = [out["type"], "null"]
        for key in ("oneOf", "anyOf"):
            if key in out:
                out[key] = [*out[key], {"type": "null"}]
    out.pop("example", None)
    return out


@cache
def schemas() -> dict[str, Any]:
    raw = json.loads(contract_path().read_text(encoding="utf-8"))
    return _convert(raw["schemas"])


def validator(name: str) -> jsonschema.protocols.Validator:
    defs = schemas()
    schema = copy.deepcopy(defs[name])
    schema["$defs"] = defs
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema)


def examples(name: str) -> list[Any]:
    """The JSON examples embedded in a schema's ``x-oaiMeta`` (parsed)."""
    raw = json.loads(contract_path().read_text(encoding="utf-8"))
    meta = raw["schemas"][name].get("x-oaiMeta", {})
    example = meta.get("example")
    return [json.loads(example)] if isinstance(example, str) else []
