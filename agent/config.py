"""Run configuration: which model (if any), limits, and where state lives."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path


def default_home() -> Path:
    """ECU_HOME, else the platform's user data folder."""
    if env := os.environ.get("ECU_HOME"):
        return Path(env).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ecu-planner"
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "ecu-planner"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "ecu-planner"


@dataclass(frozen=True)
class Limits:
    max_steps: int = 16
    max_tool_calls: int = 40
    max_tokens: int = 200_000
    max_cost_usd: float = 2.0
    timeout_s: float = 300.0


@dataclass(frozen=True)
class Config:
    model: str | None = None  # None: the offline policy
    api_base: str | None = None
    temperature: float = 0.2
    request_timeout_s: float = 60.0
    max_retries: int = 5  # retries after the first attempt, for transient model errors only
    retry_base_s: float = 1.0  # first backoff; doubles per retry, plus up to this much jitter
    retry_max_s: float = 20.0  # cap on any single backoff (a Retry-After header is honoured up to this)
    limits: Limits = field(default_factory=Limits)
    home: Path = field(default_factory=default_home)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        """Settings from ECU_MODEL / ECU_API_BASE / ECU_HOME, with explicit overrides winning when not None."""
        base = cls(model=os.environ.get("ECU_MODEL") or None, api_base=os.environ.get("ECU_API_BASE") or None)
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def offline(self) -> bool:
        return not self.model
