"""The eval harness: graders that cannot be fooled, case files that fail loudly, a runner and CLI to trust.

These tests assert grader and runner behaviour, never the planner's pass rate.
"""

from __future__ import annotations

import asyncio
import html
import json
import textwrap
from pathlib import Path

import pytest

from agent.errors import ConfigError, PlanError
from agent.models import BriefSummary, Camera, Detail, Flag, Prompt, PromptFields, Shot, ShotPlan
from cli.main import main
from evals import graders
from evals.cases import Case, CaseError, default_suite, load_case, load_cases
from evals.runner import pass_at_k, pass_hat_k, run_suite

PRODUCT = "leather weekender bag"
BRIEF = ("Our leather weekender bag is saddle stitched by hand with solid brass hardware. Show the stitching, "
         "the brass zip pull and the grain of the leather for a carousel and a landing page hero.")


# --- hand-made plans --------------------------------------------------------------------------------

def shot(sid, scale="extreme_close_up", name=None, category="craftsmanship", text=None, **field_overrides):
    detail = Detail(name=name, category=category, why="shows the hand finishing") if name else None
    subject = f"the {name} on the leather weekender bag" if name else "the leather weekender bag on a rack"
    fields = dict(subject_detail=subject, shot_scale=scale.replace("_", " "), material_texture="full-grain leather",
                  lighting="raking side light", focus="razor sharp focus on the detail",
                  background="plain dark seamless", intent="prove the craftsmanship")
    fields.update(field_overrides)
    if text is None:
        text = f"Extreme close up shot of {subject}, full-grain leather, raking side light, razor sharp focus"
    return Shot(id=sid, scale=scale, purpose="punctuate" if scale == "extreme_close_up" else "establish",
                placement=f"carousel slide {sid[1:]}", detail=detail,
                prompt=Prompt.model_construct(text=text, fields=PromptFields.model_construct(**fields), negative=""),
                camera=Camera(lens="100mm macro", aperture="f/8", lighting="raking side light"))


def make_plan(shots=None, flags=(), product=PRODUCT) -> ShotPlan:
    if shots is None:
        shots = [shot("s1", "wide"), shot("s2", name="saddle stitching on the handle"),
                 shot("s3", "medium"), shot("s4", name="engraved brass zip pull", category="proof"),
                 shot("s5", name="leather grain at the corner crease")]
    return ShotPlan(brief=BriefSummary(product=product), shots=list(shots),
                    flags=[Flag(kind=k, severity=s, message=f"{k} raised") for k, s in flags])


def make_case(expect: dict | None = None, case_id="weekender") -> Case:
    return Case.model_validate({"id": case_id, "brief": BRIEF, "expect": expect or {}})


FULL_EXPECT = {
    "details": [{"any": ["stitch", "seam"], "category": "craftsmanship"},
                {"any": ["zip", "brass"], "category": ["craftsmanship", "proof"]},
                {"any": ["grain"]}],
    "no_flags": ["overuse", "soft_focus"],
    "ecu_share": [0.2, 0.6],
}


def failures(plan, expect=None):
    result = graders.grade(plan, make_case(expect).expect)
    return result, result.failures


# --- graders: plans that pass ----------------------------------------------------------------------

def test_a_good_plan_passes_every_check():
    result, reasons = failures(make_plan(), FULL_EXPECT)
    assert reasons == []
    assert result.passed and all(check.passed for check in result.checks)
    assert {c.name for c in result.checks} == {"details", "flags", "no_flags", "ecu_share", "formula",
                                               "subject_first", "orienting", "duplicates", "categories"}
    counts = result.counts
    assert (counts.details_expected, counts.details_matched, counts.details_right_category) == (3, 3, 3)
    assert (counts.shots, counts.shots_complete, counts.ecu_prompts, counts.ecu_subject_first) == (5, 5, 3, 3)


def test_detail_matching_is_case_insensitive_substring_and_any_term_suffices():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="SADDLE Stitching on the handle")])
    assert failures(plan, {"details": [{"any": ["seam", "stitch"]}]})[1] == []


def test_required_flag_counts_at_any_severity():
    plan = make_plan(flags=[("ambiguous_scale", "info")])
    assert failures(plan, {"flags": ["ambiguous_scale"]})[1] == []


def test_ecu_share_bounds_are_inclusive():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="stitching")])  # 0.5
    assert failures(plan, {"ecu_share": [0.5, 0.5]})[1] == []


def test_all_ecus_pass_orienting_when_overuse_is_flagged():
    plan = make_plan([shot("s1", name="stitching"), shot("s2", name="zip pull")], flags=[("overuse", "warning")])
    result, _ = failures(plan)
    assert result.check("orienting").passed


def test_subject_first_accepts_head_noun_plural_and_any_long_word():
    assert graders.subject_words("leather weekender bag") == {"leather", "weekender", "bag"}
    assert graders.subject_words("Obra 72% bar") >= {"bar", "obra"}
    plan = make_plan()
    assert graders.subject_first(plan, "Extreme close up of two bags' handles")
    assert graders.subject_first(plan, "Macro shot of the weekender's zip")


# --- graders: plans that must fail each check ----------------------------------------------------------

def test_missing_detail_fails_and_names_what_was_there():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="engraved brass zip pull")])
    result, reasons = failures(plan, {"details": [{"any": ["stitch", "seam"]}]})
    assert not result.passed and not result.check("details").passed
    assert reasons == ["no ECU detail mentions any of [stitch, seam] (ECU details: 'engraved brass zip pull')"]
    assert result.counts.details_matched == 0


def test_detail_on_a_non_ecu_shot_does_not_count():
    plan = make_plan([shot("s1", "wide"), shot("s2", "close_up", name="saddle stitching"), shot("s3", name="zip")])
    result, reasons = failures(plan, {"details": [{"any": ["stitch"]}]})
    assert not result.check("details").passed


def test_wrong_category_fails():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="saddle stitching", category="emotion")])
    result, reasons = failures(plan, {"details": [{"any": ["stitch"], "category": ["craftsmanship", "proof"]}]})
    assert not result.passed
    assert "wrong category" in reasons[0] and "is emotion" in reasons[0] and "craftsmanship or proof" in reasons[0]
    assert (result.counts.details_matched, result.counts.details_right_category) == (1, 0)


def test_missing_required_flag_fails():
    result, reasons = failures(make_plan(flags=[("soft_focus", "warning")]), {"flags": ["overuse"]})
    assert not result.check("flags").passed
    assert reasons == ["required flag overuse not raised (raised: soft_focus)"]


@pytest.mark.parametrize("severity", ["info", "warning", "error"])
def test_forbidden_flag_raised_fails_at_any_severity(severity):
    result, reasons = failures(make_plan(flags=[("pushed_performance", severity)]),
                               {"no_flags": ["pushed_performance"]})
    assert not result.check("no_flags").passed
    assert reasons[0].startswith(f"forbidden flag pushed_performance raised ({severity}")
    assert result.counts.no_flags_raised == 1


@pytest.mark.parametrize("bounds", [[0.0, 0.5], [0.7, 1.0]])
def test_ecu_share_out_of_bounds_fails(bounds):
    result, reasons = failures(make_plan(), {"ecu_share": bounds})  # 3 of 5 = 0.6
    assert not result.check("ecu_share").passed
    assert reasons == [f"ECU share 0.60 (3 of 5 shots) outside [{bounds[0]:g}, {bounds[1]:g}]"]


@pytest.mark.parametrize("field", ["subject_detail", "lighting", "intent"])
def test_empty_formula_field_fails(field):
    plan = make_plan([shot("s1", "wide", **{field: "  "}), shot("s2", name="stitching")])
    result, reasons = failures(plan)
    assert not result.check("formula").passed
    assert reasons == [f"shot s1: empty formula field {field}"]
    assert (result.counts.shots, result.counts.shots_complete) == (2, 1)


def test_subject_not_within_the_first_16_words_fails():
    late = ("Extreme close up shot of tight hand sewn saddle stitches in waxed linen thread running along a "
            "curved handle of the leather weekender bag")
    plan = make_plan([shot("s1", "wide"), shot("s2", name="saddle stitching", text=late)])
    result, reasons = failures(plan)
    assert not result.check("subject_first").passed
    assert reasons[0].startswith("shot s2: the product ('leather weekender bag') is not named in the first 16 words")
    assert (result.counts.ecu_prompts, result.counts.ecu_subject_first) == (1, 0)


def test_subject_check_ignores_short_words_that_are_not_the_head_noun():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="nib", text="Extreme close up of a nib on a desk")],
                     product="a pen")  # 'a' is short and not last; 'pen' is the head noun
    assert not graders.check_subject_first(plan).passed


def test_no_orienting_frame_without_overuse_flag_fails():
    plan = make_plan([shot("s1", "close_up"), shot("s2", name="stitching"), shot("s3", name="zip pull")],
                     flags=[("decorative", "warning")])
    result, reasons = failures(plan)
    assert not result.check("orienting").passed
    assert reasons == ["no orienting frame (wide or medium) and no overuse flag raised"]


def test_duplicate_details_fail_ignoring_case_and_spacing():
    plan = make_plan([shot("s1", "wide"), shot("s2", name="saddle stitching"), shot("s3", name="Saddle  stitching")])
    result, reasons = failures(plan)
    assert not result.check("duplicates").passed
    assert reasons == ["duplicate detail 'Saddle  stitching' in shots s2 and s3"]


def test_invalid_category_fails():
    bad = shot("s2", name="stitching")
    bad = bad.model_copy(update={"detail": Detail.model_construct(name="stitching", category="vibes", why="x")})
    result, reasons = failures(make_plan([shot("s1", "wide"), bad]))
    assert not result.check("categories").passed
    assert "'vibes' is not one of" in reasons[0]


# --- case files ----------------------------------------------------------------------------------------

def write_case(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


GOOD_CASE = """
    id: {id}
    vertical: luxury_goods
    brief: |
      Our leather weekender bag is saddle stitched by hand with solid brass hardware. Show the
      stitching and the brass zip pull for a carousel and a landing page hero.
    expect:
      details:
        - any: [stitch, seam]
          category: craftsmanship
        - any: [caseback, "017", 017]
      no_flags: [overuse]
      ecu_share: [0.2, 0.6]
"""


def test_a_valid_case_loads_with_normalised_fields(tmp_path):
    case = load_case(write_case(tmp_path, "a.yaml", GOOD_CASE.format(id="a")))
    assert case.id == "a" and case.vertical == "luxury_goods"
    assert case.expect.details[0].category == ["craftsmanship"]
    assert case.expect.details[1].any_of == ["caseback", "017", "017"]  # not the octal integer 15
    assert case.expect.ecu_share == (0.2, 0.6)
    assert case.expect.flags == [] and case.expect.no_flags == ["overuse"]


def test_the_default_suite_resolves_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_suite().is_dir()
    cases = load_cases()
    assert len(cases) >= 40 and len({c.id for c in cases}) == len(cases)


BAD_CASES = {
    "yaml.yaml": ("id: x\nbrief: [unclosed\n", "invalid YAML at line"),
    "list.yaml": ("- just\n- a list\n", "expected a mapping"),
    "nobrief.yaml": ("id: x\nexpect: {}\n", "brief: required key is missing"),
    "kind.yaml": ("id: x\nbrief: {brief}\nexpect:\n  flags: [overused]\n", "unknown flag kind 'overused'"),
    "cat.yaml": ("id: x\nbrief: {brief}\nexpect:\n  details:\n    - any: [stitch]\n      category: craft\n",
                 "expect.details.0.category: unknown category 'craft'"),
    "typo.yaml": ("id: x\nbrief: {brief}\nexpect:\n  no_flag: [overuse]\n", "expect.no_flag: unknown key"),
    "share.yaml": ("id: x\nbrief: {brief}\nexpect:\n  ecu_share: [0.8, 0.2]\n", "0 <= lo <= hi <= 1"),
    "both.yaml": ("id: x\nbrief: {brief}\nexpect:\n  flags: [overuse]\n  no_flags: [overuse]\n",
                  "overuse is listed in both flags and no_flags"),
    "noany.yaml": ("id: x\nbrief: {brief}\nexpect:\n  details:\n    - category: proof\n", "details.0.any"),
    "empty-brief.yaml": ("id: x\nbrief: '   '\n", "brief"),
    "foreign.yaml": ("id: x\nbrief: Nous voulons des gros plans extrêmes du sac en cuir pour la campagne\n",
                     "English"),
    "binary.yaml": ("id: x\x00\n", "binary"),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_case_file_exits_2_naming_file_and_problem(tmp_path, capsys, name):
    body, problem = BAD_CASES[name]
    path = tmp_path / name
    path.write_text(body.replace("{brief}", json.dumps(BRIEF)), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert problem in str(info.value)
    code = main(["eval", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(path) in err and problem in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_duplicate_ids_missing_paths_and_empty_folders_exit_2(tmp_path, capsys):
    write_case(tmp_path, "a.yaml", GOOD_CASE.format(id="same"))
    write_case(tmp_path, "b.yaml", GOOD_CASE.format(id="same"))
    assert main(["eval", str(tmp_path)]) == 2
    assert "duplicate case id 'same'" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "nope.yaml")]) == 2
    assert "no such case file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["eval", str(tmp_path / "empty")]) == 2
    assert "no case files" in capsys.readouterr().err


# --- runner and CLI with a fake planner -------------------------------------------------------------

def good_plan() -> ShotPlan:
    return make_plan([shot("s1", "wide"), shot("s2", name="saddle stitching <b>&</b>"), shot("s3", "medium")])


def bad_plan() -> ShotPlan:
    return make_plan([shot("s1", "wide"), shot("s2", name="engraved zip pull"), shot("s3", "medium")])


@pytest.fixture
def suite_dir(tmp_path):
    folder = tmp_path / "suite"
    folder.mkdir()
    for case_id in ("good-one", "good-two", "bad-one"):
        write_case(folder, f"{case_id}.yaml", f"""
            id: {case_id}
            brief: {json.dumps(BRIEF)}
            expect:
              details:
                - any: [stitch]
              no_flags: [overuse]
        """)
    return folder


def fake_planner(plans_by_id, calls=None):
    async def plan(case):
        if calls is not None:
            calls.append(case.id)
        await asyncio.sleep(0)
        made = plans_by_id[case.id]
        made = made(case) if callable(made) else made
        if isinstance(made, BaseException):
            raise made
        return made, {"model_calls": 1, "prompt_tokens": 100, "completion_tokens": 20, "cost_usd": 0.001}
    return plan


@pytest.fixture
def use_fake_planner(monkeypatch):
    def install(plans_by_id):
        monkeypatch.setattr("evals.runner.agent_planner", lambda config: fake_planner(plans_by_id))
    return install


def test_cli_writes_json_and_html_and_exits_1_on_a_failure(suite_dir, tmp_path, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": bad_plan()})
    out_json, out_html = tmp_path / "r" / "eval.json", tmp_path / "r" / "eval.html"
    code = main(["eval", str(suite_dir), "--json", str(out_json), "--html", str(out_html)])
    captured = capsys.readouterr()
    assert code == 1
    assert "FAIL     bad-one" in captured.out and "PASS     good-one" in captured.out
    assert "2/3 cases passed" in captured.out
    report = json.loads(out_json.read_text())
    summary = report["summary"]
    for key in ("cases", "pass_rate", "detail_recall", "category_accuracy", "flag_recall",
                "flag_false_positive_rate", "formula_completeness", "subject_first"):
        assert key in summary
    assert summary["cases"] == 3 and summary["pass_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["detail_recall"] == pytest.approx(2 / 3, abs=1e-3)
    by_id = {c["id"]: c for c in report["cases"]}
    assert by_id["bad-one"]["passed"] is False and "no ECU detail mentions any of [stitch]" in \
        by_id["bad-one"]["failures"][0]
    assert by_id["good-one"]["failures"] == [] and by_id["good-one"]["plan"]["shots"][1]["scale"] == \
        "extreme_close_up"
    assert set(by_id["good-one"]) >= {"id", "passed", "failures", "plan", "usage"}
    page = out_html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "saddle stitching &lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&</b>" not in page
    assert "bad-one" in page and "no ECU detail mentions any of [stitch]" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page
    assert not [p for p in out_json.parent.iterdir() if p.name.endswith(".tmp")]


def test_cli_exits_0_when_every_case_passes(suite_dir, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": good_plan()})
    assert main(["eval", str(suite_dir), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "3/3 cases passed" in out and "PASS" not in out  # --quiet: summary only


def test_baseline_prints_regressions_and_improvements(suite_dir, tmp_path, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": bad_plan()})
    baseline = tmp_path / "prev.json"
    baseline.write_text(json.dumps({"summary": {"pass_rate": 0.5}, "cases": [
        {"id": "good-one", "passed": False, "failures": ["x"]},
        {"id": "bad-one", "passed": True, "failures": []},
        {"id": "retired", "passed": True, "failures": []},
    ]}))
    out_json = tmp_path / "now.json"
    assert main(["eval", str(suite_dir), "--baseline", str(baseline), "--json", str(out_json)]) == 1
    out = capsys.readouterr().out
    assert "REGRESSED  bad-one: no ECU detail mentions any of [stitch]" in out
    assert "IMPROVED   good-one" in out
    assert "new cases: good-two" in out and "not run now: retired" in out
    assert "pass_rate: 0.500 -> 0.667" in out
    report = json.loads(out_json.read_text())
    assert [r["id"] for r in report["baseline"]["regressions"]] == ["bad-one"]
    assert report["baseline"]["improvements"] == ["good-one"]


def test_bad_baseline_exits_2(suite_dir, tmp_path, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": good_plan()})
    bad = tmp_path / "prev.json"
    bad.write_text("{not json")
    assert main(["eval", str(suite_dir), "--baseline", str(bad)]) == 2
    assert "baseline is not JSON" in capsys.readouterr().err
    bad.write_text(json.dumps({"results": []}))
    assert main(["eval", str(suite_dir), "--baseline", str(bad)]) == 2
    assert "not an `ecu eval --json` report" in capsys.readouterr().err


def test_a_baseline_from_the_json_report_round_trips(suite_dir, tmp_path, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": bad_plan()})
    first = tmp_path / "first.json"
    main(["eval", str(suite_dir), "--json", str(first)])
    capsys.readouterr()
    main(["eval", str(suite_dir), "--baseline", str(first)])
    out = capsys.readouterr().out
    assert "no regressions" in out and "IMPROVED" not in out


def test_filter_by_substring_and_glob(suite_dir, use_fake_planner, tmp_path, capsys):
    use_fake_planner({"good-one": good_plan(), "good-two": good_plan(), "bad-one": bad_plan()})
    out_json = tmp_path / "f.json"
    assert main(["eval", str(suite_dir), "--filter", "GOOD", "--json", str(out_json)]) == 0
    assert [c["id"] for c in json.loads(out_json.read_text())["cases"]] == ["good-one", "good-two"]
    assert main(["eval", str(suite_dir), "--filter", "*-one", "--json", str(out_json)]) == 1
    assert [c["id"] for c in json.loads(out_json.read_text())["cases"]] == ["bad-one", "good-one"]
    assert main(["eval", str(suite_dir), "--filter", "good-t*", "--filter", "bad", "--json", str(out_json)]) == 1
    assert [c["id"] for c in json.loads(out_json.read_text())["cases"]] == ["bad-one", "good-two"]
    capsys.readouterr()
    assert main(["eval", str(suite_dir), "--filter", "nothing-like-this"]) == 2
    assert "no case matches --filter nothing-like-this" in capsys.readouterr().err


def test_pass_at_k_and_pass_hat_k_estimators():
    assert pass_at_k(3, 0, 3) == 0.0 and pass_at_k(3, 1, 3) == 1.0
    assert pass_hat_k(3, 2, 3) == 0.0 and pass_hat_k(3, 3, 3) == 1.0
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5) and pass_hat_k(4, 2, 2) == pytest.approx(1 / 6)


def test_repeat_reports_pass_at_k_and_pass_hat_k(suite_dir, tmp_path, monkeypatch, capsys):
    runs: dict[str, int] = {}

    def flaky(case):  # passes on every other run
        runs[case.id] = runs.get(case.id, 0) + 1
        return good_plan() if runs[case.id] % 2 else bad_plan()

    monkeypatch.setattr("evals.runner.agent_planner", lambda config: fake_planner(
        {"good-one": good_plan(), "good-two": flaky, "bad-one": bad_plan()}))
    out_json = tmp_path / "k.json"
    assert main(["eval", str(suite_dir), "--repeat", "2", "--json", str(out_json)]) == 1
    out = capsys.readouterr().out
    assert "FAIL 1/2" in out and "PASS 2/2" in out and "FAIL 0/2" in out
    report = json.loads(out_json.read_text())
    summary = report["summary"]
    assert summary["repeat"] == 2 and runs == {"good-two": 2}
    assert summary["pass@k"] == pytest.approx(2 / 3, abs=1e-3)   # good-one and good-two
    assert summary["pass^k"] == pytest.approx(1 / 3, abs=1e-3)   # good-one only
    assert summary["pass@1"] == pytest.approx(0.5, abs=1e-3)
    assert summary["pass_rate"] == pytest.approx(3 / 6, abs=1e-3)
    flaky_case = next(c for c in report["cases"] if c["id"] == "good-two")
    assert flaky_case["passed"] is False and flaky_case["pass_count"] == 1 and len(flaky_case["trials"]) == 2
    assert flaky_case["failures"][0].endswith("(in 1 of 2 runs)")


def test_planner_failures_fail_the_case_and_config_errors_stop_the_run(suite_dir):
    cases = load_cases([suite_dir])

    def boom(case):
        raise ZeroDivisionError("division by zero")

    planner = fake_planner({"good-one": good_plan(), "good-two": boom, "bad-one": PlanError("no plan")})
    suite = asyncio.run(run_suite(cases, planner, concurrency=2))
    by_id = {r.case.id: r for r in suite.results}
    assert by_id["good-one"].passed
    assert by_id["good-two"].failures[0].startswith("run crashed: ZeroDivisionError: division by zero (")
    assert by_id["bad-one"].failures == ["run failed: no plan"]
    assert suite.summary()["errors"] == 2
    with pytest.raises(ConfigError):
        asyncio.run(run_suite(cases, fake_planner({c.id: ConfigError("no API key") for c in cases})))


def test_config_error_exits_2(suite_dir, use_fake_planner, capsys):
    use_fake_planner({"good-one": ConfigError("model 'x' needs an API key"), "good-two": good_plan(),
                      "bad-one": good_plan()})
    assert main(["eval", str(suite_dir), "--concurrency", "1"]) == 2
    assert "needs an API key" in capsys.readouterr().err


def test_concurrency_is_bounded(suite_dir):
    cases = load_cases([suite_dir]) * 1
    in_flight = peak = 0

    async def planner(case):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return good_plan(), {}

    suite = asyncio.run(run_suite(cases, planner, concurrency=2, repeat=3))
    assert peak == 2 and len(suite.results) == 3 and all(len(r.trials) == 3 for r in suite.results)


def test_usage_and_latency_are_summarised_when_a_model_is_used(suite_dir):
    cases = load_cases([suite_dir])
    planner = fake_planner({c.id: good_plan() for c in cases})
    summary = asyncio.run(run_suite(cases, planner, model="openai/fake")).summary()
    assert summary["tokens_per_case"] == 120 and summary["tokens_total"] == 360
    assert summary["cost_usd_per_case"] == pytest.approx(0.001)
    assert summary["model_calls_per_case"] == 1 and summary["latency_s"]["max"] >= 0
    offline = asyncio.run(run_suite(cases, planner)).summary()
    assert "tokens_per_case" not in offline and offline["model"] == "offline"


# --- with the real offline planner ---------------------------------------------------------------------

def test_concurrency_does_not_change_verdicts():
    cases = load_cases()
    from agent.config import Config
    from evals.runner import agent_planner

    planner = agent_planner(Config())

    def verdicts(concurrency):
        suite = asyncio.run(run_suite(cases, planner, concurrency=concurrency))
        return [(r.case.id, r.passed, r.failures) for r in suite.results]

    one = verdicts(1)
    assert len(one) == len(cases)
    assert verdicts(8) == one


def test_cli_runs_the_shipped_suite_from_elsewhere(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ECU_MODEL", raising=False)
    code = main(["eval", "--filter", "leather", "--json", "out.json"])
    assert code in (0, 1)
    report = json.loads((tmp_path / "out.json").read_text())
    assert [c["id"] for c in report["cases"]] == ["leather-weekender"]
    assert report["cases"][0]["plan"]["brief"]["product"]
    assert "usage" in report["cases"][0] and report["summary"]["model"] == "offline"


def test_subject_words_skip_function_words_and_strip_punctuation():
    assert graders.subject_words("the product") == {"product"}
    assert graders.subject_words("Our new (Aldgate) Weekender,") == {"aldgate", "weekender"}
    plan = make_plan(product="the Aldgate Weekender")
    assert not graders.subject_first(plan, "Extreme close up shot of the stitching on the handle")
    assert graders.subject_first(plan, "Extreme close up of the Weekender's handle")
    assert graders.subject_first(make_plan(product="Lacquer Lab Gel-Effect polish"),
                                 "Macro of the gel-effect lacquer's brush")


# --- known failures: marked in the case file, reported apart ------------------------------------------

@pytest.fixture
def known_dir(tmp_path):
    """A suite with a passing case, a marked known failure, and a marked case that now passes."""
    folder = tmp_path / "known"
    folder.mkdir()
    for case_id, mark in (("good-one", ""), ("known-bad", "the planner does not yet read zip pulls"),
                          ("known-fixed", "used to miss the stitching")):
        write_case(folder, f"{case_id}.yaml", f"""
            id: {case_id}
            brief: {json.dumps(BRIEF)}
            expect:
              details:
                - any: [stitch]
            {f"known_failure: {mark}" if mark else ""}
        """)
    return folder


def test_known_failure_key_loads_and_must_say_why(tmp_path):
    case = load_case(write_case(tmp_path, "k.yaml", textwrap.dedent(GOOD_CASE.format(id="k")) + "known_failure: reads no caseback\n"))
    assert case.known_failure == "reads no caseback"
    assert load_case(write_case(tmp_path, "n.yaml", GOOD_CASE.format(id="n"))).known_failure is None
    with pytest.raises(CaseError, match="known_failure"):
        load_case(write_case(tmp_path, "e.yaml", textwrap.dedent(GOOD_CASE.format(id="e")) + "known_failure: ''\n"))


def test_known_failures_exit_0_and_are_listed_apart(known_dir, tmp_path, use_fake_planner, capsys):
    use_fake_planner({"good-one": good_plan(), "known-bad": bad_plan(), "known-fixed": good_plan()})
    out_json, out_html = tmp_path / "k.json", tmp_path / "k.html"
    assert main(["eval", str(known_dir), "--json", str(out_json), "--html", str(out_html)]) == 0
    out = capsys.readouterr().out
    assert "KNOWN    known-bad" in out and "FIXED    known-fixed" in out and "PASS     good-one" in out
    assert "Failures:" not in out
    known = out.split("Known failures (marked known_failure in the case file):")[1]
    assert [line.strip() for line in known.split("Fixed")[0].strip().splitlines()[:3]] == [
        f"known-bad ({known_dir / 'known-bad.yaml'})",
        "known failure: the planner does not yet read zip pulls",
        "- no ECU detail mentions any of [stitch] (ECU details: 'engraved zip pull')"]
    assert "Fixed (marked known_failure, now passing: the mark can go):\n  known-fixed" in out
    assert "2/3 cases passed" in out and "1 known failure(s); 1 fixed (known-fixed); as expected" in out
    report = json.loads(out_json.read_text())
    summary = report["summary"]
    assert (summary["new_failures"], summary["known_failures"], summary["fixed"], summary["as_expected"]) == \
        (0, 1, ["known-fixed"], True)
    by_id = {c["id"]: c for c in report["cases"]}
    assert [by_id[i]["status"] for i in ("good-one", "known-bad", "known-fixed")] == ["pass", "known", "fixed"]
    assert by_id["known-bad"]["known_failure"] == "the planner does not yet read zip pulls"
    page = out_html.read_text()
    assert "<h2>Known failures (1)</h2>" in page and "<h2>Fixed (marked known_failure, now passing) (1)</h2>" in page
    assert '<span class="badge known">KNOWN</span>' in page and "Failing cases" not in page


def test_a_new_failure_still_exits_1_beside_known_ones(known_dir, use_fake_planner, capsys):
    write_case(known_dir, "bad-one.yaml", f"""
        id: bad-one
        brief: {json.dumps(BRIEF)}
        expect:
          details:
            - any: [stitch]
    """)
    use_fake_planner({"good-one": good_plan(), "known-bad": bad_plan(), "known-fixed": good_plan(),
                      "bad-one": bad_plan()})
    assert main(["eval", str(known_dir)]) == 1
    out = capsys.readouterr().out
    failures_section = out.split("\nFailures:\n")[1].split("\n\n")[0]
    assert "bad-one" in failures_section and "known-bad" not in failures_section
    assert "1 known failure(s); 1 fixed (known-fixed); 1 new failure(s)" in out


def test_known_failure_with_the_real_offline_planner(tmp_path, capsys):
    write_case(tmp_path, "impossible.yaml", f"""
        id: impossible
        brief: {json.dumps(BRIEF)}
        expect:
          details:
            - any: [a detail no brief names]
        known_failure: asks for a detail the brief never mentions
    """)
    assert main(["eval", str(tmp_path)]) == 0
    assert "KNOWN    impossible" in capsys.readouterr().out


# --- the HTML report in a real browser ------------------------------------------------------------------

_MEASURE = """<script>
function lum(rgb){const c=rgb.match(/[\\d.]+/g).slice(0,3).map(v=>{v/=255;return v<=0.03928?v/12.92:
  Math.pow((v+0.055)/1.055,2.4)});return 0.2126*c[0]+0.7152*c[1]+0.0722*c[2];}
function bg(el){for(;el;el=el.parentElement){const b=getComputedStyle(el).backgroundColor;
  if(b&&!/rgba\\(0, 0, 0, 0\\)|transparent/.test(b))return b;}return 'rgb(255, 255, 255)';}
const out={reasons:[],ids:[]};
document.querySelectorAll('ul.reasons li').forEach(li=>{const a=lum(getComputedStyle(li).color),b=lum(bg(li));
  out.reasons.push((Math.max(a,b)+0.05)/(Math.min(a,b)+0.05));});
document.querySelectorAll('td.case-id a, summary .id').forEach(el=>out.ids.push(el.getClientRects().length));
const pre=document.createElement('pre');pre.id='measured';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
</script>"""


def test_failing_reasons_are_readable_and_case_ids_do_not_wrap_in_chromium(tmp_path):
    from evals import browser
    from evals.report import render_html

    if browser.find_chromium() is None:
        pytest.skip("no Chromium installed (apt-get install chromium); `make report-screenshot` needs it too")
    long_id = "a-rather-long-case-identifier-for-the-narrow-column"
    folder = tmp_path / "cases"
    folder.mkdir()
    for case_id, mark in ((long_id, ""), ("known-bad", "known_failure: not read yet")):
        write_case(folder, f"{case_id}.yaml", f"""
            id: {case_id}
            brief: {json.dumps(BRIEF)}
            expect:
              details:
                - any: [stitch]
            {mark}
        """)
    suite = asyncio.run(run_suite(load_cases([folder]), fake_planner({long_id: bad_plan(), "known-bad": bad_plan()})))
    page = tmp_path / "report.html"
    page.write_text(render_html(suite).replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = browser.dump_dom(page, width=700, height=900)
    measured = json.loads(html.unescape(dom.split('<pre id="measured">')[1].split("</pre>")[0]))
    assert len(measured["reasons"]) == 2 and min(measured["reasons"]) >= 4.5  # WCAG AA for body text
    assert measured["ids"] and set(measured["ids"]) == {1}  # every case id on one line
    assert browser.screenshot(page, tmp_path / "report.png").stat().st_size > 0


# --- plan contract v2: sources and questions -------------------------------------------------------

def sourced(plan: ShotPlan, **sources) -> ShotPlan:
    for shot_ in plan.shots:
        for term, source in sources.items():
            if shot_.detail and term in shot_.detail.name:
                shot_.source, shot_.source_reason = source, "reason"
    return plan


def test_sources_expectation_passes_only_when_every_matching_shot_has_the_source():
    expect = {"sources": {"zip": "photograph"}}
    result, reasons = failures(sourced(make_plan(), zip="photograph"), expect)
    assert reasons == [] and result.check("sources").passed
    assert (result.counts.sources_expected, result.counts.sources_right) == (1, 1)

    result, reasons = failures(make_plan(), expect)  # the zip pull is generated
    assert reasons == ["detail 'zip' must be photograph: s4 'engraved brass zip pull' is generate"]
    assert (result.counts.sources_expected, result.counts.sources_right) == (1, 0)

    result, reasons = failures(sourced(make_plan(), zip="screen_capture"), expect)
    assert reasons == ["detail 'zip' must be photograph: s4 'engraved brass zip pull' is screen_capture"]

    _, reasons = failures(make_plan(), {"sources": {"braille": "photograph"}})  # no such detail: not vacuous
    assert reasons == ["no shot's detail mentions 'braille', which must be photograph"]


def test_questions_expectation_needs_a_question():
    plan = make_plan()
    _, reasons = failures(plan, {"questions": True})
    assert reasons == ["the plan asks no question, and the case expects one"]
    plan.questions = ["Which colourway is the hero?"]
    result, reasons = failures(plan, {"questions": True})
    assert reasons == [] and result.check("questions").passed


def test_old_cases_get_the_old_checks_and_bad_v2_keys_fail_loudly(tmp_path, capsys):
    result, _ = failures(make_plan(), FULL_EXPECT)
    assert "sources" not in {c.name for c in result.checks} and "questions" not in {c.name for c in result.checks}
    write_case(tmp_path, "v2.yaml", f"""
        id: v2
        brief: {json.dumps(BRIEF)}
        expect:
          sources: {{braille: photograph, app: screen_capture}}
          questions: true
    """)
    case = load_case(tmp_path / "v2.yaml")
    assert case.expect.sources == {"braille": "photograph", "app": "screen_capture"} and case.expect.questions
    write_case(tmp_path, "bad.yaml", f"""
        id: bad
        brief: {json.dumps(BRIEF)}
        expect:
          sources: {{braille: photo}}
    """)
    with pytest.raises(CaseError, match=r"bad.yaml: expect.sources: unknown source 'photo' for 'braille'"):
        load_case(tmp_path / "bad.yaml")


def test_report_shows_deliverable_aspect_source_and_questions_per_case(tmp_path, use_fake_planner, capsys):
    plan = sourced(make_plan(), zip="photograph")
    plan.questions = ["Has <Maria> agreed to appear?"]
    for shot_ in plan.shots:
        shot_.deliverable, shot_.aspect_ratio = "instagram_story", "9:16"
    folder = tmp_path / "suite"
    folder.mkdir()
    write_case(folder, "v2.yaml", f"""
        id: v2
        brief: {json.dumps(BRIEF)}
        expect:
          sources: {{zip: photograph}}
          questions: true
    """)
    use_fake_planner({"v2": plan})
    out_html, out_json = tmp_path / "eval.html", tmp_path / "eval.json"
    assert main(["eval", str(folder), "--html", str(out_html), "--json", str(out_json), "--quiet"]) == 0
    page = out_html.read_text()
    assert "<th>deliverable / aspect</th>" in page and "instagram_story" in page and "9:16" in page
    assert "photograph<br><span class=\"mute\">reason</span>" in page
    assert "<h4>Questions</h4><ol><li>Has &lt;Maria&gt; agreed to appear?</li></ol>" in page
    assert "detail matching zip is photograph" in page and "the plan asks the marketer something" in page
    case = json.loads(out_json.read_text())["cases"][0]
    assert case["checks"]["sources"] and case["checks"]["questions"] and case["expect"]["questions"] is True
