"""ecu-planner's agent: domain models, the loop, policies and sessions (the CLI is `cli`, one floor up).

Kept import-light on purpose: `import agent.models` must not pull in the loop,
and the public names below load on first use.
"""

from __future__ import annotations

__all__ = ["Agent", "Config", "ShotPlan"]


def __getattr__(name: str):
    if name == "Agent":
        from agent.api import Agent

        return Agent
    if name == "Config":
        from agent.config import Config

        return Config
    if name == "ShotPlan":
        from agent.models import ShotPlan

        return ShotPlan
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
