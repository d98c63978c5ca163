"""One settings object: the ECU_* variables, the flags that override them, built once by the CLI."""

from __future__ import annotations

import pytest

from agent.config import Config
from agent.errors import ConfigError
from agent.settings import Settings
from cli.main import build_parser, settings_from


def test_a_flag_given_wins_over_its_variable_and_an_absent_one_does_not(monkeypatch):
    monkeypatch.setenv("ECU_MODEL", "from-env")
    monkeypatch.setenv("ECU_API_BASE", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ECU_TUI_IMAGES", "unicode")
    settings = settings_from(build_parser().parse_args(["chat", "--model", "from-flag"]))
    assert (settings.model, settings.api_base, settings.tui_images) == ("from-flag", "http://127.0.0.1:9/v1", "unicode")
    assert Config.from_settings(settings).model == "from-flag"


def test_a_positional_argument_is_not_a_setting_flag(monkeypatch):
    """`ecu qc IMAGE...` stores its images under `images`, the attribute chat's --images flag uses too."""
    monkeypatch.delenv("ECU_TUI_IMAGES", raising=False)
    settings = settings_from(build_parser().parse_args(["qc", "a.png", "--vision-model", "vis"]))
    assert settings.tui_images is None and settings.vision_model == "vis"


def test_every_variable_is_read_with_its_prefix(monkeypatch, tmp_path):
    for name, value in {"ECU_IMAGE_MODEL": "some/model", "ECU_VISION_MODEL": "vis", "ECU_HOME": str(tmp_path),
                        "ECU_SLACK_CONTACT_SHEET_HOOK": "m:f", "ECU_MAX_OUTPUT_TOKENS": "99"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.load()
    assert (settings.image_model, settings.vision_model, settings.slack_contact_sheet_hook) == ("some/model", "vis", "m:f")
    assert Config.from_settings(settings).home == tmp_path and Config.from_settings(settings).max_output_tokens == 99


def test_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("ECU_MAX_OUTPUT_TOKENS", "lots")
    with pytest.raises(ConfigError, match="ECU_MAX_OUTPUT_TOKENS='lots' is not an integer"):
        Settings.load()
    monkeypatch.setenv("ECU_MAX_OUTPUT_TOKENS", "0")
    with pytest.raises(ConfigError, match="max output tokens must be between 1 and 1e"):
        Settings.load()
