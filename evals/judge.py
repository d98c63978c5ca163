"""The optional model grader (`ecu eval --judge MODEL`): a binary rubric with a written critique.

Never on by default. The deterministic graders decide what they can; the judge
reads the brief and the plan and answers one question, "would a senior
photographer sign off on these extreme close-ups for this brief?", as a
pass/fail verdict with a short critique. Verdicts are cached on disk under
`$ECU_HOME/judge-cache/`, keyed by case id, plan hash and grader version (plus
the judge model and the brief), so re-running an unchanged suite costs nothing.

litellm is imported only when a real model is called; tests pass `complete=`,
any callable taking OpenAI-style messages and returning the reply text.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GRADER_VERSION = "ecu-judge-1"

RUBRIC = """\
You are a senior commercial photographer reviewing an extreme close-up (ECU) shot plan made from a marketing brief.
Pass the plan only if ALL of these hold:
1. Every ECU detail is concrete and shootable (a named part of the product, not "quality" or "texture"),
   and each one carries a message from the brief (craftsmanship, emotion, proof or a story hook).
2. The details are the ones this brief cares about; nothing important the brief asks to show is missing.
3. Every ECU prompt names the product early, so the crop still reads as this product.
4. The campaign keeps at least one wide or medium frame that orients the viewer, or the plan raises an
   `overuse` flag because the brief insisted on ECUs everywhere.
5. Misuse in the brief is flagged (overuse, over_abstraction, pushed_performance, soft_focus,
   ambiguous_scale, decorative), and nothing is flagged that the brief does not warrant.
6. ECU prompts ask for one sharp focal plane and natural, restrained expression on faces.
Reply with one JSON object and nothing else: {"pass": true or false, "critique": "two to four sentences"}.
"""


@dataclass
class JudgeVerdict:
    passed: bool | None  # None: the judge could not give a verdict (see error)
    critique: str
    model: str
    cached: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_hash(plan) -> str:
    """A stable hash of a plan's JSON (key order and whitespace do not matter)."""
    data = plan.model_dump(mode="json") if hasattr(plan, "model_dump") else plan
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _plan_digest(plan) -> str:
    """What the judge reads: the plan without camera and matrix noise."""
    data = plan.model_dump(mode="json")
    shots = [{"id": s["id"], "scale": s["scale"], "purpose": s["purpose"], "placement": s["placement"],
              "detail": s["detail"], "prompt": s["prompt"]["text"]} for s in data["shots"]]
    flags = [{"kind": f["kind"], "severity": f["severity"], "message": f["message"]} for f in data["flags"]]
    return json.dumps({"product": data["brief"]["product"], "shots": shots, "flags": flags}, indent=1)


def build_messages(brief: str, plan) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": RUBRIC},
        {"role": "user", "content": f"BRIEF:\n{brief.strip()}\n\nPLAN:\n{_plan_digest(plan)}"},
    ]


_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def parse_reply(text: str) -> tuple[bool, str]:
    """The verdict and critique from a reply; ValueError when there is none."""
    match = _JSON_OBJECT.search(text or "")
    if not match:
        raise ValueError("no JSON object in the judge's reply")
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError as err:
        raise ValueError(f"the judge's JSON does not parse: {err.msg}") from None
    verdict = data.get("pass", data.get("passed")) if isinstance(data, dict) else None
    if isinstance(verdict, str) and verdict.strip().lower() in ("true", "false", "pass", "fail"):
        verdict = verdict.strip().lower() in ("true", "pass")
    if not isinstance(verdict, bool):
        raise ValueError('the judge\'s reply has no boolean "pass"')
    critique = str(data.get("critique") or "").strip()
    return verdict, critique


Complete = Callable[[list[dict[str, str]]], "str | Awaitable[str]"]


class Judge:
    def __init__(self, model: str, *, api_base: str | None = None, cache_dir: str | Path | None = None,
                 complete: Complete | None = None, version: str = GRADER_VERSION, timeout_s: float = 120.0) -> None:
        self.model = model
        self.api_base = api_base
        self.version = version
        self.timeout_s = timeout_s
        self._complete = complete
        if cache_dir is None:
            from agent.settings import default_home

            cache_dir = default_home() / "judge-cache"
        self.cache_dir = Path(cache_dir)
        self.calls = 0  # model calls actually made (cache misses)

    def cache_key(self, case, plan) -> str:
        brief = hashlib.sha256(case.brief.encode()).hexdigest()
        raw = "\n".join([self.version, self.model, case.id, plan_hash(plan), brief])
        return hashlib.sha256(raw.encode()).hexdigest()

    def _cache_path(self, case, plan) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", case.id)[:80]
        return self.cache_dir / f"{safe}.{self.cache_key(case, plan)[:32]}.json"

    def _read_cache(self, path: Path) -> JudgeVerdict | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != self.version or not isinstance(data.get("passed"), bool):
            return None
        return JudgeVerdict(passed=data["passed"], critique=data.get("critique", ""), model=self.model, cached=True)

    async def _ask(self, messages: list[dict[str, str]]) -> str:
        self.calls += 1
        if self._complete is not None:
            reply = self._complete(messages)
            return await reply if inspect.isawaitable(reply) else reply
        from agent.llm_client import load_litellm

        litellm = load_litellm()
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0,
                                  "timeout": self.timeout_s}
        if self.api_base:
            kwargs["api_base"] = self.api_base
        response = await litellm.acompletion(**kwargs)
        return response.choices[0].message.content or ""

    async def __call__(self, case, plan) -> JudgeVerdict:
        path = self._cache_path(case, plan)
        cached = self._read_cache(path)
        if cached is not None:
            return cached
        try:
            reply = await asyncio.wait_for(self._ask(build_messages(case.brief, plan)), self.timeout_s)
            passed, critique = parse_reply(reply)
        except TimeoutError:
            return JudgeVerdict(None, "", self.model, error=f"judge timed out after {self.timeout_s:g}s")
        except Exception as err:  # a judge failure is reported on the case, never a crash of the suite
            from agent.redact import one_line

            # Redacted: providers quote the key they were sent, and this line reaches the report and the terminal.
            return JudgeVerdict(None, "", self.model, error=f"judge failed: {one_line(err)}")
        from agent.outputs import atomic_write_text

        record = {"version": self.version, "model": self.model, "case": case.id, "plan_hash": plan_hash(plan),
                  "passed": passed, "critique": critique}
        try:
            atomic_write_text(path, json.dumps(record, indent=1) + "\n")
        except OSError:
            pass  # a read-only cache costs a re-run, nothing more
        return JudgeVerdict(passed, critique, self.model)
