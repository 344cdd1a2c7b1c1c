"""Run benchmarks: ``python -m benchmarks`` (all) or ``python -m benchmarks NAME ...``.

Each ``benchmarks/bench_<name>.py`` defines ``main(argv: list[str]) -> None``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def available() -> list[str]:
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(benchmarks.__path__)
        if m.name.startswith("bench_")
    )


def main() -> None:
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or available()
    extra = [a for a in sys.argv[1:] if a.startswith("-")]
    for name in names:
        if name not in available():
            sys.exit(f"unknown benchmark {name!r}; available: {', '.join(available())}")
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main(extra)


if __name__ == "__main__":
    main()
