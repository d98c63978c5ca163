"""`ecu plan BRIEF --model ... --api-base ...` end to end against the scripted loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.models import ShotPlan
from cli.main import main
from tests.fakes.llm_server import status, tool_reply

ROOT = Path(__file__).resolve().parents[1]
# The brief insists on ECUs everywhere: the plan keeps an overuse warning with a fix.
ALL_MACRO = (
    "Obra Cacao, a single-origin 72% chocolate bar from Tumaco, Colombia. Launch campaign across an "
    "Instagram carousel and a print ad. I want every frame to be macro, no wide or mid frames at all: the "
    "glossy temper on the surface, the clean snap when the bar breaks, the embossed cacao pod on each "
    "square. Eight slides, eight extreme close-ups. Everything sharp, bright, clean."
)
KEY = "sk-test"


@pytest.fixture
def brief_file(tmp_path) -> Path:
    path = tmp_path / "brief.txt"
    path.write_text(ALL_MACRO)
    return path


def drafted(brief: str) -> dict:
    from tools.pipeline import DraftPlanArgs, draft_plan

    return draft_plan(DraftPlanArgs(brief=brief)).model_dump(mode="json")


def test_must_show_429_then_malformed_submit_then_plan(server, brief_file, tmp_path):
    plan = drafted(ALL_MACRO)
    server.push(
        status(429, retry_after="0.05"),
        tool_reply(("submit_plan", json.dumps(plan)[:400]), text="Submitting."),  # cut off mid-JSON
        tool_reply(("submit_plan", plan), text="Fixed the JSON."),
    )
    env = {**os.environ, "OPENAI_API_KEY": KEY, "ECU_HOME": str(tmp_path / "home")}
    env.pop("ECU_MODEL", None)
    env.pop("ECU_API_BASE", None)
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "plan", str(brief_file), "--json", "--verbose",
         "--model", "openai/x", "--api-base", server.url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stderr
    printed = ShotPlan.model_validate(json.loads(result.stdout))  # stdout is the plan JSON and nothing else
    assert printed.shots and "overuse" in printed.flag_kinds()
    overuse = next(f for f in printed.flags if f.kind == "overuse")
    assert overuse.severity == "warning" and overuse.fix
    # the server saw: the 429, the malformed call, the repaired call
    assert len(server.completions) == 3
    errors = [r["content"]["error"] for r in server.completions[2].last_tool_results()]
    assert len(errors) == 1 and errors[0].startswith("arguments are not valid JSON")
    # --verbose narrates on stderr: the retry, both submissions, the failure and the success
    err = result.stderr
    assert "model retry after rate limit (429)" in err
    assert err.count("→ submit_plan") == 2 and "failed: error: arguments are not valid JSON" in err
    assert "ok: " in err and "Traceback" not in err and KEY not in err + result.stdout


def test_401_is_one_line_and_a_config_exit_code(server, brief_file, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    server.push(status(401, f"Incorrect API key provided: {KEY}. Find your key at the dashboard."))
    code = main(["plan", str(brief_file), "--model", "openai/x", "--api-base", server.url])

    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == (f"ecu: error: model openai/x at {server.url} rejected the API key: "
                   "set OPENAI_API_KEY to a valid key\n")
    assert len(server.completions) == 1


def test_model_and_api_base_come_from_the_environment(server, brief_file, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ECU_MODEL", "openai/from-env")
    monkeypatch.setenv("ECU_API_BASE", server.url)
    plan = drafted(ALL_MACRO)
    server.push(tool_reply(("submit_plan", plan)))
    code = main(["plan", str(brief_file), "--json"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert ShotPlan.model_validate(json.loads(out)).shots
    assert server.completions[0].body["model"] == "from-env"


def test_verbose_shows_tool_calls_and_streamed_text(server, brief_file, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    server.push(tool_reply(("show_shot", {"shot_id": "s1"}), text="Looking first."),
                tool_reply(("submit_plan", {"plan": drafted(ALL_MACRO)}), text="Submitting the draft."))
    code = main(["plan", str(brief_file), "--verbose", "--model", "openai/x", "--api-base", server.url])

    out, err = capsys.readouterr()
    assert code == 0, err
    lines = err.splitlines()
    assert lines[0] == "Looking first."
    assert lines[1] == '→ show_shot {"shot_id": "s1"}'
    assert "Submitting the draft." in lines and any(line.startswith("→ submit_plan (plan with") for line in lines)
    assert out.startswith("Product: Obra Cacao")  # the table view went to stdout


def test_retries_exhausted_exit_non_zero_with_one_line(server, brief_file, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    server.push(*[status(503, retry_after="0") for _ in range(6)])
    code = main(["plan", str(brief_file), "--model", "openai/x", "--api-base", server.url])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "still failing after 6 attempts (server error (503))" in err
    assert len(server.completions) == 6
