"""The learned judgments: how they score, how they are fitted, and that the shipped tables are current."""

import json
from importlib import resources

import pytest

from tools import learned
from tools.jobs import open_jobs
from tools.lexicon import DETAIL_TERMS
from tools.train_models import accuracy, default_folders, fingerprint, fit, probabilities

JOBS = ("craftsmanship", "emotion", "proof", "story_hook")
ALL = list(JOBS)


def test_a_feature_naming_a_job_is_seen_only_from_that_job():
    features = {"near:proof": 2.0, "usual=craftsmanship": 1.0, "kind=face": 1.0}
    assert learned.job_view(features, "proof") == {"near:~": 2.0}
    assert learned.job_view(features, "craftsmanship") == {"usual=~": 1.0}
    assert learned.job_view(features, "emotion") == {}


def test_a_score_adds_the_bias_the_jobs_own_weights_and_the_shared_weight_of_what_names_it():
    table = {"proof": {"": 0.5, "word:seal": 1.0}, "craftsmanship": {"": 0.0}, learned.SHARED: {"near:~": 2.0}}
    scores = learned.scores({"word:seal": 1.0, "near:craftsmanship": 1.0, "never seen": 9.0},
                            ["proof", "craftsmanship"], learned.compile_table(table))
    assert scores == {"proof": 1.5, "craftsmanship": 2.0}


def test_only_a_persons_features_may_carry_feeling():
    assert set(open_jobs({"kind=none": 1.0})) == set(ALL)  # no term knows it: any job
    eye = {"kind=face": 1.0, "usual=emotion": 1.0, "can=craftsmanship": 1.0}
    assert open_jobs(eye) == ["emotion", "craftsmanship"]
    seam = {"kind=texture": 1.0, "usual=craftsmanship": 1.0, "can=proof": 1.0}
    assert "emotion" not in open_jobs(seam) and open_jobs(seam)[0] == "craftsmanship"
    assert "story_hook" in open_jobs(seam)  # a part may still be a clue


def _toy():
    glaze = ({"word:glaze": 1.0}, ALL, frozenset({"craftsmanship"}))
    seal = ({"word:seal": 1.0}, ALL, frozenset({"proof"}))
    return [glaze] * 6 + [seal] * 6


def test_fitting_learns_what_the_words_say_and_gives_the_same_weights_twice():
    data = _toy()
    table = fit(data, JOBS, steps=200)
    assert accuracy(table, data) == 1.0
    assert fit(data, JOBS, steps=200) == table


def test_a_set_of_accepted_jobs_is_a_target_spread_over_them_not_a_licence_for_the_commonest():
    # proof alone ten times, "craftsmanship or proof" ten times: the target is 3/4 proof, 1/4 craft. A loss that is
    # content with any accepted job drives craftsmanship towards nothing, because proof satisfies every example.
    data = [({}, ALL, frozenset({"proof"}))] * 10 + [({}, ALL, frozenset({"craftsmanship", "proof"}))] * 10
    p = probabilities(learned.compile_table(fit(data, JOBS, steps=400)), {}, ALL)
    assert 0.15 < p["craftsmanship"] < 0.35 and p["proof"] > 0.6


def test_a_cue_learned_for_common_jobs_carries_over_to_a_rare_one():
    # story_hook is never the answer in training, yet a story-hook cue near a detail still makes it the best job:
    # the weight of "a cue near the detail for this job" is shared by every job.
    data = [({"near:proof": 1.0}, ALL, frozenset({"proof"})),
            ({"near:craftsmanship": 1.0}, ALL, frozenset({"craftsmanship"}))] * 8
    table = fit(data, JOBS, steps=400)
    scores = learned.scores({"near:story_hook": 1.0}, ALL, learned.compile_table(table))
    assert max(scores, key=scores.get) == "story_hook"


def test_candidates_keep_their_features_for_training_but_never_write_them_out():
    from tools.brief import AnalyzeBriefArgs, analyze_brief
    from tools.details import PickDetailsArgs, pick_details

    analysis = analyze_brief(AnalyzeBriefArgs(brief="Oak stool. ECU on the hand-cut dovetail joints."))
    candidate = pick_details(PickDetailsArgs(analysis=analysis)).candidates[0]
    assert candidate.features and "features" not in candidate.model_dump()
    assert "features" not in json.loads(candidate.model_dump_json())


@pytest.mark.parametrize("table", [learned.JOB_WEIGHTS, learned.RANK_WEIGHTS, learned.PRODUCT_WEIGHTS])
def test_the_shipped_tables_were_trained_on_the_current_cases_and_code_and_not_on_the_holdout(table):
    shipped = json.loads((resources.files("tools") / "data" / table).read_text(encoding="utf-8"))
    folders = default_folders()
    assert "evals/holdout" not in folders and "holdout" not in shipped["trained_on"]
    assert shipped["fingerprint"] == fingerprint(folders), \
        "the cases or the planner's code changed: run `make train-models`"


def test_a_note_on_a_case_changes_no_fingerprint_but_its_brief_does(tmp_path, monkeypatch):
    import tools.train_models as train

    case = tmp_path / "c.yaml"
    monkeypatch.setattr(train, "DEPENDS_ON", ())
    case.write_text("id: c\nbrief: Oak stool, the dovetails.\nexpect:\n  details: []\n")
    first = fingerprint([str(tmp_path)])
    case.write_text(case.read_text() + "known_failure: a note\n")
    assert fingerprint([str(tmp_path)]) == first
    case.write_text(case.read_text().replace("dovetails", "dovetail joints"))
    assert fingerprint([str(tmp_path)]) != first


def test_fitting_does_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    code = ("import json; from tests.test_learned import _toy, JOBS; from tools.train_models import fit; "
            "print(json.dumps(fit(_toy() + [({'word:rim': 1.0, 'near:proof': 1.0}, list(JOBS), "
            "frozenset({'proof', 'story_hook'}))], JOBS, steps=50), sort_keys=True))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_the_rank_model_weighs_a_job_cue_as_a_plain_feature_and_learns_which_candidates_are_shot():
    shot, skip = ({"source=listed": 1.0, "near:proof": 1.0}, [learned.SHOT, learned.SKIP], frozenset({learned.SHOT})), \
        ({"source=brief": 1.0}, [learned.SHOT, learned.SKIP], frozenset({learned.SKIP}))
    table = fit([shot, skip] * 5, (learned.SHOT, learned.SKIP), steps=300)
    assert table[learned.SHOT].get("near:proof", 0) > 0  # its own weight: it names a job, not a class of this model
    assert accuracy(table, [shot, skip]) == 1.0


def test_a_word_that_is_a_jobs_name_is_a_word_not_a_cue():
    assert learned.names_a_job("near:proof") and not learned.names_a_job("word:proof")
    assert learned.job_view({"word:proof": 1.0, "near:proof": 1.0}, "proof") == {"near:~": 1.0}


def test_a_class_the_table_lacks_scores_nothing_instead_of_stopping_a_plan():
    fitted = learned.compile_table({"proof": {"": 1.0}})
    assert learned.scores({"word:seal": 1.0}, ["proof", "story_hook"], fitted) == {"proof": 1.0, "story_hook": 0.0}


def test_the_cached_features_are_each_callers_own():
    from tools.jobs import job_features

    first = job_features(DETAIL_TERMS["seal"], "", "food_beverage", near="the seal", head="seal")
    first["tampered"] = 1.0
    assert "tampered" not in job_features(DETAIL_TERMS["seal"], "", "food_beverage", near="the seal", head="seal")


def test_choosing_follows_the_rank_model_among_the_usable_candidates(monkeypatch):
    from tools.brief import AnalyzeBriefArgs, analyze_brief
    from tools.details import PickDetailsArgs, pick_details

    brief = "Oak stool. ECU on the hand-cut dovetail joints, the oiled grain and the brass foot caps."
    analysis = analyze_brief(AnalyzeBriefArgs(brief=brief))

    def chosen(favoured):
        monkeypatch.setattr(learned, "shot_logit", lambda f: 1.0 if f.get(f"name:{favoured}") else 0.0)
        return [d.name for d in pick_details(PickDetailsArgs(analysis=analysis, max_details=1)).chosen]
    assert "grain" in chosen("grain")[0] and "cap" in chosen("caps")[0]


def test_a_lexicon_term_with_no_cue_keeps_its_usual_job():
    from tools.jobs import choose_job

    assert choose_job(DETAIL_TERMS["stitching"], "", "apparel", near="the stitching", head="stitching") \
        == "craftsmanship"
    assert choose_job(DETAIL_TERMS["seal"], "", "food_beverage", near="the seal", head="seal") == "proof"


def test_a_product_example_labels_the_named_thing_over_a_bare_brand_and_skips_a_labelled_brief(tmp_path, monkeypatch):
    import tools.train_models as train

    products = tmp_path / "products.yaml"
    products.write_text("X:\n  p1: [corvell, stool]\n  p2: [stool]\n")
    monkeypatch.setattr(train, "PRODUCTS", products)
    brief = "Corvell - spring shoot\nOur new oak stool is the bestseller. Corvell makes every one by hand."
    found = train.product_examples([{"folder": "X", "id": "p1", "brief": brief},
                                    {"folder": "X", "id": "p2", "brief": "Product: oak stool\nThe dovetails."}])
    labelled = {tuple(sorted(f)): accepted for f, _, accepted in found}
    assert found and all(f.get("thing") or f.get("object") for f, _, accepted in found
                         if accepted == {learned.PRODUCT})  # the brand alone matches too, but is not the answer
    assert any(accepted == {learned.OTHER} for accepted in labelled.values())
    assert len(found) == len(train.product_examples([{"folder": "X", "id": "p1", "brief": brief}]))  # p2: labelled
