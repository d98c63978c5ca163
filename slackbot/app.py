"""The Bolt app, its Web API client, and the two ways to run it (HTTP, Socket Mode).

slack_bolt and slack_sdk are imported inside the functions, so importing this
module stays cheap. Tokens live only in `SlackSettings` and the clients; they
are never logged, and `RedactTokens` scrubs them (through `agent.redact`) from any log line anyway.

The HTTP server caps the body before reading it and checks Slack's signature before
anything parses it; a rejected request costs one log line, never a traceback.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agent.config import Config
from agent.errors import ConfigError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from slackbot.handlers import ContactSheetHook

log = logging.getLogger("ecu.slack")

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
RATE_LIMIT_RETRIES = 3
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few kB; anything near this is not from Slack
LISTEN_BACKLOG = 1024  # connections the kernel queues while the server is busy (the stdlib default is 5)
LISTENER_THREADS = 32  # acks and background planning share Bolt's pool; keep it roomy so acks never queue


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str = field(repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str | None = None

    @classmethod
    def from_env(cls, socket_mode: bool = False) -> SlackSettings:
        """Read SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), SLACK_API_URL."""
        env = {name: os.environ.get(name, "").strip()
               for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")}
        needed = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET"]
        missing = [name for name in needed if not env[name]]
        if missing:
            mode = "Socket Mode" if socket_mode else "HTTP mode"
            raise ConfigError(f"{mode} needs {' and '.join(missing)} in the environment (see README, 'Slack bot')")
        if socket_mode and not env["SLACK_APP_TOKEN"].startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)")
        return cls(bot_token=env["SLACK_BOT_TOKEN"], signing_secret=env["SLACK_SIGNING_SECRET"],
                   app_token=env["SLACK_APP_TOKEN"], api_url=env["SLACK_API_URL"] or None)

    def secrets(self) -> list[str]:
        return [value for value in (self.bot_token, self.signing_secret, self.app_token) if value]


# -- logging that cannot leak tokens -------------------------------------------------------------
class RedactTokens(logging.Filter):
    """Run every record through `agent.redact` (token shapes, key variables), plus the configured secrets."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if len(s) >= 6]

    def redact(self, text: str) -> str:
        from agent.redact import redact

        return redact(text, self.secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


def configure_logging(settings: SlackSettings | None = None, level: int = logging.INFO) -> None:
    """Log to stderr through a token-redacting filter on the handler (it sees every logger's records)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(settings.secrets() if settings else []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


# -- the client and the app ----------------------------------------------------------------------
def make_client(token: str, api_url: str | None = None, rate_limit_retries: int = RATE_LIMIT_RETRIES) -> WebClient:
    """A WebClient for `api_url` (SLACK_API_URL) that retries connection errors and 429s (honouring Retry-After)."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

    base_url = api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(token=token, base_url=base_url, timeout=30,
                     retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2),
                                     RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries)])


def build_app(settings: SlackSettings, config: Config | None = None,
              contact_sheet: ContactSheetHook | None = None, process_before_response: bool = False) -> App:
    """The Bolt app with the ECU planner's listeners. Calls `auth.test` once, to check the bot token.

    Planning runs in lazy listeners, so acks stay immediate either way; set
    `process_before_response=True` only on FaaS hosts that stop work after the response.
    """
    try:
        from slack_bolt import App
        from slack_bolt.error import BoltError
    except ImportError:
        raise ConfigError("the Slack bot needs the 'slack' extra: pip install 'ecu-planner[slack]'") from None
    from slackbot.handlers import SlackPlanner

    client = make_client(settings.bot_token, settings.api_url)
    bolt_logger = logging.getLogger("ecu.slack.bolt")
    if not any(isinstance(f, _QuietClientWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_QuietClientWarning())
    try:
        app = App(client=client, signing_secret=settings.signing_secret or None,
                  process_before_response=process_before_response, name="ecu-planner", logger=bolt_logger,
                  listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="ecu-slack"))
    except BoltError as err:
        raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN ({_auth_error(err)})") from None
    except Exception as err:  # connection refused, DNS, TLS...
        raise ConfigError(f"cannot reach the Slack Web API at {client.base_url} ({type(err).__name__})") from None
    planner = SlackPlanner(config or Config.from_env(), contact_sheet=contact_sheet)
    planner.register(app)
    app.planner = planner  # for tests and embedders
    app.ecu_signing_secret = settings.signing_secret  # the HTTP front checks signatures before Bolt parses
    return app


class _QuietClientWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that the given client wins; that is the intent here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


def _auth_error(err: Exception) -> str:
    match = re.search(r"'error': '([a-z_]+)'", str(err))
    return f"auth.test: {match.group(1)}" if match else "auth.test failed"


# -- HTTP mode -----------------------------------------------------------------------------------
def wsgi_app(app: App, path: str = EVENTS_PATH):
    """A WSGI application: Bolt on `path`, `GET /healthz` for readiness.

    In front of Bolt: a body over MAX_BODY_BYTES is refused from its Content-Length, unread; the
    signature is checked on the raw bytes before anything parses them; each refusal is one log line.
    """
    import io

    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk.signature import SignatureVerifier

    bolt = SlackRequestHandler(app, path=path)
    secret = getattr(app, "ecu_signing_secret", "")
    verifier = SignatureVerifier(secret) if secret else None

    def application(environ: dict[str, Any], start_response):
        method, where = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if method == "GET" and where == HEALTH_PATH:
            return _respond(start_response, "200 OK", b"ok")
        if method != "POST" or where != path:
            return bolt(environ, start_response)  # Bolt's own 404
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            return _reject(environ, start_response, "413 Payload Too Large", f"body of {length} bytes")
        body = environ["wsgi.input"].read(length) if length else b""
        if verifier is not None and not _signed(verifier, body, environ):
            return _reject(environ, start_response, "401 Unauthorized", "missing or invalid signature")
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        try:
            return bolt(environ, start_response)
        except Exception as err:  # a signed but malformed body: Slack never sends one
            return _reject(environ, start_response, "400 Bad Request", f"cannot handle it ({type(err).__name__})")

    return application


def _signed(verifier, body: bytes, environ: dict[str, Any]) -> bool:
    try:
        return verifier.is_valid(body=body, timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                                 signature=environ.get("HTTP_X_SLACK_SIGNATURE"))
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, a body that is not UTF-8
        return False


def _respond(start_response, status: str, body: bytes):
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _reject(environ: dict[str, Any], start_response, status: str, why: str):
    log.warning("rejected %s %s from %s: %s (%s)", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                environ.get("REMOTE_ADDR", "?"), status.split(" ", 1)[0], why)
    return _respond(start_response, status, status.split(" ", 1)[1].encode())


def make_http_server(app: App, host: str = "127.0.0.1", port: int = 3000, path: str = EVENTS_PATH):
    """A threaded stdlib WSGI server for the app (port 0 picks a free one: read `server.server_port`)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = LISTEN_BACKLOG  # 50 mentions at once must all be accepted, not reset

    class Handler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
            log.debug("%s %s", self.address_string(), format % args)

    server = Server((host, port), Handler)
    server.set_app(wsgi_app(app, path))
    return server


def serve_http(app: App, host: str, port: int, ready=None) -> None:
    """Serve until interrupted; `ready(server)` is called once the socket listens."""
    server = make_http_server(app, host, port)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def start_http_in_thread(app: App, host: str = "127.0.0.1", port: int = 0):
    """Start the HTTP server in a daemon thread; returns the server (call `.shutdown()` to stop)."""
    server = make_http_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                              name="ecu-slack-http")
    thread.start()
    server.thread = thread
    return server


# -- Socket Mode ---------------------------------------------------------------------------------
def serve_socket_mode(app: App, settings: SlackSettings, ready=None) -> None:
    """Connect over Socket Mode with the app-level token and serve until interrupted."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    handler = SocketModeHandler(app, app_token=settings.app_token)
    try:
        handler.connect()
    except SlackApiError as err:
        code = err.response.get("error") if err.response is not None else None
        raise ConfigError(f"Slack refused the Socket Mode connection (apps.connections.open: {code or 'failed'}); "
                          "check SLACK_APP_TOKEN and that Socket Mode is on for the app") from None
    except OSError as err:
        raise ConfigError(f"cannot open a Socket Mode connection ({type(err).__name__})") from None
    if ready is not None:
        ready(handler)
    try:
        threading.Event().wait()
    finally:
        handler.close()
