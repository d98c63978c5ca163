"""The project's top-level package names must resolve to this repository, not to an installed dependency."""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "tools", "tui", "evals", "prompts", "slackbot")


@pytest.mark.parametrize("name", PACKAGES)
def test_package_resolves_inside_repo(name):
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    assert Path(spec.origin).resolve().is_relative_to(REPO), f"{name} resolves to {spec.origin}"


def test_no_installed_distribution_ships_our_package_names():
    clashes = []
    for dist in metadata.distributions():
        if (dist.metadata["Name"] or "").lower() == "ecu-planner":
            continue
        top_level = (dist.read_text("top_level.txt") or "").split()
        clashes += [f"{dist.metadata['Name']}:{name}" for name in top_level if name in PACKAGES]
    assert clashes == []
