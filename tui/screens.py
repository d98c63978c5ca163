"""Screens: the chat (conversation left, plan tabs right) and the session picker.

The screen wires widgets to the controller. Planning and generation run in
workers; their events come back as messages, in order, so the UI never blocks
and never draws from another task.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.markup import escape
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static, TabbedContent, TabPane

from agent.errors import EcuError
from agent.events import AssistantDelta, ImageSaved, PlanUpdated, Progress, QCReported, ToolFinished
from agent.models import QCReport, ShotPlan, humanize
from agent.session import SessionInfo
from tui import controller as view
from tui.controller import ChatController, GenerationUnavailable, Reply, Thumb, named_in_chat
from tui.widgets import (
    Conversation,
    FlagsTable,
    Gallery,
    KeyValues,
    Lines,
    MatrixTable,
    PlanTable,
    PromptInput,
    QCTable,
    Sections,
    StatusBar,
)


class AgentEvent(Message):
    """An event from the agent or the generator, tagged with the run it belongs to."""

    def __init__(self, event: Any, run: int) -> None:
        super().__init__()
        self.event = event
        self.run = run


class SendDone(Message):
    def __init__(self, run: int, reply: Reply | None, error: str = "") -> None:
        super().__init__()
        self.run = run
        self.reply = reply
        self.error = error


class GenerationDone(Message):
    def __init__(self, run: int, plan: ShotPlan | None, cancelled: bool) -> None:
        super().__init__()
        self.run = run
        self.plan = plan
        self.cancelled = cancelled


TABS = ("plan", "flags", "prompts", "images", "qc")


class ChatScreen(Screen):
    """Conversation on the left, the plan in tabs on the right."""

    BINDINGS = [
        Binding("ctrl+g", "app.generate", "Generate"),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "app.export_all", "Export"),
        Binding("ctrl+o", "app.open_sessions", "Sessions"),
        Binding("ctrl+n", "app.new_brief", "New"),
        *[Binding(f"f{index}", f"show_tab('{tab}')", f"{tab.title()} tab", show=False)
          for index, tab in enumerate(TABS, start=2)],
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, controller: ChatController, image_widget: type, initial_brief: str | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.initial_brief = initial_brief
        self.image_widget = image_widget
        self._runs = 0  # one counter for both kinds of run, so their events never mix
        self._send_run = 0
        self._gen_run = 0
        self._busy = False
        self._cancel: threading.Event | None = None
        self._live_qc: dict[str, tuple[tuple[str, ...], QCReport]] = {}  # key -> (row, report) while generating
        self._reports: dict[str, Any] = {}
        self._shown_plan: ShotPlan | None = None

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Conversation(id="conversation")
                yield StatusBar(id="status")
                yield PromptInput(self.controller.placeholder, id="message", select_on_focus=False)
            with TabbedContent(id="tabs", initial="plan"):
                with TabPane("Plan", id="plan"):
                    yield Label(view.plan_header(None), id="plan-header")
                    yield PlanTable(id="plan-table")
                    yield Lines("", id="plan-questions")
                with TabPane("Flags", id="flags"):
                    yield FlagsTable(id="flags-table")
                    yield Static("No flags.", id="flag-detail")
                    yield Lines("", id="dismissed-flags")
                with TabPane("Prompts", id="prompts"):
                    with VerticalScroll(id="prompt-scroll"):
                        yield Label(view.PROMPT_HINT, id="prompt-hint", classes="hint")
                        yield Sections("", id="prompt-text")
                        yield Label("Prompt matrix", classes="heading")
                        yield KeyValues("", id="matrix-fixed")
                        yield MatrixTable(id="matrix-table")
                with TabPane("Images", id="images"):
                    yield Gallery(self.image_widget, id="gallery")
                with TabPane("QC", id="qc"):
                    yield QCTable(id="qc-table")
                    yield KeyValues("No QC reports yet.", id="qc-detail")
        yield Footer()

    async def on_mount(self) -> None:
        self.query_one(StatusBar).hide()
        self.query_one("#message", Input).focus()
        await self.load_session()
        if self.initial_brief:
            brief, self.initial_brief = self.initial_brief, None
            await self.submit(brief)

    async def load_session(self) -> None:
        """Draw the controller's session from scratch (start, resume, open, new brief)."""
        self._runs += 1
        self._send_run = self._runs
        session = self.controller.session
        await self.query_one(Conversation).reset(view.transcript(session))
        await self.show_plan(session.plan)
        self._refresh_titles()

    def _refresh_titles(self) -> None:
        self.app.sub_title = f"{self.controller.title()} · {self.controller.session.id}"
        self.query_one("#message", PromptInput).refit()  # a plan changes the hint from "brief" to "follow-up"

    async def show_plan(self, plan: ShotPlan | None, *, force: bool = True) -> None:
        """Refresh every tab from a plan, in place (skipped when this very plan is already shown)."""
        if not force and plan is self._shown_plan:
            return
        self._shown_plan = plan
        self.query_one("#plan-header", Label).update(view.plan_header(plan))
        rows = view.plan_rows(plan)
        self.query_one(PlanTable).show(rows, [row[0] for row in rows])
        self.query_one("#plan-questions", Lines).show("Questions for you", view.question_lines(plan))
        self.query_one(FlagsTable).show(view.flag_rows(plan))
        self.query_one("#dismissed-flags", Lines).show("Dismissed", view.dismissed_lines(plan))
        self._show_flag_detail()
        self._show_prompt()
        self.query_one("#matrix-fixed", KeyValues).show(view.matrix_fixed(plan))
        self.query_one(MatrixTable).show(view.matrix_rows(plan))
        flags = len(plan.flags) if plan else 0
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("flags").label = f"Flags {flags}" if flags else "Flags"
        await self.query_one(Gallery).show(view.thumbs(plan))
        self._live_qc.clear()
        self._show_qc(plan)
        self._update_images_label()

    def _update_images_label(self) -> None:
        count = self.query_one(Gallery).count
        self.query_one(TabbedContent).get_tab("images").label = f"Images {count}" if count else "Images"

    def _show_prompt(self) -> None:
        plan = self._shown_plan
        self.query_one("#prompt-text", Sections).show(view.prompt_sections(plan, self.controller.selected_shot),
                                                      empty="No plan yet.")

    def _show_flag_detail(self) -> None:
        plan = self._shown_plan
        table = self.query_one(FlagsTable)
        key = table.highlighted_key()
        detail = self.query_one("#flag-detail", Static)
        if plan is None or not plan.flags:
            detail.update("No flags." if plan is not None else "")
            return
        flag = plan.flags[int(key)] if key is not None and int(key) < len(plan.flags) else plan.flags[0]
        detail.update(f"[b]{escape(humanize(flag.kind))}[/b] ({flag.severity}) {escape(', '.join(flag.shots))}\n"
                      f"{escape(flag.message)}\n[b]Fix:[/b] {escape(flag.fix or '-')}")

    def _show_qc(self, plan: ShotPlan | None) -> None:
        entries = view.qc_entries(plan) + [(key, row, report) for key, (row, report) in self._live_qc.items()]
        self._reports = {key: report for key, _, report in entries}
        keys = [key for key, _, _ in entries]
        rows = [row for _, row, _ in entries]
        self.query_one(QCTable).show(rows, keys)
        self._show_qc_detail()

    def _show_qc_detail(self) -> None:
        key = self.query_one(QCTable).highlighted_key()
        report = self._reports.get(key) if key else None
        self.query_one("#qc-detail", KeyValues).show(view.qc_details(report) if report else [],
                                                     empty="No QC reports yet." if not self._reports else "")

    @on(DataTable.RowHighlighted, "#plan-table")
    def _plan_row(self, event: DataTable.RowHighlighted) -> None:
        self.controller.selected_shot = event.row_key.value
        self._show_prompt()

    @on(DataTable.RowSelected, "#plan-table")
    def _plan_row_selected(self, event: DataTable.RowSelected) -> None:
        self.controller.selected_shot = event.row_key.value
        self._show_prompt()
        self.query_one(TabbedContent).active = "prompts"

    @on(DataTable.RowHighlighted, "#flags-table")
    def _flag_row(self) -> None:
        self._show_flag_detail()

    @on(DataTable.RowHighlighted, "#qc-table")
    def _qc_row(self) -> None:
        self._show_qc_detail()

    # -- sending ------------------------------------------------------------------------------
    @on(Input.Submitted, "#message")
    async def _submitted(self, event: Input.Submitted) -> None:
        box = event.input
        await self.submit(box.as_written(event.value) if isinstance(box, PromptInput) else event.value)

    async def submit(self, text: str) -> None:
        if not self.idle(self.app):  # an edit during generation would be overwritten by its result
            return
        self.query_one("#message", Input).value = ""
        if text.strip():
            await self.query_one(Conversation).add_user(text.strip())
        self._busy = True
        self._runs += 1
        self._send_run = self._runs
        self.query_one(StatusBar).show("Planning…" if self.controller.plan is None else "Revising…")
        self._send(text, self._send_run)

    @work(exclusive=True, group="agent", exit_on_error=False)
    async def _send(self, text: str, run: int) -> None:
        reply: Reply | None = None
        error = ""
        try:
            reply = await self.controller.send(text, lambda event: self.post_message(AgentEvent(event, run)))
        except EcuError as err:
            error = str(err)
        except Exception as err:  # a bug must not take the UI down
            self.app.log.error("send failed", err)
            error = f"unexpected error: {err}"
        finally:
            if error:
                self.app.notify(error, title="Could not plan", severity="error", markup=False)
            self.post_message(SendDone(run, reply, error))

    @on(SendDone)
    async def _send_done(self, message: SendDone) -> None:
        if message.run != self._send_run:
            return
        self._busy = False
        status = self.query_one(StatusBar)
        if self._cancel is None:
            status.hide()
        conversation = self.query_one(Conversation)
        await conversation.end_stream()
        reply = message.reply
        if message.error:
            await conversation.add_note(f"✗ {message.error}")
        if reply is not None:
            await conversation.add_assistant(reply.text)
            if reply.warning:
                self.app.notify(reply.warning, severity="warning", markup=False)
            await self.show_plan(reply.plan, force=False)
        self._refresh_titles()

    @on(AgentEvent)
    async def _agent_event(self, message: AgentEvent) -> None:
        try:
            await self._handle_event(message)
        except NoMatches:  # the screen is closing: nothing left to draw on
            pass

    async def _handle_event(self, message: AgentEvent) -> None:
        event = message.event
        if message.run == self._gen_run:
            await self._generation_event(event)
            return
        if message.run != self._send_run:
            return
        conversation = self.query_one(Conversation)
        if isinstance(event, ToolFinished):
            await conversation.add_tool(view.tool_line(event.name, event.ok, event.summary))
        elif isinstance(event, AssistantDelta):
            await conversation.stream(event.text)
        elif isinstance(event, PlanUpdated):
            await self.show_plan(event.plan)

    # -- generation ---------------------------------------------------------------------------
    def start_generation(self) -> None:
        if self.controller.plan is None:
            self.app.notify("There is no plan yet: type a brief first.", severity="warning")
            return
        if self._cancel is not None:
            self.app.notify("Generation is already running (escape cancels it).", severity="warning")
            return
        self._runs += 1
        self._gen_run = self._runs
        self._cancel = threading.Event()
        self.query_one(StatusBar).show("Generating…", progress=True)
        self.refresh_bindings()
        self._generate(self._gen_run, self._cancel)

    @work(exclusive=True, group="generate", exit_on_error=False)
    async def _generate(self, run: int, cancel: threading.Event) -> None:
        plan: ShotPlan | None = None
        try:
            plan = await self.controller.generate(lambda event: self.post_message(AgentEvent(event, run)), cancel)
        except GenerationUnavailable as err:
            self.app.notify(str(err), title="Images", severity="warning", markup=False, timeout=10)
        except EcuError as err:
            if not cancel.is_set():
                self.app.notify(err.told(named_in_chat), title="Generation failed", severity="error", markup=False)
        except Exception as err:  # a bug or a library error must not take the UI down
            if not cancel.is_set():
                self.app.log.error("generation failed", err)
                self.app.notify(f"generation failed: {err}", title="Generation failed", severity="error",
                                markup=False)
        finally:
            self.post_message(GenerationDone(run, plan, cancel.is_set()))

    async def _generation_event(self, event: Any) -> None:
        if isinstance(event, Progress):
            self.query_one(StatusBar).progress(event.stage, event.done, event.total)
        elif isinstance(event, ImageSaved):
            await self.query_one(Gallery).add(Thumb(event.shot_id, event.path, event.seed))
            self._update_images_label()
        elif isinstance(event, QCReported):
            key = f"{event.shot_id}/live{len(self._live_qc)}"
            self._live_qc[key] = (view.qc_row(event.shot_id, "-", event.report), event.report)
            self._show_qc(self._shown_plan)
        elif isinstance(event, PlanUpdated):  # after each round: renders so far, revised prompts
            await self.show_plan(event.plan)

    @on(GenerationDone)
    async def _generation_done(self, message: GenerationDone) -> None:
        if message.run != self._gen_run:
            return
        self._cancel = None
        self.refresh_bindings()
        if not self._busy:
            self.query_one(StatusBar).hide()
        if message.plan is not None:
            await self.show_plan(message.plan)
        images = self.query_one(Gallery).count
        if message.cancelled:
            self.app.notify(f"Generation cancelled; {images} image(s) kept.", title="Images", severity="warning")
        elif message.plan is not None:
            self.app.notify(f"Generated {images} image(s).", title="Images")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one("#message", Input).focus()  # the function keys switch what is shown, not where typing goes

    def on_key(self, event: events.Key) -> None:
        """Typing anywhere goes to the message box (a click on a table or tab must not swallow the keys)."""
        box = self.query_one("#message", Input)
        if not event.is_printable or event.character is None or isinstance(self.focused, Input):
            return
        box.focus()
        box.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def idle(self, app) -> bool:
        """True when nothing runs; otherwise say what to wait for (switching sessions mid-run would mix them)."""
        if self._busy:
            app.notify("Wait for the current message to finish.", severity="warning")
            return False
        if self._cancel is not None:
            app.notify("Images are being generated: wait, or press escape to cancel.", severity="warning")
            return False
        return True

    def action_cancel(self) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.query_one(StatusBar).show("Cancelling…", progress=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self._cancel is not None
        return True

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()


class SessionsScreen(ModalScreen[str | None]):
    """Pick a saved session to open."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, sessions: list[SessionInfo]) -> None:
        super().__init__()
        self.sessions = sessions

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-box"):
            yield Label("Open a session (enter opens, escape closes)", classes="heading")
            table = DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("updated", "shots", "title", "id")
            for info in self.sessions:
                table.add_row(info.updated.replace("T", " ")[:16], str(info.shots), info.title, info.id, key=info.id)
            yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)
