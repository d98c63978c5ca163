"""The `ecu chat` application: key bindings, command palette, and the actions both call."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from agent.config import Config
from agent.errors import EcuError
from agent.session import Session, SessionInfo
from tui.controller import GENERATION_THREAD, ChatController, Generator
from tui.screens import TABS, ChatScreen, SessionsScreen


class EcuCommands(Provider):
    """Command palette entries for the main actions, and one per saved session."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: EcuApp = self.app  # type: ignore[assignment]
        exports = app.controller.default_export_dir()
        return [
            ("New brief", app.action_new_brief, "Start a new session with a new brief"),
            ("Generate images", app.action_generate, "Generate and check images for every shot (ctrl+g)"),
            ("Cancel generation", app.action_cancel_generation, "Stop generating after the current image"),
            ("Export plan as JSON", partial(app.action_export, "json"), f"Write the plan JSON to {exports}"),
            ("Export plan as Markdown", partial(app.action_export, "markdown"),
             f"Write a Markdown shot list to {exports}"),
            ("Export plan as CSV", partial(app.action_export, "csv"), f"Write a CSV shot list to {exports}"),
            ("Export plan to current directory", partial(app.action_export_all, "."),
             "Write JSON, Markdown and CSV to the current directory"),
            ("Open session", app.action_open_sessions, "Pick a saved session to resume (ctrl+o)"),
            *[(f"Show {name} tab", partial(app.show_tab, tab), f"F{index}")
              for index, (tab, name) in enumerate(zip(TABS, ("Plan", "Flags", "Prompts", "Images", "QC")), start=2)],
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        app: EcuApp = self.app  # type: ignore[assignment]
        for info in self._sessions:
            name = f"Open session: {info.title} ({info.id})"
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), partial(app.open_session, info.id),
                          help=f"{info.shots} shots, updated {info.updated}")

    @cached_property
    def _sessions(self) -> list[SessionInfo]:
        """The 50 latest saved sessions, read once per opening of the palette: `search` runs on every key."""
        app: EcuApp = self.app  # type: ignore[assignment]
        try:
            return app.controller.list_sessions()[:50]
        except OSError:
            return []


class EcuApp(App[int]):
    """Chat through a brief and watch the ECU shot plan take shape."""

    CSS_PATH = "app.tcss"
    TITLE = "ECU planner"
    COMMANDS = App.COMMANDS | {EcuCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, config: Config | None = None, *, brief: str | None = None, session: Session | None = None,
                 generator: Generator | None = None, image_widget: type[Widget] | None = None,
                 session_factory: Callable[[], Session] = Session, export_dir: str | Path | None = None,
                 generator_options: dict | None = None) -> None:
        super().__init__()
        self.config = config or Config.from_env()
        self.controller = ChatController(self.config, session=session, generator=generator,
                                         session_factory=session_factory, generator_options=generator_options)
        if image_widget is None:
            from tui.widgets import pick_image_widget

            image_widget = pick_image_widget()
        self.image_widget = image_widget
        self.initial_brief = brief
        self.export_dir = Path(export_dir) if export_dir is not None else None

    def generation_running(self) -> bool:
        """Whether a generation thread is still at work (it may outlive the UI when the user quits)."""
        import threading

        return any(thread.name == GENERATION_THREAD and thread.is_alive() for thread in threading.enumerate())

    def get_default_screen(self) -> ChatScreen:
        return ChatScreen(self.controller, self.image_widget, self.initial_brief)

    def _chat_screen(self) -> ChatScreen:
        for screen in self.screen_stack:
            if isinstance(screen, ChatScreen):
                return screen
        raise RuntimeError("the chat screen is not mounted")

    # -- actions (key bindings and the command palette) ---------------------------------------
    def action_generate(self) -> None:
        self._chat_screen().start_generation()

    def show_tab(self, tab: str) -> None:
        self._chat_screen().action_show_tab(tab)

    def action_cancel_generation(self) -> None:
        self._chat_screen().action_cancel()

    def action_export(self, fmt: str, directory: str | None = None) -> None:
        try:
            path = self.controller.export(fmt, directory if directory is not None else self.export_dir)
        except EcuError as err:
            self.notify(str(err), title="Export", severity="error", markup=False)
            return
        self.notify(f"Wrote {path}", title="Export", markup=False)

    def action_export_all(self, directory: str | None = None) -> None:
        try:
            paths = self.controller.export_all(directory if directory is not None else self.export_dir)
        except EcuError as err:
            self.notify(str(err), title="Export", severity="error", markup=False)
            return
        stem = paths[0].stem
        kinds = "/".join(p.suffix for p in paths)
        self.notify(f"Wrote {stem}{{{kinds}}} to {paths[0].parent}", title="Export", markup=False)

    async def action_new_brief(self) -> None:
        chat = self._chat_screen()
        if not chat.idle(self):
            return
        self.controller.new_session()
        await chat.load_session()
        self.notify("New session: type or paste a brief.")

    def action_open_sessions(self) -> None:
        try:
            sessions = self.controller.list_sessions()
        except OSError as err:
            self.notify(f"cannot list sessions: {err}", severity="error", markup=False)
            return
        if not sessions:
            self.notify("No saved sessions yet.", severity="warning")
            return

        def chosen(session_id: str | None) -> None:
            if session_id:
                self.run_worker(self.open_session(session_id), group="open", exit_on_error=False)

        self.push_screen(SessionsScreen(sessions), chosen)

    async def open_session(self, session_id: str) -> None:
        chat = self._chat_screen()
        if not chat.idle(self):
            return
        try:
            self.controller.open_session(session_id)
        except EcuError as err:
            self.notify(str(err), title="Open session", severity="error", markup=False)
            return
        await chat.load_session()
        self.notify(f"Opened {self.controller.title()}", title="Session", markup=False)
