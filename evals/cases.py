"""Eval cases: the YAML format of docs/contract.md, loaded and validated with pydantic.

A case file looks like::

    id: leather-weekender
    vertical: luxury_goods          # optional, informative only
    brief: |
      plain-language brief...
    expect:
      details:
        - any: [stitch, seam]       # case-insensitive substrings of detail.name
          category: craftsmanship   # optional: one category or a list
      flags: [overuse]              # kinds that must be raised (any severity)
      no_flags: [pushed_performance]  # kinds that must not be raised
      ecu_share: [0.2, 0.6]         # optional bounds on ECU shots / all shots
      sources: {braille: photograph}  # optional (v2): detail substring -> the source its shots must have
      questions: true               # optional (v2): the plan must ask the marketer something
    known_failure: why it fails today   # optional: reported apart, does not fail the run

Anything wrong with a file raises `CaseError` (an InputError, exit code 2) with
one line naming the file and the problem.
"""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.errors import InputError
from agent.models import CATEGORIES, FLAG_KINDS, SOURCES

CASE_SUFFIXES = (".yaml", ".yml")


class CaseError(InputError):
    """A case file that cannot be used: missing, unreadable, bad YAML, or not the docs/contract.md format."""


def default_suite() -> Path:
    """The suite shipped with the package (`evals/briefs`), wherever the command runs from."""
    return Path(__file__).resolve().parent / "briefs"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


def _check_kinds(kinds: list[str]) -> list[str]:
    for kind in kinds:
        if kind not in FLAG_KINDS:
            raise ValueError(f"unknown flag kind {kind!r}; expected one of {', '.join(FLAG_KINDS)}")
    if len(set(kinds)) != len(kinds):
        raise ValueError("a flag kind is listed twice")
    return kinds


class DetailExpectation(_Strict):
    """One detail the plan must shoot as an extreme close-up."""

    any_of: list[str] = Field(alias="any", min_length=1,
                              description="Substrings of detail.name (case-insensitive); one suffices.")
    category: list[str] | None = Field(None, description="Accepted categories; None accepts any.")

    @field_validator("any_of")
    @classmethod
    def _non_empty_terms(cls, terms: list[str]) -> list[str]:
        if any(not term for term in terms):
            raise ValueError("an 'any' term is empty")
        return terms

    @field_validator("category", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value]
        return value

    @field_validator("category")
    @classmethod
    def _known_categories(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("category list is empty; leave it out to accept any category")
        for category in value:
            if category not in CATEGORIES:
                raise ValueError(f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
        return value

    def describe(self) -> str:
        text = "detail matching " + " | ".join(self.any_of)
        if self.category:
            text += f" ({' or '.join(self.category)})"
        return text


class Expect(_Strict):
    details: list[DetailExpectation] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    no_flags: list[str] = Field(default_factory=list)
    ecu_share: tuple[float, float] | None = None
    sources: dict[str, str] = Field(default_factory=dict,
                                    description="Detail substring (case-insensitive) -> the source its shots "
                                                "must have.")
    questions: bool = Field(False, description="The plan must ask the marketer at least one question.")

    @field_validator("details", "flags", "no_flags", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("sources", mode="before")
    @classmethod
    def _null_is_no_sources(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, sources: dict[str, str]) -> dict[str, str]:
        for term, source in sources.items():
            if not term.strip():
                raise ValueError("a sources key (detail substring) is empty")
            if source not in SOURCES:
                raise ValueError(f"unknown source {source!r} for {term!r}; expected one of {', '.join(SOURCES)}")
        return sources

    @field_validator("flags", "no_flags")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        return _check_kinds(kinds)

    @field_validator("ecu_share")
    @classmethod
    def _bounds(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is None:
            return None
        lo, hi = value
        if not 0.0 <= lo <= hi <= 1.0:
            raise ValueError(f"bounds must satisfy 0 <= lo <= hi <= 1, got [{lo:g}, {hi:g}]")
        return value

    @model_validator(mode="after")
    def _no_contradiction(self) -> Expect:
        both = sorted(set(self.flags) & set(self.no_flags))
        if both:
            raise ValueError(f"{', '.join(both)} is listed in both flags and no_flags")
        return self


class Case(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    brief: str = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)
    vertical: str | None = None
    known_failure: str | None = Field(None, min_length=1, description="Why the case is expected to fail for now; "
                                      "it is reported apart and does not fail the run (docs/contract.md).")
    path: str = Field("", exclude=True, description="Where the case was loaded from (not part of the file).")

    @field_validator("expect", mode="before")
    @classmethod
    def _null_expect(cls, value: Any) -> Any:
        return {} if value is None else value


def _describe_validation(err: ValidationError) -> str:
    parts = []
    for item in err.errors():
        loc = ".".join(str(p) for p in item["loc"] if p not in ("function-after", "function-before"))
        msg = item["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        if item["type"] == "extra_forbidden":
            msg = "unknown key (a typo?)"
        elif item["type"] == "missing":
            msg = "required key is missing"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


@functools.cache
def _case_loader():
    """A YAML SafeLoader that keeps unquoted numbers, dates and yes/no as text.

    Substrings such as `017` (a caseback number) would otherwise become the
    octal integer 15; pydantic turns numeric text back into numbers where the
    format wants one (ecu_share).
    """
    import yaml

    class CaseLoader(yaml.SafeLoader):
        pass

    dropped = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
               "tag:yaml.org,2002:timestamp"}
    CaseLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return CaseLoader


def load_case(path: str | Path) -> Case:
    """Read and validate one case file; raise CaseError naming the file and the problem."""
    import yaml

    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseError(f"{path}: case file not found") from None
    except OSError as err:
        raise CaseError(f"{path}: cannot read case file: {err.strerror or err}") from None
    if b"\x00" in raw:
        raise CaseError(f"{path}: looks like a binary file, not a YAML case")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text") from None
    try:
        data = yaml.load(text, Loader=_case_loader())  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise CaseError(f"{path}: invalid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise CaseError(f"{path}: expected a mapping with id, brief and expect, got {type(data).__name__}")
    try:
        case = Case.model_validate({**data, "path": str(path)})
    except ValidationError as err:
        raise CaseError(f"{path}: {_describe_validation(err)}") from None
    from agent.briefs import check_brief

    try:
        check_brief(case.brief)
    except InputError as err:
        raise CaseError(f"{path}: brief: {err}") from None
    return case


def case_files(paths: list[str | Path] | None = None) -> list[Path]:
    """Case files under each path (a file, or a folder's *.yaml / *.yml, not recursive); default: the shipped suite."""
    files: list[Path] = []
    for entry in paths or [default_suite()]:
        entry = Path(entry)
        if entry.is_dir():
            found = sorted(p for p in entry.iterdir() if p.is_file() and p.suffix in CASE_SUFFIXES)
            if not found:
                raise CaseError(f"{entry}: no case files (*.yaml) in this folder")
            files.extend(found)
        elif entry.exists():
            files.append(entry)
        else:
            raise CaseError(f"{entry}: no such case file or folder")
    seen: set[Path] = set()
    unique = []
    for path in files:  # the same file named twice (a folder and a file in it) runs once
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def load_cases(paths: list[str | Path] | None = None, filters: list[str] | None = None) -> list[Case]:
    """Every case under `paths`, validated, ids unique, optionally narrowed by `filters`."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in case_files(paths):
        case = load_case(path)
        if case.id in seen:
            raise CaseError(f"{path}: duplicate case id {case.id!r} (also in {seen[case.id]})")
        seen[case.id] = str(path)
        cases.append(case)
    if filters:
        cases = [case for case in cases if matches(case, filters)]
        if not cases:
            raise CaseError(f"no case matches --filter {' / '.join(filters)}")
    return cases


def matches(case: Case, patterns: list[str]) -> bool:
    """A pattern with * ? [ is a glob on the id; otherwise a case-insensitive substring of the id or vertical."""
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if any(ch in pattern for ch in "*?["):
            if fnmatch.fnmatchcase(case.id.lower(), pattern):
                return True
        elif pattern in case.id.lower() or (case.vertical and pattern == case.vertical.lower()):
            return True
    return False
