"""The HTTP client: one per proxy setting, made off the event loop's thread."""

from __future__ import annotations

import asyncio
import threading

from app.core import connections as module
from app.core.connections import Connections
from app.core.keys import KeyStore
from app.core.profiles import Profile
from tests.keyring_backends import MemoryKeyring


async def test_the_client_is_made_in_a_worker_thread_once_for_all_who_ask(monkeypatch):
    made_on: list[int] = []
    real = Connections._new_client.__func__

    def recording(cls, profile):
        made_on.append(threading.get_ident())
        return real(cls, profile)

    monkeypatch.setattr(module.Connections, "_new_client", classmethod(recording))
    connections = Connections(KeyStore(MemoryKeyring()))
    profile = Profile(name="p", base_url="http://127.0.0.1:9/v1")
    try:
        first, second = await asyncio.gather(
            connections.client(profile), connections.client(profile)
        )
        assert first is second
        assert made_on and made_on[0] != threading.get_ident()  # not the loop's thread
        assert len(made_on) == 1
        proxied = await connections.client(
            Profile(name="q", base_url="http://x/v1", proxy="http://127.0.0.1:9")
        )
        assert proxied is not first  # httpx sets proxies per client
    finally:
        await connections.aclose()
    assert first.http.is_closed


async def test_a_client_being_made_when_the_app_closes_is_closed_too(monkeypatch):
    made = []
    real = Connections._new_client.__func__

    def recording(cls, profile):
        made.append(real(cls, profile))
        return made[-1]

    monkeypatch.setattr(module.Connections, "_new_client", classmethod(recording))
    connections = Connections(KeyStore(MemoryKeyring()))
    asker = asyncio.ensure_future(connections.client(Profile(name="p", base_url="http://h/v1")))
    await asyncio.sleep(0)
    asker.cancel()  # whoever asked went away; the client is still made
    await connections.aclose()
    assert len(made) == 1
    assert made[0].http.is_closed
    assert not connections._making
