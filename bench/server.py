"""A benchmark server: answers ``/v1/completions`` with a prebuilt streamed body.

    python bench/server.py [--port 8012]

It prints ``Serving on http://127.0.0.1:PORT/v1`` and then serves until killed. A request's
stream is chosen by the base URL, ``{url}/s/<name>;key=value;.../v1`` (``<name>`` is free):

``tokens=N``      tokens in the stream (default: the request's ``max_tokens``, else 16);
``newlines=K``    every K-th token ends with a newline; 0 (default) for none, 1 for all;
``logprobs=K``    top-K logprobs per token (OpenAI's legacy arrays); default: the request's
                  ``logprobs``, none when it has none; ``logprobs=0`` for none regardless;
``framing=F``     ``chunked`` (default, 64 KiB chunks) or ``length`` (Content-Length).

The choice text cycles through the loopback server's tokens (ASCII, CJK, emoji). The whole
HTTP response (headers and body, every SSE event JSON-encoded) is built once per config and
cached, then written with ``sendall`` in 1 MiB slices, so a client's timing contains reading
and decoding only, not the server's JSON encoding. Send one warm-up request per config
before timing. Keep-alive HTTP/1.1; every connection has its own thread, and the server
runs in its own process so it does not compete with the measured client for the GIL.

``GET /v1/models`` lists one model; other paths get a JSON 404.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import threading
import time
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import unquote

__all__ = ["TOKENS", "StreamConfig", "build_response", "parse_path", "serve"]

#: The loopback server's tokens (tests/loopback_server.py): ASCII, CJK and an emoji.
TOKENS = ["Hello", ",", " world", "!", " 你好", "世界", " 🙂", " end"]
_SEND_SLICE = 1 << 20
_CHUNK_FRAME = 64 * 1024
_MAX_HEAD = 64 * 1024


class StreamConfig(NamedTuple):
    """What one prebuilt stream holds."""

    tokens: int
    newlines: int = 0
    logprobs: int = 0
    framing: str = "chunked"
    model: str = "bench-model"


def _token(j: int, newlines: int) -> str:
    token = TOKENS[j % len(TOKENS)]
    return token + "\n" if newlines and (j + 1) % newlines == 0 else token


def _logprobs(token: str, j: int, k: int, offset: int) -> dict[str, Any]:
    lp = round(-0.1 * (j % 7) - 0.05, 4)
    top = {token: lp}
    others = [t for t in TOKENS if t != token]
    for m in range(k - 1):
        top[others[(j + m) % len(others)]] = round(lp - 0.5 * (m + 1), 4)
    return {
        "tokens": [token],
        "token_logprobs": [lp],
        "top_logprobs": [top],
        "text_offset": [offset],
    }


def build_body(config: StreamConfig) -> bytes:
    """The SSE body: one event per token, a finish reason on the last, then ``[DONE]``."""
    head = {
        "id": "cmpl-bench-1",
        "object": "text_completion",
        "created": int(time.time()),
        "model": config.model,
    }
    events: list[bytes] = []
    offset = 0
    count = max(config.tokens, 1)
    for j in range(count):
        token = _token(j, config.newlines) if config.tokens else ""
        choice = {
            "text": token,
            "index": 0,
            "logprobs": _logprobs(token, j, config.logprobs, offset) if config.logprobs else None,
            "finish_reason": "length" if j == count - 1 else None,
        }
        offset += len(token)
        chunk = json.dumps({**head, "choices": [choice]}, ensure_ascii=False)
        events.append(b"data: " + chunk.encode() + b"\n\n")
    usage = {"prompt_tokens": 1, "completion_tokens": config.tokens}
    usage["total_tokens"] = usage["prompt_tokens"] + config.tokens
    events.append(
        b"data: " + json.dumps({**head, "choices": [], "usage": usage}).encode() + b"\n\n"
    )
    events.append(b"data: [DONE]\n\n")
    return b"".join(events)


@lru_cache(maxsize=32)
def build_response(config: StreamConfig) -> bytes:
    """The whole HTTP response for ``config`` (status line, headers, framed body), cached."""
    body = build_body(config)
    headers = [
        "HTTP/1.1 200 OK",
        "Content-Type: text/event-stream; charset=utf-8",
        "Cache-Control: no-cache",
        "Connection: keep-alive",
    ]
    if config.framing == "length":
        headers.append(f"Content-Length: {len(body)}")
        framed = body
    else:
        headers.append("Transfer-Encoding: chunked")
        view = memoryview(body)
        frames = []
        for start in range(0, len(body), _CHUNK_FRAME):
            piece = view[start : start + _CHUNK_FRAME]
            frames.append(b"%x\r\n" % len(piece) + bytes(piece) + b"\r\n")
        frames.append(b"0\r\n\r\n")
        framed = b"".join(frames)
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + framed


def parse_path(path: str) -> tuple[str, dict[str, str]]:
    """``/s/<name;k=v;...>/v1/completions`` → (``/v1/completions``, params)."""
    path = path.split("?", 1)[0]
    params: dict[str, str] = {}
    if path.startswith("/s/"):
        spec, _, rest = path[3:].partition("/")
        for item in unquote(spec).split(";")[1:]:
            key, _, value = item.partition("=")
            params[key.strip()] = value.strip()
        path = "/" + rest
    return path, params


def _config(params: dict[str, str], body: Any) -> StreamConfig:
    body = body if isinstance(body, dict) else {}
    max_tokens = body.get("max_tokens")
    tokens = int(params.get("tokens", max_tokens if isinstance(max_tokens, int) else 16))
    asked = body.get("logprobs")
    logprobs = int(params.get("logprobs", asked if isinstance(asked, int) else 0))
    return StreamConfig(
        tokens=tokens,
        newlines=int(params.get("newlines", 0)),
        logprobs=max(0, logprobs),
        framing=params.get("framing", "chunked"),
        model=str(body.get("model") or "bench-model"),
    )


def _json_response(status: int, reason: str, obj: Any) -> bytes:
    data = json.dumps(obj).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + data


def _answer(method: str, path: str, raw_body: bytes) -> bytes:
    route, params = parse_path(path)
    if method == "GET" and route in ("/v1/models", "/models"):
        return _json_response(200, "OK", {"object": "list", "data": [{"id": "bench-model"}]})
    if method == "POST" and route in ("/v1/completions", "/completions"):
        try:
            body = json.loads(raw_body or b"{}")
        except ValueError:
            return _json_response(400, "Bad Request", {"error": {"message": "Invalid JSON"}})
        try:
            config = _config(params, body)
        except ValueError as exc:
            return _json_response(400, "Bad Request", {"error": {"message": str(exc)}})
        return build_response(config)
    return _json_response(404, "Not Found", {"error": {"message": f"No route {route}"}})


def _handle(conn: socket.socket) -> None:
    """Serve one keep-alive connection until the client closes it."""
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = b""
    with conn:
        while True:
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data or len(buffer) > _MAX_HEAD:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path = [*lines[0].split(" "), "", ""][:2]
            length = 0
            close = False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            while len(buffer) < length:
                data = conn.recv(max(65536, length - len(buffer)))
                if not data:
                    return
                buffer += data
            raw_body, buffer = buffer[:length], buffer[length:]
            response = memoryview(_answer(method, path, raw_body))
            try:
                for start in range(0, len(response), _SEND_SLICE):
                    conn.sendall(response[start : start + _SEND_SLICE])
            except OSError:
                return
            if close:
                return


def serve(host: str = "127.0.0.1", port: int = 0, ready: Any = None) -> None:
    """Accept connections for ever; ``ready(port)`` is called once listening."""
    listener = socket.create_server((host, port), backlog=64)
    if ready is not None:
        ready(listener.getsockname()[1])
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=_handle, args=(conn,), daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8012)
    args = parser.parse_args()

    def ready(port: int) -> None:
        print(f"Serving on http://{args.host}:{port}/v1 (prebuilt streams)", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        serve(args.host, args.port, ready)


if __name__ == "__main__":
    main()
