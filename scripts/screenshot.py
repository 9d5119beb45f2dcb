"""Take the README screenshot from the real app (offscreen), against the loopback server.

    python scripts/screenshot.py [docs/screenshot.png]

Runs a real streamed completion through the window, then grabs it: the picture stays
current with the UI.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from app.ui.application import create_window
    from app.ui.event_loop import create_event_loop
    from tests.loopback_server import LoopbackServer

    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
    app = QApplication.instance() or QApplication([])
    loop = create_event_loop(app)
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as home:
        paths = AppPaths.resolve(home)
        ProfileStore(paths.config_dir).save(
            [
                Profile(
                    name="loopback",
                    base_url=server.base_url("normal", delay=0.005),
                    default_model="test-model",
                )
            ],
            "loopback",
        )
        window = create_window(paths)
        window.resize(1280, 800)
        window.prompt.setPlainText("Write a friendly greeting in English and Chinese.\n\nGreeting:")
        window.parameters.max_tokens.set_value(48)
        window.parameters.stop.set_values(["\n\n"])
        window.parameters.logprobs.set_value(3)
        window.show()

        def finished(_result: object) -> None:
            window.output.flush()
            loop.call_later(0.2, loop.stop)

        window.controller.runFinished.connect(finished)
        loop.call_later(0.3, window.run)
        with loop:
            loop.run_forever()
            target.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(target))
            loop.run_until_complete(window.controller.shutdown())
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
