"""The Slack bot under stress, over loopback: slow plans, restarts, floods, bad bodies, damaged or unwritable homes.

Same real pieces as tests/test_slack.py (its fixtures are reused): the Bolt app behind the
server `ecu slack` runs, signed requests in, the mock Web API out. Planning runs in a forked
child, so a test's monkeypatched `Session.send` reaches it, and files (not Events) gate it.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("slack_bolt")

from agent.errors import ModelError  # noqa: E402
from agent.session import Session  # noqa: E402
from tests.fakes.slack_api import TEAM_ID, post, send_event  # noqa: E402
from tests.test_slack import BRIEF, SECRET, WAIT_S, FileGate, _ack_ok, api, bot, make_bot  # noqa: E402,F401

GIL_HOG = 10**8  # one C-level loop: it never lets other threads of its process run until it ends


def _session_file(bot, thread_ts: str):
    return bot.home / "sessions" / f"slack-{TEAM_ID}-C0PLAN-{thread_ts}.json"


# -- item 1: planning never stalls an ack -------------------------------------------------------
def test_a_plan_that_holds_the_interpreter_does_not_hold_up_the_next_ack(bot, monkeypatch, tmp_path):
    started, acked, verdict = tmp_path / "started", FileGate(tmp_path / "acked"), tmp_path / "verdict"
    original = Session.send

    async def hogging_send(self, text, config=None, emit=lambda event: None):
        if "Aldgate" in text:
            started.touch()
            sum(range(GIL_HOG))  # like a quadratic regex: holds the GIL for its whole run
            # The test marks the second ack as soon as it has it; was it there before this plan ended?
            verdict.write_text("acked during the plan" if acked.path.exists() else "acked only after the plan")
        return await original(self, text, config, emit)

    monkeypatch.setattr(Session, "send", hogging_send)
    first, reply = bot.mention(BRIEF, "EvS001")
    _ack_ok(reply)
    assert FileGate(started).wait(WAIT_S), "planning never started"
    _, second = bot.mention("", "EvS002")  # any event: its ack must not wait for the plan above
    assert second.status == 200
    acked.set()
    bot.plan_update(first["ts"])
    assert verdict.read_text() == "acked during the plan"


def test_a_plan_past_the_time_limit_is_stopped_and_the_thread_told(bot, monkeypatch):
    async def endless_send(self, text, config=None, emit=lambda event: None):
        time.sleep(600)

    monkeypatch.setattr(Session, "send", endless_send)
    bot.app.planner.plan_time_limit_s = 1.0
    event, reply = bot.mention(BRIEF, "EvS010")
    _ack_ok(reply)
    update = bot.api.wait_for(lambda c: c.method == "chat.update", timeout=WAIT_S)[0]
    assert "Couldn't plan that: planning took longer than 1s and was stopped" in update.params["text"]
    assert not [p for p in multiprocessing.active_children() if p.name == "ecu-plan"]  # killed, not left behind


def test_follow_ups_get_the_brief_size_limit(bot):
    event, reply = bot.mention(BRIEF, "EvS020")
    _ack_ok(reply)
    bot.plan_update(event["ts"])
    before = _session_file(bot, event["ts"]).read_bytes()
    _, reply = bot.mention("swap " * 21_000, "EvS021", thread_ts=event["ts"])
    _ack_ok(reply)
    refused = bot.api.wait_for(lambda c: c.method == "chat.update" and "over 100 kB" in c.params["text"],
                               timeout=WAIT_S)[0]
    assert "Couldn't apply that" in refused.params["text"]
    assert _session_file(bot, event["ts"]).read_bytes() == before


# -- item 3: de-duplication survives a restart --------------------------------------------------
def test_a_retry_after_a_restart_causes_no_write(make_bot):
    first = make_bot()
    event, reply = first.mention(BRIEF, "EvS100")
    _ack_ok(reply)
    first.plan_update(event["ts"])
    _, reply = first.mention("make it 9:16", "EvS101", thread_ts=event["ts"])
    _ack_ok(reply)
    first.plan_update(event["ts"], contains="*Aspect ratio:* 9:16")
    first.server.shutdown()  # the bot restarts; Slack, which never saw the first ack, retries
    first.app.listener_runner.listener_executor.shutdown(wait=True)
    first.app.planner.close()
    session_file = _session_file(first, event["ts"])
    saved = session_file.read_bytes()

    second = make_bot()
    calls = len(second.api.calls)  # from here on: nothing posted, nothing updated
    retry = send_event(second.url, SECRET, event, "EvS100", retry_num=1)
    _ack_ok(retry)
    assert retry.headers.get("x-slack-no-retry") == "1"
    second.app.listener_runner.listener_executor.shutdown(wait=True)
    second.app.planner.close()
    assert session_file.read_bytes() == saved
    assert Session.load(session_file.stem, second.home).plan.brief.aspect_ratio == "9:16"
    assert len(second.api.calls) == calls
    assert not list((second.home / "sessions").glob("slack-handled-events*.tmp"))


def test_handled_events_are_bounded_and_expire(tmp_path):
    from slackbot.handlers import HandledEvents

    events = HandledEvents(tmp_path, max_items=3, ttl_s=3600)
    assert all(events.add(f"Ev{i}") for i in range(5))
    reloaded = HandledEvents(tmp_path, max_items=3, ttl_s=3600)
    assert "Ev4" in reloaded and "Ev0" not in reloaded and not reloaded.add("Ev4")
    stale = [["EvOld", time.time() - 7200], ["EvNew", time.time()]]
    reloaded.path.write_text(json.dumps(stale))
    expiring = HandledEvents(tmp_path, ttl_s=3600)
    assert expiring.add("EvOld") and not expiring.add("EvNew")


# -- item 9: the HTTP server --------------------------------------------------------------------
def test_fifty_simultaneous_mentions_are_all_acked(bot):
    count = 50
    barrier = threading.Barrier(count)

    def mention(i: int):
        barrier.wait()
        return bot.mention("hi", f"EvS2{i:02d}", ts=f"1700000100.{i:06d}")[1]

    with ThreadPoolExecutor(max_workers=count) as pool:  # bounded: one client thread per mention
        replies = list(pool.map(mention, range(count)))
    for reply in replies:
        _ack_ok(reply)
    bot.api.wait_for(lambda c: c.method == "chat.update" and "too short" in c.params.get("text", ""),
                     timeout=60, count=count)


def _raw_request(port: int, head: bytes, body: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head + body)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_huge_unsigned_body_is_refused_before_it_is_read(bot, caplog):
    caplog.set_level(logging.WARNING, logger="ecu.slack")
    head = (b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200000000\r\n\r\n")
    answer = _raw_request(bot.server.server_port, head)  # the 200 MB never follow: reading would hang
    assert answer.startswith(b"HTTP/1.0 413") or answer.startswith(b"HTTP/1.1 413")
    assert [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()] == [
        "rejected POST /slack/events from 127.0.0.1: 413 (body of 200000000 bytes)"]


@pytest.mark.parametrize("body", [b"{not json", b"payload=%7B%22type", b"\xff\xfe\x00garbage", b""])
def test_unsigned_malformed_bodies_get_401_and_one_log_line(bot, caplog, capfd, body):
    caplog.set_level(logging.DEBUG)
    reply = post(bot.url, body, {"Content-Type": "application/json"})
    assert reply.status == 401
    rejected = [r for r in caplog.records if "rejected" in r.getMessage()]
    assert len(rejected) == 1 and "invalid signature" in rejected[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
    assert "Traceback" not in capfd.readouterr().err


# -- items 10 and 11: unwritable and damaged homes ----------------------------------------------
def test_an_unwritable_home_still_posts_the_plan_and_says_so(make_bot, tmp_path):
    home = tmp_path / "ecu-home-is-a-file"
    home.write_text("not a folder")
    bot = make_bot(home=home)
    event, reply = bot.mention(BRIEF, "EvS300")
    _ack_ok(reply)
    update = bot.plan_update(event["ts"])[0]
    text = update.text_everywhere()
    assert "Aldgate Weekender" in text
    assert "Not saved: could not save the session in" in text and str(home) in text
    assert home.read_text() == "not a folder"


def test_a_damaged_thread_session_is_set_aside_and_the_thread_told(bot):
    event, reply = bot.mention(BRIEF, "EvS400")
    _ack_ok(reply)
    bot.plan_update(event["ts"])
    path = _session_file(bot, event["ts"])
    path.write_text('{"id": "half a sess')
    _, reply = bot.mention(BRIEF, "EvS401", thread_ts=event["ts"])
    _ack_ok(reply)
    told = bot.api.wait_for(lambda c: c.method == "chat.postMessage" and "damaged" in c.params.get("text", ""),
                            timeout=WAIT_S)[0]
    assert f"`{path.name}.bad`" in told.params["text"] and told.params["thread_ts"] == event["ts"]
    bot.plan_update(event["ts"], count=2)
    assert (path.parent / (path.name + ".bad")).read_text() == '{"id": "half a sess'
    assert Session.load(path.stem, bot.home).plan.brief.product == "Aldgate Weekender"


# -- items 2 and 12: what the thread is told ----------------------------------------------------
def test_a_lone_surrogate_is_cleaned_not_answered_with_try_again(bot):
    event, reply = bot.mention(BRIEF + " \ud83d", "EvS500")  # half an emoji, as some clients send
    _ack_ok(reply)
    update = bot.api.wait_for(lambda c: c.method == "chat.update", timeout=WAIT_S)[0]
    assert "try again" not in update.text_everywhere().lower()
    assert "Aldgate Weekender" in update.text_everywhere()
    assert "\ud83d" not in Session.load(_session_file(bot, event["ts"]).stem, bot.home).brief


def test_provider_errors_reach_the_thread_redacted(bot, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-0123456789abcdef")

    async def leaky(self, text, config=None, emit=lambda event: None):
        raise ModelError("model openai/x at http://me:hunter22secret@llm.test/v1?api-key=q1w2e3r4t5 failed (401): "
                         "Incorrect API key provided: sk-live-0123456789abcdef")

    monkeypatch.setattr(Session, "send", leaky)
    _, reply = bot.mention(BRIEF, "EvS600")
    _ack_ok(reply)
    update = bot.api.wait_for(lambda c: c.method == "chat.update", timeout=WAIT_S)[0]
    text = update.text_everywhere()
    assert "Couldn't plan that" in text and "Incorrect API key" in text
    for secret in ("sk-live-0123456789abcdef", "hunter22secret", "q1w2e3r4t5"):
        assert secret not in text


def test_clean_text_drops_lone_surrogates():
    from slackbot.handlers import clean_text

    assert clean_text("bag \ud83d stitching \udc00") == "bag \ufffd stitching \ufffd"
    assert clean_text("bag \U0001f45c") == "bag \U0001f45c"  # a whole emoji stays

