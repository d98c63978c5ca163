"""The chat's logic, kept out of the UI: sessions, sending, generation, exports, and view rows.

Nothing here imports Textual. Screens call these methods and draw what they
return; the agent (`agent.session.Session`) plans and edits, this module only
drives it and turns plans into plain rows and text for display.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from agent.config import Config
from agent.errors import EcuError, GenerationError, InputError, LimitExceeded, generation_error
from agent.models import QC_CRITERIA, QCReport, Render, Shot, ShotPlan, humanize
from agent.session import Session, SessionInfo, SessionStorageError

Emit = Callable[[Any], None]
EXPORT_FORMATS = {"json": "json", "markdown": "md", "csv": "csv"}
SCALE_LABELS = {"wide": "wide", "medium": "medium", "close_up": "close-up", "extreme_close_up": "ECU"}
STATUS_MARKS = {"pass": "✓ pass", "fail": "✗ fail", "not_assessed": "– n/a"}
QC_LABELS = {"identity_clarity": "identity", "texture_realism": "texture", "edge_integrity": "edges",
             "focus_logic": "focus", "artifact_risk": "artifacts"}
GENERATE_HINT = ("image generation needs the 'generate' extra and an image model: "
                 "pip install 'ecu-planner[generate]', then set ECU_IMAGE_MODEL")
MODEL_HINT = ("image generation needs a model: set ECU_IMAGE_MODEL to a diffusers folder or hub id "
              "(e.g. black-forest-labs/FLUX.1-schnell); the chat never starts a multi-GB download on its own")


GENERATION_THREAD = "ecu-generate"
SEND_GRACE_S = 30.0  # past the agent's own time limit, the UI stops waiting for a run that did not stop itself
BRIEF_PLACEHOLDERS = ("Type or paste a brief, then Enter", "Paste a brief, then Enter", "Brief, then Enter")
FOLLOW_UP_PLACEHOLDERS = ("Follow-up, e.g. make it vertical 9:16 for stories · drop shot 3",
                          "Follow-up, e.g. drop shot 3 · undo", "e.g. drop shot 3 · undo", "e.g. undo")
PROMPT_HINT = "Other shots: pick one in the Plan tab (F2, ↑↓, Enter)."


class Generator(Protocol):
    """Generates (and checks) images for a plan.

    Called on the app's event loop; it must not block it (run heavy work in a
    thread). It sends `Progress`, `ImageSaved` and `QCReported` events to `emit`
    (which is thread-safe), checks `cancel.is_set()` between images or steps,
    and returns the plan with the `renders` made so far, also when cancelled.
    """

    def __call__(self, plan: ShotPlan, emit: Emit, cancel: threading.Event) -> Awaitable[ShotPlan]: ...


class GenerationUnavailable(GenerationError):
    """Image generation is not installed or has no model configured."""


def generation_available() -> bool:
    """Whether the optional image stack (the 'generate' extra) is installed, without importing it."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("torch", "diffusers"))


def named_in_chat(name: str) -> str:
    """The terminal UI's word for a setting or option an error names: its variable, else the chat's flag."""
    from agent.settings import Settings

    return f"ECU_{name.upper()}" if name in Settings.model_fields else f"`ecu chat --{name.replace('_', '-')}`"


def _image_model_setting() -> str | None:
    """The image_model setting (ECU_IMAGE_MODEL) when no model was handed down; read when generation starts."""
    from agent.settings import Settings

    return Settings.load().image_model


def default_generator(config: Config, out_dir: Callable[[], Path], *, model: str | None = None,
                      render_options: dict[str, Any] | None = None,
                      refine_options: dict[str, Any] | None = None) -> Generator:
    """The real loop: `agent.iterate.refine` with a `tools.generate.Renderer`, on a worker thread.

    Imported only when used. The image model comes from ECU_IMAGE_MODEL (see `ecu generate`), which must
    be set: a key press in the chat should not start downloading the default model. Images go to
    `out_dir()`. Model loading and inference run on a thread, so the UI never blocks; events reach the
    UI through `emit`, which is thread-safe. `render_options` go to the Renderer (steps, device,
    batch_size, ...), `refine_options` to the loop (max_rounds, width, height, ...).
    """

    async def generate(plan: ShotPlan, emit: Emit, cancel: threading.Event) -> ShotPlan:
        if not generation_available():
            raise GenerationUnavailable(GENERATE_HINT)
        chosen = (model or _image_model_setting() or "").strip()
        if not chosen:
            raise GenerationUnavailable(MODEL_HINT)
        try:
            from agent.iterate import refine
            from agent.outputs import make_renderer, quiet_libraries
        except ImportError:
            raise GenerationUnavailable(GENERATE_HINT) from None

        def run() -> ShotPlan:
            quiet_libraries()  # no download bars or library chatter over the screen
            renderer = make_renderer(out_dir(), model=chosen, **(render_options or {}))
            try:
                return refine(plan, render=renderer, emit=emit, cancel=cancel, **(refine_options or {}))
            except EcuError:
                raise
            except ImportError:
                raise GenerationUnavailable(GENERATE_HINT) from None
            except Exception as err:  # a library failure: one line; the images written so far stay
                raise generation_error(err) from None

        return await in_daemon_thread(run)

    return generate


async def in_daemon_thread(fn: Callable[[], Any]) -> Any:
    """Run `fn` on a daemon thread and await its result.

    Not `asyncio.to_thread`: the default executor is joined when the program exits, so quitting during a
    long denoising step would leave the terminal hanging until the step ends. A daemon thread ends with
    the program (the cancel flag is set first, so a cooperative loop stops by itself where it can).
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(setter, value) -> None:
        if not future.done():
            setter(value)

    def target() -> None:
        try:
            result = fn()
        except BaseException as err:  # noqa: BLE001 - handed over to the awaiting task
            outcome = (future.set_exception, err)
        else:
            outcome = (future.set_result, result)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop has closed: nobody is waiting any more
            pass

    threading.Thread(target=target, name=GENERATION_THREAD, daemon=True).start()
    return await future


def _take_over(session: Session, work: Session) -> None:
    """Copy a finished run's state onto the session the UI holds (the same object stays in use)."""
    for name in type(session).model_fields:
        setattr(session, name, getattr(work, name))


@dataclass(frozen=True)
class Reply:
    plan: ShotPlan | None
    text: str
    warning: str = ""


class ChatController:
    """One chat: the current session, and the actions the UI offers on it."""

    def __init__(self, config: Config, session: Session | None = None, generator: Generator | None = None,
                 session_factory: Callable[[], Session] = Session,
                 generator_options: dict[str, Any] | None = None) -> None:
        """`generator_options` (model, render_options, refine_options) shape the default generator."""
        self.config = config
        self.session_factory = session_factory
        self.session = session or session_factory()
        self.generator = generator or default_generator(
            config, lambda: self.home / "images" / self.session.id, **(generator_options or {}))
        self.selected_shot: str | None = None
        self._told_unsaved = False

    # -- state --------------------------------------------------------------------------------
    @property
    def home(self) -> Path:
        return Path(self.config.home)

    @property
    def plan(self) -> ShotPlan | None:
        return self.session.plan

    @property
    def has_plan(self) -> bool:
        return self.session.plan is not None

    def title(self) -> str:
        if self.session.plan is None and not self.session.messages:
            return "new brief"
        return self.session.title()

    def placeholder(self, width: int | None = None) -> str:
        """The message box's hint: the longest phrasing that fits `width` cells (a cut-off hint reads as a typo)."""
        choices = BRIEF_PLACEHOLDERS if self.session.plan is None else FOLLOW_UP_PLACEHOLDERS
        if width is None:
            return choices[0]
        return next((text for text in choices if len(text) <= width), choices[-1])

    # -- conversation -------------------------------------------------------------------------
    async def send(self, text: str, emit: Emit) -> Reply:
        """Plan the brief or apply a follow-up. EcuError subclasses propagate with one-line messages.

        A plan that cannot be saved (ECU_HOME read-only, a file) is still shown; the warning says so once.
        """
        session = self.session
        unsaved: SessionStorageError | None = None
        try:
            plan = await self._send_off_the_loop(session, text, emit)  # a failed message leaves the session as it was
        except SessionStorageError as err:
            plan, unsaved = session.plan, err
        except LimitExceeded as err:
            if err.plan is None:
                raise
            if session.plan is None:
                session.brief = text.strip()  # the partial plan answers this brief; follow-ups build on it
            session.plan = err.plan
            try:
                session.save(self.home)
            except SessionStorageError as save_err:
                unsaved = save_err
            warning = " ".join(filter(None, [str(err), self._unsaved_warning(unsaved)]))
            return Reply(err.plan, f"Stopped early ({err}); showing the best plan so far.", warning=warning)
        if self.selected_shot is None or plan.shot(self.selected_shot) is None:
            self.selected_shot = plan.shots[0].id if plan.shots else None
        return Reply(plan, reply_markdown(session), warning=self._unsaved_warning(unsaved))

    async def _send_off_the_loop(self, session: Session, text: str, emit: Emit) -> ShotPlan:
        """`session.send` on a worker thread, so planning never freezes the UI; stopped waiting at a time limit.

        The thread works on a copy, taken over only when it finishes (or only saving failed): a run given
        up on cannot change the session afterwards. `emit` is thread-safe (Textual's post_message).
        """
        work = session.model_copy(deep=True)
        limit_s = self.config.limits.timeout_s + SEND_GRACE_S
        try:
            await asyncio.wait_for(in_daemon_thread(lambda: asyncio.run(work.send(text, self.config, emit))), limit_s)
        except TimeoutError:
            raise LimitExceeded(f"planning took longer than {limit_s:g}s and was given up") from None
        except SessionStorageError:
            _take_over(session, work)
            raise
        _take_over(session, work)
        return session.plan

    def _unsaved_warning(self, err: SessionStorageError | None) -> str:
        if err is None or self._told_unsaved:
            return ""
        self._told_unsaved = True  # once: every later message would fail the same way
        return f"Not saved: {err}"

    def new_session(self) -> Session:
        self.session = self.session_factory()
        self.selected_shot = None
        return self.session

    def open_session(self, session_id: str) -> Session:
        self.session = Session.load(session_id, self.home)
        plan = self.session.plan
        self.selected_shot = plan.shots[0].id if plan and plan.shots else None
        return self.session

    def list_sessions(self) -> list[SessionInfo]:
        return Session.list_all(self.home)

    def save(self) -> Path:
        return self.session.save(self.home)

    # -- generation ---------------------------------------------------------------------------
    async def generate(self, emit: Emit, cancel: threading.Event) -> ShotPlan:
        session = self.session  # the session the images belong to, even if the UI moves on
        if session.plan is None:
            raise InputError("there is no plan yet: type a brief first")
        plan = await self.generator(session.plan, emit, cancel)
        if isinstance(plan, ShotPlan):
            session.plan = plan
            session.save(self.home)
        return session.plan

    # -- exports ------------------------------------------------------------------------------
    def default_export_dir(self) -> Path:
        return self.home / "exports"

    def export(self, fmt: str, directory: str | Path | None = None) -> Path:
        """Write the plan as json, markdown or csv, atomically; returns the file written."""
        from agent.outputs import atomic_write_text, render_plan

        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        if self.session.plan is None:
            raise InputError("there is no plan to export yet: type a brief first")
        folder = Path(directory) if directory is not None else self.default_export_dir()
        path = folder / f"ecu-plan-{self.session.id}.{EXPORT_FORMATS[fmt]}"
        try:
            return atomic_write_text(path, render_plan(self.session.plan, fmt) + "\n")
        except OSError as err:
            raise InputError(f"cannot write {path}: {err.strerror or err}") from None

    def export_all(self, directory: str | Path | None = None) -> list[Path]:
        return [self.export(fmt, directory) for fmt in EXPORT_FORMATS]


# -- view rows: plain data the widgets draw ----------------------------------------------------
def plan_header(plan: ShotPlan | None) -> str:
    if plan is None:
        return "No plan yet. Type a brief in the box on the left."
    brief = plan.brief
    channels = ", ".join(humanize(c) for c in brief.channels[:3]) or "-"
    return f"{brief.product} · aspect {plan.aspect_summary()} · {plan.summary()} · {channels}"


SOURCE_LABELS = {"generate": "generate", "photograph": "photo", "screen_capture": "screen"}


def deliverable_label(name: str) -> str:
    """"instagram_story" -> "story": the channel in a table cell's few letters."""
    return name.removeprefix("instagram_").replace("_", " ") or "-"


def plan_rows(plan: ShotPlan | None) -> list[tuple[str, ...]]:
    if plan is None:
        return []
    return [(shot.id, SCALE_LABELS.get(shot.scale, shot.scale), deliverable_label(shot.deliverable),
             plan.shot_ratio(shot), SOURCE_LABELS.get(shot.source, shot.source),
             shot.detail.name if shot.detail else "-", humanize(shot.detail.category) if shot.detail else "-",
             shot.placement)
            for shot in plan.shots]


def question_lines(plan: ShotPlan | None) -> list[str]:
    """What the marketer must decide, numbered, for the plan tab."""
    if plan is None:
        return []
    return [f"{n}. {question}" for n, question in enumerate(plan.questions, start=1)]


def dismissed_lines(plan: ShotPlan | None) -> list[str]:
    if plan is None:
        return []
    return [f"{d.kind} dismissed: {d.reason}" for d in plan.dismissed_flags]


def flag_rows(plan: ShotPlan | None) -> list[tuple[str, str, str, str, str]]:
    if plan is None:
        return []
    return [(flag.severity, humanize(flag.kind), ", ".join(flag.shots) or "-", flag.message, flag.fix or "-")
            for flag in plan.flags]


def prompt_sections(plan: ShotPlan | None, shot_id: str | None) -> list[tuple[str, str]]:
    """(heading, body) pairs for the selected shot: prompt, negative, camera, formula fields."""
    if plan is None:
        return []
    shot: Shot | None = plan.shot(shot_id) if shot_id else None
    shot = shot or (plan.shots[0] if plan.shots else None)
    if shot is None:
        return []
    what = shot.detail.name if shot.detail else shot.purpose
    sections = [(f"{shot.id} · {SCALE_LABELS.get(shot.scale, shot.scale)} · {what}", shot.placement),
                ("For", f"{shot.deliverable or '-'} · {plan.shot_ratio(shot)}"),
                ("Source", shot.source.replace("_", " ") + (f": {shot.source_reason}" if shot.source_reason else "")),
                ("Prompt", shot.prompt.text),
                ("Negative", shot.prompt.negative or "-"),
                ("Camera", f"{shot.camera.lens} · {shot.camera.aperture} · {shot.camera.lighting}")]
    if shot.note:
        sections.append(("Note", shot.note))
    return sections


def matrix_fixed(plan: ShotPlan | None) -> list[tuple[str, str]]:
    if plan is None or plan.matrix is None:
        return []
    return [(humanize(name), str(value)) for name, value in plan.matrix.fixed.model_dump().items()]


def matrix_rows(plan: ShotPlan | None) -> list[tuple[str, str, str, str, str]]:
    if plan is None or plan.matrix is None:
        return []
    return [(row.detail, row.material, row.colorway, row.angle, row.theme) for row in plan.matrix.varied]


@dataclass(frozen=True)
class Thumb:
    shot_id: str
    path: str
    seed: int
    attempt: int = 0
    verdict: str = ""  # "", "pass" or "fail"

    @property
    def caption(self) -> str:
        mark = {"pass": " ✓", "fail": " ✗"}.get(self.verdict, "")
        attempt = f" #{self.attempt}" if self.attempt else ""
        return f"{self.shot_id}{attempt}{mark} · seed {self.seed}"


def thumbs(plan: ShotPlan | None) -> list[Thumb]:
    """The latest render of every shot that has one."""
    if plan is None:
        return []
    out = []
    for shot in plan.shots:
        if shot.renders:
            render: Render = shot.renders[-1]
            verdict = "" if render.qc is None else ("pass" if render.qc.passed else "fail")
            out.append(Thumb(shot.id, render.path, render.seed, render.attempt, verdict))
    return out


QC_COLUMNS = ("shot", "try", "result") + tuple(QC_LABELS[name] for name in QC_CRITERIA)


def qc_row(shot_id: str, attempt: int | str, report) -> tuple[str, ...]:
    cells = [shot_id, str(attempt), "✓ pass" if report.passed else "✗ fail"]
    for name in QC_CRITERIA:
        result = report.criteria.get(name)
        cells.append(STATUS_MARKS.get(result.status, result.status) if result else "–")
    return tuple(cells)


def qc_entries(plan: ShotPlan | None) -> list[tuple[str, tuple[str, ...], QCReport]]:
    """(key, row, report) per checked render, every attempt, in shot order; the key is 'shot id/render index'."""
    if plan is None:
        return []
    return [(f"{shot.id}/{index}", qc_row(shot.id, render.attempt, render.qc), render.qc)
            for shot in plan.shots for index, render in enumerate(shot.renders) if render.qc is not None]


def qc_rows(plan: ShotPlan | None) -> list[tuple[str, ...]]:
    """One row per checked render, every attempt, in shot order."""
    return [row for _, row, _ in qc_entries(plan)]


def qc_details(report) -> list[tuple[str, str]]:
    """(criterion, 'status score: evidence') lines plus the revisions, for one report."""
    lines = []
    for name in QC_CRITERIA:
        result = report.criteria.get(name)
        if result is None:
            continue
        score = f" {result.score:.2f}" if result.score is not None else ""
        lines.append((QC_LABELS[name], f"{result.status}{score}: {result.evidence or '-'}"))
    for revision in report.revisions:
        lines.append(("revise", revision))
    return lines


def reply_markdown(session: Session) -> str:
    """The assistant's last reply, with the plan's ECUs and flags listed under it."""
    reply = session.messages[-1].text if session.messages and session.messages[-1].role == "assistant" else ""
    return reply_with_plan(reply, session.plan)


def reply_with_plan(reply: str, plan: ShotPlan | None) -> str:
    lines = [reply]
    if plan is not None:
        ecus = plan.ecu_shots()
        if ecus:
            lines.append("")
            lines += [f"- **{shot.id}** {shot.detail.name if shot.detail else shot.purpose}" for shot in ecus]
        if plan.flags:
            lines.append("")
            lines += [f"- ⚠ **{humanize(flag.kind)}** ({flag.severity})" for flag in plan.flags]
        real = [s for s in plan.shots if s.source != "generate"]
        if real:
            lines += ["", "To be shot, not generated: " + ", ".join(
                f"{s.id} ({s.source.replace('_', ' ')})" for s in real) + "."]
        if plan.questions:
            lines += ["", "**Questions for you:**"] + [f"- {q}" for q in plan.questions]
        lines += ["", f"Aspect {plan.aspect_summary()}."]
    return "\n".join(lines)


def transcript(session: Session) -> list[tuple[str, str]]:
    """(role, text) for a resumed conversation; the last assistant reply also lists the plan."""
    items = [(message.role, message.text) for message in session.messages]
    for index in range(len(items) - 1, -1, -1):
        if items[index][0] == "assistant":
            items[index] = ("assistant", reply_with_plan(items[index][1], session.plan))
            break
    return items


def tool_line(name: str, ok: bool, summary: str) -> str:
    return f"{'✓' if ok else '✗'} {name}: {' '.join(summary.split())}"
