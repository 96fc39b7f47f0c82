"""Run every benchmark: `python -m benchmarks` (or `make bench`)."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Run each `bench_*` module's `main()` in turn (or those named on the command line)."""
    wanted = set(sys.argv[1:])
    folder = Path(__file__).parent
    for module in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not module.name.startswith("bench_") or (wanted and module.name not in wanted):
            continue
        bench = importlib.import_module(f"benchmarks.{module.name}")
        print(f"## {module.name}")
        asyncio.run(bench.main())
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
