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
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import orjson

from app import __version__
from app.core.chunks import ChunkDecoder, error_from_object
from app.core.endpoint import Endpoint
from app.core.errors import (
    CompletionError,
    IncompleteStreamError,
    MalformedResponseError,
    RedirectError,
    RequestNotSentError,
    StreamError,
    UnexpectedError,
)
from app.core.events import Event, StreamDone, StreamWarning
from app.core.http_errors import malformed_body, request_id, status_error, transport_error
from app.core.messages import QT_TRANSLATE_NOOP, kind
from app.core.request import CompletionRequest
from app.core.sse import SSEDataRun, SSEDecoder, SSEEvent, SSEEventTooLarge
from app.core.wire_log import WireLog

__all__ = ["CompletionClient", "model_ids"]

_MAX_ERROR_BODY = 256 * 1024
_WRITE_TIMEOUT = 60.0
_DRAIN_SECONDS = 0.5
_MAX_REDIRECTS = 5
_BODY_PIECE = 64 * 1024
#: Stream events whose JSON is parsed in one call (see _decode_events).
_PARSE_GROUP = 16
#: A request body this large that got no answer was most likely refused while being sent.
_LARGE_BODY = 256 * 1024
#: A non-streamed answer larger than this is refused (an endless or hostile body).
_MAX_BODY = 256 * 1024 * 1024

NO_MODEL_LIST = kind(
    "response.no_model_list",
    QT_TRANSLATE_NOOP("Core", "The server's model list has no 'data' array."),
)
NO_CHOICES = kind(
    "response.no_choices", QT_TRANSLATE_NOOP("Core", "The server's answer has no 'choices' list.")
)
NO_EVENTS = kind(
    "response.no_events",
    QT_TRANSLATE_NOOP(
        "Core", "The server answered 200 but sent no completion events; it sent: “{snippet}”."
    ),
)
EVENT_TOO_LARGE = kind(
    "response.event_too_large",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server sent one stream event larger than {megabytes} MB; the stream was stopped.",
    ),
)
SKIPPED_NOT_JSON = kind(
    "stream.skipped_not_json",
    QT_TRANSLATE_NOOP("Core", "Skipped a stream event that is not valid JSON: {snippet}"),
)
UNFINISHED_EVENT = kind(
    "stream.unfinished_event",
    QT_TRANSLATE_NOOP("Core", "The stream ended inside an unfinished event."),
)


class _SentBody:
    """The request body as an async stream that knows whether it went out completely.

    Sent with an explicit ``Content-Length``, so the wire format is the same as for plain
    bytes (httpx then uses no chunked encoding). A server that closes the connection while
    the body is still being written (413 for a huge prompt) is told apart from one that
    fails later.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.complete = False

    def closed_early(self, exc: Exception) -> bool:
        """Whether ``exc`` (before any answer) means the server hung up on the body.

        The kernel may accept a few megabytes before the peer's reset arrives, so a large
        body that "went out" and got no answer at all counts as closed while sending too.
        """
        broken = isinstance(exc, (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError))
        return broken and (not self.complete or len(self.data) >= _LARGE_BODY)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        view = memoryview(self.data)
        for start in range(0, len(view), _BODY_PIECE):
            yield bytes(view[start : start + _BODY_PIECE])
        self.complete = True


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _guarded(function: Any) -> Any:
    """Turn any exception but a CompletionError or a cancellation into an UnexpectedError:
    a network task ends in one sentence, never a traceback or a silent death."""

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await function(*args, **kwargs)
        except (CompletionError, asyncio.CancelledError):
            raise
        except Exception as exc:
            raise UnexpectedError(exc) from exc

    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    return wrapper


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
            # Redirects are never followed blindly: a credential must not reach another
            # origin, and a POST must not turn into a body-less GET (see _send).
            follow_redirects=False,
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
        self,
        endpoint: Endpoint,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, Any],
        wire: WireLog | None = None,
        sent_keys: Any = None,
    ) -> httpx.Response:
        """Send and return a streaming response whose status is a success.

        A redirect is followed only within the same origin and only where the method and
        body survive it (307/308, or any redirect of a GET); anything else is reported
        with the new address, so no credential or prompt goes anywhere unexpected.
        """
        redact = endpoint.redactor
        target = httpx.URL(url)
        for _hop in range(_MAX_REDIRECTS + 1):
            sent = _SentBody(body) if body is not None else None
            request = self._http.build_request(
                method,
                target,
                content=sent,
                headers={**headers, "Content-Length": str(len(body))}
                if body is not None
                else headers,
                timeout=self._timeout(endpoint),
            )
            if wire is not None:
                wire.record_request(method, str(target), dict(request.headers), body or b"", redact)
            try:
                response = await self._http.send(request, stream=True)
            except httpx.RequestError as exc:
                if sent is not None and sent.closed_early(exc):
                    raise RequestNotSentError(endpoint.base_url) from None
                error = self._transport_error(exc, endpoint, endpoint.base_url, streaming=False)
                raise error.redacted(redact) from None
            if wire is not None:
                wire.record_response(
                    response.status_code, response.http_version, list(response.headers.items())
                )
            if response.is_redirect:
                await asyncio.shield(response.aclose())
                location = response.headers.get("location", "")
                try:
                    next_url = target.join(location)
                except (httpx.InvalidURL, ValueError):
                    raise RedirectError(endpoint.base_url, response.status_code, location) from None
                keeps_body = response.status_code in (307, 308) or method == "GET"
                if not (keeps_body and _same_origin(target, next_url)):
                    raise RedirectError(
                        endpoint.base_url, response.status_code, redact(str(next_url))
                    )
                target = next_url
                continue
            if response.is_success:
                return response
            try:
                error_body = await _read_limited(response, _MAX_ERROR_BODY)
            except httpx.RequestError:
                error_body = b""
            finally:
                await asyncio.shield(response.aclose())
            if sent is not None and not sent.complete:
                raise RequestNotSentError(endpoint.base_url, response.status_code)
            if wire is not None:
                wire.add(error_body)
            raise status_error(
                response.status_code,
                response.headers,
                error_body,
                redact=redact,
                sent=sent_keys,
            ) from None
        raise RedirectError(endpoint.base_url, 0, None)

    @_guarded
    async def list_models(self, endpoint: Endpoint) -> list[str]:
        """Model ids from ``GET /models``, sorted; raises a CompletionError on failure."""
        return model_ids(await self.get_json(endpoint, endpoint.models_url, what="models"))

    @_guarded
    async def get_json(self, endpoint: Endpoint, url: str, *, what: str = "json") -> Any:
        """``GET url`` with the endpoint's headers; the decoded JSON, or a CompletionError."""
        response = await self._send(endpoint, "GET", url, headers=endpoint.wire_headers())
        return await self._json_answer(endpoint, response, what)

    @_guarded
    async def post_json(self, endpoint: Endpoint, url: str, payload: Any) -> Any:
        """``POST url`` with a JSON body (tokenizers and the like); the decoded answer."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {**endpoint.wire_headers(), "Content-Type": "application/json"}
        response = await self._send(endpoint, "POST", url, body=body, headers=headers)
        return await self._json_answer(endpoint, response, "json")

    async def _json_answer(self, endpoint: Endpoint, response: httpx.Response, what: str) -> Any:
        """A non-streamed answer's JSON (at most 16 MB read), the response closed."""
        try:
            body = await _read_limited(response, 16 * 1024 * 1024)
        except httpx.RequestError as exc:
            error = self._transport_error(exc, endpoint, endpoint.base_url, streaming=True)
            raise error.redacted(endpoint.redactor) from None
        finally:
            await asyncio.shield(response.aclose())
        try:
            return json.loads(body)
        except ValueError:
            raise malformed_body(body, response.headers.get("content-type", ""), what) from None

    async def event_batches(
        self, endpoint: Endpoint, request: CompletionRequest, wire: WireLog | None = None
    ) -> AsyncIterator[list[Event]]:
        """Send ``request`` and yield the events of each network read as they arrive.

        Events come in batches (one per read) to keep per-token overhead low at thousands
        of tokens a second. Validation happens first
        (:class:`app.core.request.RequestValidationError`). A non-stream request yields the
        whole answer as one batch with one delta per choice. ``wire``, when given, records
        the exchange byte for byte (see :mod:`app.core.wire_log`).

        A stream that ends with no ``[DONE]`` and no finish reason on any choice raises
        :class:`IncompleteStreamError` after its text; a 200 answer with no event at all
        raises :class:`MalformedResponseError` saying what came back. Every failure is a
        :class:`CompletionError` with the endpoint's secrets scrubbed from it.
        """
        body = request.to_body()
        redact = endpoint.redactor
        answer: dict[str, str | None] = {}
        try:
            async for batch in self._event_batches(endpoint, request, body, wire, answer):
                yield batch
        except StreamError as exc:
            raise exc.attach_request_id(answer.get("request_id")).redacted(redact) from None
        except CompletionError as exc:
            raise exc.redacted(redact) from None
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as exc:
            raise UnexpectedError(exc).redacted(redact) from exc

    async def _event_batches(
        self,
        endpoint: Endpoint,
        request: CompletionRequest,
        body: dict[str, Any],
        wire: WireLog | None,
        answer: dict[str, str | None],
    ) -> AsyncIterator[list[Event]]:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            **endpoint.wire_headers(),
            "Content-Type": "application/json",
            "Accept": _accept(request.stream),
        }
        response = await self._send(
            endpoint,
            "POST",
            endpoint.completions_url,
            body=data,
            headers=headers,
            wire=wire,
            sent_keys=body.keys(),
        )
        content_type = response.headers.get("content-type", "")
        answer["request_id"] = request_id(response.headers)
        chunks = response.aiter_bytes()
        # The wire log records each read here, not in a wrapping generator: one async
        # generator hop less per read.
        record = wire.add if wire is not None else None
        try:
            # Look at the start of the body to tell SSE from a plain JSON answer:
            # some servers ignore "stream" and some relays send the wrong content type.
            first = b""
            async for chunk in chunks:
                if record is not None:
                    record(chunk)
                first += chunk
                if first.strip():
                    break
            stripped = first.lstrip()
            if not request.stream or stripped.startswith((b"{", b"[")) or not stripped:
                rest = [first]
                size = len(first)
                async for chunk in chunks:
                    if record is not None:
                        record(chunk)
                    rest.append(chunk)
                    size += len(chunk)
                    if size > _MAX_BODY:
                        raise MalformedResponseError(EVENT_TOO_LARGE(megabytes=_MAX_BODY >> 20))
                yield _decode_body(b"".join(rest), content_type)
                return
            if stripped.startswith(b"<"):
                raise malformed_body(stripped, content_type, "stream")
            sse = SSEDecoder()
            decoder = ChunkDecoder()
            seen_events = False
            try:
                pending: list[SSEEvent] | SSEDataRun = sse.feed_run(first)
                while True:
                    seen_events = seen_events or bool(pending)
                    batch, done, error = _decode_events(pending, decoder)
                    if batch:
                        yield batch
                    if error is not None:
                        raise error
                    if done:
                        await _drain(chunks, record)
                        return
                    # One read: what ``anext(chunks, None)`` does, without its wrapper.
                    try:
                        chunk = await chunks.__anext__()
                    except StopAsyncIteration:
                        break
                    if record is not None:
                        record(chunk)
                    pending = sse.feed_run(chunk)
                pending = sse.flush()
            except SSEEventTooLarge:
                raise MalformedResponseError(
                    EVENT_TOO_LARGE(megabytes=sse.max_event_bytes >> 20)
                ) from None
            seen_events = seen_events or bool(pending)
            batch, _, error = _decode_events(pending, decoder, at_end=True)
            if batch:
                yield batch
            if error is not None:
                raise error
            if not seen_events:
                snippet = " ".join(stripped[:200].decode("utf-8", "replace").split())[:80]
                raise MalformedResponseError(NO_EVENTS(snippet=snippet))
            if not decoder.finished:
                raise IncompleteStreamError()
        except httpx.RequestError as exc:
            raise self._transport_error(exc, endpoint, endpoint.base_url, streaming=True) from None
        finally:
            # Close the byte iterator here, in this task: left to the garbage collector it
            # would be closed from another task, which anyio's cancel scopes refuse.
            await chunks.aclose()  # type: ignore[attr-defined]
            await asyncio.shield(response.aclose())


def _parse_all(items: list[SSEEvent]) -> list[Any] | None:
    """Parse every event's JSON in one call (one array), or ``None`` to go one by one.

    One parse for many events instead of one per token cuts the parsing cost at
    high token rates. Any oddity (``[DONE]``, a malformed event, a count that does not
    match) falls back to parsing event by event.
    """
    if len(items) < 2 or items[-1].data == "[DONE]":
        return None
    values = _loads_array("[" + ",".join([item.data for item in items]) + "]")
    return values if values is not None and len(values) == len(items) else None


def _decode_events(
    items: list[SSEEvent] | SSEDataRun, decoder: ChunkDecoder, *, at_end: bool = False
) -> tuple[list[Event], bool, CompletionError | None]:
    """Events for the SSE events of a read: (events, saw [DONE] or an error, the error).

    An error is returned, not raised, so the text before it in the same read is kept.
    The JSON of a read is parsed in groups of :data:`_PARSE_GROUP` events: few enough
    that their objects, all alive at once, do not set off the garbage collector (a read
    of a few hundred events with logprobs holds thousands of dicts and lists; each
    collection they trigger also promotes them, and full collections walk the whole heap).
    """
    out: list[Event] = []
    try:
        if type(items) is SSEDataRun:
            payloads = items.payloads
            if len(payloads) < 2 or payloads[-1] == b"[DONE]":
                return out, _decode_each(items.events(), decoder, out, at_end), None
            for start in range(0, len(payloads), _PARSE_GROUP):
                group = payloads[start : start + _PARSE_GROUP]
                values = _parse_payloads(group)
                if values is not None:
                    decoder.decode_into(values, out)
                elif _decode_each(SSEDataRun(group, items.id).events(), decoder, out, at_end):
                    return out, True, None
            return out, False, None
        if len(items) >= 2 and items[-1].data != "[DONE]":
            for start in range(0, len(items), _PARSE_GROUP):
                group = items[start : start + _PARSE_GROUP]
                values = _parse_all(group)
                if values is not None:
                    decoder.decode_into(values, out)
                elif _decode_each(group, decoder, out, at_end):
                    return out, True, None
            return out, False, None
        return out, _decode_each(items, decoder, out, at_end), None
    except CompletionError as exc:
        return out, True, exc


def _parse_payloads(payloads: list[bytes]) -> list[Any] | None:
    """:func:`_parse_all` for raw ``data:`` payloads: decoded once, as one array."""
    if len(payloads) < 2 or payloads[-1] == b"[DONE]":
        return None
    values = _loads_array(b"[" + b",".join(payloads) + b"]")
    return values if values is not None and len(values) == len(payloads) else None


def _loads_array(body: bytes | str) -> list[Any] | None:
    """A JSON array of events, or ``None`` (then the events are read one by one, by
    ``json``). orjson parses a read's events in about half the time ``json`` takes (its
    share of a stream with logprobs was ~37%); what it refuses and ``json`` takes
    (``NaN``/``Infinity``, invalid UTF-8, a lone surrogate) is left to that fallback, so
    every stream reads as before. (Integers beyond 64 bits, which no server sends, come
    as floats from orjson.)"""
    try:
        values = orjson.loads(body)
    except ValueError:
        return None
    return values if type(values) is list else None


def _decode_each(
    items: list[SSEEvent], decoder: ChunkDecoder, out: list[Event], at_end: bool
) -> bool:
    """Decode events one by one into ``out``; whether ``[DONE]`` came (the rest is left)."""
    for item in items:
        data = item.data
        if data == "[DONE]":
            out.append(StreamDone())
            return True
        try:
            obj = json.loads(data)
        except ValueError:
            out.append(
                StreamWarning(
                    UNFINISHED_EVENT() if at_end else SKIPPED_NOT_JSON(snippet=repr(data[:60]))
                )
            )
            continue
        out += decoder.decode(obj)
    return False


def model_ids(data: object) -> list[str]:
    """Sorted model ids from a ``GET /models`` answer (OpenAI's list, or Ollama's tags)."""
    items = data.get("data") if isinstance(data, dict) else data
    if not isinstance(items, list) and isinstance(data, dict):
        items = data.get("models")
    if not isinstance(items, list):
        raise MalformedResponseError(NO_MODEL_LIST())
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
        obj: Any = orjson.loads(body)  # a long answer with logprobs is tens of MB
    except ValueError:
        try:  # what orjson refuses and json reads: NaN/Infinity, UTF-16, a lone surrogate
            obj = json.loads(body)
        except ValueError:
            raise malformed_body(body, content_type, "completion") from None
    if isinstance(obj, dict):
        error = error_from_object(obj)
        if error is not None:
            raise error
        if not isinstance(obj.get("choices"), list):
            raise MalformedResponseError(NO_CHOICES())
    return ChunkDecoder().decode(obj)


async def _drain(
    chunks: AsyncIterator[bytes],
    record: Callable[[bytes], None] | None = None,
    seconds: float = _DRAIN_SECONDS,
) -> None:
    """Read what follows ``[DONE]`` (normally just the end of the body) so the connection
    goes back to the pool for the next run; give up quickly on a relay that keeps it open.
    ``record`` sees every read (the wire log).
    """
    with contextlib.suppress(TimeoutError, httpx.TransportError):
        async with asyncio.timeout(seconds):
            async for chunk in chunks:
                if record is not None:
                    record(chunk)


async def _read_limited(response: httpx.Response, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        parts.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(parts)
