"""Start-up: PySide6 does not read the source of the app's modules (app/ui/shell/feature_scan)."""

from __future__ import annotations

import json

from app.ui.shell import feature_scan
from tests.probe import run_probe

# Runs the app's start-up (window, first frame, quit) and lists the modules whose source
# PySide6 read after the app had filled in its table.
PROBE = """
import json, sys
import app.main
import app.ui.shell.feature_scan as scan

read = []
marked = []

def skip():
    marked.append(original())
    from shibokensupport import feature
    uses = feature._mod_uses_pyside
    def spy(module):
        read.append(module.__name__)
        return uses(module)
    feature._mod_uses_pyside = spy
    return marked[0]

original, scan.skip_feature_scan = scan.skip_feature_scan, skip
app.main.main(["--config-dir", sys.argv[1], "--smoke-test"])
print(json.dumps({"marked": marked, "read": read}))
"""


def test_the_app_starts_without_pyside_reading_its_modules(tmp_path):
    proc = run_probe(PROBE, str(tmp_path / "cfg"))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["marked"][0] > 150  # the loaded modules and the app's own
    loop = ("asyncio", "qasync", "socket", "ssl")  # imported right after the first frame
    assert not [n for n in report["read"] if n.split(".")[0] in ("app", "typing", "os", *loop)]
    assert len(report["read"]) < 20  # only what is first imported after Qt (qasync, html…)


def test_every_app_module_is_named_from_its_file():
    names = feature_scan._app_modules()
    assert "app" in names and "app.ui.shell.feature_scan" in names
    assert "app.core.client" in names  # not imported yet: named, not loaded
    assert all(not name.endswith("__init__") for name in names)


def test_without_pyside_s_table_nothing_happens(monkeypatch):
    monkeypatch.setattr(feature_scan, "_table", lambda: None)
    assert feature_scan.skip_feature_scan() == 0
