"""Every parameter of the registry, walked through every way it can travel.

For each entry a valid non-default value goes through the CLI (flag → body the loopback
server received), a preset (save → open → body), Import curl (View code's curl → import →
the same request), View code's snippets run for real (curl, Python openai SDK with
``extra_body``) and history restore. Adding an entry to the registry adds it to all of these
checks; a place that drops it fails here. The panel's round trip is in
tests/test_gui_parameters.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from app.core import parameters as registry
from app.core.code_export import generate
from app.core.curl_parse import parse_curl
from app.core.history import HistoryStore, record_for
from app.core.parameters import Param, ParamType
from app.core.presets import Preset, PresetStore
from app.core.request import CompletionRequest
from app.core.result import ResultBuilder

NOT_STREAMED = {"best_of", "prompt_logprobs"}  # these need "stream": false


def sample(param: Param) -> object:
    """A valid value for ``param`` that differs from the server's default."""
    special = {
        "n": 2, "best_of": 3, "logprobs": 2, "seed": 7, "max_tokens": 5, "temperature": 0.5,
        "logit_bias": {"50256": -100}, "json_schema": {"type": "object"},
        "structured_outputs": {"choice": ["yes", "no"]}, "grammar": 'root ::= "yes" | "no"',
        "grammar_string": 'root ::= "yes"', "stop": ["\n", "END"], "include_usage": True,
        "samplers": ["top_k", "temperature"], "sampler_order": [6, 0, 1, 3, 4, 2, 5],
        "dry_sequence_breakers": ["\n", "*"],
    }  # fmt: skip
    if param.name in special:
        return special[param.name]
    kind = param.type
    if kind == ParamType.BOOL:
        return not bool(param.default)
    if kind == ParamType.INT:
        low = int(param.minimum if param.minimum is not None else 0)
        high = int(param.maximum if param.maximum is not None else low + 10)
        value = min(high, max(low, 1) + 1)
        return value if value != param.default else min(high, value + 1)
    if kind == ParamType.FLOAT:
        low = param.minimum if param.minimum is not None else 0.0
        high = param.maximum if param.maximum is not None else low + 1
        value = round(low + (high - low) * 0.3, 2)
        return value if value != param.default else round(value + 0.01, 2)
    if kind in (ParamType.STRING, ParamType.TEXT):
        return f"{param.name} 文本"
    if kind == ParamType.STRING_LIST:
        return ["a", "b"]
    if kind == ParamType.INT_LIST:
        return [1, 2]
    return {"key": [1, "二"]}


PARAMS = [p for p in registry.PARAMS if p.name != "stream"]


def all_parameters(streamed: bool) -> dict[str, object]:
    """Every parameter at once (those that need the other stream mode left out)."""
    chosen = {}
    for param in PARAMS:
        if streamed and param.name in NOT_STREAMED:
            continue
        if not streamed and param.name == "include_usage":
            continue
        chosen[param.name] = sample(param)
    return chosen


def test_samples_are_valid_and_not_the_default():
    for param in PARAMS:
        value = sample(param)
        assert registry.check_value(param, value) is None, param.name
        assert value != param.default, param.name


@pytest.mark.parametrize("streamed", [True, False])
def test_every_parameter_reaches_the_body(streamed):
    params = all_parameters(streamed)
    body = CompletionRequest("m", "p", stream=streamed, params=params).to_body()
    for name, value in params.items():
        if name == "include_usage":
            assert body["stream_options"] == {"include_usage": True}
        else:
            assert body[name] == value, name


def _flags(params: dict[str, object]) -> list[str]:
    args: list[str] = []
    for name, value in params.items():
        param = registry.get(name)
        assert param is not None
        if param.type == ParamType.BOOL:
            args.append(param.flag if value else "--no-" + param.flag[2:])
        elif param.type == ParamType.STRING_LIST:
            for item in value:  # type: ignore[attr-defined]
                args += [param.flag, item.replace("\n", "\\n")]
        elif param.type == ParamType.INT_LIST:
            args += [param.flag, ",".join(str(v) for v in value)]  # type: ignore[attr-defined]
        elif param.type == ParamType.JSON:
            args += [param.flag, json.dumps(value)]
        else:
            args += [param.flag, str(value)]
    return args


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "complete", "--no-history", *args],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("streamed", [True, False])
def test_every_parameter_has_a_cli_flag_that_reaches_the_server(api, streamed):
    params = all_parameters(streamed)
    args = _flags(params) + ([] if streamed else ["--no-stream"])
    proc = cli("--base-url", api.base_url(), "--model", "m", "--prompt", "p", *args)
    assert proc.returncode == 0, proc.stderr
    sent = api.requests[-1].body
    expected = CompletionRequest("m", "p", stream=streamed, params=params).to_body()
    assert sent == expected


def test_param_flag_sends_any_json_field_and_strings(api):
    proc = cli(
        "--base-url", api.base_url(), "--model", "m", "--prompt", "p",
        "--param", "top_k=40", "--param", 'grammar="root ::= \\"a\\""',
        "--param", "my_switch=true", "--param", "note=plain words", "--param", "obj={\"a\": [1]}",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    sent = api.requests[-1].body
    assert sent["top_k"] == 40 and sent["grammar"] == 'root ::= "a"'
    assert sent["my_switch"] is True and sent["note"] == "plain words"
    assert sent["obj"] == {"a": [1]}


def test_a_param_colliding_with_a_known_one_is_validated_as_it():
    proc = cli("--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--prompt", "p",
               "--param", "top_k=lots")  # fmt: skip
    assert proc.returncode == 2
    assert "top_k" in proc.stderr and "whole number" in proc.stderr


@pytest.mark.parametrize("streamed", [True, False])
def test_presets_keep_and_send_every_parameter(api, tmp_path, streamed):
    params = {**all_parameters(streamed), "my_custom": {"x": 1}}
    request = CompletionRequest("m", "p", stream=streamed, params=params)
    store = PresetStore(tmp_path)
    path = store.save(Preset.from_request("all", request, profile=None, prompt_mode="text"))
    reopened = PresetStore.read(path)
    assert reopened.request().to_body() == request.to_body()
    proc = cli("--base-url", api.base_url(), "--preset", str(path))
    assert proc.returncode == 0, proc.stderr
    assert api.requests[-1].body == request.to_body()


@pytest.mark.parametrize("streamed", [True, False])
def test_import_curl_round_trips_every_parameter(streamed):
    params = {**all_parameters(streamed), "my_custom": [1, 2]}
    request = CompletionRequest("m", "提示", stream=streamed, params=params)
    code = generate(request, "http://127.0.0.1:8000/v1", language="curl")
    imported = parse_curl(code)
    assert imported.request() == request
    assert imported.custom_parameters == ["my_custom"]


@pytest.mark.parametrize("streamed", [True, False])
def test_history_restores_every_parameter(tmp_path, streamed):
    params = {**all_parameters(streamed), "my_custom": "x"}
    request = CompletionRequest("m", "p", stream=streamed, params=params)
    result = ResultBuilder().finish()
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.add(record_for(request, result, profile="p", base_url="http://h/v1"))
    record = store.get(run_id)
    store.close()
    restored = CompletionRequest.from_body({**record.request, "model": record.model})
    assert restored == request


def _run(argv: list[str], tmp_path, code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": "cp-test-registry-key"}
    return subprocess.run(argv, input=code, capture_output=True, text=True, env=env,
                          timeout=60, cwd=tmp_path)  # fmt: skip


@pytest.mark.parametrize("language", ["curl", "python-openai"])
@pytest.mark.parametrize("streamed", [True, False])
def test_view_code_snippets_send_every_parameter(api, tmp_path, language, streamed):
    if language == "curl" and shutil.which("curl") is None:
        pytest.skip("curl is not installed (scripts/install-system-deps.sh installs it)")
    if language == "python-openai":
        pytest.importorskip("openai")
    params = {**all_parameters(streamed), "my_custom": {"deep": [1, "二"]}}
    request = CompletionRequest("m", "p", stream=streamed, params=params)
    code = generate(request, api.base_url(), language=language)
    if language == "python-openai":
        assert "extra_body" in code and "'top_k'" in code
    argv = ["bash", "-e"] if language == "curl" else [sys.executable, "-"]
    done = _run(argv, tmp_path, code)
    assert done.returncode == 0, done.stderr
    posts = [r for r in api.requests if r.method == "POST"]
    assert posts[-1].body == request.to_body()


def test_readme_parameter_table_is_the_registrys():
    """README's parameter × server-kind table is generated (scripts/parameter_table.py)."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "parameter_table", root / "scripts" / "parameter_table.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shown = module.section((root / "README.md").read_text(encoding="utf-8"))
    assert shown == module.table(), "run: python scripts/parameter_table.py --write"


def test_no_kind_shows_two_rows_for_one_server_setting():
    """koboldcpp reads ``repeat_penalty``, ``repetition_penalty`` and ``rep_pen`` as one
    setting (the largest of them): a kind offers at most one row for such names."""
    from app.core.server_kinds import KINDS

    same_setting = ({"repeat_penalty", "repetition_penalty", "rep_pen"},)
    for kind in KINDS:
        for names in same_setting:
            shown = [n for n in names if (p := registry.get(n)) is not None and p.accepted_by(kind)]
            assert len(shown) <= 1, (kind, shown)
