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
    args = sys.argv[1:]
    # names come first; everything from the first option on goes to the benchmarks, values too
    split = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    names, extra = args[:split] or available(), args[split:]
    for name in names:
        if name not in available():
            sys.exit(f"unknown benchmark {name!r}; available: {', '.join(available())}")
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main(extra)


if __name__ == "__main__":
    main()
