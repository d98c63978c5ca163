"""What the bot does with a mention, a DM or `/ecu`: the logic behind the Bolt listeners.

- Slack retries an event it thinks was lost (`X-Slack-Retry-Num`); the same
  `event_id` is only ever handled once, also across a restart (handled ids are
  kept on disk beside the sessions), and the same message (channel + ts) only
  once even when it arrives as two events (a mention and a message).
- Planning runs in a child process with a time limit (`slackbot.worker`), on
  the bot's own small pool of threads: Bolt's pool stays free for acks.
- One `agent.session.Session` per Slack thread, its id derived from team,
  channel and thread ts, persisted under `$ECU_HOME/sessions/`. Messages in one
  thread are handled one at a time; follow-ups edit the thread's plan.
- The bot's own messages and other bots' messages are ignored.
- Anything that goes wrong reaches the thread as one short, redacted line; the
  details (and any traceback) go to the log only. A damaged thread session is
  set aside as `.bad` and the thread told; a plan that could not be saved is
  still posted, with a note saying so.

Bolt passes its listener arguments by name, so the public methods here keep
Bolt's argument names (`event`, `body`, `client`, `context`, `ack`, `respond`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.briefs import without_surrogates
from agent.config import Config
from agent.errors import EcuError
from agent.models import ShotPlan
from agent.redact import redact
from agent.session import Session, SessionStorageError
from slackbot import blocks
from slackbot.worker import send_in_child

log = logging.getLogger("ecu.slack")

# hook(plan, session) -> path of a contact sheet image to upload to the thread, or None
ContactSheetHook = Callable[[ShotPlan, Session], "str | Path | None"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)[^>]*>")
_HANDLED_SUBTYPES = {None, "thread_broadcast", "file_share"}
HELP_WORDS = {"help", "-h", "--help", "?"}
PLAN_WORKERS = 4  # plans at once (each in its own child process); more messages wait their turn


# -- small pure helpers --------------------------------------------------------------------------
@dataclass(frozen=True)
class ThreadRef:
    team: str
    channel: str
    thread_ts: str


def session_id(ref: ThreadRef) -> str:
    """A Session id for a Slack thread: `slack-<team>-<channel>-<thread ts>`, sanitised, at most 80 chars."""
    raw = f"slack-{ref.team or 'T'}-{ref.channel}-{ref.thread_ts}"
    safe = _UNSAFE.sub("_", raw).strip("._-") or "slack"
    if len(safe) > 80 or safe != raw:
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]
        safe = f"{safe[:69]}-{digest}"
    return safe


def clean_text(text: str) -> str:
    """Slack message text as plain text: mentions dropped, links and channels readable, entities decoded."""
    text = _MENTION.sub(" ", text or "")
    text = _SPECIAL.sub(" ", text)
    text = _CHANNEL_LINK.sub(lambda m: "#" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = without_surrogates(text)  # a broken emoji from a client: it cannot be saved, and retrying won't help
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def is_from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


class SeenSet:
    """A bounded, thread-safe memory of recent keys (event ids, message ts) with a time to live."""

    def __init__(self, max_items: int = 10_000, ttl_s: float = 3600.0) -> None:
        self._items: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self.max_items = max_items
        self.ttl_s = ttl_s

    clock = staticmethod(time.monotonic)  # how old an entry is; a memory that outlives the process uses wall time

    def add(self, key: str) -> bool:
        """Remember `key`; True when it is new, False when it was already seen."""
        now = self.clock()
        with self._lock:
            while self._items:
                oldest, at = next(iter(self._items.items()))
                if now - at <= self.ttl_s and len(self._items) < self.max_items:
                    break
                self._items.pop(oldest)
            if key in self._items:
                return False
            self._items[key] = now
            self._remembered()
            return True

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._items

    def _remembered(self) -> None:
        """Called under the lock after a new key is added (a subclass keeps it somewhere)."""


class HandledEvents(SeenSet):
    """Event ids already handled, kept on disk so that Slack's retries are recognised after a restart too.

    Bounded (the oldest go first) and with an expiry (Slack retries for minutes, not days); the file
    sits beside the sessions, is rewritten atomically on every new id, and is not a `*.json` (that
    pattern is for sessions). When it cannot be written the ids are still kept in memory.
    """

    FILE_NAME = "slack-handled-events.txt"

    def __init__(self, home: Path, max_items: int = 2_000, ttl_s: float = 24 * 3600.0,
                 logger: logging.Logger | None = None) -> None:
        super().__init__(max_items, ttl_s)
        self.path = Session.folder(home) / self.FILE_NAME
        self.log = logger or log
        self._warned = False
        self._items.update(self._read())

    def _read(self) -> list[tuple[str, float]]:
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
            items = [(str(key), float(at)) for key, at in entries]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError) as err:
            self.log.warning("the handled-events file %s cannot be read (%s); starting with none", self.path,
                             type(err).__name__)
            return []
        return sorted(items, key=lambda item: item[1])

    clock = staticmethod(time.time)  # wall-clock time: it has to mean the same after a restart

    def _remembered(self) -> None:
        self._write()

    def _write(self) -> None:
        from agent.outputs import atomic_write_text

        try:
            atomic_write_text(self.path, json.dumps(list(self._items.items())))
        except OSError as err:
            if not self._warned:
                self._warned = True
                self.log.warning("cannot keep handled event ids in %s (%s); a restart may answer a retry again",
                                 self.path, err.strerror or err)


# -- the bot -------------------------------------------------------------------------------------
class SlackPlanner:
    """Plans briefs arriving from Slack and posts the plans back into their threads."""

    def __init__(self, config: Config, contact_sheet: ContactSheetHook | None = None,
                 logger: logging.Logger | None = None) -> None:
        self.config = config
        self.contact_sheet = contact_sheet
        self.log = logger or log
        self.seen_events = HandledEvents(config.home, logger=self.log)
        self.seen_messages = SeenSet()
        self._locks = [threading.Lock() for _ in range(64)]
        self.plan_time_limit_s: float | None = None  # None: the agent's own time limit plus a margin
        self.workers = ThreadPoolExecutor(max_workers=PLAN_WORKERS, thread_name_prefix="ecu-plan")

    # -- wiring into Bolt ----------------------------------------------------------------------
    def register(self, app) -> None:
        """Attach the middleware and listeners to a Bolt `App`."""
        app.middleware(self.dedupe_middleware)
        app.event("app_mention")(ack=self.ack_event, lazy=[self.plan_from_mention])
        app.event("message")(ack=self.ack_event, lazy=[self.plan_from_message])
        app.command("/ecu")(ack=self.ack_command, lazy=[self.plan_from_command])
        app.error(self.on_error)

    def dedupe_middleware(self, body: dict, request, next):  # noqa: A002 (Bolt passes `next` by name)
        """Ack and drop an Events API delivery whose event_id was already handled (Slack's retries)."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not self.seen_events.add(str(event_id)):
            from slack_bolt import BoltResponse

            retry = (request.headers.get("x-slack-retry-num") or ["-"])[0]
            self.log.info("ignoring a repeated delivery of event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return next()

    @staticmethod
    def ack_event(ack) -> None:
        ack()

    def on_error(self, error: Exception, body: dict) -> None:
        self.log.error("unhandled error in a Slack listener: %s", error, exc_info=error)

    def close(self, wait: bool = True) -> None:
        """Stop taking work; with `wait`, let the plans under way finish first."""
        self.workers.shutdown(wait=wait)

    def _in_background(self, function: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Run `function` on the planner's pool, logging (never raising) what goes wrong."""
        def run() -> None:
            try:
                function(*args, **kwargs)
            except Exception as err:
                self.log.error("unhandled error while planning: %s", err, exc_info=err)

        self.workers.submit(run)

    # -- events --------------------------------------------------------------------------------
    def plan_from_mention(self, event: dict, body: dict, client, context) -> None:
        if is_from_a_bot(event):
            return
        self._converse_on_event(event, body, client, context)

    def plan_from_message(self, event: dict, body: dict, client, context) -> None:
        """A DM is a brief or a follow-up; a thread reply elsewhere is a follow-up when the thread has a plan."""
        if is_from_a_bot(event) or event.get("subtype") not in _HANDLED_SUBTYPES:
            return
        if event.get("channel_type") == "im":
            self._converse_on_event(event, body, client, context)
            return
        bot_user = context.get("bot_user_id")
        thread_ts = event.get("thread_ts")
        if not thread_ts or (bot_user and f"<@{bot_user}" in (event.get("text") or "")):
            return  # not in a thread, or a mention: the app_mention event covers it
        ref = ThreadRef(team=self._team(body, event), channel=event.get("channel", ""), thread_ts=thread_ts)
        if Session(id=session_id(ref)).path(self.config.home).exists():
            self._converse_on_event(event, body, client, context)

    def _converse_on_event(self, event: dict, body: dict, client, context) -> None:
        channel = event.get("channel")
        ts = event.get("ts")
        if not channel or not ts:
            return
        if not self.seen_messages.add(f"{channel}:{ts}"):
            return  # the same message, delivered as both a mention and a message
        ref = ThreadRef(team=self._team(body, event), channel=channel, thread_ts=event.get("thread_ts") or ts)
        self._in_background(self.converse, client, ref, clean_text(event.get("text") or ""), user=event.get("user"))

    @staticmethod
    def _team(body: dict, event: dict) -> str:
        # The envelope's team (the workspace the app is installed in) first: in a shared channel the
        # event's own `team` is the poster's, and a thread must keep one session whoever replies.
        return str(body.get("team_id") or event.get("team") or (body.get("team") or {}).get("id") or "T")

    # -- the slash command ---------------------------------------------------------------------
    def ack_command(self, ack, command: dict) -> None:
        text = clean_text(command.get("text") or "")
        if not text or text.lower() in HELP_WORDS:
            ack(text=blocks.USAGE)
        else:
            ack()

    def plan_from_command(self, command: dict, client, respond) -> None:
        text = clean_text(command.get("text") or "")
        if not text or text.lower() in HELP_WORDS:
            return
        channel = command.get("channel_id", "")
        user = command.get("user_id")
        opening = f"<@{user}> asked for an ECU shot plan. Planning…" if user else "Planning…"
        try:
            root = client.chat_postMessage(channel=channel, text=opening)
        except Exception as err:  # not in the channel, archived, rate limits exhausted...
            self.log.warning("cannot post in %s for /ecu: %s", channel, _slack_error(err))
            self._safe(respond, text=f"I can't post in this channel ({_slack_error(err)}). "
                                      "Invite me to it, or send me the brief as a direct message.",
                       response_type="ephemeral")
            return
        ref = ThreadRef(team=str(command.get("team_id") or "T"), channel=channel, thread_ts=root["ts"])
        self._in_background(self.converse, client, ref, text, user=user, placeholder_ts=root["ts"])

    # -- the conversation ----------------------------------------------------------------------
    def converse(self, client, ref: ThreadRef, text: str, user: str | None = None,
                 placeholder_ts: str | None = None) -> None:
        """Plan (first message in a thread) or revise (later ones), then post the result in the thread."""
        if not text:
            self._post(client, ref, blocks.status_message(blocks.USAGE))
            return
        sid = session_id(ref)
        with self._locks[int(hashlib.sha1(sid.encode()).hexdigest(), 16) % len(self._locks)]:
            session = self._load(client, ref, sid)
            first = session.plan is None
            before = session.plan.model_dump() if session.plan is not None else None
            if placeholder_ts is None:
                wait = "Planning…" if first else "Updating the plan…"
                placeholder_ts = self._post(client, ref, blocks.status_message(wait + " :hourglass_flowing_sand:"))
            outcome = None
            try:
                outcome = send_in_child(session, text, self.config, self.plan_time_limit_s)
                if outcome.error is not None and not isinstance(outcome.error, SessionStorageError):
                    raise outcome.error
            except EcuError as err:
                self.log.info("thread %s: %s", sid, redact(str(err)))
                what = "plan that" if first else "apply that"
                if getattr(err, "plan", None) is not None:  # a stopped run still has its best valid plan: show it
                    note = f":warning: Couldn't {what} completely: {redact(str(err))}. The best plan so far:"
                    self._show(client, ref, placeholder_ts, blocks.plan_message(err.plan, note=note))
                    return
                self._show_status(client, ref, placeholder_ts, f":warning: Couldn't {what}: {err}")
                return
            except Exception as err:  # a bug: the details (the child's traceback, if it was there) go to the log
                trace = outcome.trace if outcome is not None else ""
                self.log.error("thread %s: planning failed: %s%s", sid, redact(str(err)), "\n" + trace if trace else "",
                               exc_info=None if trace else err)
                self._show_status(client, ref, placeholder_ts,
                                  ":warning: Something went wrong while planning. Please try again in a moment.")
                return
            session, plan = outcome.session, outcome.session.plan
            unsaved = outcome.error  # the plan stands, but it is not on disk: follow-ups would not find it
            if unsaved is not None:
                self.log.warning("thread %s: %s", sid, unsaved)
            reply = session.messages[-1].text if session.messages else ""
            if not first and plan.model_dump() == before:
                self._show_status(client, ref, placeholder_ts, reply or "Nothing changed.")
                return
            note = None if first else reply
            if unsaved is not None:
                note = ((note + " ") if note else "") + f"⚠ Not saved: {unsaved}. Follow-ups here won't see this plan."
            self._show(client, ref, placeholder_ts, blocks.plan_message(plan, note=note))
            for message in blocks.prompt_messages(plan):
                self._post(client, ref, message)
            self._upload_contact_sheet(client, ref, plan, session)

    def _load(self, client, ref: ThreadRef, sid: str) -> Session:
        """The thread's saved session, or a new one; a damaged file is set aside and the thread told."""
        home = self.config.home
        if not Session(id=sid).path(home).exists():
            return Session(id=sid)
        try:
            return Session.load(sid, home)
        except EcuError as err:
            self.log.warning("session %s cannot be resumed (%s)", sid, err)
        try:
            aside = Session.set_aside(sid, home)
            note = (f":warning: This thread's saved plan was damaged, so I kept it aside as `{aside.name}` "
                    "and started afresh.")
        except OSError as err:
            note = (f":warning: This thread's saved plan is damaged and could not be set aside "
                    f"({err.strerror or err}); starting afresh.")
        self._post(client, ref, blocks.status_message(note))
        return Session(id=sid)

    def _upload_contact_sheet(self, client, ref: ThreadRef, plan: ShotPlan, session: Session) -> None:
        if self.contact_sheet is None:
            return
        try:
            path = self.contact_sheet(plan, session)
            if not path:
                return
            path = Path(path)
            client.files_upload_v2(channel=ref.channel, thread_ts=ref.thread_ts, file=str(path),
                                   filename=path.name, title=f"Contact sheet: {plan.brief.product}",
                                   initial_comment="Contact sheet of the generated images.")
        except EcuError as err:
            self._post(client, ref, blocks.status_message(f":warning: No contact sheet: {err}"))
        except Exception as err:
            self.log.warning("contact sheet upload failed: %s", _slack_error(err), exc_info=True)
            self._post(client, ref, blocks.status_message(":warning: The contact sheet could not be uploaded."))

    # -- Slack calls that never raise ----------------------------------------------------------
    def _post(self, client, ref: ThreadRef, message: dict) -> str | None:
        try:
            response = client.chat_postMessage(channel=ref.channel, thread_ts=ref.thread_ts,
                                               text=message["text"], blocks=message.get("blocks"))
            return response.get("ts")
        except Exception as err:
            self.log.warning("chat.postMessage to %s failed: %s", ref.channel, _slack_error(err))
            return None

    def _show(self, client, ref: ThreadRef, ts: str | None, message: dict) -> None:
        """Replace the placeholder `ts` with `message`; post it instead when there is no placeholder."""
        if ts is None:
            self._post(client, ref, message)
            return
        try:
            client.chat_update(channel=ref.channel, ts=ts, text=message["text"], blocks=message.get("blocks"))
        except Exception as err:
            self.log.warning("chat.update in %s failed: %s; posting instead", ref.channel, _slack_error(err))
            self._post(client, ref, message)

    def _show_status(self, client, ref: ThreadRef, ts: str | None, text: str) -> None:
        """A one-line status in place of the placeholder; redacted, since errors may quote a provider."""
        self._show(client, ref, ts, blocks.status_message(redact(text)))

    def _safe(self, function, **kwargs) -> None:
        try:
            function(**kwargs)
        except Exception as err:
            self.log.warning("%s failed: %s", getattr(function, "__name__", "call"), _slack_error(err))


def _slack_error(err: Exception) -> str:
    """A short description of a Slack API error (the `error` code), never the request or its token."""
    response = getattr(err, "response", None)
    try:
        code = response.get("error") if response is not None else None
    except Exception:
        code = None
    return str(code) if code else type(err).__name__


__all__ = ["ContactSheetHook", "HandledEvents", "SeenSet", "SlackPlanner", "ThreadRef", "clean_text", "session_id"]
