"""Per-vertical prompt templates, kept as data in `prompts/templates/*.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tools.language import wordnet
from tools.text import fold

FALLBACK = "general"
# Domains that name what holds or bundles the product (a can, a kit, a jar), not what it is: they add
# weight to their vertical, and the brief's words still decide ("cold brew coffee can" is a drink).
WEAK_DOMAINS = frozenset({"container"})
DOMAIN_BONUS = 1.0  # a weak or uncertain domain counts as one mention of its vertical's words


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
    domains: tuple[str, ...] = ()  # WordNet product domains of products in this vertical ("furniture")


def _load(raw: dict) -> VerticalTemplate:
    raw["keywords"] = tuple(raw.get("keywords", ()))
    raw["domains"] = tuple(raw.get("domains", ()))
    return VerticalTemplate(**raw)


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


POLYSEMOUS = 3  # a head noun with this many senses ("bar", "valve") may mean another thing than its first


def product_domains(product: str, head: str) -> tuple[str, ...]:
    """What the product may be, as WordNet product domains, the likeliest first.

    A compound WordNet knows says it outright ("chocolate bar"). A modifier sharing one of the head's
    domains picks it ("leather bag"). A head with many senses also admits its modifiers' domains ("cacao
    bar" may be food, not only the counter), and then the brief's own words decide among them.
    """
    if not head:
        return ()
    words = product.lower().split()
    if head.lower() in words:
        end = words.index(head.lower()) + 1
        for start in range(max(0, end - 3), end - 1):
            if compound := wordnet.domains(" ".join(words[start:end])):
                return compound[:1]
    senses = wordnet.domains(head)
    modifiers = [d for w in words if w != head.lower() for d in wordnet.domains(w)[:1]]
    shared = [d for d in modifiers if d in senses]
    if shared:
        return (shared[0],)
    if len(wordnet.noun_senses(head)) >= POLYSEMOUS and modifiers:
        return tuple(dict.fromkeys((*senses, *modifiers)))
    return senses[:1]


def detect_vertical(text: str, product: str = "", head: str = "") -> str:
    """The vertical of what the product is, else of the vocabulary the brief uses most.

    What the product's head noun means decides first (a valve is machinery whatever the brief says about
    tables); among the verticals that share its domain, or when it has none, the brief's words count,
    the product's own five times.
    """
    scores: dict[str, float] = {}
    text, product = fold(text), fold(product)
    domains = product_domains(product, head)
    owners = {name for name, t in templates().items() if set(domains) & set(t.domains)}
    decisive = bool(owners) and len(domains) == 1 and domains[0] not in WEAK_DOMAINS
    for name, pattern in _keyword_patterns().items():
        if decisive and name not in owners:
            continue
        bonus = (0.5 if decisive else DOMAIN_BONUS) * (name in owners)
        scores[name] = len(pattern.findall(text)) + 5 * len(pattern.findall(product)) + bonus
    best = max(scores.items(), key=lambda item: item[1], default=(FALLBACK, 0))
    return best[0] if best[1] > 0 else FALLBACK
