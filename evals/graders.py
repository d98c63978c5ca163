"""Deterministic graders: a case's expectations and the plan-level checks.

Graders read only the plan JSON contract (agent.models) and share no code with
the planner's own tools, so a planner bug cannot hide behind a grader that
makes the same mistake. Every failure is one human-readable sentence.

Expectations (per case, from the case file):
- details: each must be matched by some `extreme_close_up` shot whose
  detail.name contains one of the `any` substrings (case-insensitive), with a
  category among the accepted ones when the case lists any;
- flags: each kind must be raised (any severity);
- no_flags: none of these kinds may be raised (any severity);
- ecu_share: ECU shots / all shots within [lo, hi];
- sources (optional, version 2): every shot whose detail.name contains the substring has that source,
  and there is at least one such shot;
- questions (optional, version 2): the plan asks at least one question.
Old cases, which set neither, get exactly the checks they always had.

Plan checks (every case):
- formula: all seven formula fields non-empty on every shot;
- subject_first: the product's head noun within the first 16 words of every ECU prompt;
- orienting: at least one wide or medium frame, unless an `overuse` flag is raised;
- duplicates: no detail name used twice;
- categories: every detail category is in the vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from agent.models import CATEGORIES, FLAG_KINDS, ShotPlan

SUBJECT_WINDOW = 16
ORIENTING_SCALES = ("wide", "medium")
ECU = "extreme_close_up"
# Function words never identify a product ("the product", "our new serum"); the rule counts them otherwise.
_STOPWORDS = frozenset("the and for with our your new its from this that".split())
_PUNCT = "\"'()[]{}<>.,;:!?*_`~|/\\"


@dataclass
class Counts:
    """Raw counts behind the summary metrics; they add up across cases and trials."""

    details_expected: int = 0
    details_matched: int = 0          # some ECU's name matches the substrings
    details_right_category: int = 0   # ... and a matching ECU has an accepted category
    flags_required: int = 0
    flags_required_raised: int = 0
    no_flags_listed: int = 0
    no_flags_raised: int = 0
    shots: int = 0
    shots_complete: int = 0           # all seven formula fields filled
    ecu_prompts: int = 0
    ecu_subject_first: int = 0
    sources_expected: int = 0
    sources_right: int = 0

    def add(self, other: Counts) -> Counts:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)
        return self


@dataclass
class Check:
    name: str
    passed: bool
    failures: list[str] = field(default_factory=list)


@dataclass
class Grade:
    checks: list[Check]
    counts: Counts

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[str]:
        return [reason for check in self.checks for reason in check.failures]

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)


def _check(name: str, failures: list[str]) -> Check:
    return Check(name=name, passed=not failures, failures=failures)


def _ecus(plan: ShotPlan):
    return [shot for shot in plan.shots if shot.scale == ECU]


def _raised(plan: ShotPlan) -> dict[str, list[str]]:
    """Raised flag kinds with their severities."""
    kinds: dict[str, list[str]] = {}
    for flag in plan.flags:
        kinds.setdefault(flag.kind, []).append(flag.severity)
    return kinds


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- expectations -------------------------------------------------------------------------------

def check_details(plan: ShotPlan, expectations, counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    failures = []
    ecus = [(shot, shot.detail.name.lower()) for shot in _ecus(plan) if shot.detail is not None]
    names = ", ".join(f"'{_quote(shot.detail.name, 50)}'" for shot, _ in ecus) or "none"
    for expectation in expectations:
        counts.details_expected += 1
        terms = [term.lower() for term in expectation.any_of]
        matching = [shot for shot, name in ecus if any(term in name for term in terms)]
        if not matching:
            failures.append(f"no ECU detail mentions any of [{', '.join(expectation.any_of)}] "
                            f"(ECU details: {names})")
            continue
        counts.details_matched += 1
        accepted = expectation.category
        if accepted is None or any(shot.detail.category in accepted for shot in matching):
            counts.details_right_category += 1
            continue
        got = "; ".join(f"'{_quote(s.detail.name, 50)}' is {s.detail.category}" for s in matching)
        failures.append(f"detail [{', '.join(expectation.any_of)}] has the wrong category: {got}; "
                        f"expected {' or '.join(accepted)}")
    return _check("details", failures)


def check_flags(plan: ShotPlan, required: list[str], counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    raised = _raised(plan)
    failures = []
    for kind in required:
        counts.flags_required += 1
        if kind in raised:
            counts.flags_required_raised += 1
        else:
            failures.append(f"required flag {kind} not raised (raised: {', '.join(sorted(raised)) or 'none'})")
    return _check("flags", failures)


def check_no_flags(plan: ShotPlan, forbidden: list[str], counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    failures = []
    for kind in forbidden:
        counts.no_flags_listed += 1
        flags = [flag for flag in plan.flags if flag.kind == kind]
        if flags:
            counts.no_flags_raised += 1
            first = flags[0]
            failures.append(f"forbidden flag {kind} raised ({first.severity}: {_quote(first.message)})")
    return _check("no_flags", failures)


def ecu_share(plan: ShotPlan) -> float:
    return len(_ecus(plan)) / len(plan.shots) if plan.shots else 0.0


def check_ecu_share(plan: ShotPlan, bounds: tuple[float, float] | None) -> Check:
    if bounds is None:
        return _check("ecu_share", [])
    lo, hi = bounds
    share = ecu_share(plan)
    eps = 1e-9
    if lo - eps <= share <= hi + eps:
        return _check("ecu_share", [])
    return _check("ecu_share", [f"ECU share {share:.2f} ({len(_ecus(plan))} of {len(plan.shots)} shots) "
                                f"outside [{lo:g}, {hi:g}]"])


def check_sources(plan: ShotPlan, sources: dict[str, str], counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    failures = []
    for term, required in sources.items():
        counts.sources_expected += 1
        shots = [shot for shot in plan.shots if shot.detail is not None and term.lower() in shot.detail.name.lower()]
        wrong = [shot for shot in shots if shot.source != required]
        if not shots:
            failures.append(f"no shot's detail mentions '{term}', which must be {required}")
        elif wrong:
            got = "; ".join(f"{s.id} '{_quote(s.detail.name, 50)}' is {s.source}" for s in wrong)
            failures.append(f"detail '{term}' must be {required}: {got}")
        else:
            counts.sources_right += 1
    return _check("sources", failures)


def check_questions(plan: ShotPlan) -> Check:
    return _check("questions", [] if plan.questions else ["the plan asks no question, and the case expects one"])


# --- plan checks ----------------------------------------------------------------------------------

def check_formula(plan: ShotPlan, counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    failures = []
    for shot in plan.shots:
        counts.shots += 1
        empty = shot.prompt.fields.missing()
        if empty:
            failures.append(f"shot {shot.id}: empty formula field{'s' if len(empty) > 1 else ''} {', '.join(empty)}")
        else:
            counts.shots_complete += 1
    return _check("formula", failures)


def _norm(word: str) -> str:
    word = word.lower().replace("\u2019", "'").strip(_PUNCT)
    for suffix in ("'s", "'"):
        word = word.removesuffix(suffix)
    return word


def subject_words(product: str) -> set[str]:
    """The product's head noun (its last word) and any of its words longer than two letters (no function words)."""
    words = [w for w in (_norm(token) for token in product.split()) if w]
    if not words:
        return set()
    return {words[-1]} | {word for word in words if len(word) > 2 and word not in _STOPWORDS}


def _names(word: str, subjects: set[str]) -> bool:
    """A prompt word names the subject: the same word, its plural, or one part of a hyphenated compound."""
    forms = {word, *word.split("-")}
    return any(form in subjects or form in {s + "s" for s in subjects} or form in {s + "es" for s in subjects}
               for form in forms)


def subject_first(plan: ShotPlan, text: str, window: int = SUBJECT_WINDOW) -> bool:
    """Whether the product's name appears within the first `window` words of a prompt."""
    subjects = subject_words(plan.brief.product)
    if not subjects:
        return True
    return any(_names(_norm(token), subjects) for token in text.split()[:window])


def check_subject_first(plan: ShotPlan, counts: Counts | None = None) -> Check:
    counts = counts if counts is not None else Counts()
    failures = []
    for shot in _ecus(plan):
        counts.ecu_prompts += 1
        if subject_first(plan, shot.prompt.text):
            counts.ecu_subject_first += 1
        else:
            failures.append(f"shot {shot.id}: the product ('{plan.brief.product}') is not named in the first "
                            f"{SUBJECT_WINDOW} words of the ECU prompt: '{_quote(shot.prompt.text, 100)}'")
    return _check("subject_first", failures)


def check_orienting(plan: ShotPlan) -> Check:
    if any(shot.scale in ORIENTING_SCALES for shot in plan.shots):
        return _check("orienting", [])
    if "overuse" in _raised(plan):
        return _check("orienting", [])
    return _check("orienting", ["no orienting frame (wide or medium) and no overuse flag raised"])


def check_duplicates(plan: ShotPlan) -> Check:
    seen: dict[str, str] = {}
    failures = []
    for shot in plan.shots:
        if shot.detail is None:
            continue
        key = " ".join(shot.detail.name.lower().split())
        if key in seen:
            failures.append(f"duplicate detail '{shot.detail.name}' in shots {seen[key]} and {shot.id}")
        else:
            seen[key] = shot.id
    return _check("duplicates", failures)


def check_categories(plan: ShotPlan) -> Check:
    failures = [f"shot {shot.id}: detail category {shot.detail.category!r} is not one of {', '.join(CATEGORIES)}"
                for shot in plan.shots if shot.detail is not None and shot.detail.category not in CATEGORIES]
    failures += [f"flag kind {flag.kind!r} is not one of {', '.join(FLAG_KINDS)}"
                 for flag in plan.flags if flag.kind not in FLAG_KINDS]
    return _check("categories", failures)


def grade(plan: ShotPlan, expect) -> Grade:
    """Every expectation of a case (`evals.cases.Expect`) and every plan check, with the counts behind them."""
    counts = Counts()
    checks = [
        check_details(plan, expect.details, counts),
        check_flags(plan, expect.flags, counts),
        check_no_flags(plan, expect.no_flags, counts),
        check_ecu_share(plan, expect.ecu_share),
        check_formula(plan, counts),
        check_subject_first(plan, counts),
        check_orienting(plan),
        check_duplicates(plan),
        check_categories(plan),
    ]
    if expect.sources:
        checks.append(check_sources(plan, expect.sources, counts))
    if expect.questions:
        checks.append(check_questions(plan))
    return Grade(checks=checks, counts=counts)
