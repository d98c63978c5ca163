"""The language-model client: `LiteLLMClient` and the `LLMClient` protocol it fills.

`LiteLLMClient.complete` is `litellm.acompletion` with the tool schemas,
streaming or not, an explicit `max_tokens`, a temperature only when one is set,
Anthropic prompt caching, tenacity retries for transient failures (rate limits,
timeouts, 5xx, connection errors: `agent.errors.is_transient`) and one-line
errors for everything else (`agent.errors.model_error`). litellm is imported on
first use only (`load_litellm`): `import agent.llm_client` stays cheap and the
offline path never loads it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.config import Config
from agent.errors import ConfigError, Context, ModelError, failure_reason, is_transient, model_error, retry_after
from agent.redact import redact, redact_url

log = logging.getLogger(__name__)

Message = dict[str, Any]
OnDelta = Callable[[str], None]
OnRetry = Callable[[int, int, str, float], None]  # attempt that failed, attempts allowed, reason, wait in s

# Where each provider's key usually lives; used to name the setting to check in error messages.
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY", "text-completion-openai": "OPENAI_API_KEY", "azure": "AZURE_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY", "gemini": "GEMINI_API_KEY", "vertex_ai": "GOOGLE_APPLICATION_CREDENTIALS",
    "mistral": "MISTRAL_API_KEY", "groq": "GROQ_API_KEY", "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY", "deepseek": "DEEPSEEK_API_KEY", "cohere": "COHERE_API_KEY",
    "fireworks_ai": "FIREWORKS_AI_API_KEY", "xai": "XAI_API_KEY", "perplexity": "PERPLEXITYAI_API_KEY",
    "bedrock": "AWS_ACCESS_KEY_ID",
}


# --------------------------------------------------------------------------------------------
# The client protocol and its result


@dataclass
class CompletionToolCall:
    id: str
    name: str
    arguments: str  # raw JSON text exactly as the model wrote it (may be malformed)


@dataclass
class Completion:
    text: str = ""
    tool_calls: list[CompletionToolCall] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class LLMClient(Protocol):
    async def complete(self, messages: list[Message], tools: list[dict[str, Any]], stream: bool,
                       on_delta: OnDelta | None = None) -> Completion: ...


# --------------------------------------------------------------------------------------------
# The litellm client


class LiteLLMClient:
    """`litellm.acompletion` with tools, optional streaming, retries and one-line errors."""

    def __init__(self, config: Config) -> None:
        self.config = config

    @property
    def attempts(self) -> int:
        return max(1, self.config.max_retries + 1)

    async def complete(self, messages: list[Message], tools: list[dict[str, Any]], stream: bool,
                       on_delta: OnDelta | None = None, *, on_retry: OnRetry | None = None,
                       tool_choice: str = "auto") -> Completion:
        """One model reply; transient failures are retried, the rest raise ConfigError or ModelError."""
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

        litellm = load_litellm()
        self._check_key(litellm)
        kwargs = self.request(litellm, messages, tools, stream, tool_choice)
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=self._wait,
                retry=retry_if_exception(lambda err: is_transient(err, litellm)),
                before_sleep=lambda retry_state: self._before_sleep(retry_state, on_retry),
                reraise=True,
            ):
                with attempt:
                    return await self._attempt(litellm, kwargs, messages, on_delta)
        except Exception as err:  # reraise=True: the last attempt's own error lands here
            if is_transient(err, litellm):
                raise self._exhausted(err) from None
            raise self._fatal(err, litellm) from None
        raise ModelError(f"model {self.config.model} returned nothing")  # pragma: no cover

    def request(self, litellm, messages: list[Message], tools: list[dict[str, Any]], stream: bool,
                tool_choice: str = "auto") -> dict[str, Any]:
        """The keyword arguments for `litellm.acompletion`, shaped for the provider."""
        kwargs: dict[str, Any] = dict(
            model=self.config.model, messages=messages, timeout=self.config.request_timeout_s, stream=stream,
            max_tokens=self.config.max_output_tokens,
            max_retries=0, num_retries=0,  # tenacity owns retries; no hidden ones in litellm or openai
        )
        if self.config.temperature is not None:
            # litellm knows which models refuse a temperature (o1/o3/gpt-5 reasoning): it leaves it out for them
            kwargs.update(temperature=self.config.temperature, drop_params=True)
        if self.config.api_base:
            kwargs["api_base"] = self.config.api_base
        if tools:
            kwargs.update(tools=tools, tool_choice=tool_choice)
        if stream:
            kwargs["stream_options"] = {"include_usage": True}
        if self.provider(litellm) == "anthropic":
            kwargs["messages"], cached_tools = _cached_for_anthropic(messages, tools)
            if tools:
                kwargs["tools"] = cached_tools
        return kwargs

    def provider(self, litellm) -> str:
        try:
            return litellm.get_llm_provider(self.config.model)[1]
        except Exception:  # no provider in the name: the request itself reports it
            return ""

    def _check_key(self, litellm) -> None:
        """A missing key is a setting to fix, named before any request (litellm's own list of what each needs)."""
        if self.provider(litellm) not in KEY_VARIABLES:
            return
        try:
            missing = litellm.validate_environment(self.config.model).get("missing_keys") or []
        except Exception:
            return
        keys = [k for k in missing if k.endswith(("_KEY", "_TOKEN", "_ID", "CREDENTIALS"))]
        if keys:
            raise ConfigError(f"{self._where()}: no API key found: set {' or '.join(keys)}")

    async def _attempt(self, litellm, kwargs, messages, on_delta) -> Completion:
        response = await litellm.acompletion(**kwargs)
        if kwargs["stream"]:
            return await self._collect_stream(litellm, response, messages, on_delta)
        return self._from_response(litellm, response)

    def _from_response(self, litellm, response) -> Completion:
        if not getattr(response, "choices", None):
            raise ModelError(f"{self._where()} answered without a message (no choices): {_sent(response)}")
        message = response.choices[0].message
        calls = []
        for tc in getattr(message, "tool_calls", None) or []:  # branch on tool_calls, not finish_reason
            fn = getattr(tc, "function", None)
            calls.append(CompletionToolCall(id=getattr(tc, "id", None) or "", name=getattr(fn, "name", None) or "",
                                            arguments=_raw_arguments(getattr(fn, "arguments", None))))
        usage = getattr(response, "usage", None)
        return Completion(text=(getattr(message, "content", None) or ""), tool_calls=calls,
                          prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                          completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                          cost_usd=self._cost(litellm, response))

    async def _collect_stream(self, litellm, response, messages, on_delta) -> Completion:
        """Accumulate a streamed reply: text deltas go to `on_delta`, tool-call fragments join by index."""
        text: list[str] = []
        calls: dict[int, dict[str, Any]] = {}
        chunks = []
        usage, saw_choice = None, False
        async for chunk in response:
            chunks.append(chunk)
            usage = getattr(chunk, "usage", None) or usage
            for choice in getattr(chunk, "choices", None) or []:
                saw_choice = True
                delta = getattr(choice, "delta", None)
                if delta is None:
                    continue
                if content := getattr(delta, "content", None):
                    text.append(content)
                    if on_delta is not None:
                        on_delta(content)
                for position, tc in enumerate(getattr(delta, "tool_calls", None) or []):
                    index = getattr(tc, "index", None)
                    if index is None:
                        index = max(calls, default=-1) + (1 if getattr(tc, "id", None) else 0) + position
                    slot = calls.setdefault(index, {"id": "", "name": "", "arguments": []})
                    if tc_id := getattr(tc, "id", None):
                        slot["id"] = tc_id
                    fn = getattr(tc, "function", None)
                    if name := getattr(fn, "name", None):
                        slot["name"] = name
                    if fragment := getattr(fn, "arguments", None):
                        slot["arguments"].append(fragment)
        if not saw_choice:
            raise ModelError(f"{self._where()} streamed no message (no choices): "
                             f"{_sent(chunks[0]) if chunks else 'an empty stream'}")
        if not text and not calls and usage is None:  # what litellm makes of a body that was not a stream at all
            raise ModelError(f"{self._where()} sent an empty stream (no text, no tool call, no usage): check that "
                             "--api-base is an OpenAI-compatible chat-completions server")
        tool_calls = [CompletionToolCall(id=s["id"], name=s["name"], arguments="".join(s["arguments"]))
                      for _, s in sorted(calls.items())]
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        cost = 0.0
        try:  # one response object for cost (and for usage when the server sent none)
            built = litellm.stream_chunk_builder(chunks, messages=messages)
        except Exception:
            built = None
        if built is not None:
            if not (prompt_tokens or completion_tokens) and getattr(built, "usage", None) is not None:
                prompt_tokens = int(getattr(built.usage, "prompt_tokens", 0) or 0)
                completion_tokens = int(getattr(built.usage, "completion_tokens", 0) or 0)
            cost = self._cost(litellm, built)
        return Completion(text="".join(text), tool_calls=tool_calls, prompt_tokens=prompt_tokens,
                          completion_tokens=completion_tokens, cost_usd=cost)

    @staticmethod
    def _cost(litellm, response) -> float:
        try:
            return float(litellm.completion_cost(completion_response=response) or 0.0)
        except Exception:  # unknown or self-hosted model: no price known
            return 0.0

    # retries ---------------------------------------------------------------------------------
    def _wait(self, retry_state) -> float:
        """The server's Retry-After when it sent one, else exponential backoff with jitter; capped either way."""
        import random

        base, cap = max(self.config.retry_base_s, 0.0), max(self.config.retry_max_s, 0.0)
        outcome = retry_state.outcome
        hinted = retry_after(outcome.exception()) if outcome is not None and outcome.failed else None
        if hinted is not None:
            return min(hinted, cap)
        return min(base * (2 ** (retry_state.attempt_number - 1)) + random.uniform(0, base), cap)

    def _before_sleep(self, retry_state, on_retry: OnRetry | None) -> None:
        err = retry_state.outcome.exception() if retry_state.outcome else None
        wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
        reason = failure_reason(err)
        log.info("model %s: %s; retry %d of %d in %.2fs", self.config.model, reason,
                 retry_state.attempt_number, self.attempts - 1, wait)
        if on_retry is not None:
            on_retry(retry_state.attempt_number, self.attempts, reason, wait)

    # errors ----------------------------------------------------------------------------------
    def _where(self) -> str:
        at = f" at {redact_url(self.config.api_base)}" if self.config.api_base else ""
        return f"model {self.config.model}{at}"

    def _key_variable(self) -> str:
        provider = (self.config.model or "").split("/", 1)[0]
        return KEY_VARIABLES.get(provider, "the provider's API key variable")

    def _exhausted(self, err: BaseException | None) -> ModelError:
        n = self.attempts
        return ModelError(f"{self._where()} still failing after {n} attempt{'s' * (n != 1)} "
                          f"({failure_reason(err)}): try again later or check --api-base / ECU_API_BASE")

    def _fatal(self, err: BaseException, litellm) -> Exception:
        """A one-line ConfigError or ModelError for a failure that retrying cannot fix (agent.errors' table)."""
        return model_error(err, Context(where=self._where(), key_variable=self._key_variable(),
                                        model=self.config.model or "", litellm=litellm))


def _sent(response: Any) -> str:
    """What a server sent, on one short redacted line, for a reply that carries no message."""
    try:
        text = response.model_dump_json() if hasattr(response, "model_dump_json") else str(response)
    except Exception:
        text = repr(response)
    return redact(" ".join(text.split()))[:200]


def _cached_for_anthropic(messages: list[Message], tools: list[dict[str, Any]]):
    """Mark the system prompt and the tool list as cacheable (Anthropic prompt caching): they repeat every turn."""
    marked = []
    for message in messages:
        if message.get("role") == "system" and isinstance(message.get("content"), str):
            message = {**message, "content": [{"type": "text", "text": message["content"],
                                               "cache_control": {"type": "ephemeral"}}]}
        marked.append(message)
    tools = [dict(tool) for tool in tools]
    if tools:
        tools[-1]["cache_control"] = {"type": "ephemeral"}
    return marked, tools


def _raw_arguments(arguments: Any) -> str:
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments)


_LOADED = None


def litellm_completion(**kwargs: Any) -> Any:
    """litellm's `completion`, loaded quietly on first use (the QC vision judge calls it).

    A failure comes back as a ModelError whose one line has been through `agent.redact`: providers echo keys.
    """
    litellm = load_litellm()
    try:
        return litellm.completion(**kwargs)
    except Exception as err:
        from agent.redact import one_line

        raise ModelError(one_line(err)) from None


def load_litellm():
    """Import litellm quietly: local cost map (no network at import), no debug prints, no telemetry."""
    global _LOADED
    if _LOADED is not None:
        return _LOADED
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "CRITICAL")
    os.environ.setdefault("LITELLM_TELEMETRY", "False")
    os.environ.setdefault("LITELLM_DONT_SHOW_FEEDBACK_BOX", "true")
    import litellm

    litellm.suppress_debug_info = True
    litellm.set_verbose = False
    litellm.telemetry = False
    litellm.turn_off_message_logging = True
    for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm", "httpx", "openai"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    _LOADED = litellm
    return litellm
