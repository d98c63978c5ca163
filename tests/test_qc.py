"""QC on synthetic images with known answers, the revision format, the vision hook, and `ecu qc`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from agent.models import QC_CRITERIA, CriterionResult
from cli.main import main
from tests.fakes import synthetic_images as synth
from tools.qc import assess, make_vision_judge, measure, parse_region, parse_revision, read_params


def statuses(report):
    return {name: result.status for name, result in report.criteria.items()}


@pytest.mark.parametrize("size", [64, 128, 512])
def test_sharp_centred_macro_passes(size):
    report = assess(synth.macro_scene(size))
    assert set(report.criteria) == set(QC_CRITERIA)
    assert report.passed, report
    assert statuses(report) == {"identity_clarity": "not_assessed", "texture_realism": "pass",
                                "edge_integrity": "pass", "focus_logic": "pass", "artifact_risk": "pass"}
    assert report.revisions == []
    assert report.criteria["identity_clarity"].score is None
    assert all(0.0 <= c.score <= 1.0 for c in report.criteria.values() if c.score is not None)


def test_blurred_image_fails_focus_and_texture_with_revisions():
    report = assess(synth.blurred(128), subject="saddle stitching")
    assert not report.passed
    assert report.criteria["focus_logic"].status == "fail"
    assert "no sharp region" in report.criteria["focus_logic"].evidence
    assert report.criteria["texture_realism"].status == "fail"
    assert any(r.startswith("focus: razor sharp focus on the saddle stitching, f/8 macro") for r in report.revisions)
    assert "new seed" in report.revisions


@pytest.mark.parametrize("repeats", [2, 3])
def test_tiled_image_fails_artifact_risk(repeats):
    report = assess(synth.tiled(96 * repeats // 2 * 2 if repeats == 3 else 128, repeats))
    assert report.criteria["artifact_risk"].status == "fail"
    assert "repeated content" in report.criteria["artifact_risk"].evidence
    assert any("repeated patterns" in r for r in report.revisions)
    assert "new seed" in report.revisions


def test_sharpness_in_the_wrong_place_fails_focus_logic():
    report = assess(synth.macro_scene(256, centre=(0.12, 0.12), radius=0.12), subject="brass buckle")
    focus = report.criteria["focus_logic"]
    assert focus.status == "fail"
    assert "outside the intended region" in focus.evidence
    assert any("brass buckle centred in frame" in r for r in report.revisions)


def test_a_given_region_moves_the_intended_focus():
    image = synth.macro_scene(256, centre=(0.12, 0.12), radius=0.12)
    assert assess(image, region=(0.0, 0.0, 0.3, 0.3)).criteria["focus_logic"].status == "pass"
    assert assess(image, region="0,0,77,77").criteria["focus_logic"].status == "pass"  # pixels
    assert assess(synth.macro_scene(256), region="0.6,0.6,0.4,0.4").criteria["focus_logic"].status == "fail"


def test_clipped_exposure_fails_artifact_risk():
    report = assess(synth.macro_scene(128, gain=3.0))
    risk = report.criteria["artifact_risk"]
    assert risk.status == "fail" and "blown highlights" in risk.evidence
    assert any(r.startswith("lighting: + controlled highlights") for r in report.revisions)


def test_a_dark_background_alone_is_not_clipping():
    image = synth.macro_scene(128, background=0.0)
    assert assess(image).criteria["artifact_risk"].status == "pass"


def test_crushed_detail_fails():
    image = synth.macro_scene(128, gain=0.02)
    risk = assess(image).criteria["artifact_risk"]
    assert risk.status == "fail" and "crushed shadows" in risk.evidence


def test_subject_cut_by_the_frame_edge_fails_edge_integrity():
    report = assess(synth.macro_scene(128, centre=(0.5, 0.92), radius=0.22), subject="zip pull")
    edge = report.criteria["edge_integrity"]
    assert edge.status == "fail" and "bottom edge" in edge.evidence
    assert any(r.startswith("subject_detail: + all of the zip pull inside the frame") for r in report.revisions)


def test_noise_is_not_texture_and_plastic_is_not_texture():
    noise = assess(synth.white_noise(128)).criteria["texture_realism"]
    assert noise.status == "fail" and "noise" in noise.evidence
    smooth = assess(synth.plastic(128)).criteria["texture_realism"]
    assert smooth.status == "fail" and "plastic" in smooth.evidence


def test_a_texture_filling_the_frame_is_a_valid_ecu():
    grain = synth.natural_texture(128, 128, seed=5)
    image = np.repeat(np.clip(grain, 0, 255)[:, :, None], 3, axis=2).astype(np.uint8)
    report = assess(image, subject="leather grain")
    assert report.passed, report
    assert "deep focus" in report.criteria["edge_integrity"].evidence


def test_wide_shots_skip_the_ecu_background_check():
    busy = synth.tiled(128, 4)
    assert assess(busy, scale="wide").criteria["focus_logic"].status == "pass"


def test_inputs_paths_pil_arrays_and_large_images(tmp_path):
    array = synth.macro_scene(128)
    path = synth.write_png(array, tmp_path / "a.png")
    by_path, by_pil, by_array = assess(path), assess(Image.fromarray(array)), assess(array)
    assert by_path.criteria == by_pil.criteria == by_array.criteria
    assert by_path.image == path
    grey = assess(array[:, :, 0].astype(np.float32) / 255.0)  # float grey in [0, 1]
    assert grey.passed
    big = measure(Image.fromarray(synth.macro_scene((1400, 1700))))  # 2.4 MP: reduced for the analysis
    assert big.width * big.height <= 1_600_000 and big.original == (1700, 1400)
    assert assess(synth.macro_scene((16, 40))).criteria  # odd small sizes work
    with pytest.raises(ValueError, match="at least 8x8"):
        assess(np.zeros((4, 4, 3), dtype=np.uint8))


def test_parse_region_and_revisions():
    assert parse_region("0.1, 0.2, 0.3, 0.4") == (0.1, 0.2, 0.3, 0.4)
    assert parse_region(None) is None
    for bad in ("1,2,3", "a,b,c,d", "0,0,0,1", "-1,0,1,1"):
        with pytest.raises(ValueError):
            parse_region(bad)
    assert parse_revision("focus: razor sharp focus on x").field == "focus"
    appended = parse_revision("negative: + grain, noise")
    assert appended.append and appended.text == "grain, noise"
    assert parse_revision("new seed").field == "seed"
    assert parse_revision("colour: blue") is None


def test_identity_clarity_through_a_vision_hook():
    calls = []

    def judge(png: bytes, subject: str):
        calls.append((png[:8], subject))
        return {"status": "fail", "score": 0.2, "evidence": "could be any metal surface"}

    report = assess(synth.macro_scene(64), vision=judge, subject="brass buckle")
    assert calls == [(b"\x89PNG\r\n\x1a\n", "the brass buckle")]
    assert report.criteria["identity_clarity"] == CriterionResult(status="fail", score=0.2,
                                                                  evidence="could be any metal surface")
    assert not report.passed and any("unmistakable" in r for r in report.revisions)

    def broken(png, subject):
        raise ConnectionError("model unreachable")

    failed = assess(synth.macro_scene(64), vision=broken)
    assert failed.criteria["identity_clarity"].status == "not_assessed"
    assert "model unreachable" in failed.criteria["identity_clarity"].evidence
    assert failed.passed


def test_vision_judge_sends_the_image_through_a_litellm_style_call():
    seen = {}

    def completion(**kwargs):
        seen.update(kwargs)
        content = '```json\n{"identifiable": true, "score": 0.9, "evidence": "clearly brass stitching"}\n```'
        return SimpleNamespace(choices=[SimpleNamespace(message=SimpleNamespace(content=content))])

    judge = make_vision_judge("openai/vision", api_base="http://127.0.0.1:9/v1", completion=completion)
    report = assess(synth.macro_scene(64), vision=judge, subject="stitching")
    result = report.criteria["identity_clarity"]
    assert result.status == "pass" and result.score == 0.9 and "clearly brass stitching" in result.evidence
    parts = seen["messages"][0]["content"]
    assert seen["model"] == "openai/vision" and seen["api_base"] == "http://127.0.0.1:9/v1"
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "the stitching" in parts[0]["text"]


def test_read_params_from_png_text_chunk(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("ecu", json.dumps({"detail": "saddle stitching", "scale": "extreme_close_up", "seed": 7}))
    path = tmp_path / "p.png"
    Image.fromarray(synth.blurred(64)).save(path, pnginfo=info)
    assert read_params(path)["seed"] == 7
    report = assess(path)
    assert any("the saddle stitching" in r for r in report.revisions)  # the subject came from the metadata
    assert read_params(tmp_path / "missing.png") == {}


def test_ecu_qc_cli_json(tmp_path, capsys):
    good = synth.write_png(synth.macro_scene(128), tmp_path / "good.png")
    blurry = synth.write_png(synth.blurred(128), tmp_path / "blurry.png")
    tiles = synth.write_png(synth.tiled(128), tmp_path / "tiled.png")
    wrong = synth.write_png(synth.macro_scene(128, centre=(0.12, 0.12), radius=0.12), tmp_path / "wrong.png")
    code = main(["qc", good, blurry, tiles, wrong, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1  # some image failed
    reports = [json.loads(line) for line in out]
    assert [r["image"] for r in reports] == [good, blurry, tiles, wrong]
    for report in reports:
        assert set(report) == {"image", "passed", "criteria", "revisions"}
        assert set(report["criteria"]) == set(QC_CRITERIA)
        for result in report["criteria"].values():
            assert set(result) == {"status", "score", "evidence"}
        assert report["criteria"]["identity_clarity"]["status"] == "not_assessed"
    assert [r["passed"] for r in reports] == [True, False, False, False]
    assert all(r["revisions"] for r in reports[1:])
    assert main(["qc", good, "--json"]) == 0
    capsys.readouterr()
    assert main(["qc", good]) == 0
    assert "PASS" in capsys.readouterr().out


def test_ecu_qc_cli_errors_are_one_line(tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    for args in (["qc", str(tmp_path / "missing.png")], ["qc", str(bad)], ["qc", str(bad), "--focus", "1,2"]):
        proc = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("ecu: error: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr


def test_cli_help_and_tool_modules_stay_light():
    code = ("import sys, cli.main; cli.main.build_parser(); import tools.generate, tools.qc, agent.iterate; "
            "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'litellm') if m in sys.modules]; "
            "print(heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_ecu_qc_asks_a_vision_model_through_real_litellm(tmp_path, capsys, monkeypatch):
    """`--vision-model` reaches a loopback OpenAI-compatible server with the image attached; its verdict counts."""
    from tests.fakes.llm_server import FakeLLMServer, text_reply

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    good = synth.write_png(synth.macro_scene(128), tmp_path / "good.png")
    with FakeLLMServer() as server:
        server.push(text_reply('{"identifiable": false, "score": 0.2, "evidence": "reads as any metal"}'))
        code = main(["qc", good, "--json", "--vision-model", "openai/vision", "--api-base", server.url])
        (request,) = server.completions
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["criteria"]["identity_clarity"]["status"] == "fail"
    assert "reads as any metal" in report["criteria"]["identity_clarity"]["evidence"]
    assert request.body["model"] == "vision" and request.messages[0]["content"][1]["type"] == "image_url"


def test_ecu_qc_folder_checks_every_image_and_goes_on_past_bad_ones(tmp_path, capsys):
    folder = tmp_path / "renders"
    folder.mkdir()
    good = synth.write_png(synth.macro_scene(128), folder / "s1-good.png")
    blurry = synth.write_png(synth.blurred(128), folder / "s2-blurry.png")
    (folder / "s3-broken.png").write_text("not an image")
    Image.new("RGB", (1, 1)).save(folder / "s4-dot.png")
    synth.write_png(synth.macro_scene(128), folder / "s5-last.png")
    synth.write_png(synth.tiled(128), folder / "contact-sheet-20260101-000000.png")  # the run's index, not a shot
    (folder / "manifest.jsonl").write_text("{}\n")
    assert main(["qc", str(folder), "--json"]) == 2
    captured = capsys.readouterr()
    reports = [json.loads(line) for line in captured.out.splitlines()]
    assert [Path(r["image"]).name for r in reports] == ["s1-good.png", "s2-blurry.png", "s3-broken.png",
                                                         "s4-dot.png", "s5-last.png"]
    assert [r["passed"] for r in reports] == [True, False, False, False, True]
    assert "cannot read image" in reports[2]["error"] and "at least 8x8 pixels" in reports[3]["error"]
    assert captured.err.startswith("ecu: error: 2 of 5 images could not be checked (first: cannot read image")
    assert captured.err.count("\n") == 1
    assert main(["qc", str(folder / "s1-good.png"), str(folder / "s2-blurry.png")]) == 1
    text = capsys.readouterr().out
    assert f"{good}: PASS" in text and f"{blurry}: FAIL" in text
    assert main(["qc", str(folder / "s4-dot.png"), str(folder / "s1-good.png")]) == 2
    text = capsys.readouterr().out
    assert text.startswith(f"{folder / 's4-dot.png'}: FAIL (not checked: ") and f"{good}: PASS" in text
    (tmp_path / "empty").mkdir()
    assert main(["qc", str(tmp_path / "empty")]) == 2
    assert "no images in folder" in capsys.readouterr().err


def test_pillow_size_warning_becomes_a_one_line_notice(tmp_path, capsys, monkeypatch, recwarn):
    image = synth.write_png(synth.macro_scene(128), tmp_path / "big.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 128 * 128 - 1)  # just over the limit: Pillow warns
    assert main(["qc", image]) == 0
    err = capsys.readouterr().err
    assert err == f"ecu: notice: {image} is a very large image (over 16,383 pixels); checked anyway\n"
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 128 * 128 // 3)  # over twice the limit: Pillow refuses
    assert main(["qc", image]) == 2
    assert "too many pixels to check safely" in capsys.readouterr().err
