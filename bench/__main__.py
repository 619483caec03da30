"""``python -m bench``: run every benchmark in this folder, each in its own process.

A benchmark is a module ``bench/<app>_<what>.py`` with a ``main()``; it prints its own figures
(medians and ratios) and never asserts timings. Each runs in a fresh interpreter so that the
Django settings and the database one benchmark sets up do not leak into the next. Benchmarks
that need PostgreSQL read ``DATABASE_URL`` and create and drop their own database.

``python -m bench scoring`` runs only the benchmarks whose name starts with ``scoring``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(prefixes: list[str]) -> list[str]:
    names = sorted(
        path.stem
        for path in HERE.glob("*_*.py")
        if not path.stem.startswith("_") and path.stem != "__main__"
    )
    if prefixes:
        names = [name for name in names if any(name.startswith(p) for p in prefixes)]
    return names


def main(argv: list[str]) -> int:
    names = discover(argv)
    if not names:
        print("No benchmark found.")
        return 1
    failed = []
    for name in names:
        print(f"=== bench.{name} ===", flush=True)
        # Our own interpreter on a module name found among bench/'s files: no outside input.
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)  # noqa: S603
        if code:
            failed.append(name)
    if failed:
        print("Failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
