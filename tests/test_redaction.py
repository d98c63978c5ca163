"""Secrets never shown: one redaction (agent/redact.py) on every path that shows a provider's error.

The provider here is a real OpenAI-compatible server on loopback (tests/fakes/llm_server.py)
that does what careless providers do: it quotes the key it was sent, and the URL, in its error.
"""

from __future__ import annotations

import json
import logging

import pytest

from agent.redact import redact, redact_url
from cli.main import main
from tests.fakes import synthetic_images as synth
from tests.fakes.llm_server import FakeLLMServer, status
from tests.test_evals import fake_planner, good_plan, suite_dir  # noqa: F401 (fixture)

KEY = "sk-proj-Leaky0123456789abcdefXYZ"
PLAIN_KEY = "plainsecret42"  # a key with no recognisable shape: only the environment says it is one


def echo_key(request):
    """A 400 whose message quotes the Authorization header and the path, as some providers do."""
    return status(400, f"Invalid request. Received headers: Authorization: {request.headers.get('authorization')}; "
                       f"path {request.path}")


def test_redact_covers_keys_tokens_url_credentials_and_query_secrets(monkeypatch):
    monkeypatch.setenv("MY_PROVIDER_API_KEY", PLAIN_KEY)
    text = redact(f"auth failed for {PLAIN_KEY}; Authorization: Bearer abc.def-123456789 "
                  f"via https://bob:hunter2hunter@llm.example.com/v1?api-key=q1w2e3r4&model=x&token=zz99zz99 "
                  f'{{"api_key": "k-777777777"}} {KEY} xoxb-1234-abcd')
    for secret in (PLAIN_KEY, "abc.def-123456789", "hunter2hunter", "q1w2e3r4", "zz99zz99", "k-777777777", KEY,
                   "xoxb-1234-abcd"):
        assert secret not in text
    assert "llm.example.com/v1" in text and "model=x" in text and "auth failed for" in text
    assert redact_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"


@pytest.fixture
def leaky_env(monkeypatch, tmp_path):
    monkeypatch.setenv("ECU_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def _assert_clean(*texts: str) -> None:
    for text in texts:
        assert KEY not in text and "Leaky0123456789" not in text


def test_eval_judge_error_that_quotes_the_key_is_redacted_everywhere(suite_dir, tmp_path, monkeypatch,  # noqa: F811
                                                                     leaky_env, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr("evals.runner.agent_planner", lambda config: fake_planner(
        {"good-one": good_plan(), "good-two": good_plan(), "bad-one": good_plan()}))
    out = tmp_path / "report.json"
    with FakeLLMServer() as server:
        server.push(echo_key, echo_key, echo_key)
        code = main(["eval", str(suite_dir), "--judge", "openai/judge", "--judge-api-base", server.url,
                     "--json", str(out), "--html", str(tmp_path / "report.html")])
        assert KEY in server.requests[0].headers["authorization"]  # the server did get (and echo) the key
    captured = capsys.readouterr()
    report = out.read_text()
    assert code == 1 and "judge failed" in report and "Invalid request" in report
    _assert_clean(captured.out, captured.err, report, (tmp_path / "report.html").read_text(), caplog.text)


def test_qc_vision_error_that_quotes_the_key_stays_out_of_the_evidence(tmp_path, leaky_env, capsys):
    image = synth.write_png(synth.macro_scene(128), tmp_path / "shot.png")
    with FakeLLMServer() as server:
        server.push(echo_key)
        main(["qc", image, "--json", "--vision-model", "openai/vision", "--api-base", server.url])
    captured = capsys.readouterr()
    evidence = json.loads(captured.out)["criteria"]["identity_clarity"]["evidence"]
    assert evidence.startswith("vision model failed") and "Invalid request" in evidence
    _assert_clean(captured.out, captured.err)


def test_an_api_base_with_credentials_is_not_echoed(tmp_path, leaky_env, leather_brief, capsys):
    brief = tmp_path / "brief.txt"
    brief.write_text(leather_brief)
    with FakeLLMServer() as server:
        server.push(echo_key)  # it echoes the path too, query secret included
        code = main(["plan", str(brief), "--model", "openai/planner", "--api-base", server.url + "?api-key=qsecret99"])
        assert "qsecret99" in server.requests[0].path
    err = capsys.readouterr().err
    assert code != 0 and err.startswith(f"ecu: error: model openai/planner at {server.url}?api-key=[redacted] ")
    assert "qsecret99" not in err and err.count("\n") == 1
    _assert_clean(err)


def test_url_credentials_in_the_api_base_are_not_named_in_model_errors():
    from agent.config import Config
    from agent.llm_client import LiteLLMClient

    client = LiteLLMClient(Config(model="openai/x", api_base="https://ecu:urlpass1234@llm.example.com/v1"))
    message = str(client._exhausted(ConnectionError("refused")))
    assert "urlpass1234" not in message and "https://[redacted]@llm.example.com/v1" in message
