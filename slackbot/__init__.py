"""The ECU planner as a Slack bot (Slack Bolt for Python; install the 'slack' extra).

Import-light on purpose: nothing here imports slack_bolt or the agent loop.
`slackbot.app.build_app(SlackSettings.from_env(), config)` builds the Bolt app;
`ecu slack` runs it over HTTP or Socket Mode.
"""

from __future__ import annotations

__all__ = ["SlackSettings", "build_app"]


def __getattr__(name: str):
    if name in __all__:
        from slackbot import app

        return getattr(app, name)
    raise AttributeError(f"module 'slackbot' has no attribute {name!r}")
