"""Refresh the translations: extract every tr() string, then compile the .qm files.

    python scripts/update_translations.py          # lupdate + lrelease
    python scripts/update_translations.py --check  # fail if a zh_CN string is unfinished

``pyside6-lupdate`` scans ``app/`` and merges new strings into
``resources/i18n/completion_playground_<lang>.ts`` (existing translations are kept; edit
them with Qt Linguist or any text editor); ``pyside6-lrelease`` compiles the ``.qm`` files
the app loads. English is the source language: its ``.ts`` only carries plural forms.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("en", "zh_CN")
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    candidate = BIN / f"pyside6-{name}"
    return str(candidate) if candidate.exists() else f"pyside6-{name}"


def ts_path(language: str) -> Path:
    return I18N / f"completion_playground_{language}.ts"


def unfinished(language: str) -> list[str]:
    """Source texts whose translation is missing or marked unfinished."""
    out = []
    for message in ET.parse(ts_path(language)).getroot().iter("message"):
        translation = message.find("translation")
        empty = translation is None or not (
            (translation.text or "").strip()
            or any((f.text or "").strip() for f in translation.findall("numerusform"))
        )
        if translation is None or translation.get("type") in ("unfinished", "vanished") or empty:
            if language == "en" and message.get("numerus") != "yes":
                continue  # English needs only its plural forms
            out.append(message.findtext("source") or "")
    return out


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py"))
    if "--check" not in sys.argv:
        for language in LANGUAGES:
            extra = ["-pluralonly"] if language == "en" else []
            subprocess.run(
                [_tool("lupdate"), *sources, "-ts", str(ts_path(language)), "-no-obsolete",
                 "-locations", "none", "-target-language", language, *extra],
                check=True, cwd=ROOT,
            )  # fmt: skip
            subprocess.run(
                [_tool("lrelease"), str(ts_path(language)),
                 "-qm", str(ts_path(language).with_suffix(".qm"))],
                check=True, cwd=ROOT,
            )  # fmt: skip
    missing = unfinished("zh_CN")
    for text in missing:
        print(f"zh_CN: not translated: {text!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
