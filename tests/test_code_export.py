"""View code and curl import: no key in generated code, curl round-trips, snippets really run.

The generated snippets are executed against the loopback server: curl with the real curl
binary, the httpx and openai SDK programs with this Python, the fetch program with Node.js
(when Node 18+ is installed). The server records what arrived, which must be exactly the
body the app would send.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.code_export import LANGUAGES, generate, secret_header
from app.core.curl_parse import CurlImportError, parse_curl
from app.core.request import CompletionRequest, RequestValidationError

KEY = "sk-test-Zq8NpL2vRt5Xw"

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40)
_requests = st.builds(
    CompletionRequest,
    model=st.sampled_from(["gpt-3.5-turbo-instruct", "qwen/Qwen2.5-7B", "模型-1"]),
    prompt=_text,
    suffix=st.none() | _text,
    max_tokens=st.none() | st.integers(1, 4096),
    temperature=st.none() | st.floats(0, 2, allow_nan=False).map(lambda x: round(x, 2)),
    top_p=st.none() | st.sampled_from([0.1, 0.5, 1.0]),
    n=st.none() | st.integers(1, 4),
    stream=st.booleans(),
    logprobs=st.none() | st.integers(0, 5),
    echo=st.none() | st.just(True),
    stop=st.lists(_text.filter(bool), max_size=4).map(tuple),
    presence_penalty=st.none() | st.sampled_from([-2.0, 0.0, 1.5]),
    seed=st.none() | st.integers(0, 2**31),
    user=st.none() | _text.filter(bool),
    logit_bias=st.none()
    | st.dictionaries(st.integers(0, 100000).map(str), st.integers(-100, 100), max_size=3),
    include_usage=st.none() | st.just(True),
).filter(lambda r: _valid(r))


def _valid(request: CompletionRequest) -> bool:
    try:
        request.validate()
    except RequestValidationError:
        return False
    return True


def _normal(request: CompletionRequest) -> dict:
    return request.to_body()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(request=_requests, key=st.from_regex(r"(sk-)?[A-Za-z0-9_\-]{16,60}", fullmatch=True))
def test_generated_code_never_contains_the_key(request, key) -> None:
    headers = {"X-Org": "acme", "X-Relay-Token": key, "X-Trace": f"t {key} t"}
    for language in LANGUAGES:
        code = generate(
            request, "https://api.example.com/v1", language=language.key,
            extra_headers=headers, secrets=[key],
        )  # fmt: skip
        assert key not in code, language.key
        assert "OPENAI_API_KEY" in code


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(request=_requests)
def test_curl_import_round_trips_view_code(request) -> None:
    code = generate(
        request, "https://relay.example.cn/openai", language="curl",
        extra_headers={"X-Org": "团队 'a'"},
    )  # fmt: skip
    imported = parse_curl(code)
    assert imported.base_url == "https://relay.example.cn/openai/v1"
    assert imported.request().to_body() == _normal(request)
    assert imported.headers == {"X-Org": "团队 'a'"}
    assert imported.key_placeholder == "OPENAI_API_KEY" and imported.api_key is None


def test_secret_headers_become_environment_placeholders() -> None:
    request = CompletionRequest(model="m", prompt="hi")
    code = generate(
        request, "http://127.0.0.1:8080", language="python-httpx",
        extra_headers={"X-Api-Key": "abc123", "X-Org": "acme"},
    )  # fmt: skip
    assert "os.environ['X_API_KEY']" in code and "abc123" not in code
    assert "'X-Org': 'acme'" in code
    assert secret_header("Cookie", "x") and not secret_header("X-Org", "acme")
    local = generate(request, "http://127.0.0.1:8080", language="curl", has_key=False)
    assert "Authorization" not in local


# -- the importer on its own -------------------------------------------------------------


def test_import_reads_a_hand_written_command_with_a_literal_key() -> None:
    command = (
        "curl -sS https://api.chatanywhere.tech/v1/completions \\\n"
        f'  -H "Authorization: Bearer {KEY}" -HContent-Type:application/json \\\n'
        "  -H 'X-Org: acme' --proxy http://127.0.0.1:7890 \\\n"
        """  -d '{"model": "gpt-3.5-turbo-instruct", "prompt": "你好", "max_tokens": 7,"""
        """ "temperature": 0, "top_k": 40}'"""
    )
    imported = parse_curl(command)
    assert imported.base_url == "https://api.chatanywhere.tech/v1"
    assert imported.api_key == KEY and imported.key_placeholder is None
    assert imported.headers == {"X-Org": "acme"}
    assert imported.proxy == "http://127.0.0.1:7890"
    request = imported.request()
    assert (request.prompt, request.max_tokens, request.temperature) == ("你好", 7, 0)
    assert request.params["top_k"] == 40  # a known sampler: kept (it used to be dropped)


@pytest.mark.parametrize(
    "command",
    [
        # cmd.exe continuation with escaped double quotes, --json, --url=
        'curl --url=http://localhost:8080/v1/completions ^\n --json "{\\"model\\": \\"m\\",'
        ' \\"prompt\\": \\"x\\"}" -H "Authorization: Bearer %OPENAI_API_KEY%"',
        # PowerShell backtick continuation, -X POST, ${VAR}
        "curl.exe -X POST http://localhost:8080/v1/completions `\n"
        """ -H 'Authorization: Bearer ${OPENAI_API_KEY}' --data-raw '{"model":"m","prompt":"x"}'""",
    ],
)
def test_import_accepts_other_shells(command) -> None:
    imported = parse_curl(command)
    assert imported.base_url == "http://localhost:8080/v1"
    assert imported.key_placeholder == "OPENAI_API_KEY" and imported.api_key is None
    assert imported.request().prompt == "x"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("wget http://x/v1/completions", "starts with curl"),
        (
            """curl https://api.openai.com/v1/chat/completions -d '{"model":"m","messages":[]}'""",
            "chat-completions",
        ),
        ("""curl http://x/v1/completions -d '{"model":"m","messages":[]}'""", "messages"),
        ("curl http://x/v1/completions -d @body.json", "from a file"),
        ("curl http://x/v1/completions -d 'model=m&prompt=x'", "not valid JSON"),
        ("curl http://x/v1/models", "not a /v1/completions endpoint"),
        ("curl -X GET http://x/v1/completions -d '{}'", "POST"),
        ("curl http://x/v1/completions", "no body"),
        ("""curl http://x/v1/completions -d '{"model": "m}""", "quote"),
        ("curl -H 'X: y' -d '{}'", "no URL"),
        ("""curl http://x/v1/completions -H 'Authorization: Basic abc' -d '{}'""", "Bearer"),
    ],
)
def test_import_explains_what_it_cannot_read(command, message) -> None:
    with pytest.raises(CurlImportError, match=message):
        parse_curl(command)


def test_secret_looking_headers_are_not_imported() -> None:
    imported = parse_curl(
        "curl http://x/v1/completions -H 'X-Api-Key: abc' -H 'X-Org: o' -d '{\"model\": \"m\"}'"
    )
    assert imported.headers == {"X-Org": "o"}
    assert any("X-Api-Key" in str(note) for note in imported.notes)


# -- the snippets, run for real against the loopback server ------------------------------


def _request(stream: bool) -> CompletionRequest:
    return CompletionRequest(
        model="loopback-1", prompt="Say \"it's\" 你好 $HOME `x`", max_tokens=6,
        temperature=0.5, stop=("\n\n",), stream=stream, include_usage=stream or None,
    )  # fmt: skip


def _run(argv: list[str], tmp_path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": KEY, "X_RELAY_TOKEN": "relay-secret"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return subprocess.run(
        argv, input=code, capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path
    )


def _check_arrived(api, request: CompletionRequest) -> None:
    posts = [r for r in api.requests if r.method == "POST"]
    assert len(posts) == 1
    assert posts[0].body == request.to_body()
    assert posts[0].headers["authorization"] == f"Bearer {KEY}"
    assert posts[0].headers["x-relay-token"] == "relay-secret"
    assert posts[0].headers["x-org"] == "acme"


_HEADERS = {"X-Org": "acme", "X-Relay-Token": "relay-secret"}


@pytest.mark.parametrize("stream", [False, True])
def test_curl_snippet_runs_with_the_real_curl(api, tmp_path, stream) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (scripts/install-system-deps.sh installs it)")
    request = _request(stream)
    code = generate(
        request, api.base_url(), language="curl", extra_headers=_HEADERS, secrets=["relay-secret"]
    )
    done = _run(["bash", "-e"], tmp_path, code)
    assert done.returncode == 0, done.stderr
    _check_arrived(api, request)
    assert ("data: [DONE]" in done.stdout) is stream and '"choices"' in done.stdout


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("language", ["python-httpx", "python-openai"])
def test_python_snippets_run(api, tmp_path, language, stream) -> None:
    if language == "python-openai":
        pytest.importorskip("openai")
    request = _request(stream)
    code = generate(
        request, api.base_url(), language=language, extra_headers=_HEADERS,
        secrets=["relay-secret"],
    )  # fmt: skip
    done = _run([sys.executable, "-"], tmp_path, code)
    assert done.returncode == 0, done.stderr
    _check_arrived(api, request)
    assert done.stdout.strip()


def _node() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = int(version.lstrip("v").split(".")[0] or 0)
    return node if major >= 18 else None


@pytest.mark.parametrize("stream", [False, True])
def test_javascript_snippet_runs_with_node(api, tmp_path, stream) -> None:
    node = _node()
    if node is None:
        pytest.skip("Node.js 18+ is not installed")
    request = _request(stream)
    code = generate(
        request, api.base_url(), language="javascript-fetch", extra_headers=_HEADERS,
        secrets=["relay-secret"],
    )  # fmt: skip
    script = tmp_path / "snippet.mjs"
    script.write_text(code, encoding="utf-8")
    done = _run([node, str(script)], tmp_path)
    assert done.returncode == 0, done.stderr
    _check_arrived(api, request)
    assert done.stdout.strip()
