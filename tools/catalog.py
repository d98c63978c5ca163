"""A catalogue of SKUs planned as one family: the brief planned once, each row varying only its own fields.

The article's prompt matrix keeps shot scale, lighting, aspect ratio, brand mood and background fixed and
varies detail, material, colourway, angle and theme. So a family is the brief's plan (its shots, their scales
and order, camera and matrix) with each catalogue row applied through the planner's own data: the row's
product and colourway name the product ("cognac leather weekender bag"), its material leads the brief's
materials, its detail takes the first ECU's place, its theme leads the goals, and `tools.edits.rebuild`
writes the prompts, matrix, sources and checks exactly as it does after a follow-up edit. The matrix's fixed
fields are the family's, written into every SKU's plan.

A catalogue is CSV (a header row) or YAML (a list of mappings, or `skus:` holding one). Columns: `sku`
(required), any of `product`, `colorway` (or `colourway`), `material`, `detail`, `angle`, `theme`,
`reference` (a photo of the real product, relative to the catalogue's folder); other columns are kept as
notes. A bad row (no sku, a duplicate, an unreadable reference, a detail over ten words) is reported by its
line and skipped; the rest are planned.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from agent.models import MAX_DETAIL_WORDS, Detail, MatrixFixed, ShotPlan

CATALOG_NAME = "catalog.json"
SHOT_LIST_NAME = "shot-list.csv"
KNOWN_COLUMNS = ("sku", "product", "colorway", "material", "detail", "angle", "theme", "reference")
_ALIASES = {"colourway": "colorway", "color": "colorway", "colour": "colorway", "reference_photo": "reference",
            "photo": "reference"}
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_CATALOG_BYTES = 50 * 1024 * 1024


class CatalogError(ValueError):
    """The catalogue as a whole cannot be read (missing file, no sku column, not CSV or YAML): one line."""


class CatalogRow(BaseModel):
    """One SKU as the catalogue gives it; `line` is where it starts in the file (1-based)."""

    line: int
    sku: str
    product: str = ""
    colorway: str = ""
    material: str = ""
    detail: str = ""
    angle: str = ""
    theme: str = ""
    reference: str | None = Field(None, description="Absolute path of the reference photo, checked readable.")
    notes: dict[str, str] = Field(default_factory=dict, description="The row's other columns, kept as they are.")


class SkippedRow(BaseModel):
    line: int
    sku: str = ""
    reason: str


class FamilyShot(BaseModel):
    """What every SKU's shot at this position shares."""

    id: str
    scale: str
    purpose: str
    lens: str
    aperture: str
    source: str


class FamilyEntry(BaseModel):
    sku: str
    plan: str = Field(description="The SKU's plan file, relative to the catalogue folder.")
    row: CatalogRow


class Family(BaseModel):
    """`DIR/catalog.json`: the fixed fields every SKU shares, the SKUs and the rows that were skipped."""

    version: int = 1
    source: str = Field("", description="The catalogue file the family was planned from.")
    product: str = Field(description="The brief's product, before any row's colourway or product.")
    fixed: MatrixFixed
    shots: list[FamilyShot]
    skus: list[FamilyEntry]
    skipped: list[SkippedRow] = Field(default_factory=list)


# -- reading ----------------------------------------------------------------------------------------------


def read_catalog(path: str | Path) -> tuple[list[CatalogRow], list[SkippedRow]]:
    """The catalogue's good rows and the bad ones (by line, with why); CatalogError when none can be read."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            raise CatalogError(f"catalogue {path} is over {MAX_CATALOG_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"catalogue {path} not found") from None
    except UnicodeDecodeError:
        raise CatalogError(f"catalogue {path} is not UTF-8 text") from None
    except OSError as err:
        raise CatalogError(f"cannot read catalogue {path}: {err.strerror or err}") from None
    raw = _yaml_rows(text, path) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(text, path)
    rows, skipped, first_line = [], [], {}
    for line, fields in raw:
        row = _row(line, fields, path.parent, first_line)
        if isinstance(row, SkippedRow):
            skipped.append(row)
        else:
            first_line[row.sku] = line
            rows.append(row)
    if not rows and not skipped:
        raise CatalogError(f"catalogue {path} has no rows")
    return rows, skipped


def _csv_rows(text: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [_column(name) for name in (reader.fieldnames or [])]
    if "sku" not in header:
        raise CatalogError(f"catalogue {path} has no 'sku' column (its header: {', '.join(header) or 'empty'})")
    rows = []
    line = reader.line_num + 1
    for record in reader:
        fields = {_column(k): (v or "").strip() for k, v in record.items() if k is not None}
        if any(fields.values()):  # a blank line is no row
            rows.append((line, fields))
        line = reader.line_num + 1
    return rows


def _yaml_rows(text: str, path: Path) -> list[tuple[int, dict[str, str]]]:
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        at = f" (line {where.line + 1})" if where is not None else ""
        raise CatalogError(f"catalogue {path} is not valid YAML{at}") from None
    if isinstance(root, yaml.MappingNode):  # `skus: [...]`
        root = next((value for key, value in root.value if key.value == "skus"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise CatalogError(f"catalogue {path} must be a list of SKUs (or hold one under 'skus:')")
    rows = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            rows.append((line, {}))  # reported as a row without a sku
            continue
        fields = {}
        for key, value in item.value:
            fields[_column(str(key.value))] = value.value.strip() if isinstance(value, yaml.ScalarNode) else ""
        rows.append((line, fields))
    return rows


def _column(name: str) -> str:
    name = name.strip().lower().replace(" ", "_")
    return _ALIASES.get(name, name)


def _row(line: int, fields: dict[str, str], folder: Path, first_line: dict[str, int]) -> CatalogRow | SkippedRow:
    sku = fields.get("sku", "")
    if not sku:
        return SkippedRow(line=line, reason="no sku")
    if not _SKU.fullmatch(sku):
        return SkippedRow(line=line, sku=sku, reason=f"sku {sku!r} must be letters, digits, '.', '_' or '-' "
                                                      "(it names the plan file)")
    if sku in first_line:
        return SkippedRow(line=line, sku=sku, reason=f"duplicate sku {sku!r} (first on line {first_line[sku]})")
    if len(fields.get("detail", "").split()) > MAX_DETAIL_WORDS:
        return SkippedRow(line=line, sku=sku, reason=f"detail has over {MAX_DETAIL_WORDS} words")
    reference = None
    if fields.get("reference"):
        reference, problem = _checked_reference(fields["reference"], folder)
        if problem:
            return SkippedRow(line=line, sku=sku, reason=problem)
    known = {name: fields.get(name, "") for name in KNOWN_COLUMNS if name not in ("sku", "reference")}
    notes = {name: value for name, value in fields.items() if name not in KNOWN_COLUMNS and value}
    return CatalogRow(line=line, sku=sku, reference=reference, notes=notes, **known)


def _checked_reference(given: str, folder: Path) -> tuple[str | None, str]:
    """(absolute path, "") for a readable image, else (None, why)."""
    from PIL import Image, UnidentifiedImageError

    path = Path(given).expanduser()
    path = (path if path.is_absolute() else folder / path).resolve()
    try:
        with Image.open(path) as image:
            image.verify()
    except FileNotFoundError:
        return None, f"reference photo {given} not found"
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as err:
        return None, f"reference photo {given} cannot be read as an image ({type(err).__name__})"
    return str(path), ""


# -- planning ---------------------------------------------------------------------------------------------


def plan_family(brief: str, base: ShotPlan, rows: list[CatalogRow], *,
                source: str = "", skipped: list[SkippedRow] | None = None) -> tuple[Family, dict[str, ShotPlan]]:
    """Each row's plan, derived from `base` (the brief's plan), and the family that ties them together."""
    fixed = base.matrix.fixed if base.matrix else None
    if fixed is None:
        raise ValueError("the brief's plan has no prompt matrix to hold fixed")
    plans = {row.sku: sku_plan(brief, base, row, fixed) for row in rows}
    family = Family(
        source=source, product=base.brief.product, fixed=fixed,
        shots=[FamilyShot(id=s.id, scale=s.scale, purpose=s.purpose, lens=s.camera.lens, aperture=s.camera.aperture,
                          source=s.source) for s in base.shots],
        skus=[FamilyEntry(sku=row.sku, plan=f"{row.sku}.json", row=row) for row in rows],
        skipped=list(skipped or []),
    )
    return family, plans


def sku_plan(brief: str, base: ShotPlan, row: CatalogRow, fixed: MatrixFixed) -> ShotPlan:
    """The brief's plan with one row applied: same shots in the same order, the row's product, colourway,
    material, detail and theme, prompts rebuilt by the planner; an ECU whose subject does not name the
    colourway gets it as the shot's note."""
    from tools.edits import EditSettings, rebuild

    analysis = _row_analysis(brief, base, row)
    drafts = _row_drafts(base, row)
    settings = EditSettings(aspect_ratio=base.brief.aspect_ratio,
                            ratios={s.deliverable: base.shot_ratio(s) for s in base.shots if s.deliverable})
    keep = [s.deliverable for s in base.shots]
    plan = rebuild(analysis, drafts, settings, keep=keep)
    if row.colorway:
        unnamed = [i for i, shot in enumerate(plan.shots) if shot.scale == "extreme_close_up"
                   and row.colorway.lower() not in shot.prompt.text.lower()]
        for i in unnamed:
            drafts[i].note = ", ".join(x for x in (drafts[i].note, f"{row.colorway} colourway") if x)
        if unnamed:
            plan = rebuild(analysis, drafts, settings, keep=keep)
    plan.matrix.fixed = fixed.model_copy()
    if row.angle:
        for varied in plan.matrix.varied:
            varied.angle = row.angle
    return plan


def _row_analysis(brief: str, base: ShotPlan, row: CatalogRow):
    from tools.brief import AnalyzeBriefArgs, analyze_brief, find_product

    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
    summary = base.brief.model_copy(deep=True)  # what the plan settled (a model may have refined it)
    product = row.product or summary.product
    if row.product:
        analysis.product_head = find_product(row.product)[1] or row.product.split()[-1]
    if row.colorway and row.colorway.lower() not in product.lower():
        product = f"{row.colorway} {product}"
    summary.product = product
    if row.colorway:
        summary.colorways = [row.colorway]
    if row.theme:
        summary.goals = [row.theme] + [g for g in summary.goals if g != row.theme]
    if row.material:
        analysis.materials = [row.material] + [m for m in analysis.materials if m != row.material]
    analysis.summary = summary
    return analysis


def _row_drafts(base: ShotPlan, row: CatalogRow):
    """The base plan's shots as drafts; the row's detail takes the first ECU's place (and its job)."""
    from tools.lexicon import DETAIL_TERMS
    from tools.rhythm import ShotDraft
    from tools.text import singular

    drafts = [ShotDraft(id=s.id, scale=s.scale, purpose=s.purpose, placement=s.placement, detail=s.detail,
                        note=s.note) for s in base.shots]
    hero = next((d for d in drafts if d.scale == "extreme_close_up" and d.detail), None)
    if row.detail and hero is not None:
        term = next((t for w in row.detail.lower().split() if (t := DETAIL_TERMS.get(singular(w)))), None)
        category = term.category if term else hero.detail.category
        hero.detail = Detail(name=row.detail, category=category, why=f"{row.sku}'s own detail, from the catalogue",
                             evidence=row.detail)
    return drafts


# -- writing ----------------------------------------------------------------------------------------------


def write_family(folder: str | Path, family: Family, plans: dict[str, ShotPlan]) -> list[Path]:
    """Each SKU's plan as `<sku>.json`, then `shot-list.csv`, then `catalog.json` (last: the family is there
    once it is); every file written atomically. Returns the paths written."""
    from tools.storage import atomic_write_text

    folder = Path(folder)
    written = [atomic_write_text(folder / entry.plan, plans[entry.sku].model_dump_json(indent=2) + "\n")
               for entry in family.skus]
    written.append(atomic_write_text(folder / SHOT_LIST_NAME, shot_list(family, plans)))
    written.append(atomic_write_text(folder / CATALOG_NAME, family.model_dump_json(indent=2) + "\n"))
    return written


def shot_list(family: Family, plans: dict[str, ShotPlan]) -> str:
    """Every SKU's shot list (tools.export's CSV) in one CSV, a `sku` column first."""
    from tools.export import to_csv

    out = io.StringIO()
    writer = None
    for entry in family.skus:
        for record in csv.DictReader(io.StringIO(to_csv(plans[entry.sku]))):
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=["sku", *record], lineterminator="\n")
                writer.writeheader()
            writer.writerow({"sku": entry.sku, **record})
    return out.getvalue()


def read_family(folder: str | Path) -> tuple[Family, dict[str, ShotPlan]]:
    """A planned catalogue folder: its family and each SKU's plan. CatalogError (one line) when broken."""
    folder = Path(folder)
    path = folder / CATALOG_NAME
    try:
        family = Family.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{folder} has no {CATALOG_NAME}; plan a catalogue into it with "
                           "`ecu plan BRIEF --catalog SKUS.csv --out DIR`") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    except ValidationError as err:
        raise CatalogError(f"{path} is not a catalogue ({_first_problem(err)})") from None
    plans = {}
    for entry in family.skus:
        plan_path = folder / entry.plan
        try:
            plans[entry.sku] = ShotPlan.model_validate_json(plan_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(f"{plan_path} is missing (listed in {CATALOG_NAME})") from None
        except (OSError, UnicodeDecodeError) as err:
            raise CatalogError(f"cannot read {plan_path}: {getattr(err, 'strerror', None) or err}") from None
        except ValidationError as err:
            raise CatalogError(f"{plan_path} is not a valid plan ({_first_problem(err)})") from None
    return family, plans


def _first_problem(err: ValidationError) -> str:
    first = err.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'top'}: {first['msg']}"
