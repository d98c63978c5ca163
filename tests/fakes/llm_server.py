"""A scripted, OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

The real litellm client talks to it (`model="openai/<name>"`, `api_base=server.url`),
so the wire format, streaming, status codes and timeouts are all exercised for real.

Each test queues what the "model" does next, one entry per HTTP request:

    server.push(tool_reply(("draft_plan", {"brief": "..."})))   # a message with tool calls
    server.push(status(429), text_reply("hello"))                 # an error, then a text reply
    server.push(delay(1.0, text_reply("late")))                   # answer after a pause
    server.push(lambda request: tool_reply(...))                  # decide from the request

A reply is served as JSON, or as server-sent events when the request asked for
`stream: true` (text and tool-call arguments cut into small fragments). Every
request is recorded (`server.requests`) for assertions. When the script runs
out, the server answers 400 so a test fails fast and clearly instead of hanging.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FRAGMENT = 24  # characters of text (and at least of arguments) per streamed chunk


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def last_tool_results(self) -> list[dict[str, Any]]:
        """The tool messages after the last assistant message, with content parsed when it is JSON."""
        results = []
        for message in reversed(self.messages):
            if message.get("role") != "tool":
                break
            try:
                content = json.loads(message.get("content") or "null")
            except json.JSONDecodeError:
                content = message.get("content")
            results.append({"tool_call_id": message.get("tool_call_id"), "content": content})
        return list(reversed(results))


@dataclass
class Reply:
    """One assistant message: optional text and tool calls (arguments as raw JSON strings)."""

    text: str | None = None
    tool_calls: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, raw arguments)
    prompt_tokens: int = 120
    completion_tokens: int = 30
    model: str = "fake-model"


@dataclass
class Status:
    code: int
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Delay:
    seconds: float
    then: Response


@dataclass
class Raw:
    """A body sent as-is (for broken servers)."""

    body: str
    code: int = 200
    content_type: str = "application/json"


Response = Reply | Status | Delay | Raw | Callable[[Request], "Response"]
_counter = iter(range(1, 1_000_000))


def text_reply(text: str, **usage) -> Reply:
    return Reply(text=text, **usage)


def tool_reply(*calls: tuple[str, Any], text: str | None = None, **usage) -> Reply:
    """A message calling tools; each call is (name, arguments) where arguments is a dict or a raw string."""
    built = []
    for name, arguments in calls:
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        built.append((f"call_{next(_counter)}", name, raw))
    return Reply(text=text, tool_calls=built, **usage)


def status(code: int, message: str = "", **headers: str) -> Status:
    return Status(code, message or {429: "Rate limit reached, slow down", 500: "Internal server error",
                                    401: "Incorrect API key provided", 503: "Service unavailable"}.get(code, "error"),
                  {k.replace("_", "-"): v for k, v in headers.items()})


def delay(seconds: float, then: Response) -> Delay:
    return Delay(seconds, then)


class FakeLLMServer:
    """`with FakeLLMServer() as server:` starts it on an ephemeral port; `server.url` is the api_base."""

    def __init__(self) -> None:
        self.script: deque[Response] = deque()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                server._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-llm-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # scripting -----------------------------------------------------------------------------
    def push(self, *responses: Response) -> FakeLLMServer:
        with self._lock:
            self.script.extend(responses)
        return self

    @property
    def completions(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # serving -------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        request = Request(handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)
        with self._lock:
            self.requests.append(request)
            response = self.script.popleft() if self.script else None
        if not handler.path.endswith("/chat/completions"):
            return self._send_json(handler, 404, {"error": {"message": f"no route {handler.path}"}})
        if response is None:
            return self._send_json(handler, 400, {"error": {"message": "fake server: no scripted response left",
                                                            "type": "invalid_request_error"}})
        self._serve(handler, request, response)

    def _serve(self, handler: BaseHTTPRequestHandler, request: Request, response: Response) -> None:
        while callable(response) and not isinstance(response, (Reply, Status, Delay, Raw)):
            response = response(request)
        if isinstance(response, Delay):
            if self._stopping.wait(response.seconds):
                return
            return self._serve(handler, request, response.then)
        try:
            if isinstance(response, Status):
                kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(response.code, "server_error")
                self._send_json(handler, response.code,
                                {"error": {"message": response.message, "type": kind, "code": None}},
                                response.headers)
            elif isinstance(response, Raw):
                self._send(handler, response.code, response.body.encode(), response.content_type)
            elif request.body.get("stream"):
                self._send_stream(handler, request, response)
            else:
                self._send_json(handler, 200, self._completion(response))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    @staticmethod
    def _send(handler, code: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        handler.send_response(code)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(payload)

    def _send_json(self, handler, code: int, data: dict, headers: dict[str, str] | None = None) -> None:
        self._send(handler, code, json.dumps(data).encode(), "application/json", headers)

    @staticmethod
    def _completion(reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.tool_calls:
            message["tool_calls"] = [{"id": cid, "type": "function", "function": {"name": name, "arguments": args}}
                                     for cid, name, args in reply.tool_calls]
        return {
            "id": f"chatcmpl-{next(_counter)}", "object": "chat.completion", "created": int(time.time()),
            "model": reply.model,
            # finish_reason deliberately says "stop" even with tool calls, as some servers do: clients must
            # branch on message.tool_calls.
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                      "total_tokens": reply.prompt_tokens + reply.completion_tokens},
        }

    def _send_stream(self, handler, request: Request, reply: Reply) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        base = {"id": f"chatcmpl-{next(_counter)}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": reply.model}

        def send(delta: dict[str, Any] | None, finish: str | None = None, usage: dict | None = None) -> None:
            chunk = dict(base, choices=[] if delta is None else [{"index": 0, "delta": delta,
                                                                   "finish_reason": finish}])
            if usage is not None:
                chunk["usage"] = usage
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()

        send({"role": "assistant", "content": ""})
        text = reply.text or ""
        for start in range(0, len(text), FRAGMENT):
            send({"content": text[start:start + FRAGMENT]})
        for index, (cid, name, args) in enumerate(reply.tool_calls):
            send({"tool_calls": [{"index": index, "id": cid, "type": "function",
                                  "function": {"name": name, "arguments": ""}}]})
            size = max(FRAGMENT, len(args) // 20)  # a big plan arrives in about 20 pieces
            for start in range(0, len(args), size):
                send({"tool_calls": [{"index": index, "function": {"arguments": args[start:start + size]}}]})
        send({}, finish="tool_calls" if reply.tool_calls else "stop")
        if (request.body.get("stream_options") or {}).get("include_usage"):
            send(None, usage={"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                              "total_tokens": reply.prompt_tokens + reply.completion_tokens})
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()
