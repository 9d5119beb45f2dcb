"""Shared fixtures: the loopback API server, an isolated config dir, and a qasync loop."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections.abc import Iterator

import pytest

from tests.loopback_server import LoopbackServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def api(server: LoopbackServer) -> LoopbackServer:
    """The loopback server with its request log cleared."""
    server.clear()
    return server


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own config dir, its own test keyring, and no key from the
    developer's environment. Subprocesses use a file keyring in the test's tmp dir."""
    import keyring

    from tests.keyring_backends import FILE_ENV, MemoryKeyring

    home = tmp_path / "home"
    monkeypatch.setenv("COMPLETION_PLAYGROUND_HOME", str(home))
    real = os.environ.get("CP_REAL_KEYRING") == "1"
    previous = keyring.get_keyring()
    if not real:
        keyring.set_keyring(MemoryKeyring())
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyring_backends.FileKeyring")
        monkeypatch.setenv(FILE_ENV, str(tmp_path / "test-keyring.json"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for proxy in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(proxy, raising=False)
    yield home
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def _session_loop(qapp):
    """One qasync loop for the whole session, as in the app (never stopped in between)."""
    from app.ui.shell.event_loop import close_event_loop, create_event_loop

    loop = create_event_loop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)
    yield loop
    asyncio.events._set_running_loop(loop)
    close_event_loop(loop)


@pytest.fixture
def qloop(qapp, _session_loop):
    """The qasync loop, running, so Qt waits (qtbot.waitSignal) also drive asyncio.

    Garbage is collected only on this (the GUI) thread, as the app's GCGuard does: the
    loopback server's threads must never destroy a Qt object.
    """
    loop = _session_loop
    asyncio.events._set_running_loop(loop)
    asyncio.set_event_loop(loop)
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook, finalizer=loop._asyncgen_finalizer_hook
    )
    gc.disable()
    try:
        yield loop
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        deadline = time.monotonic() + 5
        while any(not t.done() for t in pending) and time.monotonic() < deadline:
            qapp.processEvents()
    finally:
        sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        gc.collect()
        gc.enable()


def shut_down(qtbot, qloop, window) -> None:
    """Stop a window's runs and local model, close its clients, close it (idempotent)."""
    from shiboken6 import isValid

    if not isValid(window) or getattr(window, "_test_shut_down", False):
        return
    window._test_shut_down = True
    task = qloop.create_task(window.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    window.close()


@pytest.fixture
def open_window(qtbot, qloop):
    """Open a real main window, shown and active, after saving ``profiles`` (the first is
    current); every window opened is shut down after the test."""
    from app.core.paths import AppPaths
    from app.core.profiles import ProfileStore
    from app.ui.shell.application import create_window

    opened = []

    def open_(profiles=(), current: str | None = None):
        paths = AppPaths.resolve()
        if profiles:
            ProfileStore(paths.config_dir).save(list(profiles), current or profiles[0].name)
        window = create_window(paths)
        qtbot.addWidget(window, before_close_func=lambda w: shut_down(qtbot, qloop, w))
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        opened.append(window)
        return window

    yield open_
    for window in opened:
        shut_down(qtbot, qloop, window)


def loopback_profile(api: LoopbackServer, name: str = "loopback", **url_params):
    """A remote profile for the loopback server (``url_params`` pick the scenario)."""
    from app.core.profiles import Profile

    url = api.base_url(**url_params) if url_params else api.base_url()
    return Profile(name=name, base_url=url, default_model="test-model")
