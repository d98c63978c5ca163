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


# Model settings an environment variable can set (each also has a flag on the commands that plan).
ENV_SETTINGS = {
    "ECU_TEMPERATURE": ("temperature", float),
    "ECU_MAX_OUTPUT_TOKENS": ("max_output_tokens", int),
    "ECU_REQUEST_TIMEOUT": ("request_timeout_s", float),
    "ECU_MAX_RETRIES": ("max_retries", int),
}


def _parsed(variable: str, kind: type):
    from agent.errors import ConfigError

    text = os.environ[variable].strip()
    try:
        return kind(text)
    except ValueError:
        raise ConfigError(f"{variable}={text!r} is not a{'n integer' if kind is int else ' number'}") from None


def _check(settings: dict) -> None:
    from agent.errors import ConfigError

    bounds = {"temperature": (0.0, 2.0), "max_output_tokens": (1, 1_000_000), "request_timeout_s": (0.001, 3600.0),
              "max_retries": (0, 20)}
    for name, (low, high) in bounds.items():
        value = settings.get(name)
        if value is not None and not low <= value <= high:
            raise ConfigError(f"{name.removesuffix('_s').replace('_', ' ')} must be between {low:g} and {high:g}, "
                              f"got {value:g}")


@dataclass(frozen=True)
class Limits:
    max_steps: int = 16
    max_tool_calls: int = 40
    max_tokens: int = 200_000
    max_cost_usd: float = 2.0
    timeout_s: float = 300.0
    max_idle_turns: int = 3  # text-only model turns in a row before the run stops (with the best plan)


@dataclass(frozen=True)
class Config:
    model: str | None = None  # None: the offline policy
    api_base: str | None = None
    temperature: float | None = None  # None: the provider's default (reasoning models accept no other)
    max_output_tokens: int = 8192  # sent explicitly: some providers' own default cuts a full plan short
    request_timeout_s: float = 60.0
    max_retries: int = 5  # retries after the first attempt, for transient model errors only
    retry_base_s: float = 1.0  # first backoff; doubles per retry, plus up to this much jitter
    retry_max_s: float = 20.0  # cap on any single backoff (a Retry-After header is honoured up to this)
    limits: Limits = field(default_factory=Limits)
    home: Path = field(default_factory=default_home)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        """Settings from the ECU_* variables (see ENV_SETTINGS), with explicit overrides winning when not None."""
        base = cls(model=os.environ.get("ECU_MODEL") or None, api_base=os.environ.get("ECU_API_BASE") or None)
        from_env = {name: _parsed(variable, kind) for variable, (name, kind) in ENV_SETTINGS.items()
                    if os.environ.get(variable, "").strip()}
        settings = {**from_env, **{k: v for k, v in overrides.items() if v is not None}}
        _check(settings)
        return replace(base, **settings)

    @property
    def offline(self) -> bool:
        return not self.model
