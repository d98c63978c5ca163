"""Revisions after QC, decided by the model through a typed tool (`revise_prompt`).

`ModelReviser` is the `Reviser` agent.iterate.refine uses when a model is
configured: the model reads a failed render's QC findings and proposes
concrete prompt changes; the QC report's own mapping is the fallback.
"""

from __future__ import annotations

import asyncio
import json

from pydantic import BaseModel, Field

from agent.config import Config
from agent.llm_client import LiteLLMClient, LLMClient, Message


class PromptRevisions(BaseModel):
    """Concrete prompt changes for one failed render."""

    revisions: list[str] = Field(description='Lines like "focus: razor sharp focus on the seam, f/8 macro", '
                                             '"background: + plain dark seamless background", or "new seed".')


def revise_prompt_tool(args: PromptRevisions) -> PromptRevisions:
    """Propose revisions to a failed shot's prompt; each line replaces ("field: text") or extends ("field: + text")."""
    return args


class ModelReviser:
    """A `Reviser` for agent.iterate.refine: the model reads the QC findings and calls `revise_prompt`.

    It falls back on the QC report's own mapping when the model proposes nothing usable,
    so a quiet or confused model never stalls the loop.
    """

    def __init__(self, config: Config, client: LLMClient | None = None) -> None:
        from tools.registry import ToolRegistry

        self.client = client or LiteLLMClient(config)
        self.registry = ToolRegistry()
        self.registry.register(revise_prompt_tool, name="revise_prompt")

    def __call__(self, shot, report) -> list[str]:
        messages: list[Message] = [
            {"role": "system", "content": _revise_instructions()},
            {"role": "user", "content": json.dumps({
                "shot": {"id": shot.id, "detail": shot.detail.name if shot.detail else None,
                         "fields": shot.prompt.fields.model_dump()},
                "qc": report.model_dump(mode="json"),
            })},
        ]
        completion = asyncio.run(self.client.complete(messages, self.registry.schemas(), stream=False))
        for call in completion.tool_calls:
            result = self.registry.call(call.name, call.arguments)
            if result.ok and result.output.revisions:
                return list(result.output.revisions)
        return list(report.revisions)


def _revise_instructions() -> str:
    from prompts import load_text

    return load_text("revise.md").strip()
