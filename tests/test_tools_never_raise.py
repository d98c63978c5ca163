"""Every registered tool, called with arguments generated from its own schema, answers with a result.

The registry's promise: whatever a model sends (right, wrong, empty, odd), a tool call comes back as a
`ToolResult` the policy can read, never as an exception. The arguments are made from each tool's JSON schema:
a valid-looking value for every property, each property left out, and each given a value of the wrong type.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tools.decisions import Workbench, decision_registry
from tools.registry import ToolResult, build_registry

BRIEF = ("Leather weekender bag for a spring campaign on Instagram. Show the hand-stitched handle, the brass zip "
         "pull and the grain of the full-grain leather up close. One wide shot of the bag on a train seat.")
ODD = ["", "x" * 500, -1, 0, 10**9, 3.5, True, None, [], [1, "two"], {}, {"a": {"b": [None]}}, "s99", "9:16"]


def _value(schema: dict[str, Any], defs: dict[str, Any], rng: random.Random, depth: int = 0) -> Any:
    """A value the schema describes (first of an enum, a short string, a small number, one item)."""
    if "$ref" in schema:
        return _value(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, rng, depth)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _value(rng.choice(schema[key]), defs, rng, depth)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {name: _value(sub, defs, rng, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [] if depth > 3 else [_value(schema.get("items", {}), defs, rng, depth + 1)]
    return {"string": rng.choice(["s1", "the brass zip pull", "4:5", "wide"]), "integer": rng.randint(0, 6),
            "number": rng.choice([0.0, 0.5, 1.0]), "boolean": rng.random() < 0.5, "null": None}.get(kind, "s2")


def _argument_sets(tool_schema: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    parameters = tool_schema["function"]["parameters"]
    defs = parameters.get("$defs", {})
    rng = random.Random(seed)
    valid = [_value(parameters, defs, rng) for _ in range(3)]
    sets: list[dict[str, Any]] = [{}, *valid]
    for name in parameters.get("properties", {}):
        sets.append({k: v for k, v in valid[0].items() if k != name})
        sets.append({**valid[0], name: rng.choice(ODD)})
    return sets


def _registries():
    yield "planning", build_registry()
    yield "decisions", decision_registry(Workbench.from_brief(BRIEF))


@pytest.mark.parametrize("which", ["planning", "decisions"])
def test_every_tool_answers_generated_arguments_with_a_result(which):
    registry = dict(_registries())[which]
    assert registry.names()
    calls = 0
    for index, schema in enumerate(registry.schemas()):
        name = schema["function"]["name"]
        for arguments in _argument_sets(schema, seed=index):
            result = registry.call(name, arguments)  # raising here is the failure this test exists for
            assert isinstance(result, ToolResult) and result.name == name
            assert result.ok or result.error
            calls += 1
    assert calls > 3 * len(registry.names())
