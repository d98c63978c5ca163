"""A mock Slack Web API on 127.0.0.1, plus helpers to send requests signed as Slack signs them.

The real `slack_sdk.WebClient` talks to it (`base_url=api.url`), so JSON and
form bodies, the bearer token, 429 + Retry-After and the three-step
`files_upload_v2` flow are exercised for real. Every call is recorded:

    api = MockSlackAPI(token="xoxb-test").start()
    api.fail_next("chat.postMessage", status=429, retry_after=1)   # once
    ...
    call = api.wait_for(lambda c: c.method == "chat.update")
    api.calls_to("chat.postMessage")
    api.stop()

Implemented: auth.test, chat.postMessage, chat.update, files.getUploadURLExternal,
the upload URL it hands out (`POST /upload/<file id>`), files.completeUploadExternal,
apps.connections.open (always refused: there is no WebSocket here), and response URLs (`POST /respond/<anything>`).
Unknown methods answer `{"ok": false, "error": "unknown_method"}`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
TEAM_ID = "T0TEST"


@dataclass
class Call:
    method: str  # "chat.postMessage", "upload", "respond", ...
    params: dict[str, Any]
    status: int = 200
    authorized: bool = True
    bearer: str = ""  # the token the client sent (fake tokens only, in tests)
    body: bytes = b""
    response: dict[str, Any] = field(default_factory=dict)  # what the mock answered (JSON answers only)
    at: float = field(default_factory=time.monotonic)

    @property
    def ts(self) -> str | None:
        """The message ts the mock answered (chat.postMessage / chat.update)."""
        return self.response.get("ts")

    def text_everywhere(self) -> str:
        """Every string in the call's params and blocks, joined: handy for `in` assertions."""
        return json.dumps(self.params, ensure_ascii=False)


class MockSlackAPI:
    def __init__(self, token: str = "xoxb-test") -> None:
        self.token = token
        self.calls: list[Call] = []
        self._failures: dict[str, list[tuple[int, int | None, str]]] = {}
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> MockSlackAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, headers, payload = api._handle(self.path, dict(self.headers), raw)
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url(self) -> str:
        """The Web API base URL, for WebClient(base_url=...) / SLACK_API_URL."""
        return self.base + "/api/"

    def reset(self) -> None:
        with self._cond:
            self.calls.clear()
            self._failures.clear()

    # -- scripting ---------------------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int | None = 1,
                  error: str = "ratelimited") -> None:
        """The next call to `method` answers `status` (with Retry-After when given) instead of succeeding."""
        with self._cond:
            self._failures.setdefault(method, []).append((status, retry_after, error))

    # -- assertions --------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 10.0, count: int = 1) -> list[Call]:
        """Wait until `count` recorded calls match; return them (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matched = [c for c in self.calls if predicate(c)]
                if len(matched) >= count:
                    return matched
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status) for c in self.calls]
                    raise AssertionError(f"timed out waiting for {count} matching call(s); calls so far: {seen}")
                self._cond.wait(left)

    # -- the API -----------------------------------------------------------------------------------
    def _handle(self, path: str, headers: dict[str, str], raw: bytes):
        parsed = urllib.parse.urlsplit(path)
        lower = {k.lower(): v for k, v in headers.items()}
        if parsed.path.startswith("/upload/"):
            return self._record(Call("upload", {"file_id": parsed.path.rsplit("/", 1)[-1]}, body=raw),
                                200, {}, b"OK - %d" % len(raw))
        if parsed.path.startswith("/respond/"):
            return self._record(Call("respond", _parse_body(lower, raw)), 200, {}, b"ok")
        if not parsed.path.startswith("/api/"):
            return 404, {}, {"ok": False, "error": "not_found"}
        method = parsed.path[len("/api/"):]
        params = _parse_body(lower, raw)
        params.update({k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()})
        authorized = lower.get("authorization") == f"Bearer {self.token}" or params.get("token") == self.token
        bearer = lower.get("authorization", "").removeprefix("Bearer ")
        call = Call(method, params, authorized=authorized, bearer=bearer, body=raw)

        with self._cond:
            script = self._failures.get(method)
            failure = script.pop(0) if script else None
        if failure is not None:
            status, retry_after, error = failure
            call.status = status
            extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return self._record(call, status, extra, {"ok": False, "error": error})
        if method == "apps.connections.open":
            return self._record(call, 200, {}, {"ok": False, "error": "not_allowed_in_tests"})
        if not authorized:
            return self._record(call, 200, {}, {"ok": False, "error": "invalid_auth"})
        return self._record(call, 200, {}, self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://ecu-test.slack.com/", "team": "ECU Test", "user": "ecu",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            channel = params.get("channel", "")
            if channel.startswith("CNOTIN"):
                return {"ok": False, "error": "not_in_channel"}
            ts = f"1800000000.{next(self._ts):06d}"
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._files):06d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(params.get("files") or "[]")
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def _record(self, call: Call, status: int, headers: dict[str, str], payload):
        call.status = status
        if isinstance(payload, dict):
            call.response = payload
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        return status, headers, payload


def _parse_body(headers: dict[str, str], raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    kind = headers.get("content-type", "")
    try:
        if "json" in kind:
            data = json.loads(raw.decode("utf-8"))
            return data if isinstance(data, dict) else {"_": data}
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"_raw_length": len(raw)}


# -- the sending side: requests signed as Slack signs them ---------------------------------------
def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """X-Slack-Signature and X-Slack-Request-Timestamp for `body`: v0= HMAC-SHA256 of `v0:{ts}:{body}`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": ts}


@dataclass
class Reply:
    status: int
    body: str
    seconds: float
    headers: dict[str, str]


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> Reply:
    """POST and time it; HTTP errors come back as replies, not exceptions."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8", "replace")
            return Reply(response.status, text, time.perf_counter() - started, dict(response.headers))
    except urllib.error.HTTPError as err:
        text = err.read().decode("utf-8", "replace")
        return Reply(err.code, text, time.perf_counter() - started, dict(err.headers))


def send_event(url: str, secret: str, event: dict[str, Any], event_id: str, *, retry_num: int | None = None,
               timestamp: int | None = None, signature: str | None = None, team_id: str = TEAM_ID) -> Reply:
    """Deliver an Events API `event_callback` the way Slack does (signed JSON)."""
    envelope = {
        "token": "legacy-verification-token", "team_id": team_id, "api_app_id": "A0APP",
        "event": event, "type": "event_callback", "event_id": event_id,
        "event_time": int(time.time()), "authorizations": [
            {"enterprise_id": None, "team_id": team_id, "user_id": BOT_USER_ID, "is_bot": True}],
    }
    body = json.dumps(envelope).encode()
    headers = {"Content-Type": "application/json", **sign(secret, body, timestamp)}
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return post(url, body, headers)


def send_command(url: str, secret: str, text: str, *, channel: str = "C0PLAN", user: str = "U0HUMAN",
                 response_url: str = "", team_id: str = TEAM_ID) -> Reply:
    """Deliver a `/ecu` slash command the way Slack does (signed form body)."""
    form = {"token": "legacy-verification-token", "team_id": team_id, "team_domain": "ecu-test",
            "channel_id": channel, "channel_name": "planning", "user_id": user, "user_name": "human",
            "command": "/ecu", "text": text, "api_app_id": "A0APP", "response_url": response_url,
            "trigger_id": "1.2.3"}
    body = urllib.parse.urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(secret, body)}
    return post(url, body, headers)
