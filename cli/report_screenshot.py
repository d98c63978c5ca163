"""`make report-screenshot`: the shipped suite's HTML report, and its headless-Chromium screenshot (with Chromium).

Lives in the CLI because it runs `ecu eval` and then a face's helper (evals.browser) on what it wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evals.browser import find_chromium, screenshot


def main(argv: list[str] | None = None) -> int:
    from cli.main import main as ecu

    out = Path((argv or sys.argv[1:] or ["out"])[0])
    out.mkdir(parents=True, exist_ok=True)
    page = out / "eval-report.html"
    ecu(["eval", "--quiet", "--html", str(page)])  # exit 1 on a new failure still writes the report
    if find_chromium() is None:
        print("report-screenshot: no Chromium installed (apt-get install chromium); wrote only "
              f"{page}", file=sys.stderr)
        return 0
    print(f"wrote {screenshot(page, out / 'eval-report.png', height=2400)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
