"""One error hierarchy: failures from below map to the project's errors in one table (agent.errors)."""

from __future__ import annotations

import errno

from agent.errors import ConfigError, EcuError, GenerationError, InputError, generation_error
from tools import generate as gen
from tools.messages import ref


def test_generation_failures_map_to_one_line_project_errors():
    assert type(generation_error(gen.GenerateError("out of GPU memory"))) is GenerationError
    missing = generation_error(gen.ImageModelNotFound(f"pass {ref('image_model')} PATH"))
    assert isinstance(missing, ConfigError) and missing.exit_code == 2
    crashed = generation_error(RuntimeError("CUDA error: device-side assert\nstack..."), written="2 image(s) stay")
    assert str(crashed) == "image generation failed (RuntimeError: CUDA error: device-side assert); 2 image(s) stay"
    full = generation_error(OSError(errno.ENOSPC, "No space left on device"), doing="write the contact sheet x.png")
    assert str(full) == "cannot write the contact sheet x.png: No space left on device"
    own = InputError("bad")
    assert generation_error(own) is own


def test_a_message_names_a_setting_and_each_face_writes_its_own_word():
    err = EcuError(f"use {ref('device')} cpu for /tmp/{{odd}} folder")
    assert str(err) == "use device cpu for /tmp/{odd} folder"  # braces that are no reference stay
    assert err.told(lambda name: f"--{name}") == "use --device cpu for /tmp/{odd} folder"
