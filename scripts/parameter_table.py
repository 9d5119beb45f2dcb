"""Print the README's parameter table (parameters × server kinds) from the registry.

The table in README.md sits between ``<!-- parameters:begin -->`` and
``<!-- parameters:end -->``; ``python scripts/parameter_table.py --write`` replaces it, and
``tests/test_registry.py`` fails when it differs from what the registry says.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core import parameters as registry
from app.core.server_kinds import KINDS

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- parameters:begin -->", "<!-- parameters:end -->"
#: Short column heads (the kinds' ids are long for a table).
HEADS = {
    "openai": "OpenAI",
    "llamacpp": "llama.cpp",
    "llama-cpp-python": "llama-cpp-py",
    "vllm": "vLLM",
    "ollama": "Ollama",
    "koboldcpp": "kobold",
    "textgen": "textgen",
    "lmstudio": "LM Studio",
}


def table() -> str:
    kinds = list(KINDS)
    lines = [
        "| parameter | " + " | ".join(HEADS.get(k, k) for k in kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for param in registry.PARAMS:
        marks = ["✓" if param.accepted_by(k) else "" for k in kinds]
        lines.append(f"| `{param.name}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def section(text: str) -> str | None:
    match = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), text, re.S)
    return match.group(1).rstrip("\n") if match else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args()
    if not args.write:
        print(table())
        return 0
    text = README.read_text(encoding="utf-8")
    if section(text) is None:
        print(f"README.md has no {BEGIN} … {END} block", file=sys.stderr)
        return 1
    new = re.sub(
        re.escape(BEGIN) + r"\n.*?" + re.escape(END),
        lambda _: f"{BEGIN}\n{table()}\n{END}",
        text,
        flags=re.S,
    )
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
