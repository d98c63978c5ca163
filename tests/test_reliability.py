"""No lost edit, no misleading error: --out targets, deep tool arguments, sessions on disk, odd briefs."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from agent.config import Config
from agent.errors import InputError
from agent.session import Session, SessionStorageError

BOM = b"\xef\xbb\xbf"


def ecu(*args, env=None, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, input=stdin,
                          env={**os.environ, **(env or {})}, timeout=120)


def one_line_error(run, fragment: str) -> None:
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert fragment in err and "Traceback" not in err and err.count("\n") == 1, err


@pytest.fixture
def brief_file(tmp_path, leather_brief):
    path = tmp_path / "brief.txt"
    path.write_text(leather_brief)
    return path


@pytest.fixture
def planned(ecu_home, leather_brief) -> Session:
    session = Session(id="shared")
    asyncio.run(session.send(leather_brief, Config(home=ecu_home)))
    return session


# -- item 7: --out ------------------------------------------------------------------------------
def test_out_through_a_symlink_writes_the_target_and_keeps_the_link(brief_file, tmp_path):
    target = tmp_path / "real" / "plan.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "plan-link.json"
    link.symlink_to(target)
    run = ecu("plan", str(brief_file), "--json", "--out", str(link))
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert '"shots"' in target.read_text()
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.json"]  # no temp file left beside it


def test_out_refuses_a_fifo_and_leaves_it_alone(brief_file, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    run = ecu("plan", str(brief_file), "--out", str(fifo))
    one_line_error(run, "not a regular file")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_out_refuses_a_device(brief_file, tmp_path):
    device = tmp_path / "null"  # a device node of our own: never point a test at the real /dev/null
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root")
    run = ecu("plan", str(brief_file), "--out", str(device))
    one_line_error(run, "not a regular file")
    assert stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.parametrize("out, fragment", [
    ("{file}/plan.json", "is a file, not a folder"),
    (".", "is a folder, not a file"),
    ("/proc/version", "cannot create a file in /proc"),
])
def test_out_that_cannot_be_a_file_is_one_line_exit_2(brief_file, tmp_path, out, fragment):
    existing = tmp_path / "existing-file"
    existing.write_text("x")
    run = ecu("plan", str(brief_file), "--out", out.format(file=existing))
    one_line_error(run, fragment)


# -- item 8: deep nesting -----------------------------------------------------------------------
DEEP = '{"brief": ' + "[" * 1000 + "]" * 1000 + "}"


def test_deeply_nested_tool_arguments_are_a_tool_error():
    from tools.registry import TOO_DEEP, build_registry

    result = build_registry().call("analyze_brief", DEEP)
    assert not result.ok and result.error == TOO_DEEP


def test_a_deeply_nested_call_goes_back_to_the_policy_and_the_run_recovers(leather_brief):
    from agent.api import Agent
    from agent.events import RunFinished, ToolFinished
    from agent.policy import ToolCall, Turn
    from agent.testing import ScriptedPolicy
    from tools.pipeline import DraftPlanArgs, draft_plan

    good = draft_plan(DraftPlanArgs(brief=leather_brief))

    scripted = ScriptedPolicy([Turn(calls=[ToolCall("c1", "submit_plan", DEEP)]),
                               Turn(calls=[ToolCall("c2", "submit_plan", good.model_dump_json())])])

    async def collect():
        return [event async for event in Agent(Config(), policy=scripted).stream(leather_brief)]

    events = asyncio.run(collect())
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [e.ok for e in finished] == [False, True] and "nested too deeply" in finished[0].summary
    assert isinstance(events[-1], RunFinished)


# -- item 1 (follow-ups) and 12: message checks -------------------------------------------------
def test_follow_ups_have_the_brief_size_limit(planned, ecu_home):
    before = Session.load("shared", ecu_home)
    with pytest.raises(InputError, match="over 100 kB"):
        asyncio.run(planned.send("swap " * 21_000, Config(home=ecu_home)))
    assert Session.load("shared", ecu_home).messages == before.messages


def test_a_utf16_brief_with_a_byte_order_mark_is_read(tmp_path, leather_brief):
    path = tmp_path / "brief-utf16.txt"
    path.write_bytes(leather_brief.encode("utf-16"))
    run = ecu("plan", str(path), "--json")
    assert run.returncode == 0, run.stderr
    assert b"Harlow Weekender" in run.stdout


def test_a_utf16_brief_without_a_byte_order_mark_is_named_not_binary(tmp_path, leather_brief):
    path = tmp_path / "brief-utf16le.txt"
    path.write_bytes(leather_brief.encode("utf-16-le"))
    one_line_error(ecu("plan", str(path)), "UTF-16 text without a byte-order mark; please save it as UTF-8")


def test_a_short_cjk_brief_is_not_english_rather_than_too_short():
    one_line_error(ecu("plan", "-", stdin="新款真皮旅行包的特写镜头".encode()), "does not look like English")


def test_a_terse_english_storyboard_is_english_and_a_spanish_brief_is_not():
    from agent.briefs import check_brief
    from agent.errors import InputError

    storyboard = "Storyboard, 9 seconds, oak stool.\n0-3s: ECU dovetail joint\n3-6s: ECU oiled seat\n6-9s: ECU leg taper"
    assert check_brief(storyboard) == storyboard  # few function words, but every word is in the dictionary
    with pytest.raises(InputError, match="does not look like English"):
        check_brief("Lanzamos una nueva crema facial con textura suave y aroma ligero para pieles sensibles")


# -- item 4: two processes on one session -------------------------------------------------------
def _edit_in_another_process(home: str, request: str, barrier) -> None:
    session = Session.load("shared", Path(home))  # both processes hold the same state...
    barrier.wait()  # ...before either edits it
    asyncio.run(session.send(request, Config(home=Path(home))))


def test_two_processes_editing_one_session_both_keep_their_edit(planned, ecu_home):
    shots = len(planned.plan.shots)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_edit_in_another_process, args=(str(ecu_home), request, barrier))
               for request in ("make it vertical 9:16 for stories", "drop shot 3")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    final = Session.load("shared", ecu_home)
    assert final.plan.brief.aspect_ratio == "9:16" and len(final.plan.shots) == shots - 1
    assert [m.text for m in final.messages if m.role == "user"][1:] in (
        ["make it vertical 9:16 for stories", "drop shot 3"], ["drop shot 3", "make it vertical 9:16 for stories"])


# -- items 10 and 11: unwritable homes, damaged files -------------------------------------------
def test_saving_into_an_unwritable_home_says_where(tmp_path, leather_brief):
    home = tmp_path / "home-file"
    home.write_text("x")
    session = Session(id="s1")
    with pytest.raises(SessionStorageError, match=f"could not save the session in {home / 'sessions'}"):
        asyncio.run(session.send(leather_brief, Config(home=home)))
    assert session.plan is not None  # planned all the same: the caller can still show it


def test_ecu_sessions_says_an_unusable_home_is_unusable(tmp_path):
    home = tmp_path / "home-file"
    home.write_text("x")
    run = ecu("sessions", env={"ECU_HOME": str(home)})
    one_line_error(run, "is a file, not a folder")
    assert b"no saved sessions" not in run.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_ecu_sessions_says_a_read_only_home_is_not_writable(tmp_path):
    home = tmp_path / "ro-home"
    home.mkdir()
    home.chmod(0o500)
    try:
        run = ecu("sessions", env={"ECU_HOME": str(home)})
    finally:
        home.chmod(0o700)
    assert run.returncode == 2 and b"not writable" in run.stderr


def test_ecu_sessions_lists_damaged_files_as_damaged(planned, ecu_home):
    folder = ecu_home / "sessions"
    (folder / "broken.json").write_text("{half")
    (folder / "a-folder.json").mkdir()
    run = ecu("sessions", env={"ECU_HOME": str(ecu_home)})
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(lines) == {"shared", "broken", "a-folder"}
    assert "damaged" in lines["broken"] and "damaged" in lines["a-folder"] and "damaged" not in lines["shared"]


def test_a_folder_named_like_a_session_is_refused_in_one_line(ecu_home):
    (ecu_home / "sessions" / "x.json").mkdir(parents=True)
    with pytest.raises(InputError, match="is not a file"):
        Session.load("x", ecu_home)
    one_line_error(ecu("chat", "--resume", "x", env={"ECU_HOME": str(ecu_home)}), "is not a file")


def test_a_file_whose_inner_id_differs_resumes_under_its_own_name(planned, ecu_home):
    folder = ecu_home / "sessions"
    (folder / "copy.json").write_text((folder / "shared.json").read_text())
    copy = Session.load("copy", ecu_home)
    assert copy.id == "copy"
    asyncio.run(copy.send("make it square 1:1", Config(home=ecu_home)))
    assert Session.load("shared", ecu_home).plan.brief.aspect_ratio != "1:1"  # the original is untouched
    assert Session.load("copy", ecu_home).plan.brief.aspect_ratio == "1:1"


def test_a_utf8_byte_order_mark_is_not_damage(planned, ecu_home):
    path = ecu_home / "sessions" / "shared.json"
    path.write_bytes(BOM + path.read_bytes())
    assert Session.load("shared", ecu_home).plan == planned.plan
    assert [info.id for info in Session.list_all(ecu_home)] == ["shared"]


def test_a_brief_refusing_every_orienting_frame_and_naming_no_detail_still_plans():
    """Nothing to shoot up close and no wide allowed gave a plan with no shots, which submit_plan rejects: the
    run failed. One orienting frame, the overuse flag and a question about the detail are the honest plan."""
    from tools.pipeline import DraftPlanArgs, draft_plan

    plan = draft_plan(DraftPlanArgs(brief="30s reel, every frame an extreme macro, no wide shots, no product "
                                          "shots at all. Just vibes."))
    assert plan.shots and not plan.ecu_shots()
    assert any(f.kind == "overuse" for f in plan.flags) and plan.questions
