"""Shared fixtures: an isolated ECU_HOME and sample briefs written for the tests."""

from __future__ import annotations

import pytest

LEATHER_BRIEF = (
    "The Harlow Weekender is our new full-grain leather travel bag for frequent travellers who buy once and keep "
    "it for decades. Channels: an Instagram carousel and the landing page hero. We want to prove durability. "
    "Open wide on the bag in a hotel lobby, then a mid shot of it being carried. Then extreme close-ups of the "
    "saddle stitching along the handle, the solid brass buckle on the strap, and the natural grain of the leather. "
    "Keep every detail sharp and honest."
)


@pytest.fixture(autouse=True)
def ecu_home(tmp_path, monkeypatch):
    """Every test gets its own ECU_HOME and no model configured."""
    home = tmp_path / "ecu-home"
    monkeypatch.setenv("ECU_HOME", str(home))
    monkeypatch.delenv("ECU_MODEL", raising=False)
    monkeypatch.delenv("ECU_API_BASE", raising=False)
    return home


@pytest.fixture
def leather_brief() -> str:
    return LEATHER_BRIEF


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A tiny random-weight Stable Diffusion pipeline saved once per session (tests/fakes/tiny_pipeline.py)."""
    pytest.importorskip("diffusers")
    from tests.fakes.tiny_pipeline import shared_tiny_pipeline

    return shared_tiny_pipeline(tmp_path_factory)


@pytest.fixture(scope="module")
def one_torch_thread():
    """One torch thread: tiny matrices run fastest so on a busy 2-core machine, and CPU results match bit for bit
    between processes that use the same thread count (each Ray actor gets one)."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def server():
    """A loopback OpenAI-compatible model server whose replies a test scripts (tests/fakes/llm_server.py)."""
    from tests.fakes.llm_server import FakeLLMServer

    with FakeLLMServer() as fake:
        yield fake
