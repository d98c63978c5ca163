"""The tool registry: typed functions the agent can call by name.

A tool is a plain function taking one pydantic model and returning a pydantic
model. Its JSON schema is derived from that argument model (never written by
hand), every call is validated against it, and anything that goes wrong comes
back as an error result the policy can read and repair, never as an exception.

A tool may also be declared by name and module only (`register_lazy`): its
module is imported, and the tool registered from it, the first time the tool
is called or looked up or the schemas are asked for. `build_registry` declares
the planning tools that way, so a run imports only the tools it calls (the
offline draft never imports `edit_plan`'s module, tools.edits).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

TOO_DEEP = "arguments are nested too deeply; send a flat JSON object as the tool's schema describes"


class ToolError(Exception):
    """A tool's answer that the call was wrong, worded for the model to act on (sent back verbatim)."""


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[Any], BaseModel]

    def schema(self) -> dict[str, Any]:
        """The OpenAI / litellm `tools=` entry for this tool (a fresh copy: litellm edits some in place)."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": copy.deepcopy(_json_schema(self.args_model)),
            },
        }


@cache
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """pydantic takes ~50 ms to derive the planning tools' schemas; every policy and session asks for them."""
    return model.model_json_schema()


@dataclass(frozen=True)
class ToolResult:
    name: str
    ok: bool
    output: BaseModel | None = None
    error: str | None = None

    def content(self) -> str:
        """What goes back to the model as the tool message."""
        if self.ok and self.output is not None:
            as_content = getattr(self.output, "tool_content", None)  # outputs may choose their own compact form
            return as_content() if callable(as_content) else self.output.model_dump_json(exclude_none=True)
        return json.dumps({"error": self.error})

    def summary(self) -> str:
        if not self.ok:
            return f"error: {self.error}"
        for name in ("describe", "summary"):  # outputs may describe themselves in one line
            summarize = getattr(self.output, name, None)
            if callable(summarize):
                return summarize()
        return "ok"


def format_validation_error(err: ValidationError) -> str:
    parts = []
    for issue in err.errors()[:8]:
        where = ".".join(str(p) for p in issue["loc"]) or "arguments"
        parts.append(f"{where}: {issue['msg']}")
    more = f" (+{err.error_count() - 8} more)" if err.error_count() > 8 else ""
    return "invalid arguments: " + "; ".join(parts) + more


class ToolRegistry:
    def __init__(self) -> None:
        # name -> its Tool, or the module that defines it while it is only declared (register_lazy);
        # one dict keeps every tool in the order it was registered or declared
        self._tools: dict[str, Tool | str] = {}

    def register(self, fn: Callable[[Any], BaseModel], *, name: str | None = None) -> Tool:
        """Register `fn(args: SomeModel) -> Model`; the argument's annotation defines the schema."""
        params = list(inspect.signature(fn).parameters.values())
        hints = typing.get_type_hints(fn)
        if len(params) != 1 or not (
            isinstance(hints.get(params[0].name), type) and issubclass(hints[params[0].name], BaseModel)
        ):
            raise TypeError(f"tool {fn.__name__} must take exactly one pydantic model argument")
        description = inspect.cleandoc(fn.__doc__ or "").split("\n\n")[0].replace("\n", " ")
        tool = Tool(name or fn.__name__, description, hints[params[0].name], fn)
        self._tools[tool.name] = tool
        return tool

    def register_lazy(self, name: str, module: str) -> None:
        """Declare the tool `name`, the function of that name in `module`, without importing the module yet;
        it is registered as `register` would the first time it is called, looked up or its schema asked for."""
        self._tools[name] = module

    def _tool(self, name: str) -> Tool | None:
        """The registered tool, importing and registering it first if it was only declared."""
        tool = self._tools.get(name)
        if isinstance(tool, str):
            tool = self.register(getattr(importlib.import_module(tool), name), name=name)
        return tool

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def names(self) -> list[str]:
        return list(self._tools)

    def get(self, name: str) -> Tool | None:
        return self._tool(name)

    def schemas(self) -> list[dict[str, Any]]:
        """Every tool's schema, in registration order (declared tools are imported now: a model needs them all)."""
        return [self._tool(name).schema() for name in list(self._tools)]

    def call(self, name: str, arguments: str | dict[str, Any] | BaseModel | None) -> ToolResult:
        """Validate and run one call; every failure becomes an error result."""
        if name not in self._tools:
            return ToolResult(name, False, error=f"unknown tool {name!r}; available: {', '.join(self._tools)}")
        try:
            tool = self._tool(name)
        except Exception as err:  # a declared tool whose module fails to import: a bug, reported like a tool's
            return ToolResult(name, False, error=f"tool {name} failed to load: {type(err).__name__}: {err}")
        try:
            args = self._parse(tool, arguments)
        except ValueError as err:
            return ToolResult(name, False, error=str(err))
        try:
            return ToolResult(name, True, output=tool.fn(args))
        except ToolError as err:
            return ToolResult(name, False, error=str(err))
        except ValidationError as err:
            reason = format_validation_error(err)
            return ToolResult(name, False, error=f"tool {name} produced an invalid result: {reason}")
        except Exception as err:  # a tool bug must not end the run: report it to the policy
            return ToolResult(name, False, error=f"tool {name} failed: {type(err).__name__}: {err}")

    @staticmethod
    def _parse(tool: Tool, arguments: str | dict[str, Any] | BaseModel | None) -> BaseModel:
        if isinstance(arguments, tool.args_model):
            return arguments
        if isinstance(arguments, BaseModel):
            arguments = arguments.model_dump()
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments or "{}")
            except json.JSONDecodeError as err:
                raise ValueError(f"arguments are not valid JSON ({err.msg} at position {err.pos})") from None
            except RecursionError:  # json's decoder recurses per level: 1,000-deep arguments exhaust the stack
                raise ValueError(TOO_DEEP) from None
        if not isinstance(arguments, dict):
            raise ValueError("arguments must be a JSON object")
        try:
            return tool.args_model.model_validate(arguments)
        except ValidationError as err:
            raise ValueError(format_validation_error(err)) from None
        except RecursionError:
            raise ValueError(TOO_DEEP) from None


# Each planning tool and the module that defines it (a function of the tool's name), in the order a model
# sees them. Declared, not imported: a run imports the modules of the tools it calls and no others.
PLANNING_TOOLS: tuple[tuple[str, str], ...] = (
    ("analyze_brief", "tools.brief"), ("pick_details", "tools.details"), ("plan_rhythm", "tools.rhythm"),
    ("build_prompts", "tools.prompting"), ("build_matrix", "tools.prompting"), ("check_misuse", "tools.flags"),
    ("assign_deliverables", "tools.deliverables"), ("choose_sources", "tools.sources"),
    ("settle_questions", "tools.questions"), ("draft_plan", "tools.pipeline"), ("edit_plan", "tools.edits"),
    ("submit_plan", "tools.pipeline"),
)


def build_registry() -> ToolRegistry:
    """Every planning tool, plus `submit_plan`, which ends a run; each module is imported on the tool's first use."""
    registry = ToolRegistry()
    for name, module in PLANNING_TOOLS:
        registry.register_lazy(name, module)
    return registry
