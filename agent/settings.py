"""Every setting of ecu-planner in one place: each ECU_* variable, the command-line flag that overrides it, and why.

The entry point (`cli.main`) builds one `Settings` from the environment and the flags given, and hands it down:
`agent.config.Config.from_settings(settings)` is the agent's run configuration, the other fields go to the face
that uses them as plain arguments. No other module reads an ECU_* variable. `Config.from_env` stays as a thin
wrapper for code that embeds the agent without an entry point.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.errors import ConfigError

ENV_PREFIX = "ECU_"


def default_home() -> Path:
    """ECU_HOME (the `home` setting), else the platform's user data folder."""
    if env := os.environ.get(f"{ENV_PREFIX}HOME", "").strip():
        return Path(env).expanduser()
    return platform_home()


def platform_home() -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ecu-planner"
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "ecu-planner"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "ecu-planner"


class Settings(BaseSettings):
    """The ECU_* variables (`ECU_<FIELD>`); a flag in `FLAGS` overrides its variable when given."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore",
                                      str_strip_whitespace=True)

    # Descriptions are Field arguments, not attribute docstrings: pydantic reads attribute docstrings by parsing
    # this file's source at import, ~12 ms of every `ecu` start.
    model: str | None = Field(
        None, description="The litellm model that plans (ECU_MODEL); none plans offline with the rule-based planner.")
    api_base: str | None = Field(
        None, description="An OpenAI-compatible API base URL for the planning and vision models (ECU_API_BASE).")
    temperature: float | None = Field(None, description=(
        "Sampling temperature, 0 to 2 (ECU_TEMPERATURE); none: the provider's own (reasoning models accept no other)."))
    max_output_tokens: int = Field(8192, description=(
        "Tokens one model reply may use (ECU_MAX_OUTPUT_TOKENS): sent explicitly, as some providers' default "
        "cuts a plan."))
    request_timeout: float = Field(60.0, description="Seconds to wait for one model reply (ECU_REQUEST_TIMEOUT).")
    max_retries: int = Field(
        5, description="Retries after a transient model error, the first attempt not counted (ECU_MAX_RETRIES).")
    home: Path | None = Field(None, description=(
        "Where sessions, exports and the judge cache live (ECU_HOME); none: the platform's user data folder."))
    image_model: str | None = Field(None, description=(
        "The diffusers folder or hub id that renders images (ECU_IMAGE_MODEL); `ecu generate` falls back to "
        "FLUX.1-schnell, the chat to nothing (a key press must not start a download)."))
    vision_model: str | None = Field(None, description=(
        "A vision-capable litellm model that judges identity_clarity (ECU_VISION_MODEL); none: not assessed."))
    tui_images: str | None = Field(None, description=(
        "How the chat draws thumbnails: auto, halfcell, unicode, sixel or tgp (ECU_TUI_IMAGES); none: auto."))
    slack_contact_sheet_hook: str | None = Field(None, description=(
        "MODULE:FUNCTION returning a contact sheet to upload to Slack (ECU_SLACK_CONTACT_SHEET_HOOK); "
        "none: no upload."))

    # The command-line flag that overrides each setting (a face names its own flag in its messages).
    FLAGS: ClassVar[dict[str, str]] = {
        "model": "--model", "api_base": "--api-base", "temperature": "--temperature",
        "request_timeout": "--request-timeout", "max_retries": "--retries", "image_model": "--image-model",
        "vision_model": "--vision-model", "tui_images": "--images", "slack_contact_sheet_hook": "--contact-sheet-hook",
    }
    BOUNDS: ClassVar[dict[str, tuple[float, float]]] = {
        "temperature": (0.0, 2.0), "max_output_tokens": (1, 1_000_000), "request_timeout": (0.001, 3600.0),
        "max_retries": (0, 20)}

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """The environment's settings, each override that is not None winning; a bad value is a ConfigError."""
        given = {name: value for name, value in overrides.items() if value is not None}
        unknown = set(given) - set(cls.model_fields)
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        try:
            settings = cls(**given)
        except ValidationError as err:
            raise ConfigError(_first_problem(err)) from None
        settings.check_bounds()
        return settings

    @classmethod
    def from_flags(cls, flags: dict[str, Any]) -> Settings:
        """`load` with the values of the command-line flags given (`{"--model": "gpt-4o"}`; None: not given)."""
        return cls.load(**{name: flags.get(flag) for name, flag in cls.FLAGS.items()})

    def check_bounds(self) -> None:
        for name, (low, high) in self.BOUNDS.items():
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                raise ConfigError(f"{name.replace('_', ' ')} must be between {low:g} and {high:g}, got {value:g}")

    @property
    def data_home(self) -> Path:
        return self.home.expanduser() if self.home is not None else platform_home()


def _first_problem(err: ValidationError) -> str:
    """A pydantic error as one line naming the variable and the value: `ECU_TEMPERATURE='warm' is not a number`."""
    first = err.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "setting"
    kind = "an integer" if first["type"].startswith("int") else "a number" if first["type"].startswith("float") \
        else "valid"
    return f"{ENV_PREFIX}{name.upper()}={first.get('input')!r} is not {kind}"
