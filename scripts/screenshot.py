"""Take the README screenshots from the real app (offscreen), against the loopback server.

    python scripts/screenshot.py [OUTPUT_DIR]     # default: docs/screenshots

Writes ``main-en.png`` and ``main-zh_CN.png`` (the window after a real streamed completion,
tokens coloured by probability, in English and in Simplified Chinese) and ``dark-en.png``
(the dark theme). Run again after UI changes: the pictures stay current with the app.
Chinese needs a CJK font (Debian: fonts-noto-cjk, which scripts/install-system-deps.sh
installs).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROMPTS = {
    "en": "Write a friendly greeting in English and Chinese.\n\nGreeting:",
    "zh_CN": "用中文和英文各写一句友好的问候。\n\n问候：",
}


def shoot(
    app: object, loop: object, server: object, language: str, theme: str, target: Path
) -> None:
    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from app.core.settings import Settings, SettingsFile
    from app.ui.analysis.token_view import ProbabilityMode
    from app.ui.common.i18n import install_translators
    from app.ui.shell.application import create_window

    install_translators(language)
    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.resolve(home)
        paths.ensure()
        SettingsFile(paths.config_dir).save(Settings(language=language, theme=theme))
        ProfileStore(paths.config_dir).save(
            [
                Profile(
                    name="loopback",
                    base_url=server.base_url("normal", delay=0.005),  # type: ignore[attr-defined]
                    default_model="test-model",
                )
            ],
            "loopback",
        )
        window = create_window(paths)
        window.resize(1280, 820)
        window.prompt.setPlainText(PROMPTS[language])
        window.parameters.max_tokens.set_value(48)
        window.parameters.stop.set_values(["\n\n"])
        window.parameters.logprobs.set_value(3)
        window.show()

        def finished(_result: object) -> None:
            window.output.flush()
            window.output.set_mode(ProbabilityMode.FULL)
            loop.call_later(0.3, loop.stop)  # type: ignore[attr-defined]

        window.controller.runFinished.connect(finished)
        loop.call_later(0.3, window.run)  # type: ignore[attr-defined]
        loop.run_forever()  # type: ignore[attr-defined]
        target.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(target))
        loop.run_until_complete(window.controller.shutdown())  # type: ignore[attr-defined]
        window.close()
        window.deleteLater()
        print(target)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app.ui.common.theme import apply_theme
    from app.ui.shell.event_loop import create_event_loop
    from tests.loopback_server import LoopbackServer

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    app = QApplication.instance() or QApplication([])
    loop = create_event_loop(app)
    with LoopbackServer() as server, loop:
        shoot(app, loop, server, "en", "light", out / "main-en.png")
        shoot(app, loop, server, "zh_CN", "light", out / "main-zh_CN.png")
        shoot(app, loop, server, "en", "dark", out / "dark-en.png")
        apply_theme(app, "system")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
