"""`ecu plan` end to end, as a user runs it: real subprocesses, real files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from agent.models import ShotPlan

HEAVY = ("litellm", "torch", "diffusers", "textual", "slack_bolt", "transformers")


def ecu(*args, stdin: str | bytes | None = None, env=None):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "cli.main", *args], input=data, capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=60)


@pytest.fixture
def brief_file(tmp_path, leather_brief):
    path = tmp_path / "brief.txt"
    path.write_text(leather_brief)
    return path


def test_json_output_is_only_the_plan(brief_file):
    run = ecu("plan", str(brief_file), "--json")
    assert run.returncode == 0, run.stderr
    plan = ShotPlan.model_validate_json(run.stdout)
    assert plan.brief.product.startswith("Harlow Weekender")
    ecus = plan.ecu_shots()
    assert ecus and all(s.detail and s.detail.category for s in ecus)
    assert any(s.scale in ("wide", "medium") for s in plan.shots)


def test_table_markdown_and_csv(brief_file, leather_brief):
    table = ecu("plan", str(brief_file)).stdout.decode()
    assert "saddle stitching along the handle" in table and "PROMPTS" in table
    markdown = ecu("plan", "-", "--format", "markdown", stdin=leather_brief).stdout.decode()
    assert markdown.startswith("# ECU shot plan: Harlow Weekender") and "| s2 | extreme_close_up |" in markdown
    rows = list(csv.DictReader(io.StringIO(ecu("plan", str(brief_file), "--format", "csv").stdout.decode())))
    assert rows[0]["id"] == "s1" and {r["scale"] for r in rows} >= {"wide", "extreme_close_up"}


def test_out_writes_the_file_and_says_so(brief_file, tmp_path):
    out = tmp_path / "plans" / "plan.json"
    run = ecu("plan", str(brief_file), "--json", "--out", str(out))
    assert run.returncode == 0 and run.stdout == b""
    assert "wrote json plan" in run.stderr.decode()
    assert ShotPlan.model_validate_json(out.read_text()).shots
    assert [p.name for p in out.parent.iterdir()] == ["plan.json"]  # no temp files left behind


@pytest.mark.parametrize("setup, fragment", [
    (lambda p: p.write_text("   \n\t "), "brief is empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary"), "binary file"),
    (lambda p: p.write_text("word " * 30_000), "over 100 kB"),
    (lambda p: p.write_text("Nous lançons une nouvelle crème pour le visage, avec une texture très douce et "
                            "un parfum léger pour les peaux sensibles."), "does not look like English"),
    (lambda p: p.write_bytes("caf\xe9 cr\xe8me".encode("latin-1")), "not UTF-8"),
    (lambda p: None, "brief file not found"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, setup, fragment):
    path = tmp_path / "brief.txt"
    setup(path)
    run = ecu("plan", str(path))
    err = run.stderr.decode()
    assert run.returncode == 2
    assert fragment in err and "Traceback" not in err and err.count("\n") == 1


def test_help_lists_every_command():
    run = ecu("--help")
    assert run.returncode == 0
    assert "plan" in run.stdout.decode()


@pytest.mark.parametrize("args", [("--help",), ("plan", "-", "--json")])
def test_fast_paths_import_no_heavy_library(args, leather_brief):
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli.main", *args],
                         input=leather_brief.encode(), capture_output=True, timeout=60)
    assert run.returncode == 0
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.decode().splitlines() if "|" in line}
    assert not imported & set(HEAVY), imported & set(HEAVY)


# What planning offline never runs: the model's decision tools and edits, the other commands.
NOT_OFFLINE = ("tools.edits", "tools.decisions", "tools.summary", "cli.commands.chat",
               "cli.commands.eval", "cli.commands.qc", "cli.commands.sessions", "cli.commands.slack")


def test_offline_plan_imports_only_what_it_runs(brief_file):
    """The registry imports a tool's module on the tool's first call and `ecu plan` builds only its own parser:
    an offline plan loads none of NOT_OFFLINE."""
    code = ("import sys; from cli.main import main; status = main(['plan', sys.argv[1], '--json']); "
            f"print('loaded:', [name for name in {NOT_OFFLINE!r} if name in sys.modules], status, file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, str(brief_file)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    ShotPlan.model_validate_json(run.stdout)
    assert run.stderr.splitlines()[-1] == "loaded: [] 0"


@pytest.mark.parametrize("value", ["-1", "0", "7", "50"])
def test_max_details_out_of_range_is_one_line_and_exit_2(brief_file, value):
    run = ecu("plan", str(brief_file), "--max-details", value)
    err = run.stderr.decode()
    assert run.returncode == 2 and run.stdout == b""
    assert err == f"ecu: error: --max-details must be between 1 and 6 (got {value})\n"


def test_max_details_is_honoured_in_every_output_format(brief_file):
    from cli.main import main

    for n in (1, 2):
        plan = ShotPlan.model_validate_json(ecu("plan", str(brief_file), "--json", "--max-details", str(n)).stdout)
        assert len(plan.ecu_shots()) == n
        rows = list(csv.DictReader(io.StringIO(
            ecu("plan", str(brief_file), "--format", "csv", "--max-details", str(n)).stdout.decode())))
        assert sum(r["scale"] == "extreme_close_up" for r in rows) == n
        markdown = ecu("plan", str(brief_file), "--format", "markdown", "--max-details", str(n)).stdout.decode()
        assert markdown.count("| extreme_close_up |") == n
    assert main(["plan", str(brief_file), "--max-details", "0", "--generate"]) == 2  # before any generation


def test_assumptions_and_labels_read_as_words_in_table_and_markdown(tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("Our Harlow weekender bag: extreme close-ups of the saddle stitching and the brass zip pull. "
                     "Prove durability.")
    assumed = "no channel is named: planned as an Instagram carousel"
    table = ecu("plan", str(brief)).stdout.decode()
    assert f"Assumed: {assumed}" in table
    assert "Channels: instagram carousel" in table and "Vertical: luxury goods" in table and "_" not in \
        table.split("\n\n")[0]
    markdown = ecu("plan", str(brief), "--format", "markdown").stdout.decode()
    assert f"- **Assumed:** {assumed}" in markdown and "- **Channels:** instagram carousel" in markdown
    ad = tmp_path / "ad.txt"
    ad.write_text("Extreme close-ups of our Pulse running shoe: the knit upper and the outsole lugs. "
                  "Make it a paid social ad opener and prove durability.")
    assert "Channels: social ad opener" in ecu("plan", str(ad)).stdout.decode()
    assert ShotPlan.model_validate_json(ecu("plan", str(ad), "--json").stdout).brief.channels == ["social_ad_opener"]
