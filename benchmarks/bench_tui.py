"""TUI: time to first paint of `ecu chat` under `App.run_test`, and how long until a plan is on screen.

Side by side: a bare Textual app with one Static (what Textual itself costs), the planner alone
(`Session.send`, no UI) against the same brief and follow-up shown in the UI, and the cold import
of `tui.app` against `import textual.app`. Medians over repeats; offline, no network.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time

from benchmarks.common import median_seconds, print_table, python_runner, row, suite_brief

SIZE = (100, 32)
FOLLOW_UP = "make it vertical 9:16 for stories"


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


async def _bare_first_paint() -> float:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hello")

    start = time.perf_counter()
    async with Bare().run_test(size=SIZE):
        return time.perf_counter() - start


def _chat_app(brief: str | None = None):
    from textual_image.widget import HalfcellImage

    from agent.config import Config
    from tui.app import EcuApp

    app = EcuApp(Config.from_env(), brief=brief, image_widget=HalfcellImage)
    app.animation_level = "none"
    return app


async def _chat_first_paint() -> float:
    start = time.perf_counter()
    async with _chat_app().run_test(size=SIZE):
        return time.perf_counter() - start


async def _wait(condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the plan did not appear")
        await asyncio.sleep(0.001)


async def _chat_plan_visible(brief: str) -> tuple[float, float]:
    """Seconds from start to the plan table filled; then from Enter on a follow-up to 9:16 on screen."""
    from textual.widgets import Input, Label

    from tui.widgets import PlanTable

    start = time.perf_counter()
    app = _chat_app(brief)
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: app.screen.query(PlanTable) and app.screen.query_one(PlanTable).row_count > 0)
        planned = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        box = app.screen.query_one("#message", Input)
        box.value = FOLLOW_UP
        start = time.perf_counter()
        await box.action_submit()  # what Enter does, without Pilot's wait-for-idle in the measurement
        await _wait(lambda: "9:16" in str(app.screen.query_one("#plan-header", Label).content))
        edited = time.perf_counter() - start
    return planned, edited


async def _planner_alone(brief: str) -> tuple[float, float]:
    from agent.config import Config
    from agent.session import Session

    session = Session()
    config = Config.from_env()
    start = time.perf_counter()
    await session.send(brief, config)
    planned = time.perf_counter() - start
    start = time.perf_counter()
    await session.send(FOLLOW_UP, config)
    return planned, time.perf_counter() - start


def run(repeats: int = 5) -> list[dict]:
    brief = suite_brief()
    with tempfile.TemporaryDirectory() as home:
        old_home = os.environ.get("ECU_HOME")
        os.environ["ECU_HOME"] = home
        try:
            asyncio.run(_chat_first_paint())  # warm imports, so both sides compare rendering, not imports
            bare = _median([asyncio.run(_bare_first_paint()) for _ in range(repeats)])
            chat = _median([asyncio.run(_chat_first_paint()) for _ in range(repeats)])
            ui = [asyncio.run(_chat_plan_visible(brief)) for _ in range(repeats)]
            alone = [asyncio.run(_planner_alone(brief)) for _ in range(repeats)]
        finally:
            if old_home is None:
                os.environ.pop("ECU_HOME", None)
            else:
                os.environ["ECU_HOME"] = old_home
    plan_ui, edit_ui = _median([u[0] for u in ui]), _median([u[1] for u in ui])
    plan_alone, edit_alone = _median([a[0] for a in alone]), _median([a[1] for a in alone])
    textual_import = median_seconds(python_runner(["-c", "import textual.app"]), repeats=3, warmup=0)
    tui_import = median_seconds(python_runner(["-c", "import tui.app"]), repeats=3, warmup=0)
    note = f"run_test {SIZE[0]}x{SIZE[1]}, median of {repeats}"
    return [
        row("tui", "first paint: bare Textual app", bare * 1000, "ms", note=note),
        row("tui", "first paint: ecu chat", chat * 1000, "ms", bare * 1000, note + "; baseline = bare app"),
        row("tui", "brief to plan on screen", plan_ui * 1000, "ms", plan_alone * 1000,
            "start to plan table filled, offline; baseline = Session.send alone"),
        row("tui", "follow-up to 9:16 on screen", edit_ui * 1000, "ms", edit_alone * 1000,
            "Enter to header updated; baseline = Session.send alone"),
        row("tui", "cold import tui.app", tui_import * 1000, "ms", textual_import * 1000,
            "fresh interpreter; baseline = import textual.app; median of 3"),
    ]


if __name__ == "__main__":
    print_table(run())
