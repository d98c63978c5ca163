"""The project's top-level package names must resolve to this repository, not to an installed dependency."""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "cli", "tools", "tui", "evals", "prompts", "slackbot")


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


def test_tools_import_only_the_domain_models_from_agent():
    """DESIGN's layering: tools/ may use agent.models, never the loop, sessions or the CLI (no cycles)."""
    import ast

    offenders = []
    for path in sorted((REPO / "tools").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.name}: {name}" for name in names
                          if (name == "agent" or name.startswith("agent.")) and name != "agent.models"]
    assert offenders == []


def test_the_tools_contract_forbids_every_agent_module_but_the_domain_types():
    """`lint-imports` checks tools -> agent by a list of forbidden modules: a new agent module must join it."""
    import pkgutil
    import tomllib

    import agent

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    (tools_contract,) = [c for c in contracts if c["source_modules"] == ["tools"]]
    modules = {f"agent.{info.name}" for info in pkgutil.iter_modules(agent.__path__)}
    assert "agent.models" in modules
    assert {m for m in tools_contract["forbidden_modules"] if m.startswith("agent.")} == modules - {"agent.models"}


def test_only_the_settings_module_reads_an_ecu_variable():
    """Every ECU_* variable is read by agent.settings.Settings; code elsewhere takes the value handed down."""
    import re

    reads = re.compile(r"(environ|getenv)\W[^\n]*ECU_")
    offenders = [f"{path.relative_to(REPO)}:{number}"
                 for folder in ("agent", "cli", "tools", "tui", "evals", "slackbot")
                 for path in sorted((REPO / folder).rglob("*.py")) if path != REPO / "agent" / "settings.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if reads.search(line)]
    assert offenders == []


def test_every_setting_says_what_it_is_and_every_flag_names_a_setting():
    from agent.settings import Settings

    assert all(field.description for field in Settings.model_fields.values())
    assert set(Settings.FLAGS) <= set(Settings.model_fields)
    assert set(Settings.BOUNDS) <= set(Settings.model_fields)


def test_no_function_in_agent_tools_or_cli_runs_past_60_lines():
    """Short functions (issue 16), the planner's included."""
    import ast

    long = []
    for folder in ("agent", "tools", "cli"):
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                    long.append(f"{rel}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []
