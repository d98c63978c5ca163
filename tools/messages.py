"""Messages that name a setting or option: the tools write its name, each face writes its own word for it.

A tool says `f"... or pass {ref('image_model')} PATH"`; the text keeps `{image_model}` until a face tells it:
the CLI as `--image-model`, the terminal UI as `ECU_IMAGE_MODEL`; plain `str()` shows the bare name. Only
names passed to `ref` are references, so a path or value with other braces in it is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

REFERENCE = re.compile(r"\{([a-z][a-z_]*)\}")
Label = Callable[[str], str]
_NAMES: set[str] = set()  # every name a message has referred to


def ref(name: str) -> str:
    """A reference to the setting or option `name` inside a message."""
    _NAMES.add(name)
    return "{" + name + "}"


def plain(name: str) -> str:
    return name


def told(template: str, label: Label = plain) -> str:
    """The message with every reference written as `label(name)`."""
    return REFERENCE.sub(lambda match: label(match.group(1)) if match.group(1) in _NAMES else match.group(0), template)
