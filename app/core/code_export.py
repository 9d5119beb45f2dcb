"""View code: the current request as curl, Python (openai SDK, httpx) and JavaScript (fetch).

The body is exactly :meth:`CompletionRequest.to_body` (what the app sends). The key is
never written: code reads it from an environment variable (``$OPENAI_API_KEY`` by
default), extra headers that look secret get a placeholder too, and :func:`redact` is a
last safety net that replaces any known secret that might still appear.
"""

from __future__ import annotations

import json
import pprint
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from app.core import parameters
from app.core.endpoint import normalise_base_url
from app.core.redaction import is_secret_header
from app.core.request import CompletionRequest

__all__ = ["LANGUAGES", "CodeLanguage", "generate", "redact", "secret_header"]

DEFAULT_KEY_ENV = "OPENAI_API_KEY"
# Body keys the openai SDK's completions.create() takes as named arguments (from the
# registry); everything else goes in extra_body.
_SDK_ARGS = {
    "model", "prompt", "stream_options", *(p.name for p in parameters.PARAMS if p.sdk_named),
}  # fmt: skip


def secret_header(name: str, value: str, secrets: Iterable[str] = ()) -> bool:
    """Whether a header must not be written out (by its name or by carrying a secret)."""
    return is_secret_header(name) or any(s and s in value for s in secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every known secret replaced (a safety net, not the main mechanism)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "<redacted>")
    return text


def _env_name(header: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", header.upper()).strip("_") or "HEADER"


def _sh(text: str) -> str:
    """Single-quote for POSIX shells (UTF-8 stays readable)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _curl(
    url: str, body: dict, headers: list[tuple[str, str, str | None]], key_env: str | None
) -> str:
    # -N prints tokens as they arrive instead of buffering the stream.
    lines = [f"curl -N {_sh(url)}" if body.get("stream") else f"curl {_sh(url)}"]
    lines.append("  -H 'Content-Type: application/json'")
    if key_env:
        lines.append(f'  -H "Authorization: Bearer ${key_env}"')
    for name, value, env in headers:
        lines.append(f'  -H "{name}: ${env}"' if env else f"  -H {_sh(f'{name}: {value}')}")
    lines.append(f"  -d {_sh(json.dumps(body, ensure_ascii=False, indent=2))}")
    return " \\\n".join(lines) + "\n"


def _py_literal(value: object) -> str:
    """A Python literal for JSON data (True/False/None; text stays readable)."""
    return pprint.pformat(value, sort_dicts=False, width=88)


def _py_headers(headers: list[tuple[str, str, str | None]]) -> str:
    items = []
    for name, value, env in headers:
        shown = f"os.environ[{env!r}]" if env else repr(value)
        items.append(f"{name!r}: {shown}")
    return "{" + ", ".join(items) + "}"


def _python_openai(
    base_url: str, body: dict, headers: list[tuple[str, str, str | None]], key_env: str | None
) -> str:
    args = {k: v for k, v in body.items() if k in _SDK_ARGS}
    extra = {k: v for k, v in body.items() if k not in _SDK_ARGS}
    if extra:
        args["extra_body"] = extra
    params = _py_literal(args)
    key = f"os.environ[{key_env!r}]" if key_env else '"not-needed"'
    header_arg = f"\n    default_headers={_py_headers(headers)}," if headers else ""
    code = [
        *([f"# Set {key_env} in the environment first."] if key_env else []),
        "import os",
        "",
        "from openai import OpenAI",
        "",
        f"client = OpenAI(\n    base_url={base_url!r},\n    api_key={key},{header_arg}\n)",
        f"params = {params}",
    ]
    if body.get("stream"):
        code += [
            "for chunk in client.completions.create(**params):",
            "    for choice in chunk.choices:",
            '        print(choice.text, end="", flush=True)',
            "print()",
        ]
    else:
        code += [
            "completion = client.completions.create(**params)",
            "for choice in completion.choices:",
            "    print(choice.text)",
        ]
    return "\n".join(code) + "\n"


def _python_httpx(
    url: str, body: dict, headers: list[tuple[str, str, str | None]], key_env: str | None
) -> str:
    payload = _py_literal(body)
    header_lines = ['    "Content-Type": "application/json",']
    if key_env:
        header_lines.append(f'    "Authorization": f"Bearer {{os.environ[{key_env!r}]}}",')
    for name, value, env in headers:
        shown = f"os.environ[{env!r}]" if env else repr(value)
        header_lines.append(f"    {name!r}: {shown},")
    code = [
        *([f"# Set {key_env} in the environment first."] if key_env else []),
        "import json",
        "import os",
        "",
        "import httpx",
        "",
        f"url = {url!r}",
        "headers = {",
        *header_lines,
        "}",
        f"body = {payload}",
    ]
    if body.get("stream"):
        code += [
            'with httpx.stream("POST", url, headers=headers, json=body, timeout=300) as response:',
            "    response.raise_for_status()",
            "    for line in response.iter_lines():",
            '        if not line.startswith("data:"):',
            "            continue",
            "        data = line[5:].strip()",
            '        if data == "[DONE]":',
            "            break",
            '        for choice in json.loads(data).get("choices", []):',
            '            print(choice.get("text", ""), end="", flush=True)',
            "print()",
        ]
    else:
        code += [
            "response = httpx.post(url, headers=headers, json=body, timeout=300)",
            "response.raise_for_status()",
            'for choice in response.json()["choices"]:',
            '    print(choice["text"])',
        ]
    return "\n".join(code) + "\n"


def _javascript(
    url: str, body: dict, headers: list[tuple[str, str, str | None]], key_env: str | None
) -> str:
    payload = json.dumps(body, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    header_lines = ['    "Content-Type": "application/json",']
    if key_env:
        header_lines.append(f"    Authorization: `Bearer ${{process.env.{key_env}}}`,")
    for name, value, env in headers:
        shown = f"process.env.{env}" if env else json.dumps(value, ensure_ascii=False)
        header_lines.append(f"    {json.dumps(name)}: {shown},")
    code = [
        "// Node.js 18+ as an ES module (save as .mjs), Deno, or a browser console.",
        *([f"// Set {key_env} in the environment first."] if key_env else []),
        f"const response = await fetch({json.dumps(url)}, {{",
        '  method: "POST",',
        "  headers: {",
        *header_lines,
        "  },",
        f"  body: JSON.stringify({payload}),",
        "});",
        "if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);",
    ]
    if body.get("stream"):
        code += [
            "const reader = response.body.getReader();",
            "const decoder = new TextDecoder();",
            'let buffer = "";',
            "for (;;) {",
            "  const { done, value } = await reader.read();",
            "  if (done) break;",
            "  buffer += decoder.decode(value, { stream: true });",
            "  const events = buffer.split(/\\r?\\n\\r?\\n/);",
            "  buffer = events.pop();",
            "  for (const event of events) {",
            "    for (const line of event.split(/\\r?\\n/)) {",
            '      if (!line.startsWith("data:")) continue;',
            "      const data = line.slice(5).trim();",
            '      if (data === "[DONE]") continue;',
            "      for (const choice of JSON.parse(data).choices ?? []) {",
            '        process.stdout.write(choice.text ?? "");',
            "      }",
            "    }",
            "  }",
            "}",
            'process.stdout.write("\\n");',
        ]
    else:
        code += [
            "const completion = await response.json();",
            "for (const choice of completion.choices) console.log(choice.text);",
        ]
    return "\n".join(code) + "\n"


class CodeLanguage(NamedTuple):
    key: str
    name: str
    syntax: str


LANGUAGES = (
    CodeLanguage("curl", "curl", "bash"),
    CodeLanguage("python-openai", "Python (openai SDK)", "python"),
    CodeLanguage("python-httpx", "Python (httpx)", "python"),
    CodeLanguage("javascript-fetch", "JavaScript (fetch)", "javascript"),
)


def generate(
    request: CompletionRequest,
    base_url: str,
    *,
    language: str,
    extra_headers: dict[str, str] | None = None,
    has_key: bool = True,
    key_env: str = DEFAULT_KEY_ENV,
    secrets: Iterable[str] = (),
) -> str:
    """Code that sends ``request`` to ``base_url``; never contains a key.

    ``has_key`` False (a local server) leaves the Authorization header out. ``secrets``
    are values that must not appear (the real key): they are checked for and removed.
    """
    secrets = [s for s in secrets if s]
    base = normalise_base_url(base_url)
    url = base + "/completions"
    body = request.to_body()
    headers: list[tuple[str, str, str | None]] = []
    for name, value in (extra_headers or {}).items():
        env = _env_name(name) if secret_header(name, value, secrets) else None
        headers.append((name, value, env))
    env = key_env if has_key else None
    builders: dict[str, Callable[[], str]] = {
        "curl": lambda: _curl(url, body, headers, env),
        "python-openai": lambda: _python_openai(base, body, headers, env),
        "python-httpx": lambda: _python_httpx(url, body, headers, env),
        "javascript-fetch": lambda: _javascript(url, body, headers, env),
    }
    if language not in builders:
        raise ValueError(f"unknown language {language!r}")
    return redact(builders[language](), secrets)
