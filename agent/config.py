"""Run configuration: which model (if any), limits, and where state lives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def default_home() -> Path:
    """ECU_HOME, else the platform's user data folder (agent.settings reads it)."""
    from agent.settings import default_home as home

    return home()


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
    def from_env(cls, **overrides) -> Config:
        """`agent.settings.Settings` from the ECU_* variables, explicit overrides winning when not None.

        A thin wrapper for code that embeds the agent: the entry point builds `Settings` itself. Overrides use
        this class's field names (`request_timeout_s`, `limits`, ...).
        """
        from agent.settings import Settings

        named = {"request_timeout_s": "request_timeout"}
        settings = {named.get(k, k): v for k, v in overrides.items() if named.get(k, k) in Settings.model_fields}
        rest = {k: v for k, v in overrides.items() if named.get(k, k) not in Settings.model_fields and v is not None}
        return cls.from_settings(Settings.load(**settings), **rest)

    @classmethod
    def from_settings(cls, settings, **extra) -> Config:
        """The run configuration from `agent.settings.Settings`; `extra` sets the rest (limits, retry backoff)."""
        return cls(model=settings.model, api_base=settings.api_base, temperature=settings.temperature,
                   max_output_tokens=settings.max_output_tokens, request_timeout_s=settings.request_timeout,
                   max_retries=settings.max_retries, home=settings.data_home, **extra)

    @property
    def offline(self) -> bool:
        return not self.model
