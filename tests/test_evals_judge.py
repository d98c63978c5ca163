"""The optional model grader: rubric verdicts, the on-disk cache, and the real litellm path on loopback."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli.main import main
from evals.cases import load_cases
from evals.judge import GRADER_VERSION, Judge, parse_reply, plan_hash
from evals.runner import run_suite

try:  # pytest puts tests/ on sys.path (rootdir-relative packages are not assumed)
    from test_evals import bad_plan, fake_planner, good_plan, suite_dir  # noqa: F401 (fixture)
except ImportError:  # tests/ made a package
    from tests.test_evals import bad_plan, fake_planner, good_plan, suite_dir  # noqa: F401


class FakeJudge:
    """A judge callable: records the messages and answers from a script."""

    def __init__(self, reply='{"pass": true, "critique": "Concrete details, product named early."}'):
        self.reply = reply
        self.messages: list[list[dict]] = []

    async def __call__(self, messages):
        self.messages.append(messages)
        return self.reply


def run(cases, judge, plans=None):
    planner = fake_planner(plans or {c.id: good_plan() for c in cases})
    return asyncio.run(run_suite(cases, planner, judge=judge))


def test_parse_reply():
    assert parse_reply('Sure! {"pass": false, "critique": "too abstract"}') == (False, "too abstract")
    assert parse_reply('```json\n{"passed": "true", "critique": ""}\n```') == (True, "")
    for bad in ("no json here", '{"pass": "maybe"}', "{broken"):
        with pytest.raises(ValueError):
            parse_reply(bad)


def test_judge_verdict_joins_the_case_and_is_cached(suite_dir, tmp_path):  # noqa: F811
    cases = load_cases([suite_dir], ["good"])
    fake = FakeJudge('{"pass": false, "critique": "The stitching ECU never shows the bag."}')
    judge = Judge("fake-judge", cache_dir=tmp_path / "cache", complete=fake)
    suite = run(cases, judge)
    assert len(fake.messages) == 2 and judge.calls == 2
    system, user = fake.messages[0]
    assert system["role"] == "system" and "Pass the plan only if" in system["content"]
    assert cases[0].brief.strip() in user["content"] and "saddle stitching" in user["content"]
    for result in suite.results:
        assert not result.passed
        assert result.failures == ["judge: The stitching ECU never shows the bag."]
        assert result.trials[0].judge["passed"] is False and result.trials[0].judge["cached"] is False
    assert suite.summary()["judge"] == {"model": "fake-judge", "pass_rate": 0.0, "errors": 0, "cached": 0}
    files = sorted((tmp_path / "cache").iterdir())
    assert len(files) == 2 and files[0].name.startswith("good-one.")
    record = json.loads(files[0].read_text())
    assert record["version"] == GRADER_VERSION and record["plan_hash"] == plan_hash(good_plan())

    again = Judge("fake-judge", cache_dir=tmp_path / "cache", complete=fake)
    suite = run(cases, again)
    assert again.calls == 0 and len(fake.messages) == 2
    assert all(r.trials[0].judge["cached"] for r in suite.results)
    assert suite.summary()["judge"]["cached"] == 2

    # a different plan, grader version or judge model is a cache miss
    run(cases, Judge("fake-judge", cache_dir=tmp_path / "cache", complete=fake),
        plans={c.id: bad_plan() for c in cases})
    run(cases, Judge("fake-judge", cache_dir=tmp_path / "cache", complete=fake, version="ecu-judge-next"))
    run(cases, Judge("other-judge", cache_dir=tmp_path / "cache", complete=fake))
    assert len(fake.messages) == 8


def test_a_passing_verdict_keeps_the_case_passing(suite_dir, tmp_path):  # noqa: F811
    cases = load_cases([suite_dir], ["good-one"])
    suite = run(cases, Judge("fake-judge", cache_dir=tmp_path, complete=FakeJudge()))
    assert suite.results[0].passed and suite.results[0].trials[0].checks["judge"] is True
    assert suite.summary()["judge"]["pass_rate"] == 1.0


def test_judge_errors_fail_the_case_and_are_not_cached(suite_dir, tmp_path):  # noqa: F811
    cases = load_cases([suite_dir], ["good-one"])
    cache = tmp_path / "cache"
    suite = run(cases, Judge("fake-judge", cache_dir=cache, complete=FakeJudge("I think it is fine.")))
    assert suite.results[0].failures == ["judge failed: no JSON object in the judge's reply"]
    assert suite.summary()["judge"]["errors"] == 1

    def down(messages):
        raise ConnectionError("connection refused\nmore detail")

    suite = run(cases, Judge("fake-judge", cache_dir=cache, complete=down))
    assert suite.results[0].failures == ["judge failed: connection refused"]
    assert not cache.exists() or list(cache.iterdir()) == []


def test_the_judge_is_off_by_default(suite_dir, tmp_path, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("ECU_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("evals.runner.agent_planner", lambda config: fake_planner(
        {"good-one": good_plan(), "good-two": good_plan(), "bad-one": good_plan()}))
    out = tmp_path / "r.json"
    assert main(["eval", str(suite_dir), "--json", str(out)]) == 0
    assert "judge" not in json.loads(out.read_text())["summary"]
    assert not (tmp_path / "home" / "judge-cache").exists()


# --- the real client on loopback ------------------------------------------------------------------------

class _ChatServer(BaseHTTPRequestHandler):
    requests: list[dict] = []
    verdict = {"pass": True, "critique": "Sharp, specific, on brief."}

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        reply = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": json.dumps(type(self).verdict)}}],
                 "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def chat_server():
    _ChatServer.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_cli_judge_through_litellm_on_loopback(suite_dir, tmp_path, monkeypatch, chat_server, capsys):  # noqa: F811
    monkeypatch.setenv("ECU_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-loopback")
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    monkeypatch.setattr("evals.runner.agent_planner", lambda config: fake_planner(
        {"good-one": good_plan(), "good-two": good_plan(), "bad-one": good_plan()}))
    out = tmp_path / "r.json"
    args = ["eval", str(suite_dir), "--judge", "openai/loopback-judge", "--judge-api-base", chat_server,
            "--json", str(out), "--html", str(tmp_path / "r.html")]
    assert main(args) == 0
    assert len(_ChatServer.requests) == 3
    request = _ChatServer.requests[0]
    assert request["path"].endswith("/chat/completions") and request["body"]["model"] == "loopback-judge"
    assert request["body"]["messages"][0]["role"] == "system"
    report = json.loads(out.read_text())
    assert report["summary"]["judge"]["pass_rate"] == 1.0
    assert report["cases"][0]["judge"]["critique"] == "Sharp, specific, on brief."
    assert "Sharp, specific, on brief." in (tmp_path / "r.html").read_text()
    assert len(list((tmp_path / "home" / "judge-cache").iterdir())) == 3

    assert main(args) == 0  # all from the cache
    assert len(_ChatServer.requests) == 3
    assert json.loads(out.read_text())["summary"]["judge"]["cached"] == 3


# --- the planner itself through a model on loopback -------------------------------------------------------

def test_eval_with_a_model_reports_tokens_cost_and_latency(tmp_path, monkeypatch, capsys):
    from tests.fakes.llm_server import FakeLLMServer, tool_reply

    monkeypatch.setenv("OPENAI_API_KEY", "sk-loopback")
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    brief = ("The Aldgate Weekender is our flagship bag: full-grain leather, saddle stitched by hand, solid brass "
             "hardware. A wide hero shot of the bag in a hotel corridor, a mid shot of someone carrying it, then "
             "extreme close-ups of the saddle stitching along the handle and the engraved brass zip pull.")
    (tmp_path / "one.yaml").write_text(json.dumps({"id": "model-case", "brief": brief,
                                                   "expect": {"details": [{"any": ["stitch"]}]}}))

    def submit(request):
        return tool_reply(("submit_plan", request.last_tool_results()[-1]["content"]))

    with FakeLLMServer() as server:
        server.push(tool_reply(("draft_plan", {"brief": brief})), submit)
        out = tmp_path / "r.json"
        code = main(["eval", str(tmp_path / "one.yaml"), "--model", "openai/x", "--api-base", server.url,
                     "--json", str(out)])
        assert len(server.completions) == 2
    assert code in (0, 1)  # the verdict is the planner's business; the numbers are ours
    report = json.loads(out.read_text())
    summary = report["summary"]
    assert summary["model"] == "openai/x"
    assert summary["model_calls_per_case"] == 2 and summary["tokens_per_case"] == 300  # 2 x (120 + 30)
    assert "cost_usd_per_case" in summary and summary["latency_s"]["mean"] > 0
    usage = report["cases"][0]["usage"]
    assert usage["model_calls"] == 2 and usage["prompt_tokens"] == 240 and usage["wall_seconds"] > 0
    assert "tokens per case" in capsys.readouterr().out
