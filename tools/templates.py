"""Per-vertical prompt templates, kept as data in `prompts/templates/*.yaml`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tools.language import wordnet
from tools.text import fold

FALLBACK = "general"
# Domains that name what holds or bundles the product (a can, a kit, a jar), not what it is: they add
# weight to their vertical, and the brief's words still decide ("cold brew coffee can" is a drink).
WEAK_DOMAINS = frozenset({"container"})
# Domains the word right before the head gives a product whatever the head usually means: a "dog harness" is a pet
# product (a harness alone reads as machinery); a brand before it ("Cairn tent") is too far to count.
SAYING_MODIFIERS = frozenset({"medicine", "pet"})
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


# The templates are written as YAML (`prompts/templates/*.yaml`) and read from one JSON file compiled from
# them (`python -m tools.templates`): importing a YAML parser costs ~10 ms of every `ecu plan` start, reading
# JSON nothing. A test fails, naming that command, when the two disagree.
COMPILED = "templates.json"


def read_sources() -> dict[str, dict]:
    """Every template as its YAML file says it, by name (the authoring form; needs PyYAML)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    folder = resources.files("prompts") / "templates"
    raws = [yaml.load(entry.read_text(encoding="utf-8"), Loader=loader)
            for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".yaml")]
    return {raw["name"]: raw for raw in raws}


def read_compiled() -> dict[str, dict]:
    return json.loads((resources.files("prompts") / COMPILED).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def templates() -> dict[str, VerticalTemplate]:
    return {name: _load(dict(raw)) for name, raw in read_compiled().items()}


def template(vertical: str) -> VerticalTemplate:
    all_templates = templates()
    return all_templates.get(vertical) or all_templates[FALLBACK]


_RUN = re.compile(r"\w+")
_PLURALS = ("", "s", "es")


@lru_cache(maxsize=1)
def _keyword_index() -> dict[str, list[tuple[str, str]]]:
    """(keyword, vertical) pairs by the keyword's first run of word characters ("ice cream" under "ice")."""
    index: dict[str, list[tuple[str, str]]] = {}
    for name, t in templates().items():
        for keyword in dict.fromkeys(k.lower() for k in t.keywords):
            index.setdefault(_RUN.match(keyword).group(), []).append((keyword, name))
    return index


def keyword_counts(text: str) -> dict[str, int]:
    """How often each vertical's keywords occur in lower-case `text`, as whole words or their plurals.

    A lookup per word instead of one regex alternation per vertical: compiling those 19 patterns cost
    ~8 ms of every start. At a place where a vertical has several keywords the first listed counts, once.
    """
    index, counts = _keyword_index(), {}
    resume: dict[str, int] = {}  # where each vertical's next match may start (matches do not overlap)
    for run in _RUN.finditer(text):
        word, start = run.group(), run.start()
        stems = [word] + [word[:-len(p)] for p in _PLURALS[1:] if word.endswith(p) and len(word) > len(p)]
        for keyword, name in (pair for stem in dict.fromkeys(stems) for pair in index.get(stem, ())):
            end = _whole_word_end(text, start, keyword)
            if end is not None and start >= resume.get(name, 0):
                counts[name] = counts.get(name, 0) + 1
                resume[name] = end
    return counts


def _whole_word_end(text: str, start: int, keyword: str) -> int | None:
    """Where `keyword` (or its plural) ends when it stands at `start` as a whole word, else None."""
    if not text.startswith(keyword, start):
        return None
    for plural in _PLURALS:
        end = start + len(keyword) + len(plural)
        if text.startswith(plural, end - len(plural)) and (end == len(text) or not _is_word_char(text[end])):
            return end
    return None


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


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
    before = words[words.index(head.lower()) - 1] if head.lower() in words[1:] else ""
    if (said := next(iter(wordnet.domains(before)[:1]), "")) in SAYING_MODIFIERS:
        return (said,)  # "dog harness": the word right before the head says who the thing is for
    if len(wordnet.noun_senses(head)) >= POLYSEMOUS and modifiers:
        return tuple(dict.fromkeys((*senses, *modifiers)))
    return senses[:1]


_APP_STORE = re.compile(r"\b(?:app store|play store|google play)\b")


def detect_vertical(text: str, product: str = "", head: str = "") -> str:
    """The vertical of what the product is, else of the vocabulary the brief uses most.

    What the product's head noun means decides first (a valve is machinery whatever the brief says about
    tables); among the verticals that share its domain, or when it has none, the brief's words count,
    the product's own five times.
    """
    scores: dict[str, float] = {}
    text, product = fold(text), fold(product)
    if _APP_STORE.search(text):
        return "software"  # only apps have app store previews, whatever their name's head noun means
    domains = product_domains(product, head)
    owners = {name for name, t in templates().items() if set(domains) & set(t.domains)}
    decisive = bool(owners) and len(domains) == 1 and domains[0] not in WEAK_DOMAINS
    in_text, in_product = keyword_counts(text), keyword_counts(product)
    for name in (name for name, t in templates().items() if t.keywords):
        if decisive and name not in owners:
            continue
        bonus = (0.5 if decisive else DOMAIN_BONUS) * (name in owners)
        scores[name] = in_text.get(name, 0) + 5 * in_product.get(name, 0) + bonus
    best = max(scores.items(), key=lambda item: item[1], default=(FALLBACK, 0))
    return best[0] if best[1] > 0 else FALLBACK


def compile_sources() -> None:
    """Write `prompts/templates.json` from the YAML templates (run after editing one)."""
    target = Path(str(resources.files("prompts") / COMPILED))
    target.write_text(json.dumps(read_sources(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    compile_sources()
