"""`make bench`: run every benchmark module and print one table (side-by-side ratios, medians)."""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from pathlib import Path

from benchmarks.common import print_table


def main(argv: list[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    folder = Path(__file__).parent
    rows = []
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        started = time.perf_counter()
        print(f"running {info.name} ...", file=sys.stderr, flush=True)
        rows += module.run()
        print(f"  done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    cpu = platform.processor() or platform.machine()
    print(f"# {platform.platform()} | {cpu} | Python {platform.python_version()}")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
