"""Packaging files are valid and consistent, and the entry point's hidden commands work.

The full build (PyInstaller, .deb, dpkg -i, smoke test) runs in CI as its own phase
(`make package` and `make package-smoke-test`); these are the quick checks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import APP_NAME, __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def test_desktop_file_is_valid():
    desktop = PACKAGING / "linux" / f"{APP_NAME}.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f"Exec={APP_NAME}" in text and f"Icon={APP_NAME}" in text
    assert "Name[zh_CN]=" in text
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (make package installs it)")
    done = _run("desktop-file-validate", str(desktop))
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_appstream_metainfo_is_valid():
    metainfo = PACKAGING / "linux" / "io.github.completion_playground.metainfo.xml"
    text = metainfo.read_text(encoding="utf-8")
    assert f'<launchable type="desktop-id">{APP_NAME}.desktop</launchable>' in text
    assert f'<release version="{__version__}"' in text
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (make package installs it)")
    done = _run("appstreamcli", "validate", "--no-net", str(metainfo))
    assert done.returncode == 0, done.stdout + done.stderr


def test_icons_exist_for_every_size_the_packages_use():
    from app.resource_files import ICON_SIZES, icon_png

    for size in ICON_SIZES:
        assert icon_png(APP_NAME, size).is_file()
        assert ROOT / "resources" in icon_png(APP_NAME, size).parents
    assert (ROOT / "resources/icons" / f"{APP_NAME}.ico").is_file()


def test_the_three_platforms_use_one_spec():
    spec = (PACKAGING / f"{APP_NAME}.spec").read_text(encoding="utf-8")
    assert "COLLECT(" in spec and "BUNDLE(" in spec  # one-folder, plus the macOS .app
    assert "onefile" not in spec.lower().replace("one-file", "")
    workflow = (ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8")
    for platform in ("ubuntu", "windows", "macos"):
        assert platform in workflow
    assert workflow.count(f"packaging/{APP_NAME}.spec") >= 1
    iss = (PACKAGING / "windows" / f"{APP_NAME}.iss").read_text(encoding="utf-8")
    assert rf"build\dist\{APP_NAME}" in iss
    dmg = (PACKAGING / "macos" / "build-dmg.sh").read_text(encoding="utf-8")
    assert "packaging/$NAME.spec" in dmg
    deb = (PACKAGING / "linux" / "build-deb.sh").read_text(encoding="utf-8")
    for lib in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0",
                "libegl1", "libfontconfig1", "libdbus-1-3"):  # fmt: skip
        assert lib in deb
    assert "dpkg-deb --root-owner-group" in deb


def test_versions_agree():
    iss = (PACKAGING / "windows" / f"{APP_NAME}.iss").read_text(encoding="utf-8")
    assert re.search(rf'#define AppVersion "{re.escape(__version__)}"', iss)


def test_diagnose_reports_without_secrets(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-diagnose-secret-123")
    done = _run(sys.executable, "-m", "app", "--diagnose")
    assert done.returncode == 0, done.stderr
    assert f"Completion Playground {__version__}" in done.stdout
    assert "keyring in use:" in done.stdout and "local model:" in done.stdout
    assert "zh_CN app ok, Qt ok" in done.stdout
    assert "sk-diagnose-secret-123" not in done.stdout


def test_the_entry_point_runs_the_local_model_host(monkeypatch):
    """The frozen app starts its model server as `completion-playground --local-model-host`."""
    pytest.importorskip("llama_cpp.server")
    done = _run(sys.executable, "-m", "app", "--local-model-host", "--", "--help")
    assert done.returncode == 0, done.stderr
    assert "--model" in done.stdout and "--n_ctx" in done.stdout
