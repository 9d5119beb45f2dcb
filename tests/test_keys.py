"""Keys: only in the keyring; without secure storage, session-only and said plainly."""

from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from app.core.connections import Connections
from app.core.keys import SERVICE, KeyStore, classify_backend, probe_in_background
from app.core.profiles import Profile
from tests.keyring_backends import MemoryKeyring


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plaintext file backend."""


class BlockingKeyring(MemoryKeyring):
    released = threading.Event()

    def get_password(self, service, username):
        self.released.wait(10)
        return None


def test_secure_backend_stores_in_the_keyring():
    backend = MemoryKeyring()
    store = KeyStore(backend)
    assert store.probe().secure
    assert store.set("ref1", "sk-secret") is True
    assert backend.store[(SERVICE, "ref1")] == "sk-secret"
    assert store.get("ref1") == "sk-secret"
    store.delete("ref1")
    assert store.get("ref1") is None
    store.delete("ref1")  # deleting twice is fine


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), PlaintextKeyring()])
def test_no_secure_storage_keeps_keys_for_the_session_only(backend):
    store = KeyStore(backend)
    status = store.probe()
    assert not status.secure
    assert "session only" in str(status.describe())
    assert store.set("ref", "sk-1") is False
    assert store.get("ref") == "sk-1"
    assert KeyStore(backend).get("ref") is None  # a new session has nothing


def test_classify_chainer_with_only_fail():
    class Chainer(KeyringBackend):
        priority = 1

        @property
        def backends(self):
            return [fail.Keyring()]

        def get_password(self, *a):
            return None

        def set_password(self, *a):
            pass

        def delete_password(self, *a):
            pass

    assert classify_backend(Chainer()) is not None


async def test_a_locked_keyring_does_not_block_start_up():
    store = KeyStore(BlockingKeyring())
    try:
        status = await probe_in_background(store, timeout=0.2)
    finally:
        BlockingKeyring.released.set()
    assert not status.secure
    assert "did not answer within 0.2 s" in str(status.problem)


async def test_environment_key_overrides_for_remote_profiles(monkeypatch):
    keys = KeyStore(MemoryKeyring())
    keys.probe()
    profile = Profile(name="r", base_url="http://h", key_ref="r1")
    keys.set("r1", "sk-stored")
    connections = Connections(keys)
    assert await connections.key_for(profile) == "sk-stored"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert await connections.key_for(profile) == "sk-env"
    local = Profile(name="l", kind="local-model")
    assert await connections.key_for(local) is None
    await connections.aclose()


@pytest.mark.asyncio
async def test_a_run_right_at_start_up_waits_for_the_keyring_probe():
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "r1", "sk-stored")
    keys = KeyStore(backend)  # not probed yet: the window's probe may still be running
    connections = Connections(keys)
    profile = Profile(name="r", base_url="http://h", key_ref="r1")
    assert await connections.key_for(profile) == "sk-stored"
    assert keys.status is not None and keys.status.secure
    assert connections.probe_keys() is connections.probe_keys()  # one probe, shared
    await connections.aclose()


def test_default_test_backend_is_not_the_real_keyring():
    assert isinstance(keyring.get_keyring(), MemoryKeyring)


async def test_profile_proxy_is_used_and_system_proxy_otherwise(api, monkeypatch):
    """The loopback server doubles as an HTTP proxy; the target host is never contacted."""
    from app.core.request import CompletionRequest
    from app.core.run import execute

    keys = KeyStore(MemoryKeyring())
    keys.probe()
    target = "http://completions.example.invalid/v1"

    async def run_through(profile):
        connections = Connections(keys)  # new clients: they read the proxy settings now
        try:
            return await execute(
                await connections.client(profile),
                await connections.endpoint_for(profile),
                CompletionRequest(model="m", prompt="p", max_tokens=2),
            )
        finally:
            await connections.aclose()

    before = api.proxied_requests
    result = await run_through(Profile(name="p", base_url=target, proxy=api.url))
    assert result.ok, result.error
    assert api.proxied_requests == before + 1
    # No proxy in the profile: the system's proxy variables apply.
    monkeypatch.setenv("HTTP_PROXY", api.url)
    result = await run_through(Profile(name="q", base_url=target))
    assert result.ok, result.error
    assert api.proxied_requests == before + 2
