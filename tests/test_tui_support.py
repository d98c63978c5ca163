"""Helpers for the TUI tests: fixed briefs, a fake image generator that writes small PNGs, pilot steps.

No tests here; test_tui.py and test_tui_snapshots.py import these.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from agent.events import ImageSaved, Progress, QCReported
from agent.models import (
    QC_CRITERIA,
    BriefSummary,
    Camera,
    CriterionResult,
    Detail,
    DismissedFlag,
    Flag,
    MatrixFixed,
    MatrixRow,
    Prompt,
    PromptFields,
    PromptMatrix,
    QCReport,
    Render,
    Shot,
    ShotPlan,
)
from agent.session import Message, Session

# Fixed inputs, copied here so that the tests do not move when the eval suite changes.
WEEKENDER_BRIEF = (
    "The Aldgate Weekender is our flagship: full-grain vegetable-tanned leather, saddle stitched by hand in our "
    "Northampton workshop, solid brass hardware engraved with the maker's initials. Retail is £1,450, so the "
    "imagery has to earn that. For the landing page hero, a wide shot of the bag on a luggage rack in a hotel "
    "corridor. Then a mid shot of someone carrying it over the shoulder on a train platform. Not every frame should "
    "be a detail, but where we go in, we go all the way: extreme close-ups of the saddle stitching along the "
    "handle, the engraved brass zip pull, and the natural grain of the leather where it creases at the corner. "
    "Side light, so the stitches throw little shadows. Print ads in Monocle and a four-slide carousel will reuse "
    "the same set."
)
CHOCOLATE_BRIEF = (
    "Obra Cacao, single-origin 72% bar from Tumaco, Colombia. New launch campaign across Instagram carousel "
    "(8 slides), a print ad in Delicious and a paid social sequence. I want every frame to be macro, no wide or mid "
    "frames at all, not even on slide one. Just the glossy temper on the surface, the clean snap when the bar is "
    "broken, the cocoa nibs on the back, the foil wrapper's texture, the little embossed cacao pod on each square. "
    "Eight slides, eight extreme close-ups, and same for the print ad and all the paid social cuts. Products like "
    "this shouldn't be shown as a whole bar, it's too ordinary. Everything sharp, bright, clean."
)
FIXED_TIME = "2026-01-02T03:04:05+00:00"
SIZE = (100, 32)

_COLOURS = [(180, 120, 60), (60, 90, 150), (200, 180, 90), (90, 140, 90), (150, 60, 60), (120, 120, 120)]


def fixed_session(session_id: str = "tui-test") -> Session:
    """A session with a fixed id and times, so screens do not change between runs."""
    return Session(id=session_id, created=FIXED_TIME, updated=FIXED_TIME)


def _shot(index: int, scale: str, purpose: str, placement: str, detail: Detail | None, subject: str,
          lens: str, aperture: str, aspect: str) -> Shot:
    fields = PromptFields(subject_detail=subject, shot_scale=scale.replace("_", " ") + " shot",
                          material_texture="full-grain leather, waxed linen thread",
                          lighting="soft side light raking across the surface",
                          focus="razor sharp focus on the detail" if detail else "deep focus",
                          background="plain dark seamless background", intent=f"premium campaign, {aspect}")
    text = ", ".join(getattr(fields, name) for name in type(fields).model_fields)
    return Shot(id=f"s{index}", scale=scale, purpose=purpose, placement=placement, detail=detail,
                prompt=Prompt(text=text, fields=fields, negative="blur, plastic texture, extra stitches, text"),
                camera=Camera(lens=lens, aperture=aperture, lighting="side-biased soft key"))


def demo_plan(aspect: str = "4:5") -> ShotPlan:
    """A hand-written plan, so that the screen snapshots do not move when the planner is tuned."""
    stitch = Detail(name="saddle stitching along the handle", category="craftsmanship",
                    why="hand finishing you can count, stitch by stitch")
    zip_pull = Detail(name="engraved brass zip pull", category="proof", why="the maker's initials prove provenance")
    grain = Detail(name="leather grain at the creased corner", category="story_hook", why="wear that ages well")
    shots = [
        _shot(1, "wide", "establish", "carousel slide 1", None, "the Aldgate Weekender on a hotel luggage rack",
              "35mm", "f/5.6", aspect),
        _shot(2, "extreme_close_up", "punctuate", "carousel slide 2", stitch, "saddle stitching along the handle",
              "100mm macro", "f/8", aspect),
        _shot(3, "medium", "explain", "carousel slide 3", None, "the bag carried over the shoulder on a platform",
              "50mm", "f/4", aspect),
        _shot(4, "extreme_close_up", "punctuate", "carousel slide 4", zip_pull, "engraved brass zip pull",
              "100mm macro", "f/8", aspect),
        _shot(5, "extreme_close_up", "reveal", "print ad, Monocle", grain, "leather grain at the creased corner",
              "100mm macro", "f/11", aspect),
    ]
    flags = [
        Flag(kind="over_abstraction", severity="warning", shots=["s5"],
             message="The creased grain could belong to any leather goods; nothing ties it to this bag.",
             fix="Keep the brass corner stud in frame, or caption the slide."),
        Flag(kind="ambiguous_scale", severity="info", shots=["s4"],
             message="The brief says 'close-up' where the framing reads as an extreme close-up.",
             fix="Call it an extreme close-up in the shot list."),
    ]
    matrix = PromptMatrix(
        fixed=MatrixFixed(shot_scale="extreme close up shot", lighting="soft side light", aspect_ratio=aspect,
                          mood="quiet, considered", background="plain dark seamless background"),
        varied=[MatrixRow(detail=shot.detail.name, material="full-grain leather", colorway="chestnut",
                          angle="45 degrees", theme="craft") for shot in shots if shot.detail])
    brief = BriefSummary(product="Aldgate Weekender", audience="frequent travellers",
                         channels=["instagram_carousel", "print"], goals=["durability", "craftsmanship"],
                         vertical="luxury_goods", aspect_ratio=aspect, colorways=["chestnut", "black"])
    for shot in shots:  # contract v2: a deliverable and ratio per shot, one shot to be photographed
        shot.deliverable = "print" if shot.placement.startswith("print") else "instagram_carousel"
        shot.aspect_ratio = "3:4" if shot.deliverable == "print" else aspect
    shots[3].source = "photograph"
    shots[3].source_reason = "the maker's engraved initials must be legible; image models garble type"
    questions = ["Which colourway is the hero: chestnut or black? The ECUs and the first frames are shot on it."]
    dismissed = [DismissedFlag(kind="soft_focus", reason="the haze is the brand look; the stitching stays sharp",
                               message="The brief accepts soft focus without a clear focal plane.")]
    return ShotPlan(brief=brief, shots=shots, flags=flags, matrix=matrix, questions=questions,
                    dismissed_flags=dismissed)


def demo_session(session_id: str = "tui-demo", aspect: str = "4:5") -> Session:
    """A saved-looking session: the brief, the planner's reply, the hand-written plan."""
    session = fixed_session(session_id)
    session.brief = WEEKENDER_BRIEF
    session.plan = demo_plan(aspect)
    session.messages = [Message(role="user", text="Aldgate Weekender: full-grain leather, saddle stitched by hand; "
                                                  "ECUs of the stitching, the zip pull and the grain.", at=FIXED_TIME),
                        Message(role="assistant", text="Planned 5 shots (3 ECUs), 2 flags.", at=FIXED_TIME)]
    return session


def write_png(path: Path, index: int, size: tuple[int, int] = (40, 48)) -> Path:
    from PIL import Image, ImageDraw

    base = _COLOURS[index % len(_COLOURS)]
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):  # a vertical gradient and a bright centre square: something to see
        shade = tuple(min(255, c + y * 2) for c in base)
        draw.line([(0, y), (size[0], y)], fill=shade)
    draw.rectangle([size[0] // 3, size[1] // 3, 2 * size[0] // 3, 2 * size[1] // 3], fill=(240, 230, 210))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def qc_report(path: Path, passed: bool) -> QCReport:
    criteria = {name: CriterionResult(status="pass", score=0.8, evidence="sharp centre") for name in QC_CRITERIA}
    criteria["identity_clarity"] = CriterionResult(status="not_assessed", evidence="no vision model configured")
    revisions = []
    if not passed:
        criteria["focus_logic"] = CriterionResult(status="fail", score=0.2, evidence="sharp region off the detail")
        revisions = ["razor sharp focus on the detail, f/8 macro"]
    return QCReport(image=str(path), passed=passed, criteria=criteria, revisions=revisions)


class FakeGenerator:
    """Writes one small PNG per `generate` shot with PIL (photographed and screen-captured shots are not
    rendered, as with the real generator), reports progress and QC, honours cancel between images.

    `delay` slows each image; `fail_at` raises after that many images; `hold_after` pauses after that many
    images until `release` is set (or the run is cancelled), so a test can look at a run half-way.
    """

    def __init__(self, out: Path, delay: float = 0.0, fail_at: int | None = None,
                 hold_after: int | None = None) -> None:
        self.out = Path(out)
        self.delay = delay
        self.fail_at = fail_at
        self.hold_after = hold_after
        self.calls = 0
        self.held = threading.Event()
        self.release = threading.Event()

    async def __call__(self, plan: ShotPlan, emit, cancel: threading.Event) -> ShotPlan:
        self.calls += 1
        plan = plan.model_copy(deep=True)
        generated = [shot for shot in plan.shots if shot.source == "generate"]
        total = len(generated)
        emit(Progress(stage="generate", done=0, total=total))
        for index, shot in enumerate(generated):
            if index == self.hold_after:
                self.held.set()
                while not (self.release.is_set() or cancel.is_set()):
                    await asyncio.sleep(0.01)
            if cancel.is_set():
                break
            if self.fail_at is not None and index >= self.fail_at:
                raise RuntimeError("CUDA out of memory (fake)")
            await asyncio.sleep(self.delay)
            path = write_png(self.out / f"{shot.id}-a{len(shot.renders) + 1}.png", index)
            seed = 1000 + index
            emit(ImageSaved(shot_id=shot.id, path=str(path), seed=seed))
            report = qc_report(path, passed=index % 3 != 1)
            emit(QCReported(shot_id=shot.id, report=report))
            shot.renders.append(Render(path=str(path), seed=seed, attempt=len(shot.renders) + 1, qc=report))
            emit(Progress(stage="generate", done=index + 1, total=total))
        return plan


async def say(pilot, text: str) -> None:
    """Type a message into the box, press enter, and wait until the agent has answered."""
    from textual.widgets import Input

    await wait_until(pilot, lambda: bool(pilot.app.screen.query("#message")))
    box = pilot.app.screen.query_one("#message", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    await pilot.pause()
    assert condition(), "timed out waiting"


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
