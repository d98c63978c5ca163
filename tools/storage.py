"""Atomic writes: work in progress survives a crash or a full disk half-way."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once: mkstemp makes 0600 files, a finished file should get the usual mode


class UnwritablePath(OSError):
    """`path` cannot be written as a file (a folder, a FIFO, a device, a file where a folder should be).

    Its text is one line, fit to show the user as it is.
    """


def write_target(path: str | Path) -> Path:
    """The file an atomic write of `path` replaces; raises UnwritablePath when that cannot be a regular file.

    A symlink is written through (its target is replaced, the link stays). An existing path must be a
    regular file: renaming over a FIFO or a device would replace the node, and over a folder cannot work.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a new path (or a file where a folder should be: below)
        mode = None
    except OSError as err:
        raise UnwritablePath(f"{path} cannot be checked ({err.strerror or err})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UnwritablePath(f"{path} is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        raise UnwritablePath(f"{path} is not a regular file (a FIFO, device or socket); refusing to replace it")
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise UnwritablePath(f"{folder} is a file, not a folder, so {path} cannot be written")
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write to a temp file beside `path`, fsync, then rename over it: readers see old or new, never half."""
    path = write_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise UnwritablePath(f"cannot create a file in {path.parent} ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
