"""`ecu slack [--port P | --socket]`: run the Slack bot (HTTP on /slack/events, or Socket Mode)."""

from __future__ import annotations

import argparse
import os
import sys

from agent.config import Config

HELP = "run the Slack bot: plans briefs sent by mention, DM or /ecu (needs the 'slack' extra)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--port", type=int, default=None,
                      help="serve HTTP on this port, path /slack/events (default: $PORT or 3000; 0 picks a free one)")
    mode.add_argument("--socket", action="store_true",
                      help="connect over Socket Mode with SLACK_APP_TOKEN instead of serving HTTP")
    parser.add_argument("--host", default=None,
                        help="address to listen on in HTTP mode (default: 127.0.0.1; 0.0.0.0 in a container)")
    parser.add_argument("--model", help="litellm model name (default: ECU_MODEL; none means offline)")
    parser.add_argument("--api-base", help="OpenAI-compatible API base URL (default: ECU_API_BASE)")
    parser.add_argument("--contact-sheet-hook", metavar="MODULE:FUNCTION",
                        help="function(plan, session) returning a contact sheet image path to upload "
                             "(default: $ECU_SLACK_CONTACT_SHEET_HOOK; none: no upload)")
    parser.add_argument("--verbose", action="store_true", help="debug logging (tokens are still redacted)")


def _load_hook(spec: str | None):
    if not spec:
        return None
    import importlib

    from agent.errors import ConfigError

    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"--contact-sheet-hook wants MODULE:FUNCTION, got {spec!r}")
    try:
        hook = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as err:
        raise ConfigError(f"cannot load the contact sheet hook {spec}: {err}") from None
    if not callable(hook):
        raise ConfigError(f"the contact sheet hook {spec} is not callable")
    return hook


def run(args: argparse.Namespace, settings) -> int:
    import logging

    from agent.errors import ConfigError
    from slackbot.app import EVENTS_PATH, SlackSettings, build_app, configure_logging, serve_http, serve_socket_mode

    slack = SlackSettings.from_env(socket_mode=args.socket)
    configure_logging(slack, logging.DEBUG if args.verbose else logging.INFO)
    if not args.verbose:
        for noisy in ("slack_bolt", "slack_sdk", "ecu.slack.bolt", "LiteLLM", "httpx"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    config = Config.from_settings(settings)
    app = build_app(slack, config, contact_sheet=_load_hook(settings.slack_contact_sheet_hook))
    policy = config.model or "offline planner"
    try:
        if args.socket:
            serve_socket_mode(app, slack, ready=lambda handler: print(
                f"ecu slack: connected over Socket Mode ({policy}); Ctrl-C to stop", file=sys.stderr, flush=True))
            return 0
        port = args.port if args.port is not None else int(os.environ.get("PORT") or 3000)
        host = args.host or "127.0.0.1"

        def ready(server) -> None:
            print(f"ecu slack: listening on http://{host}:{server.server_port}{EVENTS_PATH} ({policy}); "
                  "Ctrl-C to stop", file=sys.stderr, flush=True)

        try:
            serve_http(app, host, port, ready=ready)
        except OSError as err:
            raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    except KeyboardInterrupt:
        print("ecu slack: stopped", file=sys.stderr)
    return 0
