"""The headless CLI as a user runs it: a real process against the loopback server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.loopback_server import TOKENS


def expected_text(count: int, offset: int = 0) -> str:
    return "".join(TOKENS[(offset + i) % len(TOKENS)] for i in range(count))


def cli(*args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 30):
    return subprocess.run(
        [sys.executable, "-m", "app", "complete", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def test_streams_text_to_stdout(api):
    proc = cli(
        "--base-url", api.base_url(), "--model", "test-model", "--prompt", "Hi", "--max-tokens", "5"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected_text(5) + "\n"
    assert proc.stderr == ""


def test_prompt_from_stdin_and_key_from_environment(api):
    proc = cli(
        "--base-url",
        api.url,
        "--model",
        "m",
        "--max-tokens",
        "2",
        stdin="piped prompt",
        env={"OPENAI_API_KEY": "sk-from-env-123"},
    )
    assert proc.returncode == 0, proc.stderr
    sent = api.requests[-1]
    assert sent.body["prompt"] == "piped prompt"
    assert sent.headers["authorization"] == "Bearer sk-from-env-123"


def test_every_flag_reaches_the_request(api):
    proc = cli(
        "--base-url",
        api.base_url(),
        "--model",
        "m",
        "--prompt",
        "p",
        "--max-tokens",
        "3",
        "--temperature",
        "0.5",
        "--top-p",
        "0.9",
        "--n",
        "2",
        "--best-of",
        "3",
        "--logprobs",
        "2",
        "--echo",
        "--stop",
        "\\n",
        "--stop",
        "END",
        "--suffix",
        "S",
        "--seed",
        "7",
        "--presence-penalty",
        "0.1",
        "--frequency-penalty",
        "-0.2",
        "--logit-bias",
        '{"50256": -100}',
        "--user",
        "u1",
        "--no-stream",
    )
    assert proc.returncode == 0, proc.stderr
    assert api.requests[-1].body == {
        "model": "m",
        "prompt": "p",
        "max_tokens": 3,
        "temperature": 0.5,
        "top_p": 0.9,
        "n": 2,
        "best_of": 3,
        "logprobs": 2,
        "echo": True,
        "stop": ["\n", "END"],
        "suffix": "S",
        "seed": 7,
        "presence_penalty": 0.1,
        "frequency_penalty": -0.2,
        "logit_bias": {"50256": -100},
        "user": "u1",
        "stream": False,
    }
    assert "=== choice 0" in proc.stdout and "=== choice 1" in proc.stdout


def test_json_output(api):
    proc = cli(
        "--base-url",
        api.base_url(),
        "--model",
        "m",
        "--prompt",
        "p",
        "--max-tokens",
        "4",
        "--logprobs",
        "1",
        "--json",
        "--include-usage",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["choices"][0]["text"] == expected_text(4)
    assert data["choices"][0]["finish_reason"] == "length"
    assert data["choices"][0]["logprobs"][0]["token"] == TOKENS[0]
    assert data["usage"]["completion_tokens"] == 4
    assert data["timings"]["time_to_first_token"] is not None
    assert data["complete"] is True


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--logprobs", "6"], "logprobs"),
        (["--best-of", "1"], "best_of"),
        (["--best-of", "3"], "best_of"),  # with streaming
        (["--stop", "a", "--stop", "b", "--stop", "c", "--stop", "d", "--stop", "e"], "stop"),
        (["--logit-bias", "{bad"], "logit_bias"),
        (["--prompt-json", "[1, 2.5]"], "prompt"),
    ],
)
def test_invalid_parameters_exit_2_without_sending(api, args, fragment):
    extra = [] if "--prompt-json" in args else ["--prompt", "p"]
    proc = cli("--base-url", api.base_url(), "--model", "m", *extra, *args)
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert api.requests == []


def test_api_error_exits_1_with_one_line(api):
    proc = cli(
        "--base-url",
        api.base_url("401"),
        "--model",
        "m",
        "--prompt",
        "p",
        env={"OPENAI_API_KEY": "fake-key-should-not-leak"},
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: Authentication failed")
    assert proc.stderr.count("\n") == 1
    assert "fake-key-should-not-leak" not in proc.stderr + proc.stdout


def test_cut_stream_exits_3_and_keeps_text(api):
    proc = cli(
        "--base-url",
        api.base_url("cut", after=3),
        "--model",
        "m",
        "--prompt",
        "p",
        "--max-tokens",
        "8",
    )
    assert proc.returncode == 3
    assert proc.stdout.startswith(expected_text(3))
    assert "connection closed before the response was complete" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_timeout_exits_3(api):
    proc = cli(
        "--base-url",
        api.base_url("hang-headers"),
        "--model",
        "m",
        "--prompt",
        "p",
        "--timeout",
        "0.5",
    )
    assert proc.returncode == 3
    assert "read timeout" in proc.stderr


def test_ctrl_c_exits_130_and_keeps_text(api):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "complete",
            "--base-url",
            api.base_url("normal", delay=0.05),
            "--model",
            "m",
            "--prompt",
            "p",
            "--max-tokens",
            "400",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stdout is not None
    first = proc.stdout.read(len(TOKENS[0].encode()))  # blocks until text streamed
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 130
    assert (first + out).decode().startswith(expected_text(1))
    assert b"Traceback" not in err
    assert b"Interrupted" in err


def test_no_prompt_on_a_terminal_is_a_usage_error():
    from app.cli import run_complete
    from app.main import build_parser

    class Tty:
        def isatty(self):
            return True

    import io

    args = build_parser().parse_args(["complete", "--base-url", "http://x", "--model", "m"])
    err = io.StringIO()
    assert run_complete(args, stdin=Tty(), out=io.StringIO(), err=err) == 2
    assert "no prompt" in err.getvalue()


def test_python_dash_m_app_and_config_dir(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0 and proc.stdout.startswith("completion-playground ")


def test_smoke_test_opens_the_window_and_prints_ok(tmp_path):
    home = tmp_path / "cfg"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--smoke-test", "--config-dir", str(home)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert home.is_dir()


def test_profile_supplies_url_model_key_and_headers(api, tmp_path):
    from app.core.keys import SERVICE
    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore
    from tests.keyring_backends import FileKeyring

    home = tmp_path / "cfg"
    ProfileStore(AppPaths.resolve(home).config_dir).save(
        [Profile(name="relay", base_url=api.base_url(), default_model="test-model",
                 key_ref="ref-1", headers={"X-Org": "o1"})],
        "relay",
    )  # fmt: skip
    FileKeyring().set_password(SERVICE, "ref-1", "sk-cli-profile-key")
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--config-dir", str(home), "complete", "--profile",
         "relay", "--prompt", "p", "--max-tokens", "3"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    sent = api.requests[-1]
    assert sent.headers["authorization"] == "Bearer sk-cli-profile-key"
    assert sent.headers["x-org"] == "o1"
    assert sent.body["model"] == "test-model"
    missing = cli(
        "--profile", "nope", "--prompt", "p", env={"COMPLETION_PLAYGROUND_HOME": str(home)}
    )
    assert missing.returncode == 2
    assert "no profile named 'nope'" in missing.stderr and "'relay'" in missing.stderr


def test_preset_file_with_flags_overriding_and_the_run_in_history(api, tmp_path):
    from app.core.history import HistoryStore
    from app.core.paths import AppPaths
    from app.core.presets import Preset, PresetStore

    preset_file = tmp_path / "shared preset 共享.json"
    PresetStore.export_file(
        Preset(name="p", prompt="from the preset", model="test-model",
               parameters={"max_tokens": 4, "temperature": 0.5, "stop": ["END"]}),
        preset_file,
    )  # fmt: skip
    home = tmp_path / "cfg"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--config-dir", str(home), "complete", "--preset",
         str(preset_file), "--base-url", api.base_url(), "--temperature", "0.9"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    body = api.requests[-1].body
    assert body["prompt"] == "from the preset" and body["model"] == "test-model"
    assert body["max_tokens"] == 4 and body["stop"] == ["END"]
    assert body["temperature"] == 0.9  # the flag wins
    history = HistoryStore(AppPaths.resolve(home).data_dir / HistoryStore.FILE_NAME)
    (run,) = history.search()
    assert run.prompt == "from the preset" and run.status == "ok"
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    proc = cli("--preset", str(bad), "--base-url", api.base_url())
    assert proc.returncode == 2 and str(bad) in proc.stderr and "not valid JSON" in proc.stderr


def test_profile_learned_limits_are_left_out(api, tmp_path):
    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore

    home = tmp_path / "cfg"
    url = api.base_url(scenario="reject", params="suffix")
    ProfileStore(AppPaths.resolve(home).config_dir).save(
        [Profile(name="strict", base_url=url, default_model="m", unsupported=["suffix"])],
        "strict",
    )
    proc = cli(
        "--profile", "strict", "--prompt", "p", "--suffix", "tail", "--max-tokens", "2",
        env={"COMPLETION_PLAYGROUND_HOME": str(home)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "suffix" not in api.requests[-1].body
    assert "not sent" in proc.stderr and "suffix" in proc.stderr


def test_an_unforeseen_failure_is_one_sentence_and_exit_1():
    """Every command's coroutine runs through one place (``_run``): no traceback."""
    import io

    from app import cli as cli_module

    async def broken() -> int:
        raise RuntimeError("something nobody foresaw")

    out, err = io.StringIO(), io.StringIO()
    assert cli_module._run(broken(), out, err) == cli_module.EXIT_API
    text = err.getvalue()
    assert text.startswith("error: ") and text.count("\n") == 1 and "Traceback" not in text
