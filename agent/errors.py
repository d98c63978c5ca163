"""Errors a user can cause or meet, as one small hierarchy.

Every `EcuError` carries a one-line message fit for a terminal and the exit
code the CLI returns for it; nothing below this class should ever surface as
a traceback. A message names settings and options as `{name}` references
(tools.messages): `str()` writes the bare name, and each face tells it in its
own words (`err.told(label)`: the CLI's flag, the terminal UI's variable).

Failures of the libraries and tools below (litellm, diffusers and torch,
OSError, tools.generate.GenerateError) become these errors in one place, the
tables at the end of this module (`generation_error`, `model_error`), as httpx
maps its transport errors. Next to them, what a provider failure means for a
retry: `is_transient` (retry or fail fast), `retry_after` (the wait the server
asked for) and `failure_reason` (the failure in a few words).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tools.messages import Label, plain, told


class EcuError(Exception):
    """Base class: a one-line, user-facing problem."""

    exit_code = 1
    plan = None  # the best valid plan so far, when a run that had one was stopped (see agent.loop)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return told(self.message)

    def told(self, label: Label = plain) -> str:
        """The message with each setting or option it names written as `label(name)` (a face's flag or key)."""
        return told(self.message, label)


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


# -- the mapping tables: failures from below -> the project's errors ------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a mapping rule may name: where the call went, the key to check, what was saved before a failure."""

    where: str = ""  # "model openai/x at http://..." (a redacted URL)
    key_variable: str = "the provider's API key variable"
    model: str = ""
    written: str = ""  # "3 image(s) written to out/x": what stays after a generation failure
    doing: str = ""  # "write the contact sheet out/x/sheet.png": what an OSError interrupted
    litellm: Any = None  # the litellm module, for its exception classes (imported by the caller, lazily)


Rule = tuple[Callable[[BaseException, Context], bool], Callable[[BaseException, Context], EcuError]]


def _mapped(rules: list[Rule], err: BaseException, context: Context) -> EcuError:
    for matches, make in rules:
        if matches(err, context):
            return make(err, context)
    raise AssertionError("the last rule of a table matches everything")


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:200]


def _is_generate_error(err: BaseException) -> bool:
    from tools.generate import GenerateError

    return isinstance(err, GenerateError)


GENERATION_RULES: list[Rule] = [
    (lambda err, _: isinstance(err, EcuError), lambda err, _: err),
    # a missing or wrong image model is the user's setting: exit 2
    (lambda err, _: _is_generate_error(err) and err.is_setting, lambda err, _: ConfigError(err.template)),
    (lambda err, _: _is_generate_error(err), lambda err, _: GenerationError(err.template)),
    (lambda err, c: isinstance(err, OSError) and bool(c.doing),
     lambda err, c: GenerationError(f"cannot {c.doing}: {err.strerror or err}")),
    # torch / diffusers failing mid-run: one line that says what was already saved
    (lambda err, _: True, lambda err, c: GenerationError(
        f"image generation failed ({type(err).__name__}: {_first_line(err)})"
        + (f"; {c.written}" if c.written else ""))),
]


def generation_error(err: BaseException, *, written: str = "", doing: str = "") -> EcuError:
    """A failure while rendering (tools.generate, diffusers, torch, the file system) as the project's error."""
    return _mapped(GENERATION_RULES, err, Context(written=written, doing=doing))


def _status(err: BaseException) -> Any:
    return getattr(err, "status_code", None)


def _is(err: BaseException, context: Context, name: str) -> bool:
    return isinstance(err, getattr(context.litellm, name))


def missing_key(err: BaseException) -> bool:
    text = str(err)
    return "Missing credentials" in text or "api_key client option must be set" in text


_NOT_JSON = ("Empty or invalid response from LLM endpoint", "Expecting value: line", "Unexpected token")


def not_a_completion(err: BaseException) -> bool:
    """A 200 whose body was not a chat completion (a proxy's HTML page, an empty body)."""
    return any(marker in str(err) for marker in _NOT_JSON)


def _not_a_completion_error(err: BaseException, c: Context) -> EcuError:
    import re

    from agent.redact import redact

    sent = re.search(r"Received: (.*?)\. Check", str(err))
    return ModelError(f"{c.where} answered with something that is not a chat completion: "
                      f"{redact(sent.group(1))[:160] if sent else _detail(err)}; check --api-base / ECU_API_BASE")


def _detail(err: BaseException) -> str:
    """The provider's message on one short line, with anything key-like removed."""
    import re

    from agent.redact import redact

    text = re.sub(r"^(?:litellm\.\w+:\s*)?(?:\w+Error:\s*)?(?:\w+Exception\s*-\s*)?", "", " ".join(str(err).split()))
    return redact(text)[:200] or type(err).__name__


MODEL_RULES: list[Rule] = [
    (lambda err, _: isinstance(err, ModelError | ConfigError), lambda err, _: err),
    (lambda err, _: missing_key(err), lambda err, c: ConfigError(f"{c.where}: no API key found: set {c.key_variable}")),
    (lambda err, _: not_a_completion(err), _not_a_completion_error),
    (lambda err, c: _is(err, c, "AuthenticationError") or _status(err) == 401,
     lambda err, c: ConfigError(f"{c.where} rejected the API key: set {c.key_variable} to a valid key")),
    (lambda err, c: _is(err, c, "PermissionDeniedError") or _status(err) == 403,
     lambda err, c: ConfigError(f"{c.where} refused access (403): check that {c.key_variable} may use this model")),
    (lambda err, c: _is(err, c, "NotFoundError") or _status(err) == 404,
     lambda err, c: ConfigError(f"{c.where} was not found (404): check --model / ECU_MODEL and --api-base / "
                                "ECU_API_BASE")),
    (lambda err, _: "LLM Provider NOT provided" in str(err),
     lambda err, c: ConfigError(f"model {c.model!r} names no provider: use a litellm name such as "
                                f"openai/{c.model} (--model or ECU_MODEL)")),
    (lambda err, c: _is(err, c, "ContextWindowExceededError"),
     lambda err, c: ModelError(f"{c.where}: the conversation no longer fits the model's context window "
                               f"({_detail(err)})")),
    (lambda err, c: _is(err, c, "BadRequestError") or _status(err) == 400,
     lambda err, c: ModelError(f"{c.where} rejected the request (400): {_detail(err)}")),
    (lambda err, _: bool(_status(err)),
     lambda err, c: ModelError(f"{c.where} failed ({_status(err)}): {_detail(err)}")),
    (lambda err, _: True, lambda err, c: ModelError(f"{c.where} failed: {type(err).__name__}: {_detail(err)}")),
]


def model_error(err: BaseException, context: Context) -> EcuError:
    """A model-call failure that retrying cannot fix (litellm, openai, the network) as a one-line error."""
    return _mapped(MODEL_RULES, err, context)


# -- provider failures: retry or not, how long, in a few words ------------------------------------------------


def is_transient(err: BaseException, litellm) -> bool:
    """Worth retrying: rate limits, timeouts, 5xx, dropped connections. Never auth or bad requests."""
    if missing_key(err) or not_a_completion(err):  # litellm reports these as a 500; retrying cannot help
        return False
    if isinstance(err, (litellm.AuthenticationError, litellm.BadRequestError, litellm.NotFoundError,
                        litellm.PermissionDeniedError)):
        return False
    if isinstance(err, (litellm.RateLimitError, litellm.Timeout, litellm.APIConnectionError,
                        litellm.InternalServerError, litellm.ServiceUnavailableError, litellm.BadGatewayError)):
        return True
    import openai

    if isinstance(err, (openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError,
                        openai.InternalServerError)):
        return True
    status = getattr(err, "status_code", None)
    if isinstance(status, int):
        return status == 429 or status >= 500
    return isinstance(err, (TimeoutError, ConnectionError))


def retry_after(err: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms or retry-after in seconds), if it said."""
    headers = getattr(err, "litellm_response_headers", None) or getattr(getattr(err, "response", None),
                                                                         "headers", None)
    if not headers:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(float(ms) / 1000, 0.0)
        if (seconds := headers.get("retry-after")) is not None:
            return max(float(seconds), 0.0)
    except (TypeError, ValueError, AttributeError):  # an HTTP date or garbage: fall back to backoff
        return None
    return None


def failure_reason(err: BaseException | None) -> str:
    """A failure in a few words, for retry progress and the exhausted-retries message ("a timeout")."""
    if err is None:
        return "an unknown error"
    status = getattr(err, "status_code", None)
    name = type(err).__name__
    if "Timeout" in name or isinstance(err, TimeoutError):
        return "a timeout"
    if status == 429 or "RateLimit" in name:
        return "rate limit (429)"
    if "Connection error" in str(err) or "Connection" in name:
        return "a connection error"
    if isinstance(status, int):
        return f"server error ({status})"
    return name
