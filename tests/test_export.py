"""Table, Markdown and CSV shot lists carry the plan contract's version-2 fields readably."""

from __future__ import annotations

import csv
import io

from agent.api import Agent
from agent.models import DismissedFlag
from tests.test_contract_v2 import CAROUSEL_AND_STORIES, MAKER
from tools.export import to_csv, to_markdown, to_table


def test_csv_has_deliverable_aspect_source_and_the_questions():
    plan = Agent().plan(MAKER)
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    header = list(rows[0])
    assert header.index("deliverable") < header.index("aspect_ratio") < header.index("placement")
    assert {"source", "source_reason", "evidence"} <= set(header)
    shots = [r for r in rows if r["id"] != "question"]
    assert [r["id"] for r in shots] == [s.id for s in plan.shots]
    hands = next(r for r in shots if "hands" in r["detail"])
    assert hands["source"] == "photograph" and "Maria Okafor" in hands["source_reason"]
    assert {r["deliverable"] for r in shots} == {"instagram_carousel"} and {r["aspect_ratio"] for r in shots} == {"4:5"}
    questions = [r["why"] for r in rows if r["id"] == "question"]
    assert questions == plan.questions and any("agreed to appear" in q for q in questions)


def test_markdown_lists_deliverables_sources_questions():
    plan = Agent().plan(CAROUSEL_AND_STORIES)
    markdown = to_markdown(plan)
    assert "| # | Scale | Purpose | Deliverable | Aspect | Placement | Detail | Job | Source |" in markdown
    story = next(s for s in plan.shots if s.deliverable == "instagram_story")
    assert f"| {story.id} | {story.scale} | {story.purpose} | instagram_story | 9:16 |" in markdown
    assert "**Aspect ratio:** 4:5 instagram_carousel, 9:16 instagram_story" in markdown
    assert "## Questions" in markdown and "1. Which colourway is the hero" in markdown

    maker = to_markdown(Agent().plan(MAKER))
    assert "## To be shot, not generated" in maker and "(photograph): shows Maria Okafor" in maker


def test_table_shows_for_aspect_source_questions_and_dismissed():
    plan = Agent().plan(CAROUSEL_AND_STORIES)
    table = to_table(plan)
    header = next(line for line in table.splitlines() if line.startswith("ID"))
    assert header.split()[:6] == ["ID", "SCALE", "PURPOSE", "FOR", "ASPECT", "SOURCE"]
    story = next(line for line in table.splitlines() if " story " in line)
    assert "9:16" in story and "generate" in story
    assert "QUESTIONS" in table and "Which colourway is the hero" in table
    plan.dismissed_flags = [DismissedFlag(kind="soft_focus", reason="the haze is the brand look")]
    assert "dismissed soft_focus: the haze is the brand look" in to_table(plan)
    assert "**soft_focus**: the haze is the brand look" in to_markdown(plan)
