"""From a profile to something to send requests to: an endpoint (with its key) and a client.

:class:`Connections` is the one place that knows where keys come from
(``$OPENAI_API_KEY`` for remote profiles, else the keyring), starts the local model when a
local profile needs it, and keeps one HTTP client per proxy setting (httpx sets proxies per
client). Without a proxy in the profile the system's proxy variables are honoured.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.endpoint import Endpoint
from app.core.keys import KeyStatus, KeyStore, probe_in_background
from app.core.local_model import LocalModelServer
from app.core.messages import Message
from app.core.profiles import Profile

if TYPE_CHECKING:  # the HTTP stack loads on first use, not at start-up
    import asyncio

    from app.core.client import CompletionClient

__all__ = ["PROBE_TIMEOUT", "Connections"]

#: How long the keyring may take to answer its first question (a locked one may hang).
PROBE_TIMEOUT = 5.0


class Connections:
    def __init__(self, keys: KeyStore, local_model: LocalModelServer | None = None) -> None:
        self.keys = keys
        self.local_model = local_model or LocalModelServer()
        self._clients: dict[str | None, CompletionClient] = {}
        self._making: dict[str | None, asyncio.Future[CompletionClient]] = {}
        self._probe: asyncio.Task[KeyStatus] | None = None

    def probe_keys(self) -> asyncio.Task[KeyStatus]:
        """Check the keyring once, off the event loop's thread, with a time limit."""
        import asyncio

        if self._probe is None:
            self._probe = asyncio.get_running_loop().create_task(
                probe_in_background(self.keys, PROBE_TIMEOUT)
            )
        return self._probe

    @staticmethod
    def _proxy(profile: Profile) -> str | None:
        # The local server is on loopback: never send it through a proxy.
        return None if profile.is_local_model else (profile.proxy or None)

    @classmethod
    def _new_client(cls, profile: Profile) -> CompletionClient:
        from app.core.client import CompletionClient

        return CompletionClient(proxy=cls._proxy(profile), trust_env=not profile.is_local_model)

    async def client(self, profile: Profile) -> CompletionClient:
        """The profile's HTTP client (one per proxy setting); a new one is made in a worker
        thread. Importing the HTTP stack and loading the system's certificates cost the
        event loop 57-170 ms on the first run; the window asks for it after start-up."""
        import asyncio

        proxy = self._proxy(profile)
        if proxy not in self._clients:
            making = self._making.get(proxy)
            if making is None:
                making = asyncio.ensure_future(asyncio.to_thread(self._new_client, profile))
                self._making[proxy] = making
                making.add_done_callback(lambda done: self._made(proxy, done))
            return self._clients.setdefault(proxy, await asyncio.shield(making))
        return self._clients[proxy]

    def _made(self, proxy: str | None, making: asyncio.Future[CompletionClient]) -> None:
        # Kept even when whoever asked has gone (cancelled): closed by aclose().
        self._making.pop(proxy, None)
        if not making.cancelled() and making.exception() is None:
            self._clients.setdefault(proxy, making.result())

    async def key_for(self, profile: Profile) -> str | None:
        """The key to send: ``$OPENAI_API_KEY`` (remote profiles), else the stored one."""
        import asyncio

        if profile.is_local_model:
            return None
        env = self.keys.environment_key()
        if env:
            return env
        if not profile.key_ref:
            return None
        if self.keys.status is None:  # a run right at start-up: the probe must come first
            await self.probe_keys()
        # A keyring read can block (D-Bus): keep it off the event loop's thread.
        return await asyncio.to_thread(self.keys.get, profile.key_ref)

    async def endpoint_for(
        self, profile: Profile, on_progress: Callable[[Message], None] | None = None
    ) -> Endpoint:
        """The endpoint for a run; starts the local model first when the profile needs it."""
        if profile.is_local_model:
            info = await self.local_model.ensure_started(profile.model_path, on_progress)
            return profile.endpoint(info.api_key, base_url=info.base_url)
        return profile.endpoint(await self.key_for(profile))

    async def aclose(self) -> None:
        import asyncio

        for making in list(self._making.values()):  # clients still being made: wait for them
            with contextlib.suppress(Exception):
                await asyncio.shield(making)
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
        await self.local_model.stop()
