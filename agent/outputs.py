"""What a face makes from a plan, reached through the agent: files written atomically, a plan in an export
format, and the image renderer. The faces (tui, evals, slackbot) import these instead of `tools`, so the tools
stay one floor down and can change without touching a face.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.models import ShotPlan
from tools.storage import atomic_write_text  # light: only the standard library

__all__ = ["atomic_write_text", "make_renderer", "quiet_libraries", "render_plan"]


def render_plan(plan: ShotPlan, fmt: str) -> str:
    """The plan as `json` or `markdown` text (tools.export)."""
    from tools.export import render_plan as render

    return render(plan, fmt)


def make_renderer(out_dir: str | Path, **options: Any):
    """A `tools.generate.Renderer` writing to `out_dir` (imports torch/diffusers only when it renders)."""
    from tools.generate import Renderer

    return Renderer(out_dir, **options)


def quiet_libraries() -> None:
    """No download bars or library chatter on the terminal: the faces show their own progress."""
    import logging
    import os
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"(diffusers|transformers|huggingface_hub)")
    for name in ("diffusers", "transformers", "huggingface_hub", "torch"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from diffusers.utils import logging as diffusers_logging

        diffusers_logging.set_verbosity_error()
        diffusers_logging.disable_progress_bar()
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
    except Exception:  # an older or missing library: the chatter is cosmetic
        pass
