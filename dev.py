#!/usr/bin/env python3
"""Two commands from a fresh clone, needing only Python 3.11+ and the package index.

    python3 dev.py demo   # install into .venv, run the offline sample pipeline
    python3 dev.py test   # install with dev tools, run lint, format check, types, tests

Each step prints the command it runs; the first failing step stops the rest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT)
    if code != 0:
        sys.exit(code)


def ensure_venv(extras: str) -> None:
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-e",
        f".{extras}",
    )


def demo() -> None:
    ensure_venv("")
    run(BIN / "lamdata", "run", "pipelines/quickstart.yaml", "--store", "lamdata-store")
    print(
        f"\nThe CLI is {BIN / 'lamdata'} (or run `. .venv/bin/activate` first to type `lamdata`)."
    )


def test() -> None:
    ensure_venv("[dev]")
    run(BIN / "ruff", "check", "lamdata", "tests", "benchmarks", "dev.py")
    run(BIN / "ruff", "format", "--check", "lamdata", "tests", "benchmarks", "dev.py")
    run(BIN / "mypy", "lamdata")
    run(BIN / "python", "-m", "pytest", "-p", "no:cacheprovider", *sys.argv[2:])


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(commands)}}}")
    commands[sys.argv[1]]()
