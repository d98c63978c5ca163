"""Running a suite: plan every case (K times with --repeat), grade it, add the numbers up.

Cases run concurrently under an asyncio semaphore; results come back in case
order whatever the concurrency, so verdicts never depend on scheduling. A
planner that fails or crashes on a case fails that case (with the reason); a
configuration problem (bad model name, missing key) stops the whole run.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from agent.errors import ConfigError, EcuError, LimitExceeded
from agent.models import ShotPlan
from evals.cases import Case
from evals.graders import Counts, grade

# (case) -> (plan, usage); usage as RunFinished.usage fields (model_calls, prompt_tokens, ..., seconds).
Planner = Callable[[Case], Awaitable[tuple[ShotPlan, dict[str, Any]]]]


@dataclass
class Trial:
    index: int
    passed: bool
    failures: list[str]
    plan: ShotPlan | None
    usage: dict[str, Any]
    seconds: float
    counts: Counts = field(default_factory=Counts)
    checks: dict[str, bool] = field(default_factory=dict)
    judge: dict[str, Any] | None = None
    error: str | None = None


# A case's verdict against what its file expects: a case marked `known_failure` that fails is "known"
# (as expected), one that passes is "fixed" (as expected, but the mark can go).
PASS, FAIL, KNOWN, FIXED = "pass", "fail", "known", "fixed"


@dataclass
class CaseResult:
    case: Case
    trials: list[Trial]

    @property
    def passed(self) -> bool:
        """Strict: every trial passed (pass^k); with one trial, simply whether it passed."""
        return bool(self.trials) and all(trial.passed for trial in self.trials)

    @property
    def status(self) -> str:
        """pass, fail (a new failure), known (a marked known failure, failing) or fixed (marked, now passing)."""
        if self.case.known_failure:
            return FIXED if self.passed else KNOWN
        return PASS if self.passed else FAIL

    @property
    def pass_count(self) -> int:
        return sum(trial.passed for trial in self.trials)

    @property
    def failures(self) -> list[str]:
        """Distinct reasons across trials, in first-seen order, tagged with how often they occurred."""
        seen: dict[str, int] = {}
        for trial in self.trials:
            for reason in dict.fromkeys(trial.failures):
                seen[reason] = seen.get(reason, 0) + 1
        runs = len(self.trials)
        return [reason if count == runs or runs == 1 else f"{reason} (in {count} of {runs} runs)"
                for reason, count in seen.items()]

    @property
    def shown(self) -> Trial:
        """The trial a report shows: the first failing one, else the first."""
        return next((t for t in self.trials if not t.passed), self.trials[0])


@dataclass
class SuiteResult:
    results: list[CaseResult]
    seconds: float
    repeat: int = 1
    concurrency: int = 1
    model: str | None = None
    judge_model: str | None = None

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def as_expected(self) -> bool:
        """No new failure: every case passes or is a marked known failure (exit 0)."""
        return all(result.status != FAIL for result in self.results)

    def with_status(self, status: str) -> list[CaseResult]:
        return [result for result in self.results if result.status == status]

    def summary(self) -> dict[str, Any]:
        return summarize(self)


def _ratio(num: int | float, den: int | float) -> float | None:
    return round(num / den, 4) if den else None


def pass_at_k(n: int, c: int, k: int) -> float:
    """Chance that at least one of k trials drawn from n (c passing) passes (unbiased, Chen et al. 2021)."""
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """Chance that all of k trials drawn from n (c passing) pass (tau-bench's pass^k)."""
    return math.comb(c, k) / math.comb(n, k) if k <= n else 0.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def summarize(suite: SuiteResult) -> dict[str, Any]:
    trials = [trial for result in suite.results for trial in result.trials]
    counts = Counts()
    for trial in trials:
        counts.add(trial.counts)
    summary: dict[str, Any] = {
        "cases": len(suite.results),
        "passed": sum(result.passed for result in suite.results),
        "failed": sum(not result.passed for result in suite.results),
        "new_failures": len(suite.with_status(FAIL)),
        "known_failures": len(suite.with_status(KNOWN)),
        "fixed": [result.case.id for result in suite.with_status(FIXED)],
        "as_expected": suite.as_expected,
        "pass_rate": _ratio(sum(t.passed for t in trials), len(trials)),
        "detail_recall": _ratio(counts.details_matched, counts.details_expected),
        "category_accuracy": _ratio(counts.details_right_category, counts.details_matched),
        "flag_recall": _ratio(counts.flags_required_raised, counts.flags_required),
        "flag_false_positive_rate": _ratio(counts.no_flags_raised, counts.no_flags_listed),
        "formula_completeness": _ratio(counts.shots_complete, counts.shots),
        "subject_first": _ratio(counts.ecu_subject_first, counts.ecu_prompts),
        "errors": sum(t.error is not None for t in trials),
        "counts": asdict(counts),
        "model": suite.model or "offline",
        "repeat": suite.repeat,
        "concurrency": suite.concurrency,
        "wall_seconds": round(suite.seconds, 3),
    }
    if suite.repeat > 1:
        k = suite.repeat
        per_case = [(len(r.trials), r.pass_count) for r in suite.results if r.trials]
        summary["k"] = k
        summary["pass@1"] = _ratio(sum(c / n for n, c in per_case), len(per_case))
        summary["pass@k"] = _ratio(sum(pass_at_k(n, c, k) for n, c in per_case), len(per_case))
        summary["pass^k"] = _ratio(sum(pass_hat_k(n, c, k) for n, c in per_case), len(per_case))
    latencies = [trial.seconds for trial in trials]
    if latencies:
        summary["latency_s"] = {"mean": round(statistics.fmean(latencies), 4),
                                "p50": round(_percentile(latencies, 0.5), 4),
                                "p95": round(_percentile(latencies, 0.95), 4),
                                "max": round(max(latencies), 4)}
    if suite.model:
        runs = len(trials) or 1
        tokens = sum(t.usage.get("prompt_tokens", 0) + t.usage.get("completion_tokens", 0) for t in trials)
        cost = sum(t.usage.get("cost_usd", 0.0) for t in trials)
        calls = sum(t.usage.get("model_calls", 0) for t in trials)
        summary.update({"tokens_total": tokens, "tokens_per_case": round(tokens / runs, 1),
                        "cost_usd_total": round(cost, 6), "cost_usd_per_case": round(cost / runs, 6),
                        "model_calls_per_case": round(calls / runs, 2)})
    if suite.judge_model:
        verdicts = [t.judge for t in trials if t.judge is not None]
        summary["judge"] = {
            "model": suite.judge_model,
            "pass_rate": _ratio(sum(v.get("passed") is True for v in verdicts), len(verdicts)),
            "errors": sum(v.get("error") is not None for v in verdicts),
            "cached": sum(bool(v.get("cached")) for v in verdicts),
        }
    return summary


def agent_planner(config) -> Planner:
    """Plans through the public API (`Agent.run`), one agent per run, one tool registry for all."""
    from agent.api import Agent, policy_for, tool_registry
    from agent.events import RunFinished

    registry = tool_registry()
    policy_for(config)  # fail fast on a bad model configuration, before any case runs

    async def plan(case: Case) -> tuple[ShotPlan, dict[str, Any]]:
        usage: dict[str, Any] = {}

        def emit(event) -> None:
            if isinstance(event, RunFinished):
                usage.update(asdict(event.usage))

        agent = Agent(config, policy=policy_for(config), registry=registry)
        result = await agent.run(case.brief, emit)
        return result, usage

    return plan


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:300] or type(err).__name__


async def run_suite(cases: list[Case], planner: Planner, *, concurrency: int = 4, repeat: int = 1,
                    judge=None, model: str | None = None,
                    on_progress: Callable[[int, int, Case, Trial], None] | None = None) -> SuiteResult:
    """Plan and grade every case `repeat` times with at most `concurrency` runs at once."""
    concurrency = max(1, concurrency)
    repeat = max(1, repeat)
    semaphore = asyncio.Semaphore(concurrency)
    total = len(cases) * repeat
    done = 0
    fatal: list[BaseException] = []
    slots: dict[tuple[int, int], Trial] = {}

    async def one(position: int, case: Case, index: int) -> None:
        nonlocal done
        async with semaphore:
            if fatal:
                return
            trial = await _trial(case, index, planner, judge)
        if isinstance(trial, BaseException):
            fatal.append(trial)
            return
        slots[(position, index)] = trial
        done += 1
        if on_progress is not None:
            on_progress(done, total, case, trial)

    started = time.perf_counter()
    await asyncio.gather(*(one(p, case, i) for i in range(repeat) for p, case in enumerate(cases)))
    if fatal:
        raise fatal[0]
    results = [CaseResult(case, [slots[(p, i)] for i in range(repeat)]) for p, case in enumerate(cases)]
    return SuiteResult(results=results, seconds=time.perf_counter() - started, repeat=repeat,
                       concurrency=concurrency, model=model, judge_model=getattr(judge, "model", None))


async def _trial(case: Case, index: int, planner: Planner, judge) -> Trial | ConfigError:
    started = time.perf_counter()
    plan: ShotPlan | None = None
    usage: dict[str, Any] = {}
    failures: list[str] = []
    error: str | None = None
    try:
        plan, usage = await planner(case)
    except ConfigError as err:
        return err
    except LimitExceeded as err:
        plan, error = err.plan, _one_line(err)
        failures.append(f"run hit a limit: {error}" + ("" if plan else " (no plan)"))
    except EcuError as err:
        error = _one_line(err)
        failures.append(f"run failed: {error}")
    except Exception as err:  # the planner under test crashed: a failed case, with where it happened
        where = traceback.extract_tb(err.__traceback__)[-1]
        error = f"{type(err).__name__}: {_one_line(err)} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        failures.append(f"run crashed: {error}")
    seconds = time.perf_counter() - started
    trial = Trial(index=index, passed=False, failures=failures, plan=plan, usage=dict(usage), seconds=seconds,
                  error=error)
    if plan is not None:
        graded = grade(plan, case.expect)
        trial.counts = graded.counts
        trial.checks = {check.name: check.passed for check in graded.checks}
        trial.failures.extend(graded.failures)
        if judge is not None:
            verdict = await judge(case, plan)
            trial.judge = verdict.to_dict()
            trial.checks["judge"] = verdict.passed is True
            if verdict.error:
                trial.failures.append(verdict.error)
            elif not verdict.passed:
                trial.failures.append(f"judge: {verdict.critique or 'failed the rubric (no critique given)'}")
    trial.passed = plan is not None and error is None and not trial.failures
    return trial
