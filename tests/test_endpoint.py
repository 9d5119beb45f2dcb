"""Base URL normalisation: every shape users paste ends up as one ``.../v1`` base."""

from __future__ import annotations

import pytest

from app.core.endpoint import Endpoint, InvalidBaseURL, normalise_base_url


@pytest.mark.parametrize(
    "pasted",
    [
        "https://api.chatanywhere.tech",
        "https://api.chatanywhere.tech/",
        "https://api.chatanywhere.tech/v1",
        "https://api.chatanywhere.tech/v1/",
        "https://api.chatanywhere.tech/v1/completions",
        "https://api.chatanywhere.tech/v1/completions/",
        "https://api.chatanywhere.tech/v1/chat/completions",
        "https://api.chatanywhere.tech/v1/models",
        "  https://api.chatanywhere.tech/v1  ",
        "api.chatanywhere.tech",
    ],
)
def test_pasted_urls_normalise(pasted):
    assert normalise_base_url(pasted) == "https://api.chatanywhere.tech/v1"


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("localhost:8080", "http://localhost:8080/v1"),
        ("127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"),
        ("http://host:8000/openai/v1/completions", "http://host:8000/openai/v1"),
        ("https://example.com/api", "https://example.com/api/v1"),
        ("https://example.com/v2", "https://example.com/v2"),
    ],
)
def test_other_shapes(pasted, expected):
    assert normalise_base_url(pasted) == expected


@pytest.mark.parametrize("bad", ["", "   ", "ftp://host/v1", "http://"])
def test_bad_urls_are_refused(bad):
    with pytest.raises(InvalidBaseURL):
        normalise_base_url(bad)


def test_endpoint_urls_and_auth_header():
    e = Endpoint("https://h/v1/completions", api_key="sk-secret")
    assert e.completions_url == "https://h/v1/completions"
    assert e.models_url == "https://h/v1/models"
    assert e.request_headers()["Authorization"] == "Bearer sk-secret"
    assert "sk-secret" not in repr(e)
    with_header = Endpoint("https://h/v1", headers=(("X-Api-Key", "hdr-secret"),))
    assert with_header.request_headers()["X-Api-Key"] == "hdr-secret"
    assert "hdr-secret" not in repr(with_header)
    assert "Authorization" not in Endpoint("https://h").request_headers()


def test_the_local_model_server_s_key_is_not_in_its_repr(tmp_path):
    from app.core.local_model import LocalServerInfo

    info = LocalServerInfo("http://127.0.0.1:1/v1", "local-secret", tmp_path / "m.gguf", 1)
    assert "local-secret" not in repr(info) and "127.0.0.1" in repr(info)
