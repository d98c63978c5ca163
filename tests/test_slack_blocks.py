"""The Slack bot's pure parts: Block Kit within Slack's limits, thread ids, text cleanup, settings, redaction."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from agent.api import Agent
from agent.config import Config
from agent.errors import ConfigError
from agent.models import Detail, Flag
from slackbot import blocks
from slackbot.handlers import SeenSet, ThreadRef, clean_text, is_from_a_bot, session_id

BRIEF = ("Launch campaign for the Aldgate Weekender, a full-grain leather bag saddle stitched by hand with solid "
         "brass hardware. Extreme close-ups of the saddle stitching and the engraved brass zip pull for an "
         "Instagram carousel. Show durability.")


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return Agent(Config(home=tmp_path_factory.mktemp("home"))).plan(BRIEF)


def _texts(block_list):
    for block in block_list:
        if "text" in block:
            yield block["text"]["text"]
        for element in block.get("elements", []):
            yield element["text"]


def _within_limits(message):
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS
    for block in message["blocks"]:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= blocks.MAX_HEADER_CHARS
    assert all(len(text) <= blocks.MAX_SECTION_CHARS for text in _texts(message["blocks"]))


def test_plan_message_shows_shots_details_categories_and_flags(plan):
    flagged = plan.model_copy(update={"flags": [Flag(kind="overuse", severity="warning", message="ECUs everywhere",
                                                     shots=["s2"], fix="open on a wide frame")]})
    message = blocks.plan_message(flagged)
    _within_limits(message)
    text = json.dumps(message, ensure_ascii=False)
    assert "Aldgate Weekender" in message["text"] and "Aldgate Weekender" in text
    for shot in plan.shots:
        assert f"*{shot.id} · " in text
        if shot.detail:
            assert shot.detail.name in text and f"`{shot.detail.category}`" in text
    assert "*overuse*" in text and "*Fix:* open on a wide frame" in text and "(shots s2)" in text
    assert "No misuse flags" in json.dumps(blocks.plan_message(plan.model_copy(update={"flags": []})))


def test_huge_plans_stay_within_50_blocks_and_3000_chars(plan):
    ecu = plan.ecu_shots()[0]
    long_detail = Detail(name="stitch " * 10, category="proof", why="x" * 5000)
    shots = [ecu.model_copy(update={"id": f"s{i}", "detail": long_detail, "note": "n" * 400}) for i in range(120)]
    flags = [Flag(kind="overuse", severity="error", message="m" * 900, shots=[f"s{i}" for i in range(50)],
                  fix="f" * 900) for _ in range(40)]
    big = plan.model_copy(update={"shots": shots, "flags": flags})
    message = blocks.plan_message(big, note="Done: " + "y" * 4000)
    _within_limits(message)
    assert "more not shown here" in json.dumps(message)
    assert any("*Fix:*" in text for text in _texts(message["blocks"]))  # flags keep room even when shots overflow


def test_prompts_are_split_into_follow_up_messages_within_limits(plan):
    long_prompt = plan.shots[0].prompt.model_copy(update={"text": ("macro texture " * 600).strip(),
                                                          "negative": "blur " * 800})
    shots = [s.model_copy(update={"id": f"s{i}", "prompt": long_prompt}) for i, s in enumerate(plan.shots * 4)]
    messages = blocks.prompt_messages(plan.model_copy(update={"shots": shots}))
    assert len(messages) > 1
    for message in messages:
        _within_limits(message)
    joined = " ".join(" ".join(_texts(m["blocks"])) for m in messages)
    assert "(1/" in joined and "macro texture" in joined
    # every word of a long prompt survives the split
    first_shot = [t for m in messages for t in _texts(m["blocks"]) if t.startswith("*s0 ·")]
    body = " ".join(t.split("```")[1] for t in first_shot)
    assert body.split() == long_prompt.text.split()


def test_user_text_is_escaped(plan):
    sneaky = plan.model_copy(update={"brief": plan.brief.model_copy(update={"product": "<!channel> & <@U1>"})})
    message = blocks.plan_message(sneaky)
    mrkdwn = [t for b in message["blocks"] if b["type"] != "header" for t in _texts([b])]
    mrkdwn += [message["text"]] + [m["text"] for m in blocks.prompt_messages(sneaky)]
    assert not any("<!channel>" in text or "<@U1>" in text for text in mrkdwn)
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in message["text"]
    assert message["blocks"][0]["text"]["text"].endswith("<!channel> & <@U1>")  # plain_text: shown literally
    assert blocks.truncate("a &amp; b", 5) == "a …"


def test_session_ids_per_thread_are_safe_and_stable():
    ref = ThreadRef(team="T0TEST", channel="C0PLAN", thread_ts="1700000000.000100")
    assert session_id(ref) == "slack-T0TEST-C0PLAN-1700000000.000100"
    odd = session_id(ThreadRef(team="E/../x", channel="C 1", thread_ts="1.2" * 60))
    assert len(odd) <= 80 and all(c.isalnum() or c in "._-" for c in odd)
    assert odd == session_id(ThreadRef(team="E/../x", channel="C 1", thread_ts="1.2" * 60))
    assert odd != session_id(ThreadRef(team="E/../y", channel="C 1", thread_ts="1.2" * 60))


def test_clean_text_and_bot_detection():
    assert clean_text("<@U0BOT> make it <https://x.io|our site> &amp; <#C1|general> &lt;3") == \
        "make it our site & #general <3"
    assert clean_text("<@U0BOT|ecu>   ") == ""
    assert is_from_a_bot({"bot_id": "B1"}) and is_from_a_bot({"subtype": "bot_message"})
    assert not is_from_a_bot({"user": "U1", "text": "hi"})


def test_seen_set_is_bounded():
    seen = SeenSet(max_items=3)
    assert seen.add("a") and not seen.add("a")
    for key in "bcd":
        seen.add(key)
    assert "a" not in seen and "d" in seen


def test_settings_name_missing_variables_but_never_values(monkeypatch):
    from slackbot.app import SlackSettings

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    with pytest.raises(ConfigError) as err:
        SlackSettings.from_env()
    assert "SLACK_SIGNING_SECRET" in str(err.value) and "xoxb-very-secret" not in str(err.value)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        SlackSettings.from_env(socket_mode=True)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-wrong-kind")
    with pytest.raises(ConfigError, match="xapp-") as err:
        SlackSettings.from_env(socket_mode=True)
    assert "xoxb-wrong-kind" not in str(err.value)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret-value")
    settings = SlackSettings.from_env()
    assert "xoxb-very-secret" not in repr(settings) and "s3cret-value" not in repr(settings)


def test_log_records_are_redacted():
    from slackbot.app import RedactTokens

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "headers %s and %s",
                               ({"Authorization": "Bearer xoxb-123-abc"}, "my-signing-secret"), None)
    RedactTokens(["my-signing-secret"]).filter(record)
    message = record.getMessage()
    assert "xoxb-123-abc" not in message and "my-signing-secret" not in message and "[redacted]" in message


def test_importing_slackbot_stays_light():
    code = ("import sys, slackbot, slackbot.blocks, slackbot.handlers, slackbot.app, cli.commands.slack; "
            "heavy = [m for m in ('slack_bolt', 'slack_sdk', 'litellm') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_plan_message_shows_deliverable_aspect_source_questions_and_dismissed():
    from agent.models import DismissedFlag
    from tests.test_contract_v2 import CAROUSEL_AND_STORIES, MAKER

    stories = Agent().plan(CAROUSEL_AND_STORIES)
    message = blocks.plan_message(stories)
    _within_limits(message)
    text = "\n".join(_texts(message["blocks"]))
    assert "*Aspect ratio:* 4:5 instagram_carousel, 9:16 instagram_story" in text
    for shot in stories.shots:
        assert f"_{shot.placement}_ · {shot.deliverable} {shot.aspect_ratio}" in text
    assert "*Questions for you*\n• Which colourway is the hero" in text

    maker = Agent().plan(MAKER)
    maker.dismissed_flags = [DismissedFlag(kind="soft_focus", reason="the haze is <the> brand look")]
    text = "\n".join(_texts(blocks.plan_message(maker)["blocks"]))
    assert ":camera_with_flash: *Photograph, not generated*: shows Maria Okafor" in text
    assert text.count("not generated") == sum(s.source != "generate" for s in maker.shots) == 1
    assert "• Has Maria Okafor agreed to appear" in text
    assert "*Dismissed:* soft_focus (the haze is &lt;the&gt; brand look)" in text  # user text is escaped


def test_many_questions_keep_the_plan_message_within_limits(plan):
    crowded = plan.model_copy(update={"questions": [f"question {n} " + "x" * 300 for n in range(20)]})
    message = blocks.plan_message(crowded)
    _within_limits(message)
    assert "question 0" in "\n".join(_texts(message["blocks"]))
