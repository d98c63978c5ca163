"""Text assets for the agent: the LLM system prompt, the brief wrapper and per-vertical templates.

Loaded with `importlib.resources`, so they work from a source tree, a wheel or a zip.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_text(name: str) -> str:
    """The text of `prompts/<name>` (a `.md` suffix is added when `name` has none)."""
    if "/" not in name and "." not in name:
        name += ".md"
    resource = resources.files(__name__)
    for part in name.split("/"):
        resource = resource.joinpath(part)
    if not resource.is_file():
        raise FileNotFoundError(f"no prompt asset named {name!r} in the prompts package")
    return resource.read_text(encoding="utf-8")
