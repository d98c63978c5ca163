"""The `ecu chat` TUI under Textual's Pilot: plan, follow-ups, generation, cancel, errors, sessions, exports."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input, Label, ProgressBar, TabbedContent
from textual_image.widget import HalfcellImage

from agent.api import Agent
from agent.config import Config
from agent.session import Session
from tests.test_tui_support import (
    CHOCOLATE_BRIEF,
    SIZE,
    WEEKENDER_BRIEF,
    FakeGenerator,
    fixed_session,
    qc_report,
    say,
    settle,
    wait_until,
    write_png,
)
from tui import controller as view
from tui.app import EcuApp
from tui.controller import GenerationUnavailable, default_generator
from tui.screens import SessionsScreen
from tui.widgets import AssistantMessage, Conversation, FlagsTable, Gallery, PlanTable, QCTable, StatusBar, Thumbnail


def make_app(generator=None, **kwargs) -> EcuApp:
    app = EcuApp(Config.from_env(), generator=generator, image_widget=HalfcellImage,
                 session_factory=kwargs.pop("session_factory", fixed_session), **kwargs)
    app.animation_level = "none"
    return app


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def notes(app, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def generated(plan) -> list:
    """The shots `ecu generate` renders: the rest (legible marks, real people) are photographed."""
    return [shot for shot in plan.shots if shot.source == "generate"]


async def planned(brief: str):
    return await Agent(Config.from_env()).run(brief)


def plan_header(app) -> str:
    return str(app.screen.query_one("#plan-header", Label).content)


async def test_brief_fills_plan_and_flags(tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        table = app.screen.query_one(PlanTable)
        got = rows(table)
        expected = await planned(WEEKENDER_BRIEF)  # the offline planner is deterministic
        assert got == [list(r) for r in view.plan_rows(expected)]
        assert [r[0] for r in got] == [f"s{i}" for i in range(1, len(got) + 1)]
        assert {r[1] for r in got} >= {"wide", "ECU"}
        assert any("stitch" in r[5] and r[6] == "craftsmanship" for r in got if r[1] == "ECU")
        assert app.screen.query_one(FlagsTable).row_count == 0
        # the conversation shows the brief, tool calls compactly, and the reply as Markdown
        conversation = app.screen.query_one(Conversation)
        assert conversation.query("UserMessage")
        assert any("submit_plan" in str(t.content) for t in conversation.query("ToolLine"))
        assert f"Planned {len(got)} shots" in conversation.query(AssistantMessage).last().source
        first = app.controller.plan.shots[0]  # the Prompts tab already shows the first shot
        assert first.prompt.text in str(app.screen.query_one("#prompt-text").content)

        await app.action_new_brief()  # a new session, with a brief that raises flags
        await say(pilot, CHOCOLATE_BRIEF)
        flags = rows(app.screen.query_one(FlagsTable))
        assert {r[1] for r in flags} >= {"overuse"}
        assert all(r[0] in ("info", "warning", "error") for r in flags)
        assert app.screen.query_one(TabbedContent).get_tab("flags").label.plain.startswith("Flags ")
        assert "overuse" in str(app.screen.query_one("#flag-detail").content)


async def test_follow_up_makes_it_vertical_in_place():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        table = app.screen.query_one(PlanTable)
        assert "9:16" not in plan_header(app)
        before = rows(table)
        await say(pilot, "make it vertical 9:16 for stories")
        assert app.screen.query_one(PlanTable) is table  # the same widget, refreshed in place
        assert "aspect 9:16" in plan_header(app)
        assert "9:16" in app.screen.query_one(Conversation).query(AssistantMessage).last().source
        assert app.controller.plan.matrix.fixed.aspect_ratio == "9:16"
        app.screen.query_one(TabbedContent).active = "prompts"
        await pilot.pause()
        assert "9:16" in str(app.screen.query_one("#matrix-fixed").content)

        await say(pilot, "drop shot 3")
        after = rows(table)
        assert [r[0] for r in after] == [f"s{i}" for i in range(1, len(before))]
        assert [r[5] for r in after] == [r[5] for r in before[:2] + before[3:]]


async def test_streamed_reply_is_shown_as_markdown():
    """With a model, the reply streams in (AssistantDelta events) before the plan lands."""
    from agent.events import AssistantDelta

    class StreamingSession(Session):
        async def send(self, text, config=None, emit=lambda event: None):
            for piece in ("Looking at the **stitching**", " and the brass", " zip pull."):
                emit(AssistantDelta(text=piece))
                await asyncio.sleep(0)
            return await super().send(text, config, emit)

    app = make_app(session_factory=lambda: StreamingSession(id="streamed"))
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        messages = list(app.screen.query_one(Conversation).query(AssistantMessage))
        assert len(messages) == 2
        assert messages[0].source == "Looking at the **stitching** and the brass zip pull."
        assert messages[1].source.startswith("Planned ")


async def test_selected_shot_shows_its_prompt():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        table = app.screen.query_one(PlanTable)
        table.focus()
        await pilot.press("down", "enter")  # highlight s2 and open it
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "prompts"
        text = str(app.screen.query_one("#prompt-text").content)
        assert "s2 · ECU · saddle stitching along the handle" in text
        assert app.controller.plan.shot("s2").prompt.text in text
        assert "Negative" in text and app.controller.plan.shot("s2").prompt.negative in text
        assert app.screen.query_one("#matrix-table").row_count == len(app.controller.plan.matrix.varied)


async def test_generation_shows_progress_and_thumbnails(tmp_path):
    generator = FakeGenerator(tmp_path / "images", hold_after=2)
    app = make_app(generator=generator)
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+g")
        await wait_until(pilot, generator.held.is_set)
        await pilot.pause()
        # half-way: the progress bar shows 2 of n, and the first two thumbnails are there
        n = len(generated(app.controller.plan))  # a shot of legible marks is photographed, not generated
        status = app.screen.query_one(StatusBar)
        bar = status.query_one(ProgressBar)
        assert status.display and bar.display and (bar.progress, bar.total) == (2, n)
        assert f"generate 2/{n}" in str(status.query_one("#status-label", Label).content)
        assert app.screen.query_one(Gallery).count == 2
        assert len(rows(app.screen.query_one(QCTable))) == 2  # live QC rows, and their report in the detail pane
        assert "No QC reports yet" not in str(app.screen.query_one("#qc-detail").content)
        cancel = app.screen.active_bindings.get("escape")
        assert cancel is not None and cancel.enabled and cancel.binding.description == "Cancel"  # in the footer
        await pilot.press("ctrl+g")  # a second start while running is refused politely
        assert any("already running" in n for n in notes(app, "warning"))
        shots_before = len(app.controller.plan.shots)
        app.screen.query_one("#message", Input).value = "drop shot 3"  # so is an edit: the run would
        await pilot.press("enter")                                     # overwrite it when it finishes
        await pilot.pause()
        assert any("being generated" in n for n in notes(app, "warning"))
        assert len(app.controller.plan.shots) == shots_before
        generator.release.set()
        await settle(pilot)
        assert not status.display  # hidden again when done
        assert "escape" not in app.screen.active_bindings  # cancel leaves the footer
        gallery = app.screen.query_one(Gallery)
        thumbs = list(gallery.query(Thumbnail))
        assert len(thumbs) == n and gallery.count == n and generator.calls == 1
        assert all(isinstance(t.query_one(".thumb-image"), HalfcellImage) for t in thumbs)
        assert "s1 #1 ✓ · seed 1000" in [str(t.query_one(".thumb-caption").content) for t in thumbs]
        assert app.screen.query_one(TabbedContent).get_tab("images").label.plain == f"Images {n}"
        qc = rows(app.screen.query_one(QCTable))
        assert len(qc) == n and qc[1][2] == "✗ fail" and qc[0][3] == "– n/a"
        assert any(f"Generated {n} image" in note for note in notes(app))
        # renders persisted with the session
        saved = Session.load(app.controller.session.id, app.config.home)
        assert all(len(shot.renders) == 1 for shot in generated(saved.plan))


async def test_a_run_stopped_by_a_limit_keeps_its_brief_for_follow_ups(monkeypatch, tmp_path):
    """The best plan so far is shown and saved with the brief it answers, so a follow-up can edit it."""
    from agent.errors import LimitExceeded
    from tests.test_tui_support import demo_plan

    async def stopped(self, brief, emit=lambda event: None, state=None):
        raise LimitExceeded("time limit of 1s reached", demo_plan())

    monkeypatch.setattr(Agent, "run", stopped)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        assert any("time limit" in n for n in notes(app, "warning"))
        assert app.controller.session.brief == WEEKENDER_BRIEF.strip()
        saved = Session.load(app.controller.session.id, app.config.home)
        assert saved.brief == WEEKENDER_BRIEF.strip() and saved.plan is not None
        await say(pilot, "make it vertical 9:16 for stories")
        assert app.controller.plan.brief.aspect_ratio == "9:16"


async def test_generation_unavailable_is_a_notification(monkeypatch):
    async def unavailable(plan, emit, cancel):
        raise GenerationUnavailable(view.GENERATE_HINT)

    app = make_app(generator=unavailable)
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert any("'generate' extra" in n for n in notes(app, "warning"))
        assert app.is_running


async def test_default_generator_says_what_is_missing(monkeypatch, tmp_path):
    from tui import controller

    plan = await Agent(Config.from_env()).run(WEEKENDER_BRIEF)
    generate = default_generator(Config.from_env(), lambda: tmp_path / "images")
    monkeypatch.setattr(controller, "generation_available", lambda: False)  # no torch / diffusers
    with pytest.raises(GenerationUnavailable, match="'generate' extra"):
        await generate(plan, lambda event: None, threading.Event())
    monkeypatch.setattr(controller, "generation_available", lambda: True)
    monkeypatch.delenv("ECU_IMAGE_MODEL", raising=False)  # no model named: no surprise download
    with pytest.raises(GenerationUnavailable, match="ECU_IMAGE_MODEL"):
        await generate(plan, lambda event: None, threading.Event())
    monkeypatch.setenv("ECU_IMAGE_MODEL", "some/model")
    monkeypatch.setitem(sys.modules, "agent.iterate", None)  # as if the loop could not be imported
    with pytest.raises(GenerationUnavailable, match="'generate' extra"):
        await generate(plan, lambda event: None, threading.Event())


async def test_default_generator_drives_the_refine_loop(monkeypatch, tmp_path):
    """With the real `agent.iterate.refine` and a fake renderer: events flow, renders land in the plan."""
    import agent.iterate
    from tools import generate as generate_module
    from tui import controller

    calls = {}

    class FakeRenderer:
        def __init__(self, out_dir, model=None, **options):
            calls["out_dir"], calls["model"] = out_dir, model

        def __call__(self, jobs, progress=None, on_saved=None, cancel=None):
            saved = []
            for index, job in enumerate(jobs):
                path = write_png(tmp_path / "images" / f"{job.shot_id}.png", index)
                item = SimpleNamespace(job=job, path=path)
                on_saved(item)
                progress("generate", index + 1, len(jobs))
                saved.append(item)
            return saved

    def check(path, **options):
        return qc_report(path, passed=True)

    real_refine = agent.iterate.refine
    monkeypatch.setattr(controller, "generation_available", lambda: True)
    monkeypatch.setenv("ECU_IMAGE_MODEL", "tiny/model")
    monkeypatch.setattr(generate_module, "Renderer", FakeRenderer)
    monkeypatch.setattr(agent.iterate, "refine", lambda plan, **kw: real_refine(plan, check=check, **kw))
    plan = await Agent(Config.from_env()).run(WEEKENDER_BRIEF)
    events = []
    generate = default_generator(Config.from_env(), lambda: tmp_path / "images")
    result = await generate(plan, events.append, threading.Event())
    assert calls == {"out_dir": tmp_path / "images", "model": "tiny/model"}
    assert all(len(shot.renders) == 1 and shot.renders[0].qc.passed for shot in generated(result))
    kinds = {type(event).__name__ for event in events}
    assert {"ImageSaved", "QCReported", "Progress", "PlanUpdated"} <= kinds


async def test_generation_thread_does_not_hold_the_exit():
    from tui.controller import in_daemon_thread

    def where():
        thread = threading.current_thread()
        return thread.name, thread.daemon

    assert await in_daemon_thread(where) == ("ecu-generate", True)
    with pytest.raises(ValueError, match="boom"):
        await in_daemon_thread(lambda: (_ for _ in ()).throw(ValueError("boom")))


async def test_generation_on_the_tiny_pipeline(tmp_path, tmp_path_factory):
    """The real loop end to end in the UI: tiny random-weight SD pipeline on CPU, QC, thumbnails."""
    pytest.importorskip("diffusers")
    from tests.fakes.tiny_pipeline import shared_tiny_pipeline

    model = shared_tiny_pipeline(tmp_path_factory)
    generator = default_generator(Config.from_env(), lambda: tmp_path / "images", model=str(model),
                                  render_options={"steps": 2, "device": "cpu"},
                                  refine_options={"max_rounds": 1, "width": 32, "height": 32})
    app = make_app(generator=generator)
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not notes(app, "error")
        n = len(generated(app.controller.plan))
        assert app.screen.query_one(Gallery).count == n
        assert len(rows(app.screen.query_one(QCTable))) == n
        assert all(Path(shot.renders[-1].path).exists() for shot in generated(app.controller.plan))
        assert rows(app.screen.query_one(QCTable))[0][3] == "– n/a"  # identity_clarity: no vision model


async def test_resume_a_saved_session(ecu_home):
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await say(pilot, "make it vertical 9:16 for stories")
        session_id = first.controller.session.id
    assert (ecu_home / "sessions" / f"{session_id}.json").exists()

    resumed = make_app(session=Session.load(session_id, ecu_home))
    async with resumed.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "aspect 9:16" in plan_header(resumed)
        shots = len(rows(resumed.screen.query_one(PlanTable)))
        assert shots == len(resumed.controller.plan.shots) >= 4
        conversation = resumed.screen.query_one(Conversation)
        assert len(conversation.query("UserMessage")) == 2 and len(conversation.query(AssistantMessage)) == 2
        assert session_id in resumed.sub_title
        await say(pilot, "drop shot 3")  # and the conversation goes on
        assert len(rows(resumed.screen.query_one(PlanTable))) == shots - 1


async def test_open_session_from_the_picker(ecu_home):
    saved = fixed_session("older-one")
    await saved.send(CHOCOLATE_BRIEF, Config.from_env())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        table = app.screen.query_one("#sessions-table")
        ids = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "older-one" in ids
        table.move_cursor(row=ids.index("older-one"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.controller.session.id == "older-one"
        assert "overuse" in {r[1] for r in rows(app.screen.query_one(FlagsTable))}


async def test_export_writes_files(tmp_path, ecu_home, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+s")  # all formats to ECU_HOME/exports
        await pilot.pause()
        exports = ecu_home / "exports"
        names = sorted(p.name for p in exports.iterdir())
        assert names == ["ecu-plan-tui-test.csv", "ecu-plan-tui-test.json", "ecu-plan-tui-test.md"]
        data = json.loads((exports / "ecu-plan-tui-test.json").read_text())
        assert [s["id"] for s in data["shots"]] == [shot.id for shot in app.controller.plan.shots]
        assert (exports / "ecu-plan-tui-test.md").read_text().startswith("# ECU shot plan")
        assert (exports / "ecu-plan-tui-test.csv").read_text().startswith("id,scale,")
        assert not [p for p in exports.iterdir() if p.name.startswith(".")]  # no temp files left
        monkeypatch.chdir(tmp_path)
        app.action_export("markdown", ".")
        assert (tmp_path / "ecu-plan-tui-test.md").exists()
        assert any("Wrote" in n for n in notes(app))


async def test_command_palette_lists_main_actions():
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"export csv")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert (app.config.home / "exports" / "ecu-plan-tui-test.csv").exists()
        commands = [name for name, _, _ in __import__("tui.app", fromlist=["EcuCommands"]).EcuCommands(
            app.screen)._commands()]
        for wanted in ("New brief", "Generate images", "Export plan as JSON", "Export plan as Markdown",
                       "Export plan as CSV", "Open session"):
            assert wanted in commands


async def test_function_keys_switch_tabs():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.screen.query_one(TabbedContent)
        for key, tab in (("f3", "flags"), ("f4", "prompts"), ("f5", "images"), ("f6", "qc"), ("f2", "plan")):
            await pilot.press(key)
            assert tabs.active == tab


async def test_ctrl_q_quits_with_status_zero():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_brief_given_at_start_is_planned(ecu_home):
    app = make_app(brief=WEEKENDER_BRIEF)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(rows(app.screen.query_one(PlanTable))) == len((await planned(WEEKENDER_BRIEF)).shots)
        assert (ecu_home / "sessions" / "tui-test.json").exists()


async def test_pasted_multiline_brief_is_kept_whole():
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        box = app.screen.query_one("#message", Input)
        box.post_message(events.Paste("line one of the brief\nline two\n\nline three"))
        await pilot.pause()
        assert box.value == "line one of the brief line two line three"


def test_view_rows_without_a_plan():
    assert view.plan_rows(None) == [] and view.flag_rows(None) == [] and view.thumbs(None) == []
    assert view.prompt_sections(None, None) == [] and view.matrix_rows(None) == [] and view.qc_rows(None) == []
    assert "No plan yet" in view.plan_header(None)


def test_chat_and_sessions_commands(ecu_home, capsys, tmp_path):
    from cli.main import build_parser, main

    args = build_parser().parse_args(["chat", "brief.txt", "--model", "m", "--resume", "x"])
    assert (args.brief, args.model, args.resume) == ("brief.txt", "m", "x")
    assert main(["chat", "--resume", "no-such-session"]) == 2  # fails before taking over the terminal
    assert "no session no-such-session" in capsys.readouterr().err

    assert main(["sessions"]) == 0
    assert "no saved sessions" in capsys.readouterr().out
    asyncio.run(fixed_session("cli-one").send(WEEKENDER_BRIEF, Config.from_env()))
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert "cli-one" in out and "Aldgate Weekender" in out and "ID" in out
    assert main(["sessions", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    shots = len(Agent(Config.from_env()).plan(WEEKENDER_BRIEF).shots)
    assert listed[0]["id"] == "cli-one" and listed[0]["shots"] == shots


async def test_planning_runs_off_the_event_loop():
    """A plan that blocks (CPU-bound planning does) must leave the UI responsive while it runs."""
    gate = threading.Event()

    class BlockingSession(Session):
        async def send(self, text, config=None, emit=lambda event: None):
            released.append(gate.wait(10))  # blocks whatever runs it: the UI's loop, unless it is a worker thread
            return await super().send(text, config, emit)

    released: list[bool] = []
    app = make_app(session_factory=lambda: BlockingSession(id="blocking"))
    async with app.run_test(size=SIZE) as pilot:
        box = app.screen.query_one("#message", Input)
        box.focus()
        box.value = WEEKENDER_BRIEF
        await pilot.press("enter")
        await pilot.pause()  # the UI still runs while planning waits: the status shows, the gate opens from here
        status = app.screen.query_one(StatusBar)
        assert status.display and "Planning" in str(status.query_one("#status-label", Label).content)
        gate.set()
        await settle(pilot)
        assert released == [True]
        assert app.screen.query_one(PlanTable).row_count == len(app.controller.plan.shots) > 0


async def test_an_unwritable_home_shows_the_plan_and_says_once_it_was_not_saved(monkeypatch, tmp_path):
    home = tmp_path / "home-is-a-file"
    home.write_text("x")
    monkeypatch.setenv("ECU_HOME", str(home))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        assert app.screen.query_one(PlanTable).row_count == len(app.controller.plan.shots) > 0
        await say(pilot, "make it vertical 9:16 for stories")
        assert app.controller.plan.brief.aspect_ratio == "9:16"
        warned = [n for n in notes(app) if "Not saved" in n]
        assert len(warned) == 1 and str(home / "sessions") in warned[0]
        assert not [n for n in notes(app) if "unexpected" in n]


async def test_a_plan_past_the_time_limit_is_given_up_and_leaves_the_session_alone(monkeypatch):
    from agent.config import Limits

    gate = threading.Event()

    class StuckSession(Session):
        async def send(self, text, config=None, emit=lambda event: None):
            gate.wait(10)  # never finishes in time
            return await super().send(text, config, emit)

    monkeypatch.setattr("tui.controller.SEND_GRACE_S", 0.0)
    app = EcuApp(Config.from_env(limits=Limits(timeout_s=0.2)), image_widget=HalfcellImage,
                 session_factory=lambda: StuckSession(id="stuck"))
    app.animation_level = "none"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await say(pilot, WEEKENDER_BRIEF)
            assert any("planning took longer than 0.2s and was given up" in n for n in notes(app, "error"))
            assert app.controller.session.plan is None and app.controller.session.messages == []
    finally:
        gate.set()


# -- what a new user meets in the first hour ----------------------------------------------------------

def scales(app) -> list[str]:
    return [row[1] for row in rows(app.screen.query_one(PlanTable))]


async def test_drop_then_more_about_durability_keeps_the_shot_dropped():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        before = scales(app)
        await say(pilot, "drop shot 3")
        dropped = scales(app)
        assert dropped == before[:2] + before[3:]
        await say(pilot, "more about durability")
        assert scales(app) == dropped and app.controller.plan.brief.goals[0] == "durability"
        await say(pilot, "undo")
        assert scales(app) == dropped and app.controller.session.settings.get("emphasis", []) == []
        await say(pilot, "undo")
        assert scales(app) == before
        last = app.screen.query_one(Conversation).query(AssistantMessage).last().source
        assert last.startswith("Undone: back to")


async def test_typing_anywhere_goes_to_the_message_box():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        box = app.screen.query_one("#message", Input)
        await pilot.click("#plan-table")  # a click moves the focus to the table
        assert app.focused is app.screen.query_one(PlanTable)
        await pilot.press("f4", "f2")
        await pilot.press(*"drop")
        assert box.value == "drop" and app.focused is box
        await pilot.click("#plan-table")
        await pilot.press(*" shot 3")
        assert box.value == "drop shot 3"
        await pilot.press("enter")
        await settle(pilot)
        assert len(rows(app.screen.query_one(PlanTable))) == len((await planned(WEEKENDER_BRIEF)).shots) - 1


async def test_a_request_not_understood_has_no_tick():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await say(pilot, "paint it like a sunset")
        line = str(app.screen.query_one(Conversation).query("ToolLine").last().content)
        assert line == "✗ edit_plan: request not understood"


async def test_the_briefs_bullets_and_line_breaks_stay_in_the_conversation():
    from textual import events

    brief = ("The Harlow Weekender, a full-grain leather bag for frequent travellers.\n"
             "Extreme close-ups of:\n- the saddle stitching along the handle\n- the solid brass buckle\n\n"
             "Channel: an Instagram carousel. Prove durability.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        box = app.screen.query_one("#message", Input)
        box.focus()
        box.post_message(events.Paste(brief))
        await pilot.pause()
        assert "\n" not in box.value  # shown on one line while typing
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one(Conversation).query("UserMessage").first().content)
        assert shown == brief
        assert app.controller.session.brief == brief  # the planner read it as written
        assert [s.detail.name for s in app.controller.plan.ecu_shots()][:1] == ["saddle stitching along the handle"]


async def test_placeholder_fits_at_80x24():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.screen.query_one("#message", Input)

        def shows(hint_part: str) -> bool:
            return len(box.placeholder) < box.content_region.width and hint_part in box.placeholder

        await wait_until(pilot, lambda: shows("then Enter"))
        await say(pilot, WEEKENDER_BRIEF)
        await wait_until(pilot, lambda: shows("drop shot 3"))
    wide = make_app()
    async with wide.run_test(size=(160, 40)) as pilot:
        wide_box = wide.screen.query_one("#message", Input)
        await wait_until(pilot, lambda: wide_box.content_region.width > 40)
        assert wide_box.placeholder == "Type or paste a brief, then Enter"  # the full hint where it fits


async def test_prompts_tab_says_how_to_see_another_shot():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await pilot.press("f4")
        assert "Plan tab (F2" in str(app.screen.query_one("#prompt-hint", Label).content)


async def test_a_ratio_that_does_not_suit_the_channel_is_warned_about_in_the_chat():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, WEEKENDER_BRIEF)
        await say(pilot, "make it vertical 9:16 for stories")
        await say(pilot, "make it 21:9")
        last = app.screen.query_one(Conversation).query(AssistantMessage).last().source
        assert "Note: 21:9 does not suit short video, which is made for 9:16" in last


async def test_plan_tab_shows_deliverable_aspect_source_and_questions():
    from tests.test_contract_v2 import CAROUSEL_AND_STORIES, HAZE, MAKER

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await say(pilot, CAROUSEL_AND_STORIES)
        got = rows(app.screen.query_one(PlanTable))
        assert [c.label.plain for c in app.screen.query_one(PlanTable).columns.values()][2:5] == [
            "for", "aspect", "source"]
        assert {(r[2], r[3]) for r in got} == {("carousel", "4:5"), ("story", "9:16")}
        questions = str(app.screen.query_one("#plan-questions").content)
        assert "Questions for you" in questions and "Which colourway is the hero" in questions
        assert "Questions for you" in app.screen.query_one(Conversation).query(AssistantMessage).last().source

        await app.action_new_brief()
        await say(pilot, MAKER)
        got = rows(app.screen.query_one(PlanTable))
        hands = next(r for r in got if "hands" in r[5])
        assert hands[4] == "photo" and all(r[4] == "generate" for r in got if r is not hands)
        app.controller.selected_shot = hands[0]
        app.screen._show_prompt()
        prompt = str(app.screen.query_one("#prompt-text").content)
        assert "Source" in prompt and "photograph: shows Maria Okafor" in prompt
        assert "Has Maria Okafor agreed" in str(app.screen.query_one("#plan-questions").content)
        assert "To be shot, not generated" in app.screen.query_one(Conversation).query(AssistantMessage).last().source

        assert not app.screen.query_one("#dismissed-flags").display  # nothing dismissed yet
        await app.action_new_brief()
        await say(pilot, HAZE)
        await say(pilot, "ignore the soft focus warning: the haze is the brand look")
        dismissed = app.screen.query_one("#dismissed-flags")
        assert dismissed.display and "soft_focus dismissed: the haze is the brand look" in str(dismissed.content)
        assert "soft_focus" not in {r[1] for r in rows(app.screen.query_one(FlagsTable))}
