"""Per-vertical prompt templates, kept as data in `prompts/templates/*.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from tools.text import fold

FALLBACK = "general"


@dataclass(frozen=True)
class DefaultDetail:
    name: str
    category: str
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerticalTemplate:
    name: str
    label: str
    keywords: tuple[str, ...]
    material: str
    lighting: str
    background: str
    mood: str
    intent: str
    setting: str
    negative: str
    default_category: str = "craftsmanship"  # the usual job of a mark or mechanism in this vertical
    texture_category: str = "craftsmanship"  # the usual job of a surface or material texture
    defaults: tuple[DefaultDetail, ...] = field(default_factory=tuple)


def _load(raw: dict) -> VerticalTemplate:
    defaults = tuple(
        DefaultDetail(d["name"], d["category"], tuple(d.get("goals", ()))) for d in raw.pop("defaults", [])
    )
    raw["keywords"] = tuple(raw.get("keywords", ()))
    return VerticalTemplate(defaults=defaults, **raw)


@lru_cache(maxsize=1)
def templates() -> dict[str, VerticalTemplate]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    folder = resources.files("prompts") / "templates"
    loaded = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            template = _load(yaml.load(entry.read_text(encoding="utf-8"), Loader=loader))
            loaded[template.name] = template
    return loaded


def template(vertical: str) -> VerticalTemplate:
    all_templates = templates()
    return all_templates.get(vertical) or all_templates[FALLBACK]


@lru_cache(maxsize=1)
def _keyword_patterns() -> dict[str, re.Pattern[str]]:
    return {
        name: re.compile(r"\b(?:" + "|".join(re.escape(k.lower()) for k in t.keywords) + r")(?:s|es)?\b")
        for name, t in templates().items() if t.keywords
    }


def detect_vertical(text: str, product: str = "") -> str:
    """The vertical whose vocabulary the brief uses most; the product's own words count five times."""
    scores: dict[str, float] = {}
    text, product = fold(text), fold(product)
    for name, pattern in _keyword_patterns().items():
        scores[name] = len(pattern.findall(text)) + 5 * len(pattern.findall(product))
    best = max(scores.items(), key=lambda item: item[1], default=(FALLBACK, 0))
    return best[0] if best[1] > 0 else FALLBACK
