"""The storyboard reader: rows as rows (time, scale, what they show, why), and a plan that follows them."""

from __future__ import annotations

import pytest

from tools.pipeline import DraftPlanArgs, draft_plan
from tools.storyboard import Row, read_rows, without_rows

TABLE = """Halden carry-on, 15s spot

| Time | Scale | Action | Why |
|---|---|---|---|
| 0:00-0:03 | WIDE | traveller rolling the case through a station | set the scene |
| 0:03-0:05 | INSERT | telescoping handle locking at full height | it never wobbles |
| 0:05-0:08 | MED | case lifted into an overhead bin | |
| 0:08-0:10 | DETAIL | the spinner wheel gliding over tile | silent wheels are our USP |
| 0:12-0:15 | PACK | logo end card | legal |
"""

TIMED = """Storyboard - Halden cold brew (20s)
00:00 - 00:04  WS: cafe terrace at noon
00:04 - 00:07  ECU: condensation sliding down the can
00:07 - 00:10  MS: a friend cracks the can open
00:10 - 00:13  the widget fizz as nitro cascades in the glass - this is what sells it
00:17 - 00:20  PACKSHOT
"""


def test_a_table_row_gives_its_time_scale_action_and_note():
    rows = read_rows(TABLE)
    assert rows[1] == Row("extreme_close_up", "telescoping handle locking at full height", "it never wobbles", 3, 5)
    assert [r.scale for r in rows] == ["wide", "extreme_close_up", "medium", "extreme_close_up", "packshot"]
    assert rows[0].orienting and not rows[3].orienting


def test_a_timed_line_gives_its_scale_and_the_note_after_a_dash():
    rows = read_rows(TIMED)
    assert rows[1].scale == "extreme_close_up" and rows[1].action == "condensation sliding down the can"
    assert rows[3] == Row("", "the widget fizz as nitro cascades in the glass", "this is what sells it", 10, 13)
    assert rows[4].scale == "packshot" and rows[4].start == 17



def test_a_labelled_beat_with_its_range_and_its_length_reads_both_as_timing():
    rows = read_rows("Beat 1 - 0:00-0:05 (5s) - WIDE: a kitchen at dawn\n"
                     "Beat 2 - 0:05-0:08 (3s) - ECU: the kettle spout steaming\n"
                     "Beat 3 - 0:08-0:10 (2s) - PACK: box front\n")
    assert rows[1] == Row("extreme_close_up", "the kettle spout steaming", "", 5, 8)
    assert [r.scale for r in rows] == ["wide", "extreme_close_up", "packshot"]
    # a bracketed length with no range before it is still the row's own text, read as before
    assert read_rows("1. (2s) ECU: the lid\n2. (3s) WIDE: a table\n3. (2s) PACK: logo\n")[0].action == "the lid"


def test_a_numbered_line_timed_after_its_scale_is_a_row_but_an_untimed_one_is_a_list_item():
    rows = read_rows("1. WIDE 4s - a kitchen at dawn\n2. ECU 2s - the crackle glaze on the lid\n3. PACK 2s - logo\n")
    assert rows[1] == Row("extreme_close_up", "the crackle glaze on the lid", "", None, 2)
    assert read_rows("1. Wide: a kitchen\n2. ECU: the crackle glaze, with the maker's stamp\n3. Pack: logo\n") == ()

@pytest.mark.parametrize("text", [
    "Launch is 0:00-0:03 on Monday.\nBudget 10-12k.",  # two timed lines are no storyboard
    "We love the handle.\n- the wheels\n- the lock\n- the zip",  # bullets without times or beat labels
])
def test_fewer_than_three_rows_or_untimed_bullets_are_no_storyboard(text):
    assert read_rows(text) == ()


def test_rows_are_blanked_for_the_prose_reader_but_a_row_it_could_not_read_stays():
    blanked = without_rows(TIMED)
    assert "cafe terrace" not in blanked and "Storyboard - Halden cold brew" in blanked
    assert len(blanked) == len(TIMED)  # offsets still hold
    assert "widget fizz" in without_rows(TIMED, frozenset({"the widget fizz as nitro cascades in the glass"}))


def test_the_plan_follows_the_storyboard_row_for_row():
    plan = draft_plan(DraftPlanArgs(brief=TABLE))
    assert [s.scale for s in plan.shots] == ["wide", "extreme_close_up", "medium", "extreme_close_up", "wide"]
    assert plan.shots[1].placement == "storyboard row 2 (3-5s)" and "handle" in plan.shots[1].detail.name
    assert "wheel" in plan.shots[3].detail.name and plan.shots[3].detail.category == "proof"  # its note: our USP
    assert not any("bin" in s.detail.name or "station" in s.detail.name for s in plan.ecu_shots())


def test_a_storyboard_of_back_to_back_ecus_gets_medium_frames_between_them():
    rows = "\n".join(f"{k}. ({k}s) ECU: the {part}" for k, part in
                     enumerate(["handle", "wheel", "zip pull", "lock dial", "corner guard"], start=2))
    plan = draft_plan(DraftPlanArgs(brief=f"Halden carry-on 20s film\n1. (3s) WIDE: the station\n{rows}"))
    scales = [s.scale for s in plan.shots]
    assert scales[0] == "wide" and len(plan.ecu_shots()) / len(scales) <= 0.6
    assert not any(a == b == "extreme_close_up" for a, b in zip(scales, scales[1:]))


APP_BOARD = """Tally - streaks feature - App Store preview, 15s

00-04  WIDE    a commuter on a tram opens the app
04-07  SCREEN  the streak flame growing from 6 to 7 days
07-10  CU      close-up of his face as he grins, keep it small
10-15  END     logo and the App Store badge
"""


def test_app_screen_rows_show_what_they_name_and_an_end_row_orients():
    rows = read_rows(APP_BOARD)
    assert [row.scale for row in rows] == ["wide", "", "close_up", "packshot"]
    assert rows[1].action.startswith("the streak flame")  # "04-07  SCREEN": the S is the scale's, not seconds'


def test_a_close_up_row_of_a_face_stays_a_close_up_and_is_no_ecu():
    plan = draft_plan(DraftPlanArgs(brief=APP_BOARD))
    assert [s.scale for s in plan.shots] == ["wide", "extreme_close_up", "close_up", "wide"]
    assert not any("face" in s.detail.name for s in plan.ecu_shots())


def test_a_mid_row_that_says_what_must_be_seen_gives_its_detail_to_the_prose_reader():
    from tools.brief import AnalyzeBriefArgs, analyze_brief
    from tools.details import PickDetailsArgs, pick_details

    def names(middle: str) -> list[str]:
        brief = ("Marrow marble run, 15 s for Reels\n0-3 s  Wide: two kids on a rug with the tower\n"
                 f"3-6 s  Medium: {middle}\n6-9 s  ECU: the glass marble on the lip of the funnel\n"
                 "9-12 s  End card: box front")
        analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))
        return [d.name for d in pick_details(PickDetailsArgs(analysis=analysis)).chosen]

    assert any("locking tab" in n for n in names("a chute goes on and you see the locking tab seat fully"))
    assert not any("chute" in n for n in names("the older one adds a curved chute to the tower"))  # a mid frame
