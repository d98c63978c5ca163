"""The regenerate loop: only failing shots are revised and rendered again, for at most N rounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.errors import GenerationError
from agent.events import ImageSaved, PlanUpdated, Progress, QCReported
from agent.iterate import refine, revise_prompt
from agent.models import BriefSummary, Camera, Detail, Prompt, PromptFields, Shot, ShotPlan
from tests.fakes import synthetic_images as synth
from tools.generate import GenerateError, SavedImage, brief_seed_base, derive_seed
from tools.prompting import render


def make_plan() -> ShotPlan:
    shots = []
    for i, detail in enumerate(("saddle stitching", "brass buckle", "leather grain"), start=1):
        fields = PromptFields(subject_detail=f"the {detail} on the bag", shot_scale="extreme close up shot",
                              material_texture="leather", lighting="raking side light",
                              focus=f"sharp focus on the {detail}", background="dark background",
                              intent="premium product photography")
        shots.append(Shot(id=f"s{i}", scale="extreme_close_up", purpose="punctuate", placement=f"slide {i}",
                          detail=Detail(name=detail, category="craftsmanship", why="shows the making"),
                          prompt=Prompt(text=render(fields), fields=fields, negative="blurry"),
                          camera=Camera(lens="100mm macro", aperture="f/8", lighting="raking side light")))
    return ShotPlan(brief=BriefSummary(product="leather bag", aspect_ratio="1:1"), shots=shots)


class FakeRenderer:
    """Writes prepared images: `script[shot_id][attempt - 1]` is "good" or "blurry" (the last one repeats)."""

    def __init__(self, out: Path, script: dict[str, list[str]]):
        self.out, self.script, self.calls = out, script, []
        out.mkdir(parents=True, exist_ok=True)

    def __call__(self, jobs, *, progress=None, on_saved=None, cancel=None):
        self.calls.append([(job.shot_id, job.attempt, job.seed, job.prompt) for job in jobs])
        saved = []
        for n, job in enumerate(jobs, start=1):
            kinds = self.script[job.shot_id]
            kind = kinds[min(job.attempt, len(kinds)) - 1]
            image = synth.macro_scene(64, seed=job.attempt) if kind == "good" else synth.blurred(64)
            path = Path(synth.write_png(image, self.out / f"{job.shot_id}-a{job.attempt}.png"))
            item = SavedImage(job=job, path=path, params={})
            if on_saved:
                on_saved(item)
            if progress:
                progress("generate", n, len(jobs))
            saved.append(item)
        return saved


def test_only_failing_shots_are_revised_and_regenerated(tmp_path):
    plan = make_plan()
    renderer = FakeRenderer(tmp_path, {"s1": ["good"], "s2": ["blurry", "good"], "s3": ["blurry"]})
    events = []
    result = refine(plan, render=renderer, max_rounds=3, emit=events.append, contact_sheet=tmp_path / "sheet.png")

    assert [[(shot, attempt) for shot, attempt, *_ in call] for call in renderer.calls] == [
        [("s1", 1), ("s2", 1), ("s3", 1)], [("s2", 2), ("s3", 2)], [("s3", 3)]]
    s1, s2, s3 = result.shots
    assert [len(s.renders) for s in result.shots] == [1, 2, 3]
    assert s1.renders[0].qc.passed and s1.prompt == plan.shots[0].prompt  # a passing shot is left alone
    assert not s2.renders[0].qc.passed and s2.renders[1].qc.passed
    assert [r.attempt for r in s3.renders] == [1, 2, 3] and not s3.renders[-1].qc.passed

    base = brief_seed_base(plan)
    assert [r.seed for r in s2.renders] == [derive_seed(base, "s2", 1), derive_seed(base, "s2", 2)]
    assert s2.renders[0].seed != s2.renders[1].seed  # a new seed with each attempt

    # The failing shot's prompt carries the QC revisions; the second attempt was rendered with it.
    assert s2.prompt.fields.focus.startswith("razor sharp focus on the brass buckle, f/8 macro")
    assert "soft focus" in s2.prompt.negative
    assert s2.prompt.text == render(s2.prompt.fields)
    second_prompt = renderer.calls[1][0][3]
    assert second_prompt == s2.prompt.text and second_prompt != plan.shots[1].prompt.text
    assert plan.shots[1].renders == []  # the input plan is not modified

    assert sum(isinstance(e, ImageSaved) for e in events) == 6
    reported = [e for e in events if isinstance(e, QCReported)]
    assert [e.shot_id for e in reported] == ["s1", "s2", "s3", "s2", "s3", "s3"]
    assert sum(isinstance(e, PlanUpdated) for e in events) == 3
    assert {e.stage for e in events if isinstance(e, Progress)} == {"generate", "qc"}
    assert (tmp_path / "sheet.png").exists()
    data = json.loads(result.model_dump_json())
    assert set(data["shots"][1]["renders"][0]) == {"path", "seed", "attempt", "qc"}


def test_stops_after_max_rounds(tmp_path):
    renderer = FakeRenderer(tmp_path, {"s1": ["blurry"], "s2": ["blurry"], "s3": ["good"]})
    result = refine(make_plan(), render=renderer, max_rounds=2)
    assert len(renderer.calls) == 2 and [len(s.renders) for s in result.shots] == [2, 2, 1]

    once = FakeRenderer(tmp_path / "once", {"s1": ["blurry"], "s2": ["good"], "s3": ["good"]})
    single = refine(make_plan(), render=once, max_rounds=1)
    assert len(once.calls) == 1 and single.shots[0].prompt == make_plan().shots[0].prompt  # nothing to revise for

    done = FakeRenderer(tmp_path / "done", {"s1": ["good"], "s2": ["good"], "s3": ["good"]})
    refine(make_plan(), render=done, max_rounds=5)
    assert len(done.calls) == 1  # everything passed: no second round

    with pytest.raises(GenerationError):
        refine(make_plan(), render=done, max_rounds=0)


def test_named_shots_and_custom_reviser(tmp_path):
    renderer = FakeRenderer(tmp_path, {"s1": ["blurry"], "s2": ["blurry"], "s3": ["blurry"]})
    asked = []

    def reviser(shot, report):
        asked.append(shot.id)
        return ["background: plain dark seamless background", "new seed"]

    result = refine(make_plan(), render=renderer, max_rounds=2, shots=["s2"], revise=reviser)
    assert [[c[0] for c in call] for call in renderer.calls] == [["s2"], ["s2"]]
    assert asked == ["s2"] and result.shots[1].prompt.fields.background == "plain dark seamless background"
    assert result.shots[0].renders == [] and result.shots[0].prompt == make_plan().shots[0].prompt


def test_generation_errors_become_one_line_generation_errors(tmp_path):
    def failing(jobs, **kwargs):
        raise GenerateError("disk full writing s1-a1-1.png; 0 image(s) already written stay in out")

    with pytest.raises(GenerationError, match="disk full"):
        refine(make_plan(), render=failing)


def test_revise_prompt_replaces_appends_and_keeps_hand_edits():
    prompt = make_plan().shots[0].prompt
    revised = revise_prompt(prompt, ["focus: razor sharp focus on the stitching, f/8 macro",
                                     "material_texture: + visible micro texture", "negative: + grain",
                                     "new seed", "nonsense line"])
    assert revised.fields.focus == "razor sharp focus on the stitching, f/8 macro"
    assert revised.fields.material_texture == "leather, visible micro texture"
    assert revised.negative == "blurry, grain"
    assert revised.text == render(revised.fields)
    assert revise_prompt(revised, ["material_texture: + visible micro texture"]) == revised  # idempotent

    edited = prompt.model_copy(update={"text": "my own words about stitching"})
    changed = revise_prompt(edited, ["background: plain dark seamless background"])
    assert changed.text == "my own words about stitching, plain dark seamless background"


def test_ecu_plan_generate_on_the_tiny_pipeline(tmp_path, tiny_model, one_torch_thread, capsys, leather_brief):
    from cli.main import main

    brief = tmp_path / "brief.txt"
    brief.write_text(leather_brief)
    code = main(["plan", str(brief), "--json", "--generate", "--max-rounds", "2", "--image-model", str(tiny_model),
                 "--image-dir", str(tmp_path / "img"), "--steps", "2", "--width", "32", "--height", "32",
                 "--device", "cpu"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    plan = ShotPlan.model_validate_json(captured.out)
    assert all(shot.renders for shot in plan.shots)
    for shot in plan.shots:
        assert [r.attempt for r in shot.renders] == list(range(1, len(shot.renders) + 1)) and len(shot.renders) <= 2
        assert all(Path(r.path).exists() and r.qc is not None for r in shot.renders)
        # a second attempt happens only after a failed first one
        assert len(shot.renders) == 1 or not shot.renders[0].qc.passed
    assert "qc s1:" in captured.err
    assert len(list((tmp_path / "img").glob("contact-sheet-*.png"))) == 1
    manifest = (tmp_path / "img" / "manifest.jsonl").read_text().splitlines()
    assert len(manifest) == sum(len(s.renders) for s in plan.shots)


def test_ecu_plan_generate_renders_and_checks_only_generate_shots(tmp_path, tiny_model, one_torch_thread, capsys):
    from cli.main import main
    from tests.test_contract_v2 import MAKER

    brief = tmp_path / "brief.txt"
    brief.write_text(MAKER)
    code = main(["plan", str(brief), "--json", "--generate", "--max-rounds", "1", "--image-model", str(tiny_model),
                 "--image-dir", str(tmp_path / "img"), "--steps", "2", "--width", "32", "--device", "cpu"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    plan = ShotPlan.model_validate_json(captured.out)
    real = [s for s in plan.shots if s.source != "generate"]
    assert real and all(not s.renders for s in real)
    assert all(s.renders and s.renders[-1].qc is not None for s in plan.shots if s.source == "generate")
    for shot in real:
        assert f"to be shot: {shot.id} (photograph): shows Maria Okafor" in captured.err
        assert f"qc {shot.id}:" not in captured.err
