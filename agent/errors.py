"""Errors a user can cause or meet, as one small hierarchy.

Every `EcuError` carries a one-line message fit for a terminal and the exit
code the CLI returns for it; nothing below this class should ever surface as
a traceback.
"""

from __future__ import annotations


class EcuError(Exception):
    """Base class: a one-line, user-facing problem."""

    exit_code = 1
    plan = None  # the best valid plan so far, when a run that had one was stopped (see agent.loop)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(EcuError):
    """Bad input: an empty, huge, binary, missing or non-English brief, a bad file or option."""

    exit_code = 2


class ConfigError(EcuError):
    """A missing or wrong setting: model name, API base, key, image model."""

    exit_code = 2


class ModelError(EcuError):
    """The language model failed: authentication, bad request, or retries exhausted."""


class LimitExceeded(EcuError):
    """A run hit a limit (steps, tool calls, tokens, cost, time); `plan` holds the best valid plan so far."""

    def __init__(self, message: str, plan=None) -> None:
        super().__init__(message)
        self.plan = plan


class PlanError(EcuError):
    """A run ended without a valid plan."""


class GenerationError(EcuError):
    """Image generation failed: missing model, no GPU, out of memory, disk full."""

    @classmethod
    def from_library(cls, err: BaseException, written: str) -> "GenerationError":
        """A torch/diffusers failure mid-run, as one line that says what was already saved."""
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        return cls(f"image generation failed ({type(err).__name__}: {reason}); {written}")


def from_generate_error(err: BaseException) -> EcuError:
    """tools.generate's one-line failure as the CLI's error: a wrong setting (missing image model) exits 2."""
    return (ConfigError if getattr(err, "is_setting", False) else GenerationError)(str(err))
