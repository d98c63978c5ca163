"""Compile WordNet 3.0 into the compact word table the planner reads (tools/language/data/wordnet.tsv).

Run once when the table should change:

    apt-get install wordnet-base            # Debian's copy of the WordNet 3.0 database
    python -m tools.language.build_table /usr/share/wordnet

Each row of the table is `word<TAB>parts<TAB>senses<TAB>domains<TAB>verbs`, sorted by word:
- parts: the parts of speech WordNet knows the word as (n, v, a, r), then `=base` for an
  irregular form (`geese` -> `=goose`, `woven` -> `a=weave`);
- senses: the lexicographer file of each noun sense, most frequent first (artifact, body, food, ...);
- domains: for each noun sense, the nearest product domain among its hypernyms (furniture,
  garment, vehicle, ...) or `-`;
- verbs: the lexicographer file of each verb sense, most frequent first (creation, contact, change, ...).
Only what the planner asks about is kept, so the table stays small and a lookup is a binary search.
"""

from __future__ import annotations

import sys
from collections import deque
from pathlib import Path

MAX_SENSES = 4
OUT = Path(__file__).with_name("data") / "wordnet.tsv"

# Product domains: an anchor synset (lemma, sense number in WordNet 3.0) for each. A noun whose
# hypernyms reach an anchor belongs to that domain; the nearest anchor wins ("watch" -> timepiece).
DOMAINS: dict[str, tuple[tuple[str, int], ...]] = {
    "garment": (("clothing", 1), ("garment", 1), ("footwear", 1), ("footwear", 2), ("headdress", 1),
                ("fabric", 1), ("glove", 2), ("sock", 1), ("belt", 2)),
    "leather_goods": (("bag", 1), ("bag", 4), ("bag", 6), ("luggage", 1), ("wallet", 1), ("briefcase", 1)),
    "jewellery": (("jewelry", 1), ("gem", 2), ("gem", 3)),
    "timepiece": (("timepiece", 1),),
    "food": (("food", 1), ("food", 2), ("beverage", 1), ("foodstuff", 2), ("dish", 2), ("baked_goods", 1),
             ("condiment", 1), ("chocolate", 2), ("candy", 1), ("fruit", 1), ("vegetable", 1), ("wine", 1)),
    "cosmetic": (("cosmetic", 1), ("toiletry", 1), ("lotion", 2), ("perfume", 2), ("soap", 1)),
    "medicine": (("medicine", 2), ("drug", 1), ("medical_instrument", 1), ("bandage", 1), ("vitamin", 1),
                 ("hormone", 1)),  # "insulin pen": the word before the head says a medicine
    # A meter, a gauge, a thermometer: sold, but no category of its own; the brief's words decide which.
    "measuring": (("measuring_instrument", 1),),
    "electronics": (("electronic_equipment", 1), ("computer", 1), ("telephone", 1), ("headphone", 1),
                    ("camera", 1), ("electronic_device", 1), ("keyboard", 1), ("monitor", 4), ("speaker", 3),
                    ("electrical_device", 1), ("mouse", 4), ("appliance", 2)),
    "software": (("software", 1), ("program", 7), ("application", 4), ("website", 1), ("interface", 3)),
    "machine": (("machine", 1), ("valve", 3), ("pump", 1), ("engine", 1), ("motor", 1), ("compressor", 1),
                ("tool", 1), ("power_tool", 1), ("hand_tool", 1), ("drill", 1), ("fastener", 2),
                ("pipe", 2), ("equipment", 1), ("generator", 2), ("bearing", 6)),
    "furniture": (("furniture", 1), ("furnishing", 2), ("lamp", 1), ("floor_cover", 1), ("bedclothes", 1),
                  ("tableware", 1), ("kitchen_utensil", 1), ("cookware", 1), ("vase", 1), ("candle", 1),
                  ("mattress", 1), ("cushion", 3), ("curtain", 1), ("home_appliance", 1)),
    # Motor vehicles only: a pram or a wheelbarrow is a wheeled vehicle but no car.
    "vehicle": (("motor_vehicle", 1), ("tire", 1), ("wheel", 1)),
    # Every other vehicle (a pram, a bicycle, a boat): no template of its own, and never a container, which
    # WordNet also files wheeled vehicles under.
    "conveyance": (("vehicle", 1), ("wheeled_vehicle", 1)),
    "toy": (("toy", 1), ("toy", 3), ("plaything", 1), ("game", 3), ("board_game", 1), ("doll", 1), ("puzzle", 2)),
    "stationery": (("stationery", 1), ("writing_implement", 1), ("paper", 1), ("card", 1), ("notebook", 1),
                   ("envelope", 1), ("invitation", 2), ("book", 2), ("ink", 1)),
    "container": (("container", 1), ("packaging", 2), ("box", 1), ("bottle", 1), ("jar", 1), ("can", 1),
                  ("packet", 1), ("tin", 2), ("carton", 1), ("tube", 1), ("wrapping", 1)),
    "instrument": (("musical_instrument", 1),),
    "sports": (("sports_equipment", 1), ("ball", 1), ("racket", 4), ("bicycle", 1), ("ski", 1),
               ("helmet", 2), ("tent", 1), ("backpack", 1)),
    "lodging": (("hotel", 1), ("inn", 1), ("resort", 1), ("restaurant", 1), ("hotel_room", 1), ("spa", 1)),
    "pet": (("dog", 1), ("cat", 1), ("leash", 1), ("collar", 4), ("pet_food", 1), ("kennel", 1)),
    "plant": (("plant", 2), ("seed", 1), ("flower", 1), ("soil", 2), ("fertilizer", 1)),
    # Where a shoot happens, never what it sells nor a part of it: "the workshop", "the studio", "the street".
    # Last, so a hotel or a restaurant keeps its nearer "lodging" anchor.
    "setting": (("building", 1), ("room", 1), ("workplace", 1), ("thoroughfare", 1), ("place_of_business", 1),
                ("facility", 1), ("establishment", 4)),
}


def _index(path: Path) -> dict[str, list[str]]:
    """lemma -> synset offsets, most frequent sense first."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        lemma, n_synsets, n_pointers = parts[0], int(parts[2]), int(parts[3])
        offsets = parts[6 + n_pointers:]
        out[lemma] = offsets[:n_synsets]
    return out


def _synsets(path: Path) -> dict[str, tuple[int, list[str]]]:
    """offset -> (lexicographer file number, hypernym offsets)."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split(" | ")[0].split()
        offset, lexfile, n_words = parts[0], int(parts[1]), int(parts[3], 16)
        rest = parts[4 + 2 * n_words:]
        n_pointers = int(rest[0])
        hypernyms = [rest[1 + 4 * k + 1] for k in range(n_pointers) if rest[1 + 4 * k] in ("@", "@i")]
        out[offset] = (lexfile, hypernyms)
    return out


LEXNAMES = ("adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
            "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
            "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
            "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time").split()


VERB_LEXNAMES = ("body change cognition communication competition consumption contact creation emotion motion "
                 "perception possession social stative weather").split()  # lexicographer files 29 to 43


def _nearest_domain(offset: str, synsets, anchors: dict[str, str]) -> str:
    seen, queue = {offset}, deque([offset])
    while queue:
        current = queue.popleft()
        if current in anchors:
            return anchors[current]
        for parent in synsets.get(current, (0, []))[1]:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return "-"


def build(wordnet: Path) -> list[str]:
    nouns = _index(wordnet / "index.noun")
    synsets = _synsets(wordnet / "data.noun")
    anchors: dict[str, str] = {}
    for domain, members in DOMAINS.items():
        for lemma, sense in members:
            offsets = nouns.get(lemma, [])
            if len(offsets) < sense:
                raise SystemExit(f"anchor {lemma}#{sense} is not in this WordNet")
            anchors.setdefault(offsets[sense - 1], domain)
    parts: dict[str, set[str]] = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        for lemma in _index(wordnet / f"index.{name}"):
            parts.setdefault(lemma, set()).add(pos)
    verbs = _index(wordnet / "index.verb")
    verb_synsets = _synsets(wordnet / "data.verb")
    rows = {}
    for lemma, pos in parts.items():
        senses = domains = verb_senses = "-"
        if lemma in nouns:
            offsets = nouns[lemma][:MAX_SENSES]
            senses = ",".join(LEXNAMES[synsets[o][0]].split(".")[1] for o in offsets)
            domains = ",".join(_nearest_domain(o, synsets, anchors) for o in offsets[:3])
        if lemma in verbs:
            verb_senses = ",".join(VERB_LEXNAMES[verb_synsets[o][0] - 29] for o in verbs[lemma][:MAX_SENSES])
        rows[lemma] = f"{lemma}\t{''.join(sorted(pos))}\t{senses}\t{domains}\t{verb_senses}"
    for name in ("noun", "verb", "adj"):
        for line in (wordnet / f"{name}.exc").read_text(encoding="latin-1").splitlines():
            form, base = line.split()[:2]
            if form in rows:  # "woven" is an adjective too: keep both, as parts "a=weave"
                word, row_parts, rest = rows[form].split("\t", 2)
                if "=" not in row_parts:
                    rows[form] = f"{word}\t{row_parts}={base}\t{rest}"
            else:
                rows[form] = f"{form}\t={base}\t-\t-\t-"
    return [rows[key] for key in sorted(rows)]


def main(argv: list[str]) -> None:
    wordnet = Path(argv[1] if len(argv) > 1 else "/usr/share/wordnet")
    lines = build(wordnet)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} rows to {OUT}")


if __name__ == "__main__":
    main(sys.argv)
