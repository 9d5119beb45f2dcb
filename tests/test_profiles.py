"""Profiles: templates, the versioned file, corrupt files kept aside, atomic writes."""

from __future__ import annotations

import json

import pytest

from app.core.profiles import (
    LOCAL_MODEL,
    SCHEMA_VERSION,
    TEMPLATES,
    Profile,
    ProfileError,
    ProfileStore,
)


def test_first_launch_default_is_the_local_model(tmp_path):
    loaded = ProfileStore(tmp_path).load()
    assert loaded.problem is None
    assert loaded.current_profile.kind == LOCAL_MODEL
    assert loaded.current_profile.name == "Local model"
    assert not (tmp_path / "profiles.json").exists()  # nothing written just by reading


def test_templates_cover_the_usual_servers():
    urls = {t.label: t.base_url for t in TEMPLATES}
    assert urls["OpenAI"] == "https://api.openai.com/v1"
    assert urls["chatanywhere"] == "https://api.chatanywhere.tech/v1"
    assert urls["wushuangai"] == "https://www.wushuangai.com/v1"
    assert urls["llama.cpp server"].endswith(":8080/v1")
    assert urls["vLLM"].endswith(":8000/v1")
    assert urls["Ollama"].endswith(":11434/v1")
    assert urls["LM Studio"].endswith(":1234/v1")
    assert any(t.kind == LOCAL_MODEL for t in TEMPLATES)


def test_round_trip_keeps_unknown_fields_and_writes_atomically(tmp_path):
    store = ProfileStore(tmp_path)
    relay = TEMPLATES[2].make("relay")
    relay.headers = {"X-Org": "team"}
    relay.proxy = "socks5://127.0.0.1:1080"
    relay.key_ref = relay.id
    relay.extra = {"future_field": [1, 2]}
    store.save([relay], "relay")
    assert [p.name for p in tmp_path.iterdir()] == ["profiles.json"]  # no temp file left
    data = json.loads((tmp_path / "profiles.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["profiles"][0]["future_field"] == [1, 2]
    loaded = store.load()
    assert loaded.current == "relay"
    assert loaded.profiles[0] == relay


def test_corrupt_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "profiles.json"
    path.write_text('{"schema_version": 1, "profiles": [', encoding="utf-8")
    loaded = ProfileStore(tmp_path).load()
    assert "could not be read" in str(loaded.problem)
    assert str(path) in str(loaded.problem)
    assert (tmp_path / "profiles.json.corrupt").read_text() == '{"schema_version": 1, "profiles": ['
    assert not path.exists()
    assert loaded.current_profile.kind == LOCAL_MODEL
    path.write_text("[]")  # a second bad file never overwrites the first one kept aside
    path.write_text("{")
    ProfileStore(tmp_path).load()
    assert (tmp_path / "profiles.json.corrupt-1").read_text() == "{"


@pytest.mark.parametrize(
    "profiles",
    [
        [{"name": "a", "base_url": "ftp://x"}],
        [{"name": "a", "base_url": "http://x", "read_timeout": -1}],
        [{"name": "a", "base_url": "http://x"}, {"name": "a", "base_url": "http://y"}],
        [{"base_url": "http://x"}],
        [{"name": "a", "base_url": "http://x", "headers": {"Authorization": "Bearer k"}}],
    ],
)
def test_invalid_profiles_make_the_file_corrupt_not_silently_fixed(tmp_path, profiles):
    (tmp_path / "profiles.json").write_text(json.dumps({"schema_version": 1, "profiles": profiles}))
    loaded = ProfileStore(tmp_path).load()
    assert loaded.problem
    assert (tmp_path / "profiles.json.corrupt").exists()


def test_migration_from_version_0(tmp_path):
    (tmp_path / "profiles.json").write_text(
        json.dumps([{"name": "old", "base_url": "http://127.0.0.1:8080"}])
    )
    loaded = ProfileStore(tmp_path).load()
    assert loaded.problem is None
    assert loaded.profiles[0].name == "old"


def test_newer_schema_is_read_and_said(tmp_path):
    (tmp_path / "profiles.json").write_text(
        json.dumps({"schema_version": 99, "profiles": [{"name": "n", "base_url": "http://h"}]})
    )
    loaded = ProfileStore(tmp_path).load()
    assert "newer version" in str(loaded.problem)
    assert loaded.profiles[0].name == "n"


def test_profile_endpoint_carries_headers_and_timeouts():
    p = Profile(
        name="x",
        base_url="https://h/v1/completions",
        headers={"X-A": "1"},
        connect_timeout=3,
        read_timeout=7,
    )
    e = p.endpoint("sk-k")
    assert e.base_url == "https://h/v1"
    assert e.request_headers() == {"X-A": "1", "Authorization": "Bearer sk-k"}
    assert (e.connect_timeout, e.read_timeout) == (3.0, 7.0)
    with pytest.raises(ProfileError, match="proxy"):
        Profile(name="x", base_url="http://h", proxy="127.0.0.1:7890").validate()
