"""`ecu slack --port P` as a real process, its Web API pointed at the mock through SLACK_API_URL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("slack_bolt")

from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, MockSlackAPI, send_event  # noqa: E402

SECRET = "cli-signing-secret-9876543210"
TOKEN = "xoxb-cli-1111-secret-bot-token"
BRIEF = ("Launch campaign for the Aldgate Weekender, a full-grain leather bag saddle stitched by hand with solid "
         "brass hardware. Extreme close-ups of the saddle stitching and the engraved brass zip pull for an "
         "Instagram carousel. Show durability.")


def _ecu() -> list[str]:
    script = Path(sys.executable).with_name("ecu")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, **slack: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ECU_"))}
    env.update(ECU_HOME=str(tmp_path / "home"), PYTHONUNBUFFERED="1", **slack)
    return env


def _wait_ready(proc: subprocess.Popen, port: int, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ecu slack exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"ecu slack did not come up in {timeout}s:\n{log.read_text()}")


@pytest.fixture
def api():
    server = MockSlackAPI(token=TOKEN).start()
    yield server
    server.stop()


def test_ecu_slack_http_mode_end_to_end(api, tmp_path):
    port = _free_port()
    log = tmp_path / "ecu-slack.log"
    env = _env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api.url)
    with log.open("wb") as sink:
        # --verbose: debug logging everywhere, to show tokens are redacted even then
        proc = subprocess.Popen(_ecu() + ["slack", "--port", str(port), "--verbose"], env=env,
                                stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_ready(proc, port, log)
        url = f"http://127.0.0.1:{port}/slack/events"
        event = {"type": "app_mention", "user": "U0HUMAN", "text": f"<@{BOT_USER_ID}> {BRIEF}",
                 "ts": "1700000001.000100", "channel": "C0CLI", "team": TEAM_ID}

        reply = send_event(url, SECRET, event, "EvCLI1")
        assert reply.status == 200 and reply.seconds < 3.0, (reply.status, reply.seconds)
        placeholder = api.wait_for(lambda c: c.method == "chat.postMessage" and "Planning" in c.params["text"],
                                   timeout=20)[0]
        assert placeholder.params["thread_ts"] == event["ts"] and placeholder.authorized
        update = api.wait_for(lambda c: c.method == "chat.update" and c.params.get("ts") == placeholder.ts,
                              timeout=20)[0]
        assert "Aldgate Weekender" in update.text_everywhere() and "saddle stitching" in update.text_everywhere()
        api.wait_for(lambda c: c.method == "chat.postMessage" and "Image prompts" in c.params["text"]
                     and c.params.get("thread_ts") == event["ts"], timeout=20)

        retry = send_event(url, SECRET, event, "EvCLI1", retry_num=1)
        assert retry.status == 200 and retry.seconds < 3.0
        bad = send_event(url, SECRET, event, "EvCLI2", signature="v0=" + "f" * 64)
        assert bad.status == 401
        stale = send_event(url, SECRET, event, "EvCLI3", timestamp=int(time.time()) - 10 * 60)
        assert stale.status == 401
        time.sleep(0.5)
        assert len([c for c in api.calls_to("chat.postMessage") if "Planning" in c.params["text"]]) == 1
        assert len(api.calls_to("chat.update")) == 1
        assert (tmp_path / "home" / "sessions" / f"slack-{TEAM_ID}-C0CLI-{event['ts']}.json").exists()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    output = log.read_text()
    assert f"listening on http://127.0.0.1:{port}/slack/events" in output
    assert TOKEN not in output and SECRET not in output
    assert "Traceback" not in output


def test_ecu_slack_without_tokens_says_which_are_missing(tmp_path):
    env = _env(tmp_path, SLACK_BOT_TOKEN=TOKEN)
    done = subprocess.run(_ecu() + ["slack", "--port", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr and TOKEN not in done.stderr + done.stdout
    done = subprocess.run(_ecu() + ["slack", "--socket"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "SLACK_APP_TOKEN" in done.stderr


def test_ecu_slack_with_an_unreachable_api_fails_cleanly(tmp_path):
    env = _env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
               SLACK_API_URL=f"http://127.0.0.1:{_free_port()}/api/")
    done = subprocess.run(_ecu() + ["slack", "--port", "0"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Slack Web API" in done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr


def test_ecu_slack_socket_mode_uses_the_app_token_and_fails_cleanly(api, tmp_path):
    # The mock has no WebSocket endpoint: apps.connections.open is refused, which must end in one clean line.
    app_token = "xapp-1-A0APP-test-app-token"
    env = _env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN=app_token, SLACK_API_URL=api.url)
    done = subprocess.run(_ecu() + ["slack", "--socket"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Slack refused the Socket Mode connection" in done.stderr and "Traceback" not in done.stderr
    assert app_token not in done.stderr and TOKEN not in done.stderr
    opened = api.calls_to("apps.connections.open")
    assert opened and opened[0].bearer == app_token
    assert api.calls_to("auth.test")[0].bearer == TOKEN
