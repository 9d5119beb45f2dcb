"""The async completions client: one ``httpx.AsyncClient`` for the whole app, reused.

:meth:`CompletionClient.events` sends a request (streamed or not) and yields
:mod:`app.core.events` as the answer arrives; :meth:`CompletionClient.list_models` fills the
model picker. Every failure is raised as an :class:`app.core.errors.CompletionError`.

Closing a streamed response is shielded from a second cancellation: cancelling the consumer
twice must not leave a pooled connection marked active (httpx issue 3782).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from app import __version__
from app.core.chunks import ChunkDecoder, error_from_object
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError, MalformedResponseError
from app.core.events import Event, StreamDone, StreamWarning
from app.core.http_errors import malformed_body, status_error, transport_error
from app.core.request import CompletionRequest
from app.core.sse import SSEDecoder, SSEEvent
from app.core.wire_log import WireLog

__all__ = ["CompletionClient", "model_ids"]

_MAX_ERROR_BODY = 256 * 1024
_WRITE_TIMEOUT = 60.0
_DRAIN_SECONDS = 0.5


class CompletionClient:
    """Talks to any OpenAI-compatible server. Create one per app and :meth:`aclose` it."""

    def __init__(
        self,
        *,
        proxy: str | None = None,
        trust_env: bool = True,
        max_connections: int = 20,
    ) -> None:
        self._http = httpx.AsyncClient(
            proxy=proxy,
            trust_env=trust_env,
            follow_redirects=True,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=8),
            headers={"User-Agent": f"completion-playground/{__version__}"},
        )

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying httpx client (tests inspect its pool)."""
        return self._http

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> CompletionClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @staticmethod
    def _timeout(endpoint: Endpoint) -> httpx.Timeout:
        return httpx.Timeout(
            connect=endpoint.connect_timeout,
            read=endpoint.read_timeout,
            write=_WRITE_TIMEOUT,
            pool=endpoint.connect_timeout,
        )

    def _transport_error(
        self, exc: httpx.TransportError, endpoint: Endpoint, url: str, *, streaming: bool
    ) -> CompletionError:
        return transport_error(
            exc,
            url=url,
            connect_timeout=endpoint.connect_timeout,
            read_timeout=endpoint.read_timeout,
            streaming=streaming,
        )

    async def _send(
        self, endpoint: Endpoint, request: httpx.Request, wire: WireLog | None = None
    ) -> httpx.Response:
        """Send and return a streaming response whose status is a success."""
        if wire is not None:
            wire.record_request(
                request.method,
                str(request.url),
                dict(request.headers),
                request.content,
                endpoint.api_key,
            )
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise self._transport_error(exc, endpoint, endpoint.base_url, streaming=False) from None
        if wire is not None:
            wire.record_response(
                response.status_code, response.http_version, list(response.headers.items())
            )
        if response.is_success:
            return response
        try:
            body = await _read_limited(response, _MAX_ERROR_BODY)
        except httpx.TransportError:
            body = b""
        finally:
            await asyncio.shield(response.aclose())
        if wire is not None:
            wire.add(body)
        raise status_error(
            response.status_code, response.headers, body, secret=endpoint.api_key
        ) from None

    async def list_models(self, endpoint: Endpoint) -> list[str]:
        """Model ids from ``GET /models``, sorted; raises a CompletionError on failure."""
        request = self._http.build_request(
            "GET",
            endpoint.models_url,
            headers=endpoint.wire_headers(),
            timeout=self._timeout(endpoint),
        )
        response = await self._send(endpoint, request)
        try:
            body = await response.aread()
        except httpx.TransportError as exc:
            raise self._transport_error(exc, endpoint, endpoint.base_url, streaming=True) from None
        finally:
            await asyncio.shield(response.aclose())
        try:
            data = json.loads(body)
        except ValueError:
            raise malformed_body(
                body, response.headers.get("content-type", ""), "a model list"
            ) from None
        return model_ids(data)

    async def event_batches(
        self, endpoint: Endpoint, request: CompletionRequest, wire: WireLog | None = None
    ) -> AsyncIterator[list[Event]]:
        """Send ``request`` and yield the events of each network read as they arrive.

        Events come in batches (one per read) to keep per-token overhead low at thousands
        of tokens a second. Validation happens first
        (:class:`app.core.request.RequestValidationError`). A non-stream request yields the
        whole answer as one batch with one delta per choice. ``wire``, when given, records
        the exchange byte for byte (see :mod:`app.core.wire_log`).
        """
        body = request.to_body()
        http_request = self._http.build_request(
            "POST",
            endpoint.completions_url,
            json=body,
            headers={**endpoint.wire_headers(), "Accept": _accept(request.stream)},
            timeout=self._timeout(endpoint),
        )
        response = await self._send(endpoint, http_request, wire)
        content_type = response.headers.get("content-type", "")
        chunks = response.aiter_bytes()
        if wire is not None:
            chunks = _recorded(chunks, wire)
        try:
            # Look at the start of the body to tell SSE from a plain JSON answer:
            # some servers ignore "stream" and some relays send the wrong content type.
            first = b""
            async for chunk in chunks:
                first += chunk
                if first.strip():
                    break
            stripped = first.lstrip()
            if not request.stream or stripped.startswith((b"{", b"[")) or not stripped:
                rest = [first]
                async for chunk in chunks:
                    rest.append(chunk)
                yield _decode_body(b"".join(rest), content_type)
                return
            if stripped.startswith(b"<"):
                raise malformed_body(stripped, content_type, "an event stream")
            sse = SSEDecoder()
            decoder = ChunkDecoder()
            pending = sse.feed(first)
            while True:
                batch, done, error = _decode_events(pending, decoder)
                if batch:
                    yield batch
                if error is not None:
                    raise error
                if done:
                    await _drain(chunks)
                    return
                chunk = await anext(chunks, None)
                if chunk is None:
                    break
                pending = sse.feed(chunk)
            batch, _, error = _decode_events(sse.flush(), decoder, at_end=True)
            if batch:
                yield batch
            if error is not None:
                raise error
        except httpx.TransportError as exc:
            raise self._transport_error(exc, endpoint, endpoint.base_url, streaming=True) from None
        finally:
            # Close the byte iterator here, in this task: left to the garbage collector it
            # would be closed from another task, which anyio's cancel scopes refuse.
            await chunks.aclose()
            await asyncio.shield(response.aclose())


def _parse_all(items: list[SSEEvent]) -> list[Any] | None:
    """Parse every event's JSON in one call (one array), or ``None`` to go one by one.

    One ``json.loads`` per network read instead of one per token roughly halves the
    parsing cost at high token rates. Any oddity (``[DONE]``, a malformed event, a count
    that does not match) falls back to parsing event by event.
    """
    if len(items) < 2 or items[-1].data == "[DONE]":
        return None
    try:
        values = json.loads("[" + ",".join([item.data for item in items]) + "]")
    except ValueError:
        return None
    return values if len(values) == len(items) else None


def _decode_events(
    items: list[SSEEvent], decoder: ChunkDecoder, *, at_end: bool = False
) -> tuple[list[Event], bool, CompletionError | None]:
    """Events for a list of SSE events: (events, saw [DONE] or an error, the error).

    An error is returned, not raised, so the text before it in the same read is kept.
    """
    out: list[Event] = []
    values = _parse_all(items)
    if values is not None:
        try:
            for obj in values:
                out += decoder.decode(obj)
        except CompletionError as exc:
            return out, True, exc
        return out, False, None
    for item in items:
        data = item.data
        if data == "[DONE]":
            out.append(StreamDone())
            return out, True, None
        try:
            obj = json.loads(data)
        except ValueError:
            out.append(
                StreamWarning(
                    "The stream ended inside an unfinished event."
                    if at_end
                    else f"Skipped a stream event that is not valid JSON: {data[:60]!r}"
                )
            )
            continue
        try:
            out += decoder.decode(obj)
        except CompletionError as exc:
            return out, True, exc
    return out, False, None


def model_ids(data: object) -> list[str]:
    """Sorted model ids from a ``GET /models`` answer (OpenAI's list, or Ollama's tags)."""
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list) and isinstance(data, dict):
        items = data.get("models")
    if not isinstance(items, list):
        raise MalformedResponseError("The server's model list has no 'data' array.")
    ids = set()
    for item in items:
        if isinstance(item, dict):
            name = item.get("id") or item.get("name") or item.get("model")
            if name:
                ids.add(str(name))
    return sorted(ids)


def _accept(stream: bool) -> str:
    return "text/event-stream" if stream else "application/json"


def _decode_body(body: bytes, content_type: str) -> list[Event]:
    """A whole JSON completion body (non-stream answer) as events."""
    try:
        obj: Any = json.loads(body)
    except ValueError:
        raise malformed_body(body, content_type, "JSON") from None
    if isinstance(obj, dict):
        error = error_from_object(obj)
        if error is not None:
            raise error
        if not isinstance(obj.get("choices"), list):
            raise MalformedResponseError("The server's answer has no 'choices' list.")
    return ChunkDecoder().decode(obj)


async def _drain(chunks: AsyncIterator[bytes], seconds: float = _DRAIN_SECONDS) -> None:
    """Read what follows ``[DONE]`` (normally just the end of the body) so the connection
    goes back to the pool for the next run; give up quickly on a relay that keeps it open.
    """
    with contextlib.suppress(TimeoutError, httpx.TransportError):
        async with asyncio.timeout(seconds):
            async for _ in chunks:
                pass


async def _recorded(chunks: AsyncIterator[bytes], wire: WireLog) -> AsyncIterator[bytes]:
    """Pass chunks through, appending each to the wire log."""
    try:
        async for chunk in chunks:
            wire.add(chunk)
            yield chunk
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]


async def _read_limited(response: httpx.Response, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        parts.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(parts)
