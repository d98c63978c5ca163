"""The Slack bot end to end over loopback: signed requests into the running Bolt app, a mock Web API out.

The app is the real one (`slackbot.app.build_app`) behind the same threaded WSGI
server `ecu slack` uses; the Web API is `tests/fakes/slack_api.py`, reached by
the real slack_sdk WebClient.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

pytest.importorskip("slack_bolt")

from agent.config import Config  # noqa: E402
from agent.session import Session  # noqa: E402
from slackbot.app import SlackSettings, build_app, start_http_in_thread  # noqa: E402
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, MockSlackAPI, post, send_command, send_event, sign  # noqa: E402

SECRET = "test-signing-secret-0123456789"
TOKEN = "xoxb-test-0000-bot-token"
BRIEF = ("Launch campaign for the Aldgate Weekender, a full-grain leather bag saddle stitched by hand with solid "
         "brass hardware. We want a wide hero shot on a hotel luggage rack, then extreme close-ups of the saddle "
         "stitching on the handle and the engraved brass zip pull for an Instagram carousel. Show durability.")
ACK_LIMIT_S = 3.0
WAIT_S = 15.0


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api():
    server = MockSlackAPI(token=TOKEN).start()
    yield server
    server.stop()


class Bot:
    def __init__(self, app, server, api: MockSlackAPI, home) -> None:
        self.app, self.server, self.api, self.home = app, server, api, home
        self.url = f"http://127.0.0.1:{server.server_port}/slack/events"
        self._ts = 0

    def next_ts(self) -> str:
        self._ts += 1
        return f"1700000000.{self._ts:06d}"

    def mention(self, text: str, event_id: str, *, channel: str = "C0PLAN", ts: str | None = None,
                thread_ts: str | None = None, **kwargs):
        event = {"type": "app_mention", "user": "U0HUMAN", "text": f"<@{BOT_USER_ID}> {text}",
                 "ts": ts or self.next_ts(), "channel": channel, "team": TEAM_ID, "event_ts": "1700000000.1"}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event, send_event(self.url, SECRET, event, event_id, **kwargs)

    def message(self, event: dict, event_id: str, **kwargs):
        event = {"type": "message", "ts": self.next_ts(), "team": TEAM_ID, **event}
        return event, send_event(self.url, SECRET, event, event_id, **kwargs)

    def plan_update(self, thread_ts: str, contains: str = "ECU shot plan", count: int = 1):
        """Wait for a message in `thread_ts` (or its root) to be updated with text containing `contains`."""
        def match(call) -> bool:
            if call.method != "chat.update" or contains not in call.text_everywhere():
                return False
            return call.params.get("ts") == thread_ts or call.params.get("ts") in {
                c.ts for c in self.posts_in(thread_ts)}
        return self.api.wait_for(match, timeout=WAIT_S, count=count)

    def posts_in(self, thread_ts: str):
        return [c for c in self.api.calls_to("chat.postMessage")
                if c.params.get("thread_ts") == thread_ts and c.status == 200]


@pytest.fixture
def make_bot(api, tmp_path, monkeypatch):
    monkeypatch.setenv("ECU_HOME", str(tmp_path))
    for name in ("ECU_MODEL", "ECU_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    api.reset()
    started = []

    def make(contact_sheet=None, home=None) -> Bot:
        settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, api_url=api.url)
        app = build_app(settings, Config(home=home or tmp_path), contact_sheet=contact_sheet)
        server = start_http_in_thread(app)
        started.append((app, server))
        return Bot(app, server, api, home or tmp_path)

    yield make
    for app, server in started:
        server.shutdown()
        server.server_close()
        # let background planning finish before the next test resets the mock
        app.listener_runner.listener_executor.shutdown(wait=True)
        app.planner.close(wait=True)


@pytest.fixture
def bot(make_bot) -> Bot:
    return make_bot()


class FileGate:
    """A gate that works across processes: `set` creates the file, `wait` polls for it."""

    def __init__(self, path) -> None:
        self.path = path

    def set(self) -> None:
        self.path.touch()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.path.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


def _ack_ok(reply) -> None:
    assert reply.status == 200, reply.body
    assert reply.seconds < ACK_LIMIT_S, f"ack took {reply.seconds:.2f}s"


def _placeholder(api: MockSlackAPI, thread_ts: str, words: str = "Planning"):
    return api.wait_for(lambda c: c.method == "chat.postMessage" and c.params.get("thread_ts") == thread_ts
                        and words in c.params.get("text", ""), timeout=WAIT_S)[0]


# -- the tests -----------------------------------------------------------------------------------
def test_mention_acks_fast_then_posts_the_plan_in_the_thread(bot, monkeypatch, tmp_path):
    gate = FileGate(tmp_path / "gate")  # planning runs in a child process: a file reaches it, an Event would not
    original = Session.send

    async def slow_send(self, text, config=None, emit=lambda event: None):
        await asyncio.to_thread(gate.wait, WAIT_S)  # planning is held until the test has its ack
        return await original(self, text, config, emit)

    monkeypatch.setattr(Session, "send", slow_send)
    event, reply = bot.mention(BRIEF, "Ev0001")
    _ack_ok(reply)
    placeholder = _placeholder(bot.api, event["ts"])
    assert placeholder.authorized
    assert not bot.api.calls_to("chat.update"), "the plan was posted before planning was released"
    gate.set()

    update = bot.api.wait_for(lambda c: c.method == "chat.update" and c.params.get("ts") == placeholder.ts,
                              timeout=WAIT_S)[0]
    text = update.text_everywhere()
    assert update.params["channel"] == "C0PLAN"
    assert "Aldgate Weekender" in text and "saddle stitching" in text
    assert "Extreme close-up (ECU)" in text and "craftsmanship" in text and "Wide" in text
    assert len(update.params["blocks"]) <= 50

    prompts = bot.api.wait_for(lambda c: c.method == "chat.postMessage" and "Image prompts" in c.params.get("text", ""),
                               timeout=WAIT_S)[0]
    assert prompts.params["thread_ts"] == event["ts"]
    assert "Extreme close up shot of" in prompts.text_everywhere()
    sessions = list((bot.home / "sessions").glob("*.json"))
    assert [p.name for p in sessions] == [f"slack-{TEAM_ID}-C0PLAN-{event['ts']}.json"]


def test_slack_retries_of_an_event_are_ignored(bot):
    event, reply = bot.mention(BRIEF, "Ev0100")
    _ack_ok(reply)
    retry = send_event(bot.url, SECRET, event, "Ev0100", retry_num=1)
    _ack_ok(retry)
    assert retry.headers.get("x-slack-no-retry") == "1"
    # the same message as a second event (another id) is not planned twice either
    again = send_event(bot.url, SECRET, event, "Ev0101")
    _ack_ok(again)
    bot.plan_update(event["ts"])
    time.sleep(0.3)
    placeholders = [c for c in bot.posts_in(event["ts"]) if "Planning" in c.params.get("text", "")]
    assert len(placeholders) == 1
    assert len(bot.api.calls_to("chat.update")) == 1


def test_a_retry_of_an_event_never_seen_is_handled(bot):
    # Slack retries when the first delivery failed: an unseen event_id with X-Slack-Retry-Num still counts.
    event, reply = bot.mention(BRIEF, "Ev0150", retry_num=2)
    _ack_ok(reply)
    bot.plan_update(event["ts"])


def test_bad_and_stale_signatures_are_rejected(bot):
    event = {"type": "app_mention", "user": "U0HUMAN", "text": f"<@{BOT_USER_ID}> {BRIEF}", "ts": bot.next_ts(),
             "channel": "C0PLAN"}
    bad = send_event(bot.url, SECRET, event, "Ev0200", signature="v0=" + "0" * 64)
    assert bad.status == 401
    wrong_secret = send_event(bot.url, "not-the-secret", event, "Ev0201")
    assert wrong_secret.status == 401
    stale = send_event(bot.url, SECRET, event, "Ev0202", timestamp=int(time.time()) - 6 * 60)
    assert stale.status == 401
    unsigned = post(bot.url, b'{"type":"event_callback"}', {"Content-Type": "application/json"})
    assert unsigned.status == 401
    # a rejected delivery does not burn its event id: the genuine one is still planned
    _, good = bot.mention(BRIEF, "Ev0200", ts=event["ts"])
    _ack_ok(good)
    bot.plan_update(event["ts"])
    assert all(c.method in {"auth.test", "chat.postMessage", "chat.update"} for c in bot.api.calls)


def test_url_verification_challenge(bot):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"}).encode()
    reply = post(bot.url, body, {"Content-Type": "application/json", **sign(SECRET, body)})
    assert reply.status == 200 and "c-123" in reply.body


def test_follow_ups_in_the_thread_edit_the_plan(bot):
    event, reply = bot.mention(BRIEF, "Ev0300")
    _ack_ok(reply)
    first = bot.plan_update(event["ts"])[0]
    assert "*Aspect ratio:* 4:5" in first.text_everywhere()
    assert "9:16" not in first.text_everywhere()

    follow, reply = bot.mention("make it 9:16", "Ev0301", thread_ts=event["ts"])
    _ack_ok(reply)
    _placeholder(bot.api, event["ts"], "Updating the plan")
    revised = bot.plan_update(event["ts"], contains="*Aspect ratio:* 9:16")[0]
    assert "aspect ratio set to 9:16" in revised.text_everywhere()

    # a plain thread reply (no mention) in a channel thread that has a plan continues it too
    _, reply = bot.message({"user": "U0HUMAN", "text": "drop shot 3", "channel": "C0PLAN",
                            "channel_type": "channel", "thread_ts": event["ts"]}, "Ev0302")
    _ack_ok(reply)
    dropped = bot.plan_update(event["ts"], contains="dropped")[0]
    session = Session.load(f"slack-{TEAM_ID}-C0PLAN-{event['ts']}", bot.home)
    assert f"{len(session.plan.shots)} shots" in dropped.text_everywhere()
    assert f"{len(session.plan.shots) + 1} shots" in first.text_everywhere()
    assert [m.role for m in session.messages] == ["user", "assistant"] * 3
    assert session.plan.brief.aspect_ratio == "9:16"
    # a reply in some other thread without a plan is not the bot's business
    _, reply = bot.message({"user": "U0HUMAN", "text": "lunch?", "channel": "C0PLAN", "channel_type": "channel",
                            "thread_ts": "1600000000.000001"}, "Ev0303")
    _ack_ok(reply)
    time.sleep(0.3)
    assert not bot.posts_in("1600000000.000001")


def test_direct_message_is_planned_and_bot_messages_are_ignored(bot):
    dm = {"channel": "D0DM", "channel_type": "im"}
    _, own = bot.message({**dm, "user": BOT_USER_ID, "bot_id": BOT_ID, "text": BRIEF}, "Ev0400")
    _ack_ok(own)
    _, other = bot.message({**dm, "subtype": "bot_message", "bot_id": "B0OTHER", "text": BRIEF}, "Ev0401")
    _ack_ok(other)
    _, other_bot_user = bot.message({**dm, "user": "U0OTHERBOT", "bot_id": "B0OTHER", "text": BRIEF}, "Ev0402")
    _ack_ok(other_bot_user)
    _, edited = bot.message({**dm, "subtype": "message_changed", "message": {"text": BRIEF}}, "Ev0403")
    _ack_ok(edited)
    human, reply = bot.message({**dm, "user": "U0HUMAN", "text": BRIEF}, "Ev0404")
    _ack_ok(reply)
    bot.plan_update(human["ts"])
    time.sleep(0.3)
    posts = bot.api.calls_to("chat.postMessage")
    assert {c.params.get("thread_ts") for c in posts} == {human["ts"]}
    assert len([c for c in posts if "Planning" in c.params.get("text", "")]) == 1


def test_rate_limited_post_is_retried(bot):
    bot.api.fail_next("chat.postMessage", status=429, retry_after=1)
    event, reply = bot.mention(BRIEF, "Ev0500")
    _ack_ok(reply)
    bot.plan_update(event["ts"])
    posts = bot.api.calls_to("chat.postMessage")
    assert [c.status for c in posts[:2]] == [429, 200]
    assert posts[0].params["text"] == posts[1].params["text"]
    assert posts[1].at - posts[0].at >= 1.0  # Retry-After honoured


def test_slash_command_plans_in_a_new_thread(bot):
    reply = send_command(bot.url, SECRET, BRIEF, response_url=bot.api.base + "/respond/1")
    _ack_ok(reply)
    root = bot.api.wait_for(lambda c: c.method == "chat.postMessage"
                            and "asked for an ECU shot plan" in c.params.get("text", ""), timeout=WAIT_S)[0]
    assert root.params["channel"] == "C0PLAN" and "thread_ts" not in root.params
    update = bot.api.wait_for(lambda c: c.method == "chat.update" and c.params.get("ts") == root.ts,
                              timeout=WAIT_S)[0]
    assert "Aldgate Weekender" in update.text_everywhere()
    prompts = bot.api.wait_for(lambda c: c.method == "chat.postMessage" and "Image prompts" in c.params.get("text", ""),
                               timeout=WAIT_S)[0]
    assert prompts.params["thread_ts"] == root.ts
    # follow-ups by mention in that thread continue the same session
    _, reply = bot.mention("make it 9:16", "Ev0600", thread_ts=root.ts)
    _ack_ok(reply)
    bot.plan_update(root.ts, contains="*Aspect ratio:* 9:16")


def test_slash_command_help_and_unpostable_channel(bot):
    reply = send_command(bot.url, SECRET, "help")
    _ack_ok(reply)
    assert "/ecu" in reply.body  # ack(text=...) answers with the usage, shown to the user only
    reply = send_command(bot.url, SECRET, BRIEF, channel="CNOTIN1", response_url=bot.api.base + "/respond/2")
    _ack_ok(reply)
    answer = bot.api.wait_for(lambda c: c.method == "respond", timeout=WAIT_S)[0]
    assert "can't post in this channel" in answer.params.get("text", "")
    assert "not_in_channel" in answer.params.get("text", "")
    time.sleep(0.2)
    assert not bot.api.calls_to("chat.update")


def test_contact_sheet_is_uploaded_to_the_thread(make_bot, tmp_path):
    from PIL import Image

    seen = []

    def contact_sheet(plan, session):
        path = tmp_path / "contact-sheet.png"
        Image.new("RGB", (64, 32), (200, 120, 40)).save(path)
        seen.append((plan.brief.product, session.id))
        return path

    bot = make_bot(contact_sheet=contact_sheet)
    event, reply = bot.mention(BRIEF, "Ev0700")
    _ack_ok(reply)
    bot.plan_update(event["ts"])
    complete = bot.api.wait_for(lambda c: c.method == "files.completeUploadExternal", timeout=WAIT_S)[0]
    url_call = bot.api.calls_to("files.getUploadURLExternal")[0]
    upload = bot.api.calls_to("upload")[0]
    assert url_call.params["filename"] == "contact-sheet.png"
    assert int(url_call.params["length"]) == len(upload.body)
    assert upload.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert complete.params["channel_id"] == "C0PLAN" and complete.params["thread_ts"] == event["ts"]
    assert json.loads(complete.params["files"])[0]["id"] == upload.params["file_id"]
    assert seen == [("Aldgate Weekender", f"slack-{TEAM_ID}-C0PLAN-{event['ts']}")]


def test_errors_reach_the_thread_as_one_short_line(bot, monkeypatch):
    event, reply = bot.mention("hi", "Ev0800")
    _ack_ok(reply)
    update = bot.api.wait_for(lambda c: c.method == "chat.update", timeout=WAIT_S)[0]
    assert "Couldn't plan that: the brief is too short" in update.params["text"]
    assert not (bot.home / "sessions").exists() or not list((bot.home / "sessions").glob("*.json"))

    async def broken(self, text, config=None, emit=lambda event: None):
        raise RuntimeError("internal detail that must stay in the log")

    monkeypatch.setattr(Session, "send", broken)
    event, reply = bot.mention(BRIEF, "Ev0801")
    _ack_ok(reply)
    update = bot.api.wait_for(lambda c: c.method == "chat.update" and "Something went wrong" in c.params["text"],
                              timeout=WAIT_S)[0]
    text = update.text_everywhere()
    assert "Traceback" not in text and "RuntimeError" not in text and "internal detail" not in text
    assert "\n" not in update.params["text"]


def test_an_empty_mention_gets_usage(bot):
    event, reply = bot.mention("", "Ev0900")
    _ack_ok(reply)
    usage = bot.api.wait_for(lambda c: c.method == "chat.postMessage", timeout=WAIT_S)[0]
    assert usage.params["thread_ts"] == event["ts"] and "/ecu" in usage.params["text"]


def test_a_stopped_model_run_still_shows_its_best_plan_in_the_thread(bot, monkeypatch):
    from dataclasses import replace

    from tests.fakes.llm_server import FakeLLMServer, text_reply

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    original = Session.send
    with FakeLLMServer() as model:
        model.push(*[text_reply("Let me think about it.") for _ in range(3)])  # a model that never calls a tool

        async def with_model(self, text, config=None, emit=lambda event: None):
            return await original(self, text, replace(config, model="openai/x", api_base=model.url), emit)

        monkeypatch.setattr(Session, "send", with_model)
        event, reply = bot.mention(BRIEF, "Ev1000")
        _ack_ok(reply)
        update = bot.api.wait_for(lambda c: c.method == "chat.update", timeout=WAIT_S)[0]
    text = update.text_everywhere()
    assert "Couldn't plan that completely" in text and "without calling a tool" in text
    assert "saddle stitching" in text and "Extreme close-up (ECU)" in text  # the draft, shown as the best plan
