from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from pydantic import BaseModel, Field

from tools.registry import PLANNING_TOOLS, ToolRegistry, build_registry


class EchoArgs(BaseModel):
    text: str = Field(description="what to echo")
    times: int = Field(1, ge=1, le=3)


class Echoed(BaseModel):
    text: str


def echo(args: EchoArgs) -> Echoed:
    """Repeat some text.

    Longer notes that are not part of the description.
    """
    if args.text == "boom":
        raise RuntimeError("exploded")
    return Echoed(text=args.text * args.times)


@pytest.fixture
def registry():
    reg = ToolRegistry()
    reg.register(echo)
    return reg


def test_schema_is_derived_from_the_argument_model(registry):
    (schema,) = registry.schemas()
    assert schema["type"] == "function"
    assert schema["function"]["name"] == "echo"
    assert schema["function"]["description"] == "Repeat some text."
    params = schema["function"]["parameters"]
    assert params["properties"]["text"]["description"] == "what to echo"
    assert params["required"] == ["text"]


def test_calls_accept_json_dicts_and_models(registry):
    assert registry.call("echo", '{"text": "ab", "times": 2}').output.text == "abab"
    assert registry.call("echo", {"text": "x"}).output.text == "x"
    assert registry.call("echo", EchoArgs(text="y")).output.text == "y"


@pytest.mark.parametrize("arguments, fragment", [
    ('{"text": ', "not valid JSON"),
    ('[1, 2]', "must be a JSON object"),
    ({"times": 2}, "text: Field required"),
    ({"text": "x", "times": 9}, "times: Input should be less than or equal to 3"),
])
def test_bad_arguments_become_error_results(registry, arguments, fragment):
    result = registry.call("echo", arguments)
    assert not result.ok and fragment in result.error
    assert json.loads(result.content()) == {"error": result.error}


def test_unknown_tools_and_tool_exceptions_do_not_raise(registry):
    unknown = registry.call("nope", {})
    assert not unknown.ok and "unknown tool 'nope'" in unknown.error and "echo" in unknown.error
    failed = registry.call("echo", {"text": "boom"})
    assert not failed.ok and "RuntimeError: exploded" in failed.error


def test_register_rejects_untyped_functions():
    with pytest.raises(TypeError):
        ToolRegistry().register(lambda x: x)


def test_default_registry_offers_the_planning_tools():
    names = build_registry().names()
    assert {"analyze_brief", "pick_details", "plan_rhythm", "build_prompts", "build_matrix", "check_misuse",
            "draft_plan", "edit_plan", "submit_plan"} <= set(names)
    submit = build_registry().get("submit_plan").schema()["function"]["parameters"]
    assert {"brief", "shots"} <= set(submit["required"])


def test_a_declared_tool_is_imported_on_first_use_only():
    """build_registry names every tool but imports a tool's module when the tool is first looked up or called
    (in a fresh interpreter: this one may have imported tools.edits already)."""
    code = ("import sys; from tools.registry import build_registry; registry = build_registry(); "
            "names = registry.names(); print('tools.edits' in sys.modules, 'edit_plan' in registry); "
            "tool = registry.get('edit_plan'); print('tools.edits' in sys.modules, tool.name, registry.names() == names)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True", "True", "edit_plan", "True"]


def test_declared_tools_are_the_functions_registered_directly():
    """Declaring a tool by module and name gives the tool registering the function itself gives: same names in
    the same order, same descriptions and schemas, same function."""
    eager = ToolRegistry()
    for name, module in PLANNING_TOOLS:
        eager.register(getattr(importlib.import_module(module), name))
    lazy = build_registry()
    assert lazy.names() == eager.names()
    assert lazy.schemas() == eager.schemas()
    assert all(lazy.get(name).fn is eager.get(name).fn for name in eager.names())


def test_a_declared_tool_whose_module_cannot_load_is_an_error_result():
    registry = ToolRegistry()
    registry.register_lazy("ghost", "tools.no_such_module")
    assert "ghost" in registry and registry.names() == ["ghost"]
    result = registry.call("ghost", {})
    assert not result.ok and "tool ghost failed to load: ModuleNotFoundError" in result.error
