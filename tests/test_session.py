"""Sessions: follow-ups edit the plan deterministically offline, and survive a restart."""

from __future__ import annotations

import asyncio

import pytest

from agent.config import Config
from agent.errors import InputError
from agent.session import Session


@pytest.fixture
def session(leather_brief, ecu_home):
    s = Session()
    asyncio.run(s.send(leather_brief, Config(home=ecu_home)))
    return s


def say(session, text, ecu_home):
    return asyncio.run(session.send(text, Config(home=ecu_home)))


def test_vertical_for_stories(session, ecu_home):
    plan = say(session, "make it vertical 9:16 for stories", ecu_home)
    assert plan.brief.aspect_ratio == "9:16" and plan.matrix.fixed.aspect_ratio == "9:16"
    assert plan.brief.channels[0] == "short_video"
    assert plan.shots[0].placement.startswith("video beat 1")
    assert "vertical short video" in plan.shots[1].prompt.text


def test_drop_a_shot_renumbers_and_rechecks(session, ecu_home):
    before = [s.detail.name if s.detail else s.scale for s in session.plan.shots]
    plan = say(session, "drop shot 3", ecu_home)
    after = [s.detail.name if s.detail else s.scale for s in plan.shots]
    assert after == before[:2] + before[3:]
    assert [s.id for s in plan.shots] == [f"s{i}" for i in range(1, len(after) + 1)]
    assert session.messages[-1].text == "Done: dropped s3."


def test_dropping_every_orienting_frame_is_flagged(session, ecu_home):
    orienting = [s.id for s in session.plan.shots if s.scale != "extreme_close_up"]
    for shot_id in reversed(orienting):
        say(session, f"drop shot {shot_id[1:]}", ecu_home)
    assert {s.scale for s in session.plan.shots} == {"extreme_close_up"}
    assert "overuse" in session.plan.flag_kinds()


def test_emphasis_swap_add_tighten_and_count(session, ecu_home):
    plan = say(session, "more about durability", ecu_home)
    assert plan.brief.goals[0] == "durability" and "selling durability" in plan.ecu_shots()[0].prompt.text
    plan = say(session, "swap the stitching for the brass rivets", ecu_home)
    assert any(s.detail.name == "brass rivets" for s in plan.ecu_shots())
    plan = say(session, "add an ECU of the edge paint", ecu_home)
    assert plan.shots[-1].detail.name == "edge paint"
    plan = say(session, "tighten shot 2", ecu_home)
    assert "tighter crop" in plan.shots[1].prompt.text and plan.shots[1].note
    plan = say(session, "only 2 ECUs", ecu_home)
    assert len(plan.ecu_shots()) == 2 and plan.brief.aspect_ratio == "4:5"


def test_unknown_follow_up_leaves_the_plan_alone(session, ecu_home):
    before = session.plan
    plan = say(session, "what do you think?", ecu_home)
    assert plan == before and "did not understand" in session.messages[-1].text


def test_sessions_persist_atomically_and_resume(session, ecu_home):
    say(session, "make it square 1:1", ecu_home)
    folder = ecu_home / "sessions"
    assert [p.name for p in folder.iterdir()] == [f"{session.id}.json"]
    resumed = Session.load(session.id, ecu_home)
    assert resumed.plan.brief.aspect_ratio == "1:1" and len(resumed.messages) == 4
    (info,) = Session.list_all(ecu_home)
    assert info.id == session.id and info.title.startswith("Harlow Weekender")
    plan = asyncio.run(resumed.send("drop shot 2", Config(home=ecu_home)))
    assert plan.brief.aspect_ratio == "1:1"  # settings survive the restart


def test_bad_session_ids_and_damaged_files(ecu_home):
    with pytest.raises(InputError, match="not a session id"):
        Session.load("../etc/passwd", ecu_home)
    with pytest.raises(InputError, match="no session"):
        Session.load("missing", ecu_home)
    (ecu_home / "sessions").mkdir(parents=True)
    (ecu_home / "sessions" / "broken.json").write_text("{not json")
    with pytest.raises(InputError, match="damaged"):
        Session.load("broken", ecu_home)
    assert Session.list_all(ecu_home) == []


def test_empty_message_is_refused(ecu_home):
    with pytest.raises(InputError, match="empty"):
        asyncio.run(Session().send("   ", Config(home=ecu_home)))


def test_emphasis_keeps_a_dropped_shot_dropped(session, ecu_home):
    dropped = say(session, "drop shot 3", ecu_home)
    plan = say(session, "more about durability", ecu_home)
    assert [s.scale for s in plan.shots] == [s.scale for s in dropped.shots]  # shot 3 did not come back
    assert {s.detail.name for s in plan.ecu_shots()} == {s.detail.name for s in dropped.ecu_shots()}
    assert plan.brief.goals[0] == "durability"


BOOT_BRIEF = ("The Ridgeline hiking boot is for weekend walkers. Channel: an Instagram carousel. Open wide on the "
              "boot on a muddy trail, then a mid shot of a walker lacing it up. At most three extreme close-ups. "
              "Details we could show: the embroidered logo on the tongue, the bright red laces, the printed pattern "
              "on the lining, the double-stitched welt and the deep rubber lug sole. The mood is playful and fun.")


def test_more_about_durability_moves_the_ecus_to_what_proves_it(ecu_home):
    session = Session()
    first = say(session, BOOT_BRIEF, ecu_home)
    assert len(first.ecu_shots()) == 3  # "at most three" of the five listed
    dropped = next(s.detail.name for s in first.ecu_shots() if "sole" not in s.detail.name and "welt" not in s.detail.name)
    say(session, f"drop the {dropped.split(' on the ')[0]}", ecu_home)
    plan = say(session, "more about durability", ecu_home)
    names = [s.detail.name for s in plan.ecu_shots()]
    assert names == ["deep rubber lug sole on the boot", "double-stitched welt on the boot"]
    assert len(plan.shots) == len(first.shots) - 1  # the dropped ECU stays dropped
    plan = say(session, "only 3 ECUs", ecu_home)
    assert dropped not in [s.detail.name for s in plan.ecu_shots()]
    assert len(plan.ecu_shots()) == 3


def test_a_new_count_keeps_the_details_the_user_asked_for(session, ecu_home):
    say(session, "add an ECU of the edge paint", ecu_home)
    plan = say(session, "only 2 ECUs", ecu_home)
    assert [s.detail.name for s in plan.ecu_shots()][0] == "edge paint" and len(plan.ecu_shots()) == 2


def test_undo_steps_back_through_edits_and_survives_a_restart(session, ecu_home):
    original = session.plan
    say(session, "drop shot 3", ecu_home)
    vertical = say(session, "make it vertical 9:16 for stories", ecu_home)
    resumed = Session.load(session.id, ecu_home)
    plan = say(resumed, "undo", ecu_home)
    assert resumed.messages[-1].text.startswith("Undone: back to") and plan.brief.aspect_ratio == "4:5"
    assert len(plan.shots) == len(original.shots) - 1 and vertical.brief.aspect_ratio == "9:16"
    plan = say(resumed, "undo", ecu_home)
    assert plan == original
    say(resumed, "undo", ecu_home)
    assert resumed.plan == original and resumed.messages[-1].text.startswith("Nothing to undo")
    plan = say(resumed, "more about durability", ecu_home)
    assert resumed.settings["emphasis"] == ["durability"]
    say(resumed, "undo", ecu_home)
    assert resumed.settings.get("emphasis", []) == []


def test_a_ratio_that_does_not_suit_the_channel_is_warned_about(session, ecu_home):
    say(session, "make it vertical 9:16 for stories", ecu_home)
    plan = say(session, "make it 21:9", ecu_home)
    assert plan.brief.aspect_ratio == "21:9" and plan.brief.channels[0] == "short_video"
    assert session.messages[-1].text == ("Done: aspect ratio set to 21:9. Note: 21:9 does not suit short video, "
                                         "which is made for 9:16; kept as asked.")
    say(session, "make it 9:16", ecu_home)
    assert "Note" not in session.messages[-1].text


def test_a_request_not_understood_is_not_reported_as_done(session, ecu_home):
    from agent.events import ToolFinished

    events = []
    asyncio.run(session.send("paint it like a sunset", Config(home=ecu_home), events.append))
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [(e.ok, e.summary) for e in finished] == [(False, "request not understood")]
