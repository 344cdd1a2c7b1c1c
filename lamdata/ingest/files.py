"""Finding and opening input files: files, folders (recursive), globs, and ``.gz``."""

from __future__ import annotations

import glob
import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, cast

from lamdata.errors import InputError


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...] = ()) -> list[Path]:
    """Every file named by ``paths``: files as given, folders recursively, globs expanded.

    ``suffixes`` (e.g. ``(".html", ".md")``) filters files found inside folders and globs;
    ``.gz`` is looked through (``page.html.gz`` counts as ``.html``). Order is sorted and stable.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and _wanted(p, suffixes))
        else:
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            if not matches:
                raise InputError(
                    f"no such file, folder or glob match: {raw}",
                    hint="check the path (globs need quotes in most shells)",
                )
            found.extend(p for p in matches if p.is_file() and _wanted(p, suffixes))
    return list(dict.fromkeys(found))


def logical_suffix(path: Path) -> str:
    """The suffix that says the format, looking through ``.gz``: ``a.html.gz`` → ``.html``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _wanted(path: Path, suffixes: tuple[str, ...]) -> bool:
    return not path.name.startswith(".") and (not suffixes or logical_suffix(path) in suffixes)


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing ``.gz`` transparently."""
    try:
        if path.suffix.lower() == ".gz":
            return cast(BinaryIO, gzip.open(path, "rb"))
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror}") from exc


def read_bytes(path: Path) -> bytes:
    """The whole (decompressed) content of a file; a broken gzip stream is an InputError."""
    try:
        with open_binary(path) as handle:
            return handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read {path}: {exc}", hint="is the .gz file complete?") from exc
