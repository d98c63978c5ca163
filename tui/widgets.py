"""Thin widgets: they draw rows and text the controller computes, and hold no business logic."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, ItemGrid, Vertical, VerticalScroll
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Markdown, ProgressBar, Static

from tui.controller import QC_COLUMNS, Thumb


# -- the conversation ----------------------------------------------------------------------------
class UserMessage(Static):
    """What the user typed."""


class AssistantMessage(Markdown):
    """A reply from the planner, as Markdown (streamed while a model writes it)."""


class ToolLine(Static):
    """One compact line per tool call: mark, name, summary."""


class Hint(Static):
    """Help shown in an empty conversation; it goes when the first message arrives."""


HINT = ("Paste or type a brief: the product, who it is for, the channels, and what the pictures must prove. "
        "Press Enter and the shot plan appears on the right.\n\n"
        "Then ask for changes in plain words: make it vertical 9:16 for stories · drop shot 3 · "
        "more about durability · only 2 ECUs · undo.")


def _as_written(text: str) -> str:
    """A brief as its author laid it out: bullets and line breaks kept, runs of blank lines made one."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


class Conversation(VerticalScroll):
    """The chat transcript: user messages, assistant replies, tool calls."""

    can_focus = False

    def on_mount(self) -> None:
        self.anchor()
        self._stream = None
        self._streaming: AssistantMessage | None = None

    async def add_user(self, text: str) -> None:
        await self.query(Hint).remove()
        await self.mount(UserMessage(escape(_as_written(text)), markup=True))
        self.scroll_end(animate=False, immediate=True)

    async def add_assistant(self, markdown: str) -> AssistantMessage:
        await self.end_stream()
        message = AssistantMessage(markdown)
        await self.mount(message)
        self.scroll_end(animate=False, immediate=True)
        return message

    async def add_tool(self, line: str) -> None:
        await self.mount(ToolLine(line, markup=False))
        self.scroll_end(animate=False, immediate=True)

    async def add_note(self, text: str) -> None:
        await self.mount(ToolLine(text, markup=False, classes="note"))
        self.scroll_end(animate=False, immediate=True)

    async def stream(self, fragment: str) -> None:
        """Append text from the model to the reply being written."""
        if self._streaming is None:
            self._streaming = AssistantMessage("", classes="streaming")
            await self.mount(self._streaming)
            self._stream = Markdown.get_stream(self._streaming)
        await self._stream.write(fragment)
        self.scroll_end(animate=False, immediate=True)

    async def end_stream(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
        self._stream, self._streaming = None, None

    async def reset(self, items: Iterable[tuple[str, str]] = ()) -> None:
        await self.end_stream()
        await self.remove_children()
        items = list(items)
        if not items:
            await self.mount(Hint(HINT, markup=False))
        for role, text in items:
            if role == "user":
                await self.mount(UserMessage(escape(_as_written(text)), markup=True))
            else:
                await self.mount(AssistantMessage(text))
        self.scroll_end(animate=False, immediate=True)


class PromptInput(Input):
    """The message box. A pasted multi-line brief is kept whole, not cut at the first line: the box shows it on
    one line, and `as_written` gives it back with its line breaks and bullets when it is sent."""

    def __init__(self, hint: Callable[[int | None], str], **kwargs) -> None:
        super().__init__(placeholder=hint(None), **kwargs)
        self._hint = hint  # the longest hint that fits a width, or the full one for None
        self._pasted: list[tuple[str, str]] = []  # (as shown on one line, as written)

    def on_resize(self) -> None:
        self.refit()  # the box's own size event: its width is final here, with no wait for a later refresh

    def refit(self) -> None:
        """Show the hint that fits the box (a cut-off hint reads as a typo); the cursor takes a cell."""
        width = self.content_region.width - 1
        self.placeholder = self._hint(width if width > 0 else None)

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            text = " ".join(event.text.split())
            if text != event.text.strip():
                self._pasted.append((text, event.text.strip()))
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()
        event.prevent_default()  # not Input's own paste handler, which keeps only the first line

    def as_written(self, value: str) -> str:
        """`value` with each paste that is still there as typed put back with its own line breaks."""
        for shown, written in self._pasted:
            value = value.replace(shown, written, 1)
        self._pasted.clear()
        return value


class StatusBar(Horizontal):
    """What is running now: a label and, during generation, a progress bar."""

    def compose(self) -> ComposeResult:
        yield Label("", id="status-label")
        yield ProgressBar(total=None, show_eta=False, id="status-progress")

    def show(self, text: str, *, progress: bool = False) -> None:
        self.query_one("#status-label", Label).update(text)
        self.query_one(ProgressBar).display = progress
        self.display = True

    def progress(self, stage: str, done: int, total: int) -> None:
        self.query_one("#status-label", Label).update(f"{stage} {done}/{total}")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        self.display = True

    def hide(self) -> None:
        self.display = False
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)


# -- tables --------------------------------------------------------------------------------------
class RowsTable(DataTable):
    """A row-cursor table refreshed in place; the highlighted row (by key) survives a refresh."""

    COLUMNS: Sequence[str] = ()

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        self.add_columns(*self.COLUMNS)

    def show(self, rows: Sequence[Sequence[str]], keys: Sequence[str] | None = None) -> None:
        current = None
        if self.row_count and 0 <= self.cursor_row < self.row_count:
            current = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        self.clear()
        keys = list(keys) if keys is not None else [str(index) for index in range(len(rows))]
        for key, row in zip(keys, rows):
            self.add_row(*row, key=key)
        if current in keys:
            self.move_cursor(row=keys.index(current), animate=False)

    def highlighted_key(self) -> str | None:
        if not self.row_count or not 0 <= self.cursor_row < self.row_count:
            return None
        return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value


class PlanTable(RowsTable):
    COLUMNS = ("id", "scale", "for", "aspect", "source", "detail", "category", "placement")


class Lines(Static):
    """A heading over plain lines (escaped); hidden when there are none."""

    def show(self, heading: str, lines: Sequence[str]) -> None:
        self.display = bool(lines)
        self.update(f"[b]{escape(heading)}[/b]\n" + "\n".join(escape(line) for line in lines) if lines else "")


class FlagsTable(RowsTable):
    COLUMNS = ("severity", "kind", "shots", "message", "fix")


class MatrixTable(RowsTable):
    COLUMNS = ("detail", "material", "colorway", "angle", "theme")


class QCTable(RowsTable):
    COLUMNS = QC_COLUMNS


class Sections(Static):
    """Headed paragraphs: (heading, body) pairs, body text escaped."""

    def show(self, sections: Sequence[tuple[str, str]], empty: str = "") -> None:
        if not sections:
            self.update(escape(empty))
            return
        parts = [f"[b]{escape(heading)}[/b]\n{escape(body)}" for heading, body in sections]
        self.update("\n\n".join(parts))


class KeyValues(Static):
    """name: value lines, names bold."""

    def show(self, pairs: Sequence[tuple[str, str]], empty: str = "") -> None:
        if not pairs:
            self.update(escape(empty))
            return
        self.update("\n".join(f"[b]{escape(name)}[/b] {escape(value)}" for name, value in pairs))


# -- images --------------------------------------------------------------------------------------


def pick_image_widget(kind: str | None = None) -> type[Widget]:
    """The textual-image widget class to draw thumbnails with.

    `auto` uses a graphics protocol (Sixel, Kitty TGP) when the terminal has one and half-cell blocks
    otherwise. Call it before the app starts: textual-image asks the terminal on import.
    `kind` (the tui_images setting, ECU_TUI_IMAGES) halfcell|unicode|sixel|tgp forces one.
    """
    kind = (kind or "auto").lower()
    from textual_image import widget as images

    chosen = {"halfcell": images.HalfcellImage, "unicode": images.UnicodeImage,
              "sixel": images.SixelImage, "tgp": images.TGPImage}.get(kind)
    if chosen is not None:
        return chosen
    auto = images.Image
    if auto is images.SixelImage or getattr(auto, "_Renderable", None) is getattr(images.TGPImage, "_Renderable", 0):
        return auto
    return images.HalfcellImage


class Thumbnail(Vertical):
    """One image and its caption."""

    def __init__(self, thumb: Thumb, image_widget: type[Widget]) -> None:
        super().__init__(classes="thumb")
        self.thumb = thumb
        self.image_widget = image_widget

    def compose(self) -> ComposeResult:
        try:
            yield self.image_widget(self.thumb.path, classes="thumb-image")
        except Exception:  # a missing or damaged file: say so, do not crash the gallery
            yield Static("(image unavailable)", classes="thumb-image missing")
        yield Label(self.thumb.caption, classes="thumb-caption")


class Gallery(VerticalScroll):
    """Thumbnails of the latest render per shot, in a grid that reflows with the width."""

    def __init__(self, image_widget: type[Widget], **kwargs) -> None:
        super().__init__(**kwargs)
        self.image_widget = image_widget
        self._shown: dict[str, Thumb] = {}

    def compose(self) -> ComposeResult:
        yield Static("No images yet. Press ctrl+g to generate.", id="gallery-empty")
        yield ItemGrid(id="gallery-grid", min_column_width=20)

    async def add(self, thumb: Thumb) -> None:
        """Show (or replace) the thumbnail of one shot."""
        grid = self.query_one("#gallery-grid", ItemGrid)
        self.query_one("#gallery-empty").display = False
        old = self._shown.get(thumb.shot_id)
        if old == thumb:
            return
        self._shown[thumb.shot_id] = thumb
        if old is not None:
            for child in list(grid.children):
                if isinstance(child, Thumbnail) and child.thumb.shot_id == thumb.shot_id:
                    await child.remove()
        await grid.mount(Thumbnail(thumb, self.image_widget))

    async def show(self, thumbs: Sequence[Thumb]) -> None:
        if [self._shown.get(t.shot_id) for t in thumbs] == list(thumbs) and len(thumbs) == len(self._shown):
            return
        grid = self.query_one("#gallery-grid", ItemGrid)
        await grid.remove_children()
        self._shown = {}
        self.query_one("#gallery-empty").display = not thumbs
        for thumb in thumbs:
            self._shown[thumb.shot_id] = thumb
        await grid.mount_all([Thumbnail(thumb, self.image_widget) for thumb in thumbs])

    @property
    def count(self) -> int:
        return len(self._shown)
