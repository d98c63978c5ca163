"""Look at an HTML report in a real headless Chromium: a screenshot, or the page after its scripts ran.

`make report-screenshot` uses it to render the shipped suite's report; a test uses it to measure the
failing-case reasons' contrast and the case-id column's wrapping. Chromium is optional: without it
`find_chromium` returns None and callers skip with that reason.

    python -m cli.report_screenshot [OUT_DIR]   # eval the shipped suite, write OUT_DIR/eval-report.{html,png}
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Offline and quiet: no first-run pages, no update or sync traffic, nothing but the file asked for.
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _chromium(page: Path, *extra: str) -> subprocess.CompletedProcess:
    browser = find_chromium()
    if browser is None:
        raise RuntimeError(f"no Chromium found (looked for {', '.join(BROWSERS)}); "
                           "install it, e.g. apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="ecu-chromium-") as profile:
        return subprocess.run([browser, *_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=TIMEOUT_S, check=True)


def screenshot(page: str | Path, png: str | Path, *, width: int = 1280, height: int = 900) -> Path:
    png = Path(png).resolve()
    _chromium(Path(page), f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def dump_dom(page: str | Path, *, width: int = 1280, height: int = 900) -> str:
    """The page's DOM after its scripts ran, at the given window size."""
    return _chromium(Path(page), "--dump-dom", f"--window-size={width},{height}").stdout
