"""Snapshot tests of the main `ecu chat` screens (pytest-textual-snapshot, Textual pinned in pyproject).

Deterministic, and independent of the planner's tuning: hand-written plans (tests/test_tui_support.py),
a fixed session id and times, animations off, the cursor not blinking, fixed terminal sizes, an
explicit image widget class (half-cell) and small PNGs drawn with PIL. Review changes with
`pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs before accepting them.
"""

from __future__ import annotations

from textual.widgets import TabbedContent
from textual_image.widget import HalfcellImage

from agent.config import Config
from tests.test_tui_support import FIXED_TIME, SIZE, FakeGenerator, demo_session, fixed_session, settle, wait_until
from tui.app import EcuApp
from tui.widgets import PlanTable


def make_app(**kwargs) -> EcuApp:
    app = EcuApp(Config.from_env(), image_widget=HalfcellImage, session_factory=fixed_session, **kwargs)
    app.animation_level = "none"
    return app


async def _quiet(pilot) -> None:
    """Let work finish, drop toasts, and stop the cursor blinking, so the screen holds still."""
    await settle(pilot)
    pilot.app.clear_notifications()
    for box in pilot.app.query("Input"):
        box.cursor_blink = False
    await pilot.pause()


def _tab(name: str, row: int | None = None, theme: str | None = None):
    async def run_before(pilot) -> None:
        if theme:
            pilot.app.theme = theme
        await wait_until(pilot, lambda: bool(pilot.app.screen.query(PlanTable)))
        await settle(pilot)
        if row is not None:
            pilot.app.screen.query_one(PlanTable).move_cursor(row=row)
        pilot.app.screen.query_one(TabbedContent).active = name
        await _quiet(pilot)

    return run_before


def test_start_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_quiet)


def test_plan_tab(snap_compare):
    assert snap_compare(make_app(session=demo_session()), terminal_size=SIZE, run_before=_tab("plan"))


def test_plan_at_80x24(snap_compare):
    assert snap_compare(make_app(session=demo_session()), terminal_size=(80, 24), run_before=_tab("plan"))


def test_flags_tab(snap_compare):
    assert snap_compare(make_app(session=demo_session()), terminal_size=SIZE, run_before=_tab("flags"))


def test_prompts_tab_vertical(snap_compare):
    app = make_app(session=demo_session(aspect="9:16"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_tab("prompts", row=1))


def _generated(tab: str):
    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: bool(pilot.app.screen.query(PlanTable)))
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = tab
        await _quiet(pilot)

    return run_before


def test_images_tab(snap_compare, tmp_path):
    app = make_app(session=demo_session(), generator=FakeGenerator(tmp_path / "images"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_generated("images"))


def test_qc_tab(snap_compare, tmp_path):
    app = make_app(session=demo_session(), generator=FakeGenerator(tmp_path / "images"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_generated("qc"))


def test_flags_on_a_light_theme(snap_compare):
    app = make_app(session=demo_session())
    assert snap_compare(app, terminal_size=SIZE, run_before=_tab("flags", theme="textual-light"))


def test_sessions_picker(snap_compare, ecu_home):
    for index, session_id in enumerate(["weekender-a", "weekender-b"]):
        session = demo_session(session_id)
        path = session.path(ecu_home)  # write directly: save() would stamp the current time
        path.parent.mkdir(parents=True, exist_ok=True)
        session.updated = FIXED_TIME.replace("03:04", f"03:0{index}")
        path.write_text(session.model_dump_json())

    async def run_before(pilot) -> None:
        await _quiet(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
